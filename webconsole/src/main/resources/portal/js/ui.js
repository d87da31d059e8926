// Small DOM helpers shared by the pages: elements, formats, tables, progress bars and task watching.
import {t, tOr} from './i18n.js';
import * as api from './api.js';

/** el('tag.class#id', {attr: value, onclick: fn}, ...children) */
export function el(spec, attrs, ...children) {
  const m = spec.match(/^([a-z0-9]+)?((?:[.#][\w-]+)*)$/i);
  const e = document.createElement(m[1] || 'div');
  (m[2].match(/[.#][\w-]+/g) || []).forEach(p => {
    if (p[0] === '.') { e.classList.add(p.slice(1)); } else { e.id = p.slice(1); }
  });
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) { continue; }
    if (k.startsWith('on')) { e.addEventListener(k.slice(2), v); } else if (k === 'text') { e.textContent = v; } else if (k === 'dataset') { Object.assign(e.dataset, v); } else if (k === 'style') { e.style.cssText = v; } else { e.setAttribute(k, v === true ? '' : v); }
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) { continue; }
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function bytes(n) {
  if (n === null || n === undefined || n < 0) { return '–'; }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(n >= 100 ? 0 : 1)) + ' ' + units[i];
}

export function percent(p) { return p === null || p === undefined ? '–' : p.toFixed(1) + ' %'; }

export function duration(seconds) {
  if (seconds === null || seconds === undefined || seconds < 0) { return '–'; }
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600);
  const m = Math.floor(seconds % 3600 / 60), s = Math.floor(seconds % 60);
  if (d) { return t('time.dh', {d, h}); }
  if (h) { return t('time.hm', {h, m}); }
  if (m) { return t('time.ms', {m, s}); }
  return t('time.s', {s});
}

export function since(iso) { return iso ? duration((Date.now() - Date.parse(iso)) / 1000) : '–'; }

export function time(iso) { return iso ? new Date(iso).toLocaleString(document.documentElement.lang) : '–'; }

/** A state word from the API (RUNNING, ONLINE, ...) in the current language, with a class for colour. */
export function state(kind, value) {
  const v = String(value || '').toLowerCase();
  return el('span.state.state-' + v, {text: t(kind + '.' + v), dataset: {state: v}});
}

/** A horizontal bar for 0..100 with the text beside it. */
export function bar(pct, text) {
  const p = Math.max(0, Math.min(100, pct || 0));
  return el('span.bar', {title: text || ''}, el('span.bar-fill', {style: 'width:' + p + '%'}),
    el('span.bar-text', {text: text === undefined ? p + ' %' : text}));
}

/** A table: columns [{key: 'message.key', cell: row => node|text}], rows, optional row attributes. */
export function table(columns, rows, rowAttrs) {
  const head = el('thead', null, el('tr', null, columns.map(c => el('th', {text: c.key ? t(c.key) : ''}))));
  const body = el('tbody', null, rows.map(r => el('tr', rowAttrs ? rowAttrs(r) : null,
    columns.map(c => { const v = c.cell(r); return el('td', null, v === undefined || v === null ? '–' : v); }))));
  const tb = el('table', null, head, body);
  if (!rows.length) { tb.append(el('caption', {text: t('common.none')})); }
  return tb;
}

/** A button running an async action; errors go to the page's message line. */
export function button(key, action, opts) {
  const b = el('button', Object.assign({type: 'button', text: t(key)}, opts || {}));
  b.addEventListener('click', async () => {
    b.disabled = true;
    try { await action(); } catch (e) { showError(e); } finally { b.disabled = false; }
  });
  return b;
}

let messageLine = null;
/** The page's message line (one per page, at the top of the view). */
export function messages() {
  messageLine = el('p.messages', {role: 'status', id: 'messages'});
  return messageLine;
}
export function showError(e) {
  if (!messageLine) { return; }
  messageLine.className = 'messages error';
  const field = e && e.field ? ' [' + e.field + ']' : '';
  messageLine.textContent = (e && e.message ? e.message : String(e)) + field;
}
export function showInfo(text) {
  if (!messageLine) { return; }
  messageLine.className = 'messages info';
  messageLine.textContent = text;
}
export function clearMessage() { if (messageLine) { messageLine.textContent = ''; messageLine.className = 'messages'; } }

/**
 * Shows a task's progress in a container until it ends, then its outcome; resolves with the final task.
 * Long actions answer 202 with the task, so every such action ends up here. `detail(task)`, when given, draws more
 * of the task under its line at each look (e.g. an evacuation's instances).
 */
export async function watchTask(task, container, detail) {
  const box = el('div.task', {dataset: {task: task.id}});
  container.replaceChildren(box);
  for (;;) {
    const done = task.state === 'SUCCEEDED' || task.state === 'FAILED' || task.state === 'ROLLBACK_FAILED';
    box.replaceChildren(
      el('span.task-name', {text: tOr('task.name.' + task.name, task.name) + ' '}),
      bar(task.progress, task.progress + ' %'), ' ',
      state('taskState', task.state), ' ',
      el('span.task-message', {text: task.error || task.message || ''}),
      ...(detail ? [detail(task)] : []));
    box.className = 'task' + (done ? (task.state === 'SUCCEEDED' ? ' ok' : ' failed') : '');
    if (done) { return task; }
    await new Promise(r => setTimeout(r, 1000));
    try { task = await api.get('/tasks/' + encodeURIComponent(task.id)); } catch (e) { showError(e); return task; }
  }
}

/** A labelled form field. */
export function field(key, input) {
  return el('label', null, el('span', {text: t(key)}), input);
}

export function select(name, options, value) {
  const s = el('select', {name});
  for (const o of options) {
    const opt = el('option', {value: o.value, text: o.label});
    if (o.value === value) { opt.selected = true; }
    s.append(opt);
  }
  return s;
}

/** Whether the user is working inside a part of the page (a focused field): live refresh leaves it alone. */
export function busy(container) {
  const a = document.activeElement;
  return !!(container && a && container.contains(a) && ['INPUT', 'SELECT', 'TEXTAREA'].includes(a.tagName));
}
