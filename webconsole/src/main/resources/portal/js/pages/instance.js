// One instance: live figures, power actions, the serial console log, the graphical console, for users
// allowed to see it the VNC address and password for third-party clients, for operators the Migrate dialog, and its
// restart policy and events.
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';
import {powerButtons} from './instances.js';
import {snapshotsSection} from '../sections/snapshots.js';
import {qosSection} from '../sections/qos.js';
import {mediaSection} from '../sections/media.js';
import {canMigrate, migrateDialog} from '../sections/migrate.js';
import {healingSection} from '../sections/healing.js';
import {labelsSection} from '../sections/labels.js';

const {el} = ui;
let id = null;
let head = null, figures = null, actions = null, log = null, taskBox = null, vnc = null;
let lastState = null;
let disks = null;

function diskSource(d) {
  if (!d.imageId) { return t('instance.diskEmpty'); }
  return t(d.cloneMode === 'full' ? 'instance.diskFull' : 'instance.diskLinked', {image: d.imageId.slice(0, 8)});
}

/** The disks section: size, where each disk came from, and resizing one (growing is live when running). */
function drawDisks(i) {
  if (ui.busy(disks)) { return; }
  disks.replaceChildren(ui.table([
    {key: 'instance.disk', cell: d => i.spec.disks.indexOf(d) + ' (' + t(i.spec.disks.indexOf(d) === 0 ? 'instance.diskSystem' : 'instance.diskData') + ')'},
    {key: 'instance.diskSize', cell: d => ui.bytes(d.sizeBytes)},
    {key: 'instance.diskSource', cell: d => diskSource(d)},
    {key: 'instance.diskGrowTo', cell: d => {
      const n = i.spec.disks.indexOf(d);
      const input = el('input', {type: 'number', min: 1, size: 8, name: 'grow-' + n});
      return el('span.actions', null, input, ui.button('instance.diskGrow', async () => {
        const task = await api.post('/instances/' + encodeURIComponent(i.id) + '/disks/' + n + '/resize',
          {sizeBytes: Number(input.value) * 1048576});
        ui.showInfo(t('instance.diskGrowQueued', {id: task.id}));
        await draw();
      }, {dataset: {disk: String(n)}}));
    }}
  ], i.spec.disks, d => ({dataset: {disk: String(i.spec.disks.indexOf(d))}})), el('p.hint', {text: t('instance.diskHintGrow')}));
}
let snapshots = null, qosBox = null, qosDrawn = false, media = null, migrate = null, healing = null, labels = null;

function row(key, value, name) {
  return el('tr', {dataset: {figure: name}}, el('th', {text: t(key)}), el('td', null, value));
}

async function draw() {
  const i = await api.get('/instances/' + encodeURIComponent(id));
  const s = i.stats;
  head.replaceChildren(el('h2', null, i.spec.name, ' ', ui.state('instanceState', i.state)));
  figures.replaceChildren(el('table.figures', null,
    row('instance.cpu', s ? ui.bar(s.cpuPercent / i.spec.cores, ui.percent(s.cpuPercent)) : '–', 'cpu'),
    row('instance.memory', s ? ui.bar(s.memoryUsedBytes * 100 / i.spec.memoryBytes, ui.bytes(s.memoryUsedBytes) + ' / ' + ui.bytes(i.spec.memoryBytes)) : '–', 'memory'),
    row('instance.diskIo', s ? t('instance.rw', {r: ui.bytes(s.diskReadBytes), w: ui.bytes(s.diskWriteBytes)}) : '–', 'disk'),
    row('instance.netIo', s ? t('instance.rxtx', {rx: ui.bytes(s.netRxBytes), tx: ui.bytes(s.netTxBytes)}) : '–', 'net'),
    row('instance.uptime', i.state === 'RUNNING' ? ui.since(i.updatedAt) : '–', 'uptime'),
    row('instance.sampled', s ? ui.time(s.sampledAt) : '–', 'sampled'),
    row('instance.size', t('instance.sizeText', {cores: i.spec.cores, mem: ui.bytes(i.spec.memoryBytes)}), 'size'),
    row('instance.disks', i.spec.disks.map(d => ui.bytes(d.sizeBytes) + (d.imageId ? ' ← ' + d.imageId.slice(0, 8) : '')).join(', '), 'disks'),
    row('instance.profile', i.spec.profile, 'profile'),
    row('instance.placed', (i.spec.poolId || '–') + ' / ' + (i.cellId || '–'), 'placed'),
    row('instance.address', i.address || '–', 'address'),
    row('instance.owner', i.owner, 'owner'),
    row('instance.created.at', ui.time(i.createdAt), 'created'),
    i.lastError ? row('instance.lastError', el('span.error', {text: i.lastError}), 'error') : null));
  drawDisks(i);
  labels.refresh(i);
  await media.refresh(i);
  if (i.state !== lastState) {
    lastState = i.state;
    actions.replaceChildren(powerButtons(i, taskBox, draw),
      el('a.button#open-console', {href: '#/console/' + encodeURIComponent(i.id), text: t('instance.openConsole'),
        'aria-disabled': i.state === 'RUNNING' ? null : 'true'}),
      ui.button('instance.showVnc', async () => {
        const v = await api.get('/instances/' + encodeURIComponent(i.id) + '/vnc');
        vnc.replaceChildren(el('p#vnc-access', null, t('instance.vncAccess', {display: v.display}), ' ',
          el('code', {text: v.password})), el('p.hint', {text: t('instance.vncHint')}));
      }, {id: 'show-vnc'}),
      canMigrate(i) ? ui.button('migrate.open', () => migrate.open(), {id: 'migrate-open', dataset: {action: 'migrate'}}) : null);
  }
  if (!qosDrawn) { qosDrawn = true; qosBox.replaceChildren(qosSection(i)); }
  await snapshots.refresh();
  await healing.refresh(i);
  if (i.state === 'RUNNING' || log.textContent === '') {
    const text = await api.get('/instances/' + encodeURIComponent(i.id) + '/console-log?maxBytes=16384').catch(() => '');
    if (log.textContent !== text) { log.textContent = text; log.scrollTop = log.scrollHeight; }
  }
}

export default {
  route: 'instance',
  async render(view, ctx) {
    id = ctx.arg; lastState = null;
    head = el('div'); figures = el('div'); actions = el('div.actions'); taskBox = el('div.task-box');
    log = el('pre.console-log#console-log'); vnc = el('div.vnc'); disks = el('div#instance-disks');
    snapshots = snapshotsSection(id, taskBox, () => draw()); qosBox = el('div'); qosDrawn = false;
    media = mediaSection(id, taskBox, () => draw());
    migrate = migrateDialog(id, () => draw());
    healing = healingSection(id);
    labels = labelsSection(id);
    view.append(el('p', null, el('a', {href: '#/instances', text: '← ' + t('nav.instances')})), head, ui.messages(),
      actions, migrate.element, taskBox, vnc, el('h3', {text: t('instance.figures')}), figures,
      el('h3', {text: t('instance.disksTitle')}), disks, media.element, snapshots.element, qosBox, labels.element,
      healing.element,
      el('h3', {text: t('instance.consoleLog')}), log);
    await draw();
  },
  refresh: () => draw()
};
