// The portal shell: language, session, navigation and the page router. Each page is its own module in
// pages/ (listed in pages/index.js) with render(view, ctx) and optional refresh() / leave().
import * as i18n from './i18n.js';
import * as api from './api.js';
import {el} from './ui.js';
import {pages, signin, password} from './pages/index.js';

const view = document.getElementById('view');
const REFRESH_MS = 2000;
let current = null;
let currentArg = null;
let timer = null;

function route() {
  const [, name = '', ...rest] = (location.hash || '#/').split('/');
  return {name: decodeURIComponent(name), arg: rest.length ? decodeURIComponent(rest.join('/')) : null};
}

export function go(name, arg) {
  location.hash = '#/' + encodeURIComponent(name) + (arg ? '/' + encodeURIComponent(arg) : '');
}

function pick(name) {
  if (!api.signedIn()) { return signin; }
  if (api.session.passwordChangeRequired && name !== 'password') { return password; }
  if (name === 'password') { return password; }
  return pages.find(p => p.route === name) || pages[0];
}

function renderChrome() {
  i18n.translate(document.body);
  document.title = i18n.t('app.title');
  const nav = document.getElementById('nav');
  const r = route();
  nav.replaceChildren(...(api.signedIn() && !api.session.passwordChangeRequired
    ? pages.filter(p => p.nav && (!p.permission || api.may(p.permission))).map(p =>
      el('a', {href: '#/' + p.route, text: i18n.t(p.nav), class: (p.route === r.name || (p.navFor || []).includes(r.name)) ? 'active' : null}))
    : []));
  // the user's name leads to the own-password page
  document.getElementById('who').replaceChildren(api.signedIn()
    ? el('a#who-link', {href: '#/password', text: api.session.user, title: i18n.t('password.title')}) : '');
  document.getElementById('signout').hidden = !api.signedIn();
  const lang = document.getElementById('lang');
  if (!lang.options.length) {
    for (const l of i18n.LANGUAGES) { lang.append(el('option', {value: l, text: i18n.languageName(l)})); }
  }
  lang.value = i18n.language();
  lang.setAttribute('aria-label', i18n.t('app.language'));
}

async function show() {
  const r = route();
  const page = pick(r.name);
  if (current && current.leave) { current.leave(); }
  current = page; currentArg = r.arg;
  renderChrome();
  view.replaceChildren();
  view.dataset.page = page.route;
  try {
    await page.render(view, {arg: r.arg, go, refresh: show});
  } catch (e) {
    view.append(el('p.messages.error', {text: e.message}));
  }
}

async function tick() {
  if (current && current.refresh && api.signedIn() && !document.hidden) {
    try { await current.refresh(); } catch (e) { /* the next tick tries again; pages show their own errors */ }
  }
}

async function start() {
  await i18n.loadAll();
  await i18n.use(i18n.preferred());
  document.getElementById('lang').addEventListener('change', async (ev) => {
    await i18n.use(ev.target.value);
    // the page is drawn again in the new language; forms keep nothing important across a switch
    if (current && current.relabel) { renderChrome(); current.relabel(); } else { show(); }
  });
  document.getElementById('signout').addEventListener('click', async () => {
    try { await api.del('/sessions'); } catch (e) { /* signed out anyway */ }
    api.clearSession(); go('signin');
    show();
  });
  api.whenSignedOut(() => show());
  window.addEventListener('hashchange', show);
  timer = setInterval(tick, REFRESH_MS);
  show();
}

start();
