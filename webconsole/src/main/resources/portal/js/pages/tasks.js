import * as api from '../api.js';
import {t, tOr} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;
let body = null;
const open = new Set();

function steps(task) {
  const d = el('details', {open: open.has(task.id)}, el('summary', {text: t('task.steps', {n: task.steps.length})}),
    el('ol', null, task.steps.map(s => el('li', null, s.name + ' ', ui.state('stepState', s.state)))));
  d.addEventListener('toggle', () => { if (d.open) { open.add(task.id); } else { open.delete(task.id); } });
  return d;
}

/** A task whose rollback failed holds resources until an operator retries it: said first, with the retry. */
function rollbackFailed(tasks) {
  const stuck = tasks.filter(k => k.state === 'ROLLBACK_FAILED');
  return stuck.length ? el('p.error.rollback-failed', {text: t('task.rollbackFailedBanner', {n: stuck.length})}) : '';
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
  const tasks = await api.get('/tasks');
  const ordered = tasks.filter(k => k.state === 'ROLLBACK_FAILED')
    .concat(tasks.filter(k => k.state !== 'ROLLBACK_FAILED'));
  body.replaceChildren(rollbackFailed(tasks), ui.table([
    {key: 'task.task', cell: k => tOr('task.name.' + k.name, k.name)},
    {key: 'task.state', cell: k => ui.state('taskState', k.state)},
    {key: 'task.progress', cell: k => ui.bar(k.progress, k.progress + ' %')},
    {key: 'task.message', cell: k => k.error ? el('span.error', {text: k.error}) : k.message},
    {key: 'task.user', cell: k => k.user},
    {key: 'task.created', cell: k => ui.time(k.createdAt)},
    {key: 'task.stepsTitle', cell: k => steps(k)},
    {key: '', cell: k => actions(k)}
  ], ordered.slice(0, 100), k => ({dataset: {task: k.id}})));
}

export default {
  route: 'tasks', nav: 'nav.tasks', permission: 'task.read',
  async render(view) {
    body = el('div');
    view.append(el('h2', {text: t('nav.tasks')}), ui.messages(), body);
    await draw();
  },
  refresh: () => draw()
};
