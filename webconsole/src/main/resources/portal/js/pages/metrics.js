// Metrics: what GET /api/v1/metrics serves to Prometheus (the Prometheus text format), read now and shown as a
// table of series — metric, labels, value — narrowed by a text filter; the help text of each metric as its tooltip.
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;
const SAMPLE = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{.*\})?\s+(\S+)/;
const MAX_ROWS = 500;
let body = null;
let filter = null;

/** @return the series of a scrape: {name, labels, value}, and each metric's help text */
export function parseMetrics(text) {
  const series = [];
  const help = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('# HELP ')) {
      const rest = line.slice(7);
      const space = rest.indexOf(' ');
      help[rest.slice(0, space)] = rest.slice(space + 1);
    } else if (line && !line.startsWith('#')) {
      const m = line.match(SAMPLE);
      if (m) { series.push({name: m[1], labels: m[2] ? m[2].slice(1, -1) : '', value: m[3]}); }
    }
  }
  return {series, help};
}

function helpOf(help, name) {
  const base = name.replace(/_(bucket|count|sum|total|created)$/, '');
  return help[name] || help[base] || '';
}

async function draw() {
  const {series, help} = parseMetrics(await api.get('/metrics'));
  const wanted = filter.match.value.trim();
  const shown = series.filter(s => !wanted || (s.name + '{' + s.labels + '}').includes(wanted));
  body.replaceChildren(
    el('p.hint#metrics-count', {text: t('metrics.shown', {shown: Math.min(shown.length, MAX_ROWS), total: series.length})}),
    ui.table([
      {key: 'metrics.name', cell: s => el('code', {text: s.name, title: helpOf(help, s.name)})},
      {key: 'metrics.labels', cell: s => s.labels || '–'},
      {key: 'metrics.value', cell: s => s.value}
    ], shown.slice(0, MAX_ROWS), s => ({dataset: {metric: s.name}})));
}

export default {
  route: 'metrics', nav: 'nav.metrics', permission: 'metrics.read',
  async render(view) {
    body = el('div#metrics');
    filter = el('form.filters#metrics-filter', {novalidate: true},
      ui.field('metrics.filter', el('input', {name: 'match', value: 'skiff_', placeholder: 'skiff_instances'})),
      el('button#metrics-filter-submit', {type: 'submit', text: t('list.apply')}));
    filter.addEventListener('submit', async (ev) => { ev.preventDefault(); await draw(); });
    view.append(el('h2', {text: t('nav.metrics')}), ui.messages(), el('p.hint', {text: t('metrics.hint')}), filter,
      body);
    await draw();
  }
};
