// First-run page: the Core says passwordChangeRequired on POST /sessions (e.g. the generated admin password);
// the user must choose a new password before anything else. Also reachable at #/password any time (the link on
// the user's name), where it also manages the user's SSH public keys for the shell.
import * as api from '../api.js';
import {t} from '../i18n.js';
import {el, field} from '../ui.js';

export default {
  route: 'password',
  async render(view, ctx) {
    const error = el('p.messages.error#password-error', {role: 'alert'});
    const form = el('form.card#password-form', null,
      el('h2', {text: t('password.title')}),
      api.session.passwordChangeRequired ? el('p', {text: t('password.required')}) : null,
      field('password.current', el('input', {name: 'current', type: 'password', autocomplete: 'current-password', required: true})),
      field('password.new', el('input', {name: 'next', type: 'password', autocomplete: 'new-password', required: true, minlength: 8})),
      field('password.confirm', el('input', {name: 'confirm', type: 'password', autocomplete: 'new-password', required: true})),
      el('button', {type: 'submit', text: t('password.submit')}),
      error);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (form.next.value !== form.confirm.value) { error.textContent = t('password.mismatch'); return; }
      try {
        await api.post('/users/' + encodeURIComponent(api.session.user) + '/password',
          {currentPassword: form.current.value, newPassword: form.next.value});
        api.saveSession(Object.assign({}, api.session, {passwordChangeRequired: false}));
        ctx.go('dashboard');
        ctx.refresh();
      } catch (e) {
        error.textContent = e.status === 404 ? t('password.unsupported') : e.message;
      }
    });
    view.append(form);
    if (!api.session.passwordChangeRequired) {
      view.append(await sshKeys());
    }
  }
};

/** {@code type AAAA…last16 comment}: enough to tell keys apart. */
function abbreviated(line) {
  const [type, blob = '', ...comment] = line.split(' ');
  const short = blob.length > 28 ? blob.slice(0, 12) + '…' + blob.slice(-16) : blob;
  return [type, short, ...comment].join(' ');
}

/** The signed-in user's SSH public keys: listed, added one at a time, removed. */
async function sshKeys() {
  const user = encodeURIComponent(api.session.user);
  const card = el('section.card#sshkeys', null, el('h2', {text: t('sshkeys.title')}), el('p.hint', {text: t('sshkeys.hint')}));
  const list = el('div#sshkeys-list');
  const error = el('p.messages.error#sshkeys-error', {role: 'alert'});
  const input = el('textarea', {name: 'key', rows: 3, cols: 60, placeholder: 'ecdsa-sha2-nistp256 AAAA… me@laptop'});
  let keys = [];
  const save = async (next) => {
    error.textContent = '';
    try {
      keys = (await api.put('/users/' + user + '/ssh-keys', {keys: next})).keys;
      input.value = '';
      show();
    } catch (e) {
      error.textContent = e.message + (e.field ? ' [' + e.field + ']' : '');
    }
  };
  const show = () => list.replaceChildren(keys.length === 0 ? el('p', {text: t('sshkeys.none')})
    : el('ol', null, keys.map((k, i) => el('li', {dataset: {key: String(i + 1)}}, el('code', {text: abbreviated(k)}), ' ',
      el('button', {type: 'button', text: t('sshkeys.remove'), onclick: () => save(keys.filter((_, j) => j !== i))})))));
  try {
    keys = (await api.get('/users/' + user + '/ssh-keys')).keys;
  } catch (e) {
    error.textContent = e.message;
  }
  show();
  const add = el('button', {type: 'button', text: t('sshkeys.add')});
  add.addEventListener('click', () => save(keys.concat([input.value.trim()])));
  card.append(list, field('sshkeys.new', input), add, error);
  return card;
}
