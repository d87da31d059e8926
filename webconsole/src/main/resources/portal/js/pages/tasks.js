// Tasks: newest first in pages (PagedList), filtered by state; tasks whose rollback failed are announced first,
// with their retry.
import * as api from '../api.js';
import {t, tOr} from '../i18n.js';
import * as ui from '../ui.js';
import {PagedList} from '../paging.js';

const {el} = ui;
const STATES = ['queued', 'running', 'rolling_back', 'succeeded', 'failed', 'rollback_failed'];
let body = null;
let filter = null;
let list = null;
const open = new Set();

function steps(task) {
  const d = el('details', {open: open.has(task.id)}, el('summary', {text: t('task.steps', {n: task.steps.length})}),
    el('ol', null, task.steps.map(s => el('li', null, s.name + ' ', ui.state('stepState', s.state)))));
  d.addEventListener('toggle', () => { if (d.open) { open.add(task.id); } else { open.delete(task.id); } });
  return d;
}

/** Tasks whose rollback failed hold resources until an operator retries them: said first, on every page. */
function rollbackFailed(count) {
  if (!count) { return ''; }
  return el('p.error.rollback-failed', null, t('task.rollbackFailedBanner', {n: count}) + ' ',
    filter.state.value === 'rollback_failed' ? null : ui.button('task.showRollbackFailed', async () => {
      filter.state.value = 'rollback_failed';
      list.reset();
      await draw();
    }, {id: 'task-show-rollback-failed'}));
}

function actions(task) {
  if (task.state !== 'ROLLBACK_FAILED' || !api.may('task.rollback')) { return ''; }
  return ui.button('task.retryRollback', async () => {
    await api.post('/tasks/' + encodeURIComponent(task.id) + '/retry-rollback');
    ui.showInfo(t('task.rollbackRetried'));
    await draw();
  }, {dataset: {action: 'retry-rollback'}});
}

async function draw() {
  const [stuck, tasks] = await Promise.all([api.page('/tasks?state=rollback_failed&limit=1&total=true'),
    list.load({state: filter.state.value})]);
  body.replaceChildren(rollbackFailed(stuck.total), ui.table([
    {key: 'task.task', cell: k => tOr('task.name.' + k.name, k.name)},
    {key: 'task.state', cell: k => ui.state('taskState', k.state)},
    {key: 'task.progress', cell: k => ui.bar(k.progress, k.progress + ' %')},
    {key: 'task.message', cell: k => k.error ? el('span.error', {text: k.error}) : k.message},
    {key: 'task.user', cell: k => k.user},
    {key: 'task.created', cell: k => ui.time(k.createdAt)},
    {key: 'task.stepsTitle', cell: k => steps(k)},
    {key: '', cell: k => actions(k)}
  ], tasks, k => ({dataset: {task: k.id, state: k.state.toLowerCase()}})), list.controls(draw));
}

function filterForm() {
  return list.filters('task-filter', [ui.field('task.state', ui.select('state', [{value: '', label: t('list.any')}]
    .concat(STATES.map(s => ({value: s, label: t('taskState.' + s)}))), ''))], draw);
}

export default {
  route: 'tasks', nav: 'nav.tasks', permission: 'task.read',
  async render(view) {
    body = el('div');
    list = new PagedList('task', '/tasks');
    filter = filterForm();
    view.append(el('h2', {text: t('nav.tasks')}), ui.messages(), filter, body);
    await draw();
  },
  refresh: () => draw()
};
