// First-run page: the Core says passwordChangeRequired on POST /sessions (e.g. the generated admin password);
// the user must choose a new password before anything else. Also reachable at #/password any time.
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
  }
};
