// Cells: status and resources; pool membership, enable/disable, forget, and evacuation (every instance moves to
// the other cells of the pool; the cell is disabled and stays so), followed instance by instance.
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;
let body = null;
let taskBox = null;

function usage(used, total) {
  return total ? ui.bar(used * 100 / total, ui.bytes(used) + ' / ' + ui.bytes(total)) : '–';
}

/**
 * What an evacuation has done so far: n of m instances moved, and each failure with the Core's reason. The parent
 * task has one step per instance (its data says the outcome) and a last step that sums up.
 */
function evacuation(task) {
  const items = task.steps.slice(0, -1);
  const moved = items.filter(s => s.data && s.data.outcome === 'SUCCEEDED').length;
  const failed = items.filter(s => s.data && s.data.outcome === 'FAILED');
  return el('div.evacuation', null,
    el('p#evacuation-count', {text: t('cell.evacuateCount', {n: moved, m: items.length})}),
    failed.length ? el('ul#evacuation-failures', null, failed.map(s =>
      el('li.error', {dataset: {instance: s.data.item}, text: t('cell.evacuateItemFailed', {name: s.data.item, error: s.data.error || ''})}))) : null);
}

async function evacuate(c) {
  const instances = await api.get('/instances');
  const n = instances.filter(i => i.cellId === c.id).length;
  if (!confirm(t('cell.confirmEvacuate', {cell: c.id, pool: c.poolId, n}))) { return; }
  const task = await api.post('/cells/' + encodeURIComponent(c.id) + '/evacuate');
  ui.clearMessage();
  await draw();
  const done = await ui.watchTask(task, taskBox, evacuation);
  if (done.state === 'SUCCEEDED') { ui.showInfo(t('cell.evacuated', {cell: c.id})); } else { ui.showError({message: t('cell.evacuateFailed', {cell: c.id})}); }
  await draw();
}

function actions(c, pools) {
  const id = encodeURIComponent(c.id);
  const out = [];
  if (c.poolId) {
    out.push(ui.button('cell.removeFromPool', async () => { await api.post('/cells/' + id + '/remove-from-pool'); await draw(); }));
  } else if (pools.length) {
    const sel = ui.select('pool', pools.map(p => ({value: p.name, label: p.name})));
    out.push(sel, ui.button('cell.addToPool', async () => { await api.post('/cells/' + id + '/add-to-pool', {pool: sel.value}); await draw(); }));
  }
  out.push(ui.button(c.enabled ? 'cell.disable' : 'cell.enable', async () => {
    await api.post('/cells/' + id + (c.enabled ? '/disable' : '/enable')); await draw();
  }));
  if (c.poolId && api.may('instance.migrate')) {
    out.push(ui.button('cell.evacuate', () => evacuate(c), {dataset: {action: 'evacuate'}}));
  }
  if (!c.poolId && c.status !== 'ONLINE') {
    out.push(ui.button('cell.forget', async () => { await api.del('/cells/' + id); await draw(); }));
  }
  return el('span.actions', null, out);
}

async function draw() {
  const [cells, pools] = await Promise.all([api.get('/cells'), api.get('/pools')]);
  body.replaceChildren(ui.table([
    {key: 'cell.id', cell: c => c.id},
    {key: 'cell.address', cell: c => c.address},
    {key: 'cell.pool', cell: c => c.poolId || t('cell.unallocated')},
    {key: 'cell.status', cell: c => c.lostAt
      ? el('span', null, ui.state('cellStatus', c.status), ' ' + t('cell.lostAt', {time: ui.time(c.lostAt)}))
      : ui.state('cellStatus', c.status)},
    {key: 'cell.enabled', cell: c => t(c.enabled ? 'common.yes' : 'common.no')},
    {key: 'cell.cpus', cell: c => c.resources ? c.resources.cpuCount + ' · ' + t('cell.load') + ' ' + c.resources.loadAverage.toFixed(2) : '–'},
    {key: 'cell.memory', cell: c => c.resources ? usage(c.resources.memoryTotalBytes - c.resources.memoryAvailableBytes, c.resources.memoryTotalBytes) : '–'},
    {key: 'cell.disk', cell: c => c.resources ? usage(c.resources.diskTotalBytes - c.resources.diskFreeBytes, c.resources.diskTotalBytes) : '–'},
    {key: 'cell.online', cell: c => ui.since(c.joinedAt)},
    {key: '', cell: c => actions(c, pools)}
  ], cells, c => ({dataset: {cell: c.id}})));
}

export default {
  route: 'cells', nav: 'nav.cells', permission: 'cell.read',
  async render(view) {
    body = el('div');
    taskBox = el('div.task-box#cell-task-box');
    view.append(el('h2', {text: t('nav.cells')}), ui.messages(), el('p.hint', {text: t('cell.hint')}), taskBox, body);
    await draw();
  },
  refresh: () => (ui.busy(body) ? null : draw())
};
