// Groups: the list, create, modify (description, parent, shareResources, quota) and delete.
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';
import {quotaFields, quotaOf, quotaText, fieldError, created} from './users.js';

const {el} = ui;
let body = null;
let editBox = null;

function parentSelect(groups, value, self) {
  return ui.select('parent', [{value: '', label: t('group.noParent')}]
    .concat(groups.filter(g => g.name !== self).map(g => ({value: g.name, label: g.name}))), value || '');
}

function form(id, g, groups, submitKey) {
  return el('form.grid#' + id, {novalidate: true},
    g ? el('h3', {text: t('group.editTitle', {name: g.name})}) : ui.field('group.name', el('input', {name: 'name', autocomplete: 'off'})),
    ui.field('group.description', el('input', {name: 'description', value: g ? g.description || '' : ''})),
    ui.field('group.parent', parentSelect(groups, g ? g.parent : '', g ? g.name : null)),
    ui.field('group.shareResources', el('input', {name: 'shareResources', type: 'checkbox', checked: g ? g.shareResources : false})),
    ...quotaFields(g ? g.quota : null),
    el('button#' + id + '-submit', {type: 'submit', text: t(submitKey)}));
}

const bodyOf = (f) => ({description: f.description.value || null, parent: f.parent.value || null,
  shareResources: f.shareResources.checked, quota: quotaOf(f)});

async function edit(g) {
  const groups = await api.get('/groups');
  const f = form('group-edit', g, groups, 'common.save');
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api.put('/groups/' + encodeURIComponent(g.name), Object.assign({name: g.name}, bodyOf(f)));
      ui.showInfo(t('group.saved', {name: g.name}));
      editBox.replaceChildren();
      await draw();
    } catch (e) { fieldError(f, e); }
  });
  editBox.replaceChildren(f);
}

async function draw() {
  const groups = await api.get('/groups');
  const write = api.may('group.write');
  body.replaceChildren(ui.table([
    {key: 'group.name', cell: g => g.name},
    {key: 'group.description', cell: g => g.description},
    {key: 'group.parent', cell: g => g.parent},
    {key: 'group.shareResources', cell: g => t(g.shareResources ? 'common.yes' : 'common.no')},
    {key: 'user.quota', cell: g => quotaText(g.quota)},
    {key: '', cell: g => write ? el('span.actions', null,
      ui.button('common.edit', () => edit(g), {dataset: {action: 'edit'}}),
      ui.button('common.delete', async () => {
        if (!confirm(t('group.confirmDelete', {name: g.name}))) { return; }
        await api.del('/groups/' + encodeURIComponent(g.name));
        ui.showInfo(t('group.deleted', {name: g.name}));
        await draw();
      }, {dataset: {action: 'delete'}})) : null}
  ], groups, g => ({dataset: {group: g.name}})));
  return groups;
}

export default {
  route: 'groups', nav: 'nav.groups', permission: 'group.read',
  async render(view) {
    body = el('div#groups');
    editBox = el('div#group-edit-box');
    view.append(el('h2', {text: t('nav.groups')}), ui.messages(), body, editBox);
    const groups = await draw();
    if (api.may('group.write')) {
      const f = form('group-create', null, groups, 'group.create');
      f.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const name = f.name.value;
        try {
          await api.post('/groups', Object.assign({name}, bodyOf(f)));
          await created(f, t('group.created', {name}), draw);
        } catch (e) { fieldError(f, e); }
      });
      view.append(el('h3', {text: t('group.createTitle')}), f);
    }
  }
};
