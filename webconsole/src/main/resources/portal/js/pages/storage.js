// Storage: the Core's storage pools (type, where, attached compute pools, capacity and free space, shared or not)
// with create, delete and attach/detach to a compute pool for callers with storage.manage — the API's refusals are
// shown beside the form (naming the field) or in the pool's row — then every cell's own pools as it reports them.
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';
import {clearInvalid} from './users.js';

const {el} = ui;
let poolBox = null;
let cellBox = null;
let computePools = [];
/** The last refusal of an action on a pool's row, by pool id: kept over the live redraws until the next action. */
const rowErrors = new Map();

const enc = encodeURIComponent;

/** An API error as "message [field]". */
const said = (e) => (e && e.message ? e.message : String(e)) + (e && e.field ? ' [' + e.field + ']' : '');

function where(p) {
  const s = p.settings || {};
  if (p.provider === 'nfs') { return s.server + ':' + s.export + ' (' + (s.mode || 'libnfs') + ')'; }
  return s.path || t('storage.defaultPath');
}

function capacity(p) {
  if (!p.capacityBytes) { return el('span.hint', {text: t('storage.notReported')}); }
  const used = p.capacityBytes - p.freeBytes;
  return ui.bar(used * 100 / p.capacityBytes, t('storage.freeOf', {free: ui.bytes(p.freeBytes), capacity: ui.bytes(p.capacityBytes)}));
}

/** Runs an action of a pool's row; its refusal stays in the row, a success on the page's message line. */
async function act(p, action) {
  rowErrors.delete(p.id);
  try {
    ui.showInfo(await action());
  } catch (e) {
    ui.clearMessage();
    rowErrors.set(p.id, said(e));
  }
  await drawPools();
}

function attachedCell(p, write) {
  return el('span.compute-pools', null, (p.computePools || []).map(c => el('span.attached', {dataset: {computePool: c}},
    c, write ? ui.button('storage.detach', () => act(p, async () => {
      await api.post('/storage-pools/' + enc(p.id) + '/detach', {computePool: c});
      return t('storage.detached', {name: p.name, pool: c});
    }), {dataset: {action: 'detach', computePool: c}}) : null)));
}

/** Attach (to a compute pool no storage pool is attached to), delete, and the row's last refusal. */
function actionsCell(p, taken) {
  const free = computePools.filter(c => !taken.has(c.name));
  const choice = ui.select('computePool', free.map(c => ({value: c.name, label: c.name})));
  return el('span.actions', null,
    free.length ? choice : null,
    free.length ? ui.button('storage.attach', () => act(p, async () => {
      await api.post('/storage-pools/' + enc(p.id) + '/attach', {computePool: choice.value});
      return t('storage.attached', {name: p.name, pool: choice.value});
    }), {dataset: {action: 'attach'}}) : null,
    ui.button('common.delete', async () => {
      if (!confirm(t('storage.confirmDelete', {name: p.name}))) { return; }
      await act(p, async () => {
        await api.del('/storage-pools/' + enc(p.id));
        return t('storage.deleted', {name: p.name});
      });
    }, {dataset: {action: 'delete'}}),
    rowErrors.has(p.id) ? el('span.messages.error.row-error', {role: 'alert', text: rowErrors.get(p.id)}) : null);
}

async function drawPools() {
  const pools = await api.get('/storage-pools');
  const write = api.may('storage.manage');
  const taken = new Set(pools.flatMap(p => p.computePools || []));
  for (const id of [...rowErrors.keys()]) {
    if (!pools.some(p => p.id === id)) { rowErrors.delete(id); }
  }
  poolBox.replaceChildren(ui.table([
    {key: 'storage.name', cell: p => p.name},
    {key: 'storage.type', cell: p => p.provider},
    {key: 'storage.where', cell: where},
    {key: 'storage.computePools', cell: p => attachedCell(p, write)},
    {key: 'storage.capacity', cell: capacity},
    {key: 'storage.shared', cell: p => t(p.provider === 'nfs' ? 'common.yes' : 'common.no')},
    {key: '', cell: p => (write ? actionsCell(p, taken) : '')}
  ], pools, p => ({dataset: {storagePool: p.name, computePools: (p.computePools || []).join(',')}})));
}

