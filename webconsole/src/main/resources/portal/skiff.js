'use strict';
// The portal talks only to the public REST API, with a bearer token kept for this tab.
const api = '/api/v1';
let token = sessionStorage.getItem('skiff.token');
const $ = (s) => document.querySelector(s);

async function call(method, path, body) {
  const res = await fetch(api + path, {
    method,
    headers: Object.assign({'Content-Type': 'application/json'}, token ? {'Authorization': 'Bearer ' + token} : {}),
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  if (res.status === 401) { signOut(); throw new Error('signed out'); }
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) { throw new Error(json && json.error ? json.error.message : res.statusText); }
  return json;
}

function cell(text) { const td = document.createElement('td'); td.textContent = text; return td; }
function button(label, action) {
  const b = document.createElement('button'); b.textContent = label;
  b.onclick = () => action().then(refresh).catch(e => $('#error').textContent = e.message);
  return b;
}
function gib(bytes) { return bytes ? (bytes / 1073741824).toFixed(1) + ' GiB' : '-'; }

async function refresh() {
  if (!token) { return; }
  try {
    const [health, pools, cells, tasks] = await Promise.all([
      fetch(api + '/health').then(r => r.json()), call('GET', '/pools'), call('GET', '/cells'), call('GET', '/tasks')]);
    $('#health').textContent = 'Core ' + health.status + ' · domain ' + health.domain + ' · node ' + health.node
      + ' · ' + health.members + ' member(s)';
    const pb = $('#pools tbody'); pb.replaceChildren();
    for (const p of pools) {
      const tr = document.createElement('tr');
      tr.append(cell(p.name), cell(p.description), cell(cells.filter(c => c.poolId === p.name).length));
      const td = document.createElement('td');
      td.append(button('Delete', () => call('DELETE', '/pools/' + encodeURIComponent(p.name))));
      tr.append(td); pb.append(tr);
    }
    const cb = $('#cells tbody'); cb.replaceChildren();
    for (const c of cells) {
      const r = c.resources || {};
      const tr = document.createElement('tr');
      const status = cell(c.status.toLowerCase()); status.className = c.status.toLowerCase();
      tr.append(cell(c.id), cell(c.hostname), cell(c.poolId || '(unallocated)'), status, cell(r.cpuCount || '-'),
        cell(gib(r.memoryAvailableBytes) + ' / ' + gib(r.memoryTotalBytes)),
        cell(r.loadAverage === undefined ? '-' : r.loadAverage.toFixed(2)));
      const td = document.createElement('td');
      if (c.poolId) {
        td.append(button('Remove from pool', () => call('POST', '/cells/' + encodeURIComponent(c.id) + '/remove-from-pool')));
      } else if (pools.length) {
        const sel = document.createElement('select');
        for (const p of pools) { const o = document.createElement('option'); o.textContent = p.name; sel.append(o); }
        td.append(sel, button('Add to pool', () => call('POST', '/cells/' + encodeURIComponent(c.id) + '/add-to-pool', {pool: sel.value})));
      }
      td.append(button(c.enabled ? 'Disable' : 'Enable',
        () => call('POST', '/cells/' + encodeURIComponent(c.id) + (c.enabled ? '/disable' : '/enable'))));
      tr.append(td); cb.append(tr);
    }
    const tb = $('#tasks tbody'); tb.replaceChildren();
    for (const t of tasks.slice(0, 20)) {
      const tr = document.createElement('tr');
      tr.append(cell(t.id), cell(t.name), cell(t.state.toLowerCase()), cell(t.progress + '%'));
      tb.append(tr);
    }
  } catch (e) {
    $('#error').textContent = e.message;
  }
  refreshProviders();
}

// Providers of every SPI (GET /providers): extensions appear here as soon as their feature is installed.
async function refreshProviders() {
  try {
    const providers = await call('GET', '/providers');
    const body = $('#providers tbody'); body.replaceChildren();
    for (const p of providers) {
      const tr = document.createElement('tr');
      tr.append(cell(p.spi), cell(p.name), cell(p.bundleSymbolicName + ' (' + p.bundleId + ')'), cell(p.bundleVersion),
        cell(p.usedBy.length ? p.usedBy.join(', ') : '-'));
      body.append(tr);
    }
  } catch (e) {
    $('#error').textContent = e.message;
  }
}

function show() {
  $('#signin').hidden = !!token; $('#dashboard').hidden = !token; $('#signout').hidden = !token;
  $('#who').textContent = token ? sessionStorage.getItem('skiff.user') : '';
  refresh();
}

function signOut() {
  if (token) { fetch(api + '/sessions', {method: 'DELETE', headers: {'Authorization': 'Bearer ' + token}}); }
  token = null; sessionStorage.removeItem('skiff.token'); show();
}

$('#signin-form').onsubmit = async (ev) => {
  ev.preventDefault();
  const f = ev.target;
  try {
    const s = await call('POST', '/sessions', {user: f.user.value, password: f.password.value});
    token = s.token; sessionStorage.setItem('skiff.token', token); sessionStorage.setItem('skiff.user', s.user);
    $('#signin-error').textContent = ''; show();
  } catch (e) { $('#signin-error').textContent = e.message; }
};
$('#pool-form').onsubmit = (ev) => {
  ev.preventDefault();
  const f = ev.target;
  call('POST', '/pools', {name: f.name.value, description: f.description.value})
    .then(() => { f.reset(); $('#error').textContent = ''; refresh(); })
    .catch(e => $('#error').textContent = e.message);
};
$('#signout').onclick = signOut;
setInterval(refresh, 2000);
show();
