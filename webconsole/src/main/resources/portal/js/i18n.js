// Message bundles: i18n/<lang>.json, one per language. Pages never hold text; they ask t('key').
export const LANGUAGES = ['en', 'zh'];
const bundles = {};
let current = 'en';

async function fetchBundle(lang) {
  if (!bundles[lang]) {
    const res = await fetch('i18n/' + lang + '.json');
    bundles[lang] = await res.json();
  }
  return bundles[lang];
}

/** Loads the language's bundle (English stays loaded as the fallback) and makes it current. */
export async function use(lang) {
  if (!LANGUAGES.includes(lang)) { lang = 'en'; }
  await Promise.all([fetchBundle('en'), fetchBundle(lang)]);
  current = lang;
  localStorage.setItem('skiff.lang', lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  return lang;
}

export function language() { return current; }

/** The saved language, else the browser's first preference we have, else English. */
export function preferred() {
  const saved = localStorage.getItem('skiff.lang');
  if (saved && LANGUAGES.includes(saved)) { return saved; }
  const browser = (navigator.language || 'en').slice(0, 2).toLowerCase();
  return LANGUAGES.includes(browser) ? browser : 'en';
}

/** The message for a key, with {name} placeholders filled from params. */
export function t(key, params) {
  let text = (bundles[current] && bundles[current][key]) ?? (bundles.en && bundles.en[key]) ?? key;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (m, name) => (params[name] ?? m));
  }
  return text;
}

/** The language's own name, from its bundle. */
export function languageName(lang) {
  return (bundles[lang] && bundles[lang]['lang.name']) || lang;
}

export async function loadAll() {
  await Promise.all(LANGUAGES.map(fetchBundle));
}

/** Fills elements marked data-i18n (text), data-i18n-placeholder and data-i18n-title below root. */
export function translate(root) {
  root.querySelectorAll('[data-i18n]').forEach(e => { e.textContent = t(e.dataset.i18n); });
  root.querySelectorAll('[data-i18n-placeholder]').forEach(e => { e.placeholder = t(e.dataset.i18nPlaceholder); });
  root.querySelectorAll('[data-i18n-title]').forEach(e => { e.title = t(e.dataset.i18nTitle); });
}

/** The message for a key, or the fallback text when no bundle has the key (e.g. a task kind added later). */
export function tOr(key, fallback, params) {
  const known = (bundles[current] && key in bundles[current]) || (bundles.en && key in bundles.en);
  return known ? t(key, params) : fallback;
}
