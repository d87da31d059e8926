import * as api from '../api.js';
import {t} from '../i18n.js';
import {el, field} from '../ui.js';

export default {
  route: 'signin',
  async render(view, ctx) {
    const error = el('p.messages.error#signin-error', {role: 'alert'});
    const form = el('form.card#signin-form', null,
      el('h2', {text: t('signin.title')}),
      field('signin.user', el('input#signin-user', {name: 'user', autocomplete: 'username', required: true})),
      field('signin.password', el('input#signin-password', {name: 'password', type: 'password',
        autocomplete: 'current-password', required: true})),
      el('button#signin-submit', {type: 'submit', text: t('signin.submit')}),
      error);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const s = await api.post('/sessions', {user: form.user.value, password: form.password.value});
        api.saveSession({token: s.token, user: s.user, expiresAt: s.expiresAt, roles: s.roles,
          permissions: s.permissions, passwordChangeRequired: !!s.passwordChangeRequired});
        ctx.go(s.passwordChangeRequired ? 'password' : 'dashboard');
        ctx.refresh();
      } catch (e) {
        error.textContent = e.status === 401 ? t('signin.failed') : e.message;
      }
    });
    view.append(form);
    form.user.focus();
  }
};
