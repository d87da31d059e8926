// Instances: the list with power actions, in pages (PagedList) filtered by state, how the name begins and labels, and the
// create form that knows pools, images, profiles, cells and (when the API has them) address pools. Every action
// shows its task's progress and outcome.
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';
import {PagedList} from '../paging.js';
import {policySelect} from '../sections/healing.js';
import {labelChips, parseLabels, selectorsOf} from '../sections/labels.js';

const {el} = ui;
const STATES = ['running', 'stopped', 'starting', 'stopping', 'creating', 'deleting', 'migrating', 'unknown', 'error'];
let body = null;
let taskBox = null;
let filter = null;
let list = null;

export async function act(i, action, container) {
  const id = encodeURIComponent(i.id);
  let task;
  if (action === 'delete') {
    if (!confirm(t('instance.confirmDelete', {name: i.spec.name}))) { return null; }
    task = await api.del('/instances/' + id + (i.state === 'RUNNING' ? '?force=true' : ''));
  } else {
    task = await api.post('/instances/' + id + '/' + action);
  }
  ui.clearMessage();
  return ui.watchTask(task, container);
}

export function powerButtons(i, container, after) {
  const b = (action, key, enabled) => ui.button(key, async () => { await act(i, action, container); if (after) { await after(); } },
    {disabled: !enabled, dataset: {action}});
  return el('span.actions', null,
    b('start', 'instance.start', i.state === 'STOPPED' || i.state === 'ERROR'),
    b('stop', 'instance.stop', i.state === 'RUNNING'),
    b('restart', 'instance.restart', i.state === 'RUNNING'),
    b('delete', 'common.delete', i.state !== 'CREATING' && i.state !== 'DELETING'));
}

async function draw() {
  const items = await list.load({state: filter.state.value, namePrefix: filter.namePrefix.value.trim(),
    label: selectorsOf(filter.label.value)});
  body.replaceChildren(ui.table([
    {key: 'instance.name', cell: i => el('a', {href: '#/instance/' + encodeURIComponent(i.id), text: i.spec.name})},
    {key: 'instance.state', cell: i => ui.state('instanceState', i.state)},
    {key: 'instance.pool', cell: i => i.spec.poolId},
    {key: 'instance.cell', cell: i => i.cellId},
    {key: 'instance.size', cell: i => t('instance.sizeText', {cores: i.spec.cores, mem: ui.bytes(i.spec.memoryBytes)})},
    {key: 'instance.cpu', cell: i => i.stats ? ui.percent(i.stats.cpuPercent) : '–'},
    {key: 'instance.memory', cell: i => i.stats ? ui.bytes(i.stats.memoryUsedBytes) : '–'},
    {key: 'instance.profile', cell: i => i.spec.profile},
    {key: 'labels.title', cell: i => labelChips(i.spec.labels)},
    {key: '', cell: i => powerButtons(i, taskBox, draw)}
  ], items, i => ({dataset: {instance: i.spec.name}})), list.controls(draw));
}

function filterForm() {
  return list.filters('instance-filter', [
    ui.field('instance.state', ui.select('state', [{value: '', label: t('list.any')}]
      .concat(STATES.map(s => ({value: s, label: t('instanceState.' + s)}))), '')),
    ui.field('list.namePrefix', el('input', {name: 'namePrefix'})),
    ui.field('labels.filter', el('input', {name: 'label', placeholder: t('labels.filterHint')}))], draw);
}

