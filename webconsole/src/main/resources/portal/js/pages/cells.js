import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;
let body = null;

function usage(used, total) {
  return total ? ui.bar(used * 100 / total, ui.bytes(used) + ' / ' + ui.bytes(total)) : '–';
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
    {key: 'cell.status', cell: c => ui.state('cellStatus', c.status)},
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
    view.append(el('h2', {text: t('nav.cells')}), ui.messages(), el('p.hint', {text: t('cell.hint')}), body);
    await draw();
  },
  refresh: () => (ui.busy(body) ? null : draw())
};
