// The portal's only way to the Core: the public REST API under /api/v1, with the bearer token of this tab.
const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status; this.code = code; this.field = field;
  }
}

/** The signed-in session: token, user, and what POST /sessions said about roles, permissions and the password. */
export const session = JSON.parse(sessionStorage.getItem('skiff.session') || 'null') || {};

export function signedIn() { return !!session.token; }

export function saveSession(s) {
  Object.keys(session).forEach(k => delete session[k]);
  Object.assign(session, s);
  sessionStorage.setItem('skiff.session', JSON.stringify(session));
}

export function clearSession() { saveSession({}); sessionStorage.removeItem('skiff.session'); }

/** Whether the session may do something: unknown permission lists (older Cores) allow, the API decides. */
export function may(permission) {
  if (!Array.isArray(session.permissions)) { return true; }
  return session.permissions.includes(permission) || session.permissions.includes('*');
}

let onSignedOut = () => {};
export function whenSignedOut(callback) { onSignedOut = callback; }

function headers(json) {
  const h = {};
  if (json) { h['Content-Type'] = 'application/json'; }
  if (session.token) { h.Authorization = 'Bearer ' + session.token; }
  return h;
}

async function failure(res) {
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
  const err = body && body.error ? body.error : {};
  return new ApiError(res.status, err.code || String(res.status), err.message || res.statusText, err.field);
}

/** Sends a request; answers the response when it is a success, throws ApiError with the API's message. */
async function request(method, path, body) {
  const res = await fetch(BASE + path, {
    method, headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  if (res.status === 401 && session.token && path !== '/sessions') {
    clearSession(); onSignedOut();
  }
  if (!res.ok) { throw await failure(res); }
  return res;
}

/** Calls the API; answers the parsed JSON (or text), throws ApiError with the API's message. */
export async function call(method, path, body) {
  const res = await request(method, path, body);
  if (res.status === 204) { return null; }
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

/**
 * One page of a list (a path with limit and, after the first, cursor): {items, next, total}; next is the cursor
 * of the following page (null on the last), total the count when asked with total=true.
 */
export async function page(path) {
  const res = await request('GET', path);
  const total = res.headers.get('X-Total-Count');
  return {items: await res.json(), next: res.headers.get('X-Next-Cursor'),
    total: total === null ? null : Number(total)};
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body);
export const put = (path, body) => call('PUT', path, body);
export const del = (path) => call('DELETE', path);

/** Whether an optional part of the API exists (e.g. address pools before they land). */
export async function exists(path) {
  try { await get(path); return true; } catch (e) { return !(e.status === 404 || e.status === 405); }
}

/** Downloads into a file, reporting progress (0..100, or -1 when the size is unknown). */
export async function download(path, fileName, onProgress) {
  const res = await fetch(BASE + path, {headers: headers(false)});
  if (!res.ok) { throw await failure(res); }
  const total = Number(res.headers.get('Content-Length')) || 0;
  const reader = res.body.getReader();
  const chunks = [];
  let received = 0;
  for (;;) {
    const {done, value} = await reader.read();
    if (done) { break; }
    chunks.push(value); received += value.length;
    onProgress(total ? Math.floor(received * 100 / total) : -1, received);
  }
  const url = URL.createObjectURL(new Blob(chunks));
  const a = document.createElement('a');
  a.href = url; a.download = fileName; document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  onProgress(100, received);
}

/** Uploads a file as the request body, reporting progress (for upload endpoints as they land). */
export function upload(method, path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, BASE + path);
    if (session.token) { xhr.setRequestHeader('Authorization', 'Bearer ' + session.token); }
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.lengthComputable ? Math.floor(e.loaded * 100 / e.total) : -1);
    xhr.onload = () => {
      let body = null;
      try { body = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch (e) { body = xhr.responseText; }
      if (xhr.status >= 200 && xhr.status < 300) { resolve(body); return; }
      const err = body && body.error ? body.error : {};
      reject(new ApiError(xhr.status, err.code, err.message || xhr.statusText, err.field));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error', null));
    xhr.send(file);
  });
}