async function createForm() {
  // the Core's defaults of a create pre-fill the form; a field left empty is left out, and the Core fills it in
  const [pools, images, profiles, cells, addressPools, defaults] = await Promise.all([
    api.get('/pools'), api.get('/images'), api.get('/profiles').catch(() => []), api.get('/cells'),
    api.get('/address-pools').catch(() => null), api.get('/instance-defaults').catch(() => ({}))]);
  const form = el('form.grid#create-form', {novalidate: true},
    ui.field('instance.name', el('input', {name: 'name', required: true})),
    ui.field('instance.pool', ui.select('poolId', pools.map(p => ({value: p.name, label: p.name})))),
    ui.field('instance.cores', el('input', {name: 'cores', type: 'number', min: 1, value: defaults.cores ?? ''})),
    ui.field('instance.memoryMiB', el('input', {name: 'memory', type: 'number', min: 16,
      value: defaults.memoryBytes ? Math.round(defaults.memoryBytes / 1048576) : ''})),
    ui.field('instance.image', ui.select('imageId', [{value: '', label: t('instance.noImage')}]
      .concat(images.map(im => ({value: im.id, label: im.name + ' (' + ui.bytes(im.virtualSizeBytes) + ')'}))),
      images.length ? images[0].id : '')),
    ui.field('instance.diskGiB', el('input', {name: 'disk', type: 'number', min: 0, step: 'any', placeholder: t('instance.diskHint')})),
    ui.field('instance.profile', ui.select('profile', profiles.map(p => ({value: p.name, label: p.name + ' – ' + p.description})), defaults.profile)),
    ui.field('instance.cell', ui.select('cellId', [{value: '', label: t('instance.anyCell')}]
      .concat(cells.filter(c => c.poolId).map(c => ({value: c.id, label: c.id + ' (' + c.poolId + ')'}))))),
    addressPools ? ui.field('instance.addressPool', ui.select('addressPoolId', [{value: '', label: t('instance.defaultAddressPool')}]
      .concat(addressPools.map(a => ({value: a.id || a.name, label: a.name}))))) : null,
    addressPools && addressPools.length ? ui.field('instance.address', el('input', {name: 'address', placeholder: t('instance.addressHint')})) : null,
    ui.field('instance.autoStart', el('input', {name: 'autoStart', type: 'checkbox'})),
    ui.field('healing.policy', policySelect('never')),
    ui.field('labels.title', el('input', {name: 'labels', placeholder: t('labels.hint')})),
    el('button#create-submit', {type: 'submit', text: t('instance.create')}));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const disks = [];
    if (form.imageId.value) { disks.push({imageId: form.imageId.value}); }
    if (form.disk.value) { disks.push({sizeBytes: Math.round(Number(form.disk.value) * 1073741824)}); }
    const body = {name: form.name.value, poolId: form.poolId.value, disks, profile: form.profile.value || null,
      cellId: form.cellId.value || null, autoStart: form.autoStart.checked, restartPolicy: form.restartPolicy.value};
    if (form.cores.value !== '') { body.cores = Number(form.cores.value); }
    if (form.memory.value !== '') { body.memoryBytes = Math.round(Number(form.memory.value) * 1048576); }
    if (form.addressPoolId && form.addressPoolId.value) { body.addressPoolId = form.addressPoolId.value; }
    if (form.address && form.address.value.trim()) { body.address = form.address.value.trim(); }
    try {
      body.labels = parseLabels(form.labels.value);
      const task = await api.post('/instances', body);
      ui.clearMessage();
      form.name.value = '';
      await draw();
      const done = await ui.watchTask(task, taskBox);
      ui.showInfo(t(done.state === 'SUCCEEDED' ? 'instance.created' : 'instance.createFailed', {name: body.name}));
    } catch (e) {
      ui.showError(e);
      const input = e.field && form.querySelector('[name="' + ({memoryBytes: 'memory', disks: 'disk'}[e.field] || e.field) + '"]');
      if (input) { input.classList.add('invalid'); input.focus(); }
    }
  });
  return form;
}

export default {
  route: 'instances', nav: 'nav.instances', permission: 'instance.read', navFor: ['instance', 'console'],
  async render(view) {
    body = el('div');
    taskBox = el('div.task-box#task-box');
    list = new PagedList('instance', '/instances');
    filter = filterForm();
    view.append(el('h2', {text: t('nav.instances')}), ui.messages(), taskBox, filter, body,
      el('h3', {text: t('instance.createTitle')}), await createForm());
    await draw();
  },
  refresh: () => draw()
};
