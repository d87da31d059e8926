// The snapshots section of the instance page: the tree (parents first, children indented), take, revert, delete.
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;

/** A section for one instance; `refresh()` redraws it, `taskBox` shows the tasks it starts. */
export function snapshotsSection(instanceId, taskBox, afterChange) {
  const root = el('section.snapshots#snapshots');
  const list = el('div');
  const name = el('input', {name: 'snapshotName', placeholder: t('snapshots.namePlaceholder'), pattern: '[A-Za-z0-9][A-Za-z0-9._-]{0,63}'});
  const description = el('input', {name: 'snapshotDescription', placeholder: t('snapshots.descriptionPlaceholder')});
  const path = '/instances/' + encodeURIComponent(instanceId) + '/snapshots';

  async function run(request) {
    const task = await request;
    const done = await ui.watchTask(task, taskBox);
    if (done.state === 'FAILED') { ui.showError({message: done.error}); }
    await refresh();
    if (afterChange) { await afterChange(); }
  }

  async function refresh() {
    if (ui.busy(root)) { return; }
    // quietly empty while the instance is being created or deleted (the list is asked of its cell)
    const snapshots = await api.get(path).catch(() => []);
    const depth = {};
    list.replaceChildren(ui.table([
      {key: 'snapshots.name', cell: s => {
        depth[s.name] = s.parentId && depth[s.parentId] !== undefined ? depth[s.parentId] + 1 : 0;
        return el('span', {style: 'padding-left:' + (depth[s.name] * 1.5) + 'em', dataset: {snapshot: s.name}},
          (depth[s.name] ? '└ ' : '') + s.name, s.current ? el('span.badge', {text: ' ' + t('snapshots.current')}) : '');
      }},
      {key: 'snapshots.state', cell: s => t('snapshots.taken.' + s.instanceState)},
      {key: 'snapshots.created', cell: s => ui.time(s.createdAt)},
      {key: 'snapshots.description', cell: s => s.description || ''},
      {key: null, cell: s => api.may('instance.operate') ? el('span.actions', null,
        ui.button('snapshots.revert', () => {
          if (confirm(t('snapshots.confirmRevert', {name: s.name}))) { return run(api.post(path + '/' + encodeURIComponent(s.name) + '/revert')); }
        }, {dataset: {revert: s.name}}),
        ui.button('snapshots.delete', () => {
          if (confirm(t('snapshots.confirmDelete', {name: s.name}))) { return run(api.del(path + '/' + encodeURIComponent(s.name))); }
        }, {dataset: {deleteSnapshot: s.name}})) : null}
    ], snapshots));
  }

  root.append(el('h3', {text: t('snapshots.title')}), el('p.hint', {text: t('snapshots.hint')}), list);
  if (api.may('instance.operate')) {
    root.append(el('form.inline', null, ui.field('snapshots.name', name), ui.field('snapshots.description', description),
      ui.button('snapshots.take', () => run(api.post(path, {name: name.value, description: description.value || null}))
        .then(() => { name.value = ''; description.value = ''; }), {id: 'take-snapshot'})));
  }
  return {element: root, refresh};
}
