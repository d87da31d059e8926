// Zone → compute pools → cells → instances, with live figures; the open branches stay open across refreshes.
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;
let body = null;
let summary = null;
// branches start open; the ones the user folds stay folded across refreshes
const closed = new Set();

function branch(id, head, children) {
  const d = el('details', {open: !closed.has(id), dataset: {branch: id}}, el('summary', null, head), children);
  d.addEventListener('toggle', () => { if (d.open) { closed.delete(id); } else { closed.add(id); } });
  return d;
}

function cellFigures(c) {
  const r = c.resources;
  if (!r) { return el('span.figures', {text: '–'}); }
  const mem = r.memoryTotalBytes - r.memoryAvailableBytes;
  const disk = r.diskTotalBytes - r.diskFreeBytes;
  return el('span.figures', null,
    t('dash.cpu', {n: r.cpuCount, load: r.loadAverage.toFixed(2)}), ' ',
    ui.bar(mem * 100 / r.memoryTotalBytes, t('dash.mem') + ' ' + ui.bytes(mem) + ' / ' + ui.bytes(r.memoryTotalBytes)), ' ',
    ui.bar(disk * 100 / r.diskTotalBytes, t('dash.disk') + ' ' + ui.bytes(disk) + ' / ' + ui.bytes(r.diskTotalBytes)), ' ',
    c.status === 'ONLINE' ? t('dash.online', {d: ui.since(c.joinedAt)}) : null);
}

function instanceRow(i) {
  const s = i.stats;
  const running = i.state === 'RUNNING';
  return el('li.instance', {dataset: {instance: i.spec.name}},
    el('a', {href: '#/instance/' + encodeURIComponent(i.id), text: i.spec.name}), ' ',
    ui.state('instanceState', i.state), ' ',
    el('span.figures', null,
      ui.bar(s ? s.cpuPercent / i.spec.cores : 0, t('dash.cpuPct', {p: s ? s.cpuPercent.toFixed(1) : '–'})), ' ',
      ui.bar(s ? s.memoryUsedBytes * 100 / i.spec.memoryBytes : 0, t('dash.mem') + ' ' + (s ? ui.bytes(s.memoryUsedBytes) : '–') + ' / ' + ui.bytes(i.spec.memoryBytes)), ' ',
      t('dash.diskIo', {r: s ? ui.bytes(s.diskReadBytes) : '–', w: s ? ui.bytes(s.diskWriteBytes) : '–'}), ' ',
      t('dash.uptime', {d: running ? ui.since(i.updatedAt) : '–'})));
}

// a lost cell: when, and where its instances went (the operation log's failovers from it, newest first)
function lostCell(c, failovers) {
  const moved = failovers.filter(r => (r.detail || '').includes('from lost cell ' + c.id + ' '));
  return el('div.lost', {dataset: {lost: c.id}}, el('strong', {text: t('dash.lost', {time: ui.time(c.lostAt)})}),
    moved.length ? el('ul', null, moved.map(r => el('li', {dataset: {moved: r.resource.replace('instances/', '')}},
      t('dash.failedOver', {name: r.resource.replace('instances/', ''),
        cell: ((r.detail || '').match(/ to cell (\S+?),/) || [])[1] || '?', time: ui.time(r.time)})))) : null);
}

async function draw() {
  const [health, pools, cells, instances] = await Promise.all([
    fetch('/api/v1/health').then(r => r.json()),
    // a user without pool.read/cell.read sees only its instances (and no refused call fills the operation log)
    api.may('pool.read') ? api.get('/pools') : [], api.may('cell.read') ? api.get('/cells') : [],
    api.get('/instances')]);
  const lost = cells.filter(c => c.lostAt);
  // what happened to the instances of lost cells: their failovers since the first of them was lost
  const failovers = lost.length && api.may('oplog.read')
    ? (await api.get('/operation-log?from=' + encodeURIComponent(lost.map(c => c.lostAt).sort()[0])
      + '&limit=500')).filter(r => r.action === 'instance failover') : [];
  const running = instances.filter(i => i.state === 'RUNNING').length;
  summary.replaceChildren(
    el('div.tile', null, el('strong', {text: t('health.' + String(health.status).toLowerCase())}), el('span', {text: t('dash.core')})),
    el('div.tile', null, el('strong', {text: String(pools.length)}), el('span', {text: t('nav.pools')})),
    el('div.tile', null, el('strong', {text: cells.filter(c => c.status === 'ONLINE').length + ' / ' + cells.length}), el('span', {text: t('dash.cellsOnline')})),
    el('div.tile', null, el('strong#running-count', {text: running + ' / ' + instances.length}), el('span', {text: t('dash.instancesRunning')})),
    el('div.tile', null, el('strong', {text: ui.duration(health.uptimeSeconds)}), el('span', {text: t('dash.coreUptime')})));
  const byCell = (cellId) => instances.filter(i => i.cellId === cellId);
  const poolBranches = pools.map(p => {
    const pc = cells.filter(c => c.poolId === p.name);
    const unplaced = instances.filter(i => i.spec.poolId === p.name && !i.cellId);
    return branch('pool:' + p.name,
      el('span', null, el('strong', {text: p.name}), ' ', t('dash.poolSummary', {cells: pc.length,
        instances: instances.filter(i => i.spec.poolId === p.name).length})),
      el('ul.tree', null, pc.map(c => el('li', {dataset: {cell: c.id}}, branch('cell:' + c.id,
        el('span', null, el('strong', {text: c.id}), ' ', ui.state('cellStatus', c.status), ' ', cellFigures(c)),
        [c.lostAt ? lostCell(c, failovers) : null, el('ul.tree', null, byCell(c.id).map(instanceRow))]))),
      unplaced.map(instanceRow)));
  });
  if (!api.may('pool.read')) {
    // without pool and cell rights the tree is just the user's own instances
    poolBranches.push(el('ul.tree', null, instances.map(instanceRow)));
  }
  const unallocated = cells.filter(c => !c.poolId);
  if (unallocated.length) {
    poolBranches.push(branch('pool:-', el('span', null, el('em', {text: t('cell.unallocated')})),
      el('ul.tree', null, unallocated.map(c => el('li', null, el('strong', {text: c.id}), ' ',
        ui.state('cellStatus', c.status), ' ', cellFigures(c))))));
  }
  body.replaceChildren(branch('zone', el('span', null, el('strong', {text: t('dash.zone', {name: health.domain})}),
    ' · ' + t('dash.node', {node: health.node, members: health.members})), el('div.tree', null, poolBranches)));
}

export default {
  route: 'dashboard', nav: 'nav.dashboard',
  async render(view) {
    summary = el('div.tiles');
    body = el('div.dashboard');
    view.append(el('h2', {text: t('nav.dashboard')}), ui.messages(), summary, body);
    await draw();
  },
  refresh: () => draw()
};
