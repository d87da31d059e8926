// The operation log: who did what, newest first, filtered by time range, user, resource and outcome, in pages
// (PagedList: the cursor holds an entry's place in the log, so paging back never repeats or skips an entry).
import {t} from '../i18n.js';
import * as ui from '../ui.js';
import {PagedList} from '../paging.js';
import {fieldError} from './users.js';

const {el} = ui;
let body = null;
let form = null;
let list = null;

const iso = (v) => (v ? new Date(v).toISOString() : '');

async function draw() {
  const rows = await list.load({from: iso(form.from.value), to: iso(form.to.value), user: form.user.value.trim(),
    resource: form.resource.value.trim(), outcome: form.outcome.value});
  body.replaceChildren(ui.table([
    {key: 'oplog.time', cell: r => ui.time(r.time)},
    {key: 'oplog.user', cell: r => r.user},
    {key: 'oplog.address', cell: r => r.address},
    {key: 'oplog.source', cell: r => r.source},
    {key: 'oplog.action', cell: r => r.action},
    {key: 'oplog.resource', cell: r => r.resource},
    {key: 'oplog.outcome', cell: r => el('span.state.outcome-' + r.outcome, {text: t('oplog.outcome.' + r.outcome), dataset: {outcome: r.outcome}})},
    {key: 'oplog.status', cell: r => r.status},
    {key: 'oplog.task', cell: r => r.taskId},
    {key: 'oplog.detail', cell: r => r.detail}
  ], rows, r => ({dataset: {action: r.action, outcome: r.outcome, user: r.user || ''}})), list.controls(draw));
}

export default {
  route: 'oplog', nav: 'nav.oplog', permission: 'oplog.read',
  async render(view) {
    body = el('div#oplog');
    list = new PagedList('oplog', '/operation-log', 100);
    form = el('form.filters#oplog-filter', {novalidate: true},
      ui.field('oplog.from', el('input', {name: 'from', type: 'datetime-local', step: 1})),
      ui.field('oplog.to', el('input', {name: 'to', type: 'datetime-local', step: 1})),
      ui.field('oplog.user', el('input', {name: 'user'})),
      ui.field('oplog.resource', el('input', {name: 'resource', placeholder: t('oplog.resourceHint')})),
      ui.field('oplog.outcome', ui.select('outcome', [{value: '', label: t('oplog.any')}]
        .concat(['success', 'denied', 'failed'].map(o => ({value: o, label: t('oplog.outcome.' + o)}))), '')),
      el('button#oplog-submit', {type: 'submit', text: t('oplog.apply')}));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      list.reset();
      try { ui.clearMessage(); await draw(); } catch (e) { fieldError(form, e); }
    });
    view.append(el('h2', {text: t('nav.oplog')}), ui.messages(), form, body);
    await draw();
  }
};
