// Instance labels: how they are written in the portal (key=value, separated by spaces or commas), shown (chips) and
// changed on the instance page (PUT /instances/{id}/labels, at once, running or stopped). The Core checks the rules
// and names the field when it refuses one.
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;

function words(text) {
  return (text || '').split(/[\s,]+/).filter(w => w);
}

/** @return the labels written as "k=v k2=v2" as an object; throws an error naming the field `labels` for a bad pair */
export function parseLabels(text) {
  const labels = {};
  for (const pair of words(text)) {
    const eq = pair.indexOf('=');
    if (eq < 1) { throw new api.ApiError(400, 'invalid', t('labels.bad', {pair}), 'labels'); }
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return labels;
}

/** @return the label selectors written as "k=v k2" (a key alone: any value), one per parameter */
export function selectorsOf(text) {
  return words(text);
}

/** @return the labels as text, "k=v k2=v2" (the portal's way to write them) */
export function labelText(labels) {
  return Object.entries(labels || {}).map(([k, v]) => k + '=' + v).join(' ');
}

/** @return the labels as chips, or a dash */
export function labelChips(labels) {
  const entries = Object.entries(labels || {});
  return entries.length ? el('span.labels', null, entries.map(([k, v]) => el('code.label', {text: k + '=' + v})))
    : '–';
}

/** The instance page's labels: the field keeps what the user types until the labels themselves change. */
export function labelsSection(instanceId) {
  const path = '/instances/' + encodeURIComponent(instanceId) + '/labels';
  const input = el('input#instance-labels', {name: 'labels', placeholder: t('labels.hint'), size: 48});
  const box = el('div.labels-edit');
  const element = el('section.labels-section', null, el('h3', {text: t('labels.title')}), box);
  let drawn = null;

  function refresh(i) {
    const text = labelText(i.spec.labels);
    if (text === drawn) { return; }
    drawn = text;
    input.value = text;
    input.disabled = !api.may('instance.write');
    box.replaceChildren(...[ui.field('labels.title', input), api.may('instance.write')
      ? ui.button('labels.apply', async () => {
        input.classList.remove('invalid');
        try {
          const changed = await api.put(path, {labels: parseLabels(input.value)});
          drawn = null;
          refresh(changed);
          ui.showInfo(t('labels.applied', {name: changed.spec.name, labels: drawn || '–'}));
        } catch (e) {
          input.classList.add('invalid');
          input.focus();
          throw e;
        }
      }, {id: 'apply-labels'}) : null,
      text ? null : el('p.hint', {text: t('labels.none')})].filter(Boolean));
  }

  return {element, refresh};
}