async function drawCells() {
  const pools = await api.get('/cells/storage-pools');
  cellBox.replaceChildren(ui.table([
    {key: 'storage.cell', cell: p => p.cellId},
    {key: 'storage.name', cell: p => p.name},
    {key: 'storage.provider', cell: p => p.provider},
    {key: 'storage.used', cell: p => p.capacityBytes ? ui.bar((p.capacityBytes - p.availableBytes) * 100 / p.capacityBytes,
      ui.bytes(p.capacityBytes - p.availableBytes) + ' / ' + ui.bytes(p.capacityBytes)) : '–'},
    {key: 'storage.allocation', cell: p => ui.bytes(p.allocationBytes)},
    {key: 'storage.available', cell: p => ui.bytes(p.availableBytes)},
    {key: 'storage.reported', cell: p => ui.time(p.reportedAt)}
  ], pools));
}

/** The create form: name and type; nfs asks for server, export and mode, local for an optional path. */
function createForm() {
  const type = ui.select('type', [{value: 'local', label: 'local'}, {value: 'nfs', label: 'nfs'}], 'local');
  const nfsOnly = [ui.field('storage.server', el('input', {name: 'server', placeholder: '10.0.0.5'})),
    ui.field('storage.export', el('input', {name: 'export', placeholder: '/export'})),
    ui.field('storage.mode', ui.select('mode', [{value: 'libnfs', label: 'libnfs'}, {value: 'mount', label: 'mount'}], 'libnfs'))];
  const localOnly = [ui.field('storage.path', el('input', {name: 'path', placeholder: t('storage.defaultPath')}))];
  const show = () => {
    nfsOnly.forEach(f => { f.hidden = type.value !== 'nfs'; });
    localOnly.forEach(f => { f.hidden = type.value !== 'local'; });
  };
  type.addEventListener('change', show);
  const submit = el('button#storage-pool-submit', {type: 'submit', text: t('storage.create')});
  const form = el('form.grid#storage-pool-create', {novalidate: true},
    ui.field('storage.poolName', el('input', {name: 'name', autocomplete: 'off'})),
    ui.field('storage.type', type), ...nfsOnly, ...localOnly, submit);
  const error = el('p.messages#storage-pool-error', {role: 'alert'});
  show();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearInvalid(form);
    const b = {name: form.name.value, type: type.value};
    if (type.value === 'nfs') {
      Object.assign(b, {server: form.server.value, export: form.export.value, mode: form.mode.value});
    } else if (form.path.value) {
      b.path = form.path.value;
    }
    error.className = 'messages';
    error.textContent = t('storage.checking');
    submit.disabled = true;
    try {
      await api.post('/storage-pools', b);
      error.textContent = '';
      form.reset();
      show();
      ui.showInfo(t('storage.created', {name: b.name}));
      await drawPools();
    } catch (e) {
      error.className = 'messages error';
      error.textContent = said(e);
      const input = e.field && form.querySelector('[name="' + e.field + '"]');
      if (input) { input.classList.add('invalid'); input.focus(); }
    } finally {
      submit.disabled = false;
    }
  });
  return el('div.storage-create', null, form, error);
}

async function draw() {
  await Promise.all([drawPools(), drawCells()]);
}

export default {
  route: 'storage', nav: 'nav.storage', permission: 'storage.read',
  async render(view) {
    poolBox = el('div#storage-pools');
    cellBox = el('div#cell-storage');
    const write = api.may('storage.manage');
    computePools = write ? await api.get('/pools').catch(() => []) : [];
    view.append(el('h2', {text: t('nav.storage')}), ui.messages(),
      el('p.hint', {text: t('storage.hint')}), poolBox,
      ...(write ? [el('h3', {text: t('storage.createTitle')}), createForm()] : []),
      el('h3', {text: t('storage.ofCells')}), cellBox);
    await draw();
  },
  refresh: () => Promise.all([ui.busy(poolBox) ? null : drawPools(), drawCells()])
};
