// Roles: built-in roles (read-only) and custom roles made from the permission catalogue (create, delete).
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';
import {fieldError, created} from './users.js';

const {el} = ui;
let body = null;

async function draw() {
  const roles = await api.get('/roles');
  const write = api.may('role.write');
  body.replaceChildren(ui.table([
    {key: 'role.name', cell: r => r.name},
    {key: 'role.kind', cell: r => t(r.builtIn ? 'role.builtIn' : 'role.custom')},
    {key: 'role.description', cell: r => r.description},
    {key: 'role.permissions', cell: r => el('span.perms', {text: [...(r.permissions || [])].sort().join(', ')})},
    {key: '', cell: r => write && !r.builtIn ? ui.button('common.delete', async () => {
      if (!confirm(t('role.confirmDelete', {name: r.name}))) { return; }
      await api.del('/roles/' + encodeURIComponent(r.name));
      ui.showInfo(t('role.deleted', {name: r.name}));
      await draw();
    }, {dataset: {action: 'delete'}}) : null}
  ], roles, r => ({dataset: {role: r.name}})));
}

async function createForm() {
  const catalogue = await api.get('/permissions');
  const form = el('form.grid#role-create', {novalidate: true},
    ui.field('role.name', el('input', {name: 'name', autocomplete: 'off'})),
    ui.field('role.description', el('input', {name: 'description'})),
    el('fieldset.perm-list', {name: 'permissions'}, el('legend', {text: t('role.permissions')}),
      Object.entries(catalogue).sort().map(([p, d]) => el('label.check', {title: d},
        el('input', {type: 'checkbox', name: 'perm', value: p}), p + ' – ' + d))),
    el('button#role-submit', {type: 'submit', text: t('role.create')}));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const permissions = [...form.querySelectorAll('input[name="perm"]:checked')].map(i => i.value);
    try {
      await api.post('/roles', {name: form.name.value, description: form.description.value || null, permissions});
      await created(form, t('role.created', {name: form.name.value}), draw);
    } catch (e) { fieldError(form, e); }
  });
  return form;
}

export default {
  route: 'roles', nav: 'nav.roles', permission: 'role.read',
  async render(view) {
    body = el('div#roles');
    view.append(el('h2', {text: t('nav.roles')}), el('p.hint', {text: t('role.hint')}), ui.messages(), body,
      api.may('role.write') ? el('h3', {text: t('role.createTitle')}) : null,
      api.may('role.write') ? await createForm() : null);
    await draw();
  }
};
