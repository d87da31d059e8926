// Users: the list, create (name, password, roles, group), modify (roles, group, enabled, quota), delete and
// password change for others (admin) — one's own password is on the password page. API errors name the field.
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;
let body = null;
let editBox = null;

/** The quota inputs (empty = unlimited) of a form, prefilled from a quota. */
export function quotaFields(q) {
  q = q || {};
  const n = (name, v) => el('input', {name, type: 'number', min: 0, value: v === null || v === undefined ? '' : v,
    placeholder: t('quota.unlimited')});
  return [ui.field('quota.instances', n('qInstances', q.instances)), ui.field('quota.cores', n('qCores', q.cores)),
    ui.field('quota.memoryMiB', n('qMemory', q.memoryMiB)), ui.field('quota.diskGiB', n('qDisk', q.diskGiB))];
}

export function quotaOf(form) {
  const v = (i) => (i.value === '' ? null : Number(i.value));
  return {instances: v(form.qInstances), cores: v(form.qCores), memoryMiB: v(form.qMemory), diskGiB: v(form.qDisk)};
}

export function quotaText(q) {
  if (!q || (q.instances == null && q.cores == null && q.memoryMiB == null && q.diskGiB == null)) { return t('quota.unlimited'); }
  return t('quota.text', {instances: q.instances ?? '∞', cores: q.cores ?? '∞', memory: q.memoryMiB ?? '∞', disk: q.diskGiB ?? '∞'});
}

/** Removes the marks of an earlier error from a form. */
export function clearInvalid(form) { form.querySelectorAll('.invalid').forEach(i => i.classList.remove('invalid')); }

/** After a create form's resource was made: says so, empties the form and its error marks, and redraws the page. */
export async function created(form, message, draw) {
  ui.showInfo(message);
  form.reset();
  clearInvalid(form);
  await draw();
}

/** Marks the input the API's error names (field), and shows the message. */
export function fieldError(form, e, aliases) {
  ui.showError(e);
  clearInvalid(form);
  const name = e && e.field ? ((aliases || {})[e.field.split('.')[0]] || e.field.split('.')[0]) : null;
  const input = name && form.querySelector('[name="' + name + '"]');
  if (input) { input.classList.add('invalid'); input.focus(); }
}

function roleChecks(roles, chosen) {
  return el('span.checks', null, roles.map(r => el('label.check', null,
    el('input', {type: 'checkbox', name: 'roles', value: r.name, checked: (chosen || []).includes(r.name)}), r.name)));
}

const chosenRoles = (form) => [...form.querySelectorAll('input[name="roles"]:checked')].map(i => i.value);

async function lists() {
  const [roles, groups] = await Promise.all([api.get('/roles').catch(() => []), api.get('/groups').catch(() => [])]);
  return {roles, groups};
}

function groupSelect(groups, value) {
  return ui.select('group', [{value: '', label: t('user.noGroup')}].concat(groups.map(g => ({value: g.name, label: g.name}))), value || '');
}

async function edit(u) {
  const {roles, groups} = await lists();
  const form = el('form.grid#user-edit', {dataset: {user: u.name}},
    el('h3', {text: t('user.editTitle', {name: u.name})}),
    ui.field('user.displayName', el('input', {name: 'displayName', value: u.displayName || ''})),
    ui.field('user.group', groupSelect(groups, u.group)),
    ui.field('user.roles', roleChecks(roles, u.roles)),
    ui.field('user.enabled', el('input', {name: 'enabled', type: 'checkbox', checked: u.enabled})),
    ...quotaFields(u.quota),
    el('button#user-save', {type: 'submit', text: t('common.save')}));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api.put('/users/' + encodeURIComponent(u.name), {displayName: form.displayName.value, group: form.group.value,
        roles: chosenRoles(form), enabled: form.enabled.checked, quota: quotaOf(form)});
      ui.showInfo(t('user.saved', {name: u.name}));
      editBox.replaceChildren();
      await draw();
    } catch (e) { fieldError(form, e); }
  });
  const pw = el('form.grid#user-password', null,
    el('h3', {text: t('user.setPassword')}),
    ui.field('password.new', el('input', {name: 'newPassword', type: 'password', autocomplete: 'new-password'})),
    el('button', {type: 'submit', text: t('password.submit')}));
  pw.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api.post('/users/' + encodeURIComponent(u.name) + '/password', {newPassword: pw.newPassword.value});
      pw.newPassword.value = '';
      ui.showInfo(t('user.passwordSet', {name: u.name}));
    } catch (e) { fieldError(pw, e); }
  });
  editBox.replaceChildren(form, pw);
}

async function draw() {
  const users = await api.get('/users');
  const write = api.may('user.write');
  body.replaceChildren(ui.table([
    {key: 'user.name', cell: u => u.name},
    {key: 'user.displayName', cell: u => u.displayName},
    {key: 'user.group', cell: u => u.group},
    {key: 'user.roles', cell: u => (u.roles || []).join(', ')},
    {key: 'user.enabled', cell: u => t(u.enabled ? 'common.yes' : 'common.no')},
    {key: 'user.quota', cell: u => quotaText(u.quota)},
    {key: 'user.created', cell: u => ui.time(u.createdAt)},
    {key: '', cell: u => write ? el('span.actions', null,
      ui.button('common.edit', () => edit(u), {dataset: {action: 'edit'}}),
      ui.button('common.delete', async () => {
        if (!confirm(t('user.confirmDelete', {name: u.name}))) { return; }
        await api.del('/users/' + encodeURIComponent(u.name));
        ui.showInfo(t('user.deleted', {name: u.name}));
        await draw();
      }, {dataset: {action: 'delete'}, disabled: u.name === api.session.user})) : null}
  ], users, u => ({dataset: {user: u.name}})));
}

async function createForm() {
  const {roles, groups} = await lists();
  const form = el('form.grid#user-create', {novalidate: true},
    ui.field('user.name', el('input', {name: 'name', autocomplete: 'off'})),
    ui.field('user.displayName', el('input', {name: 'displayName'})),
    ui.field('user.password', el('input', {name: 'password', type: 'password', autocomplete: 'new-password'})),
    ui.field('user.group', groupSelect(groups, '')),
    ui.field('user.roles', roleChecks(roles, ['user'])),
    ...quotaFields(null),
    el('button#user-submit', {type: 'submit', text: t('user.create')}));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const b = {name: form.name.value, displayName: form.displayName.value || null, password: form.password.value,
      group: form.group.value || null, roles: chosenRoles(form), quota: quotaOf(form)};
    try {
      await api.post('/users', b);
      await created(form, t('user.createdOk', {name: b.name}), draw);
    } catch (e) { fieldError(form, e); }
  });
  return form;
}

export default {
  route: 'users', nav: 'nav.users', permission: 'user.read',
  async render(view) {
    body = el('div#users');
    editBox = el('div#user-edit-box');
    view.append(el('h2', {text: t('nav.users')}), ui.messages(), body, editBox,
      api.may('user.write') ? el('h3', {text: t('user.createTitle')}) : null,
      api.may('user.write') ? await createForm() : null);
    await draw();
  }
};
