// The QoS section of the instance page: CPU priority, disk and network limits; the answer says what the running
// guest got at once and what waits for its next start.
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;
const LIMITS = ['diskReadIops', 'diskWriteIops', 'diskReadBytesPerSecond', 'diskWriteBytesPerSecond',
  'netRxKiBPerSecond', 'netTxKiBPerSecond'];

export function qosSection(instance) {
  const root = el('section.qos#qos');
  const q = instance.spec.qos || {cpuPriority: 'medium'};
  const outcome = el('div.qos-outcome');
  const cpu = ui.select('cpuPriority', ['high', 'medium', 'low'].map(p => ({value: p, label: t('qos.priority.' + p)})),
    q.cpuPriority || 'medium');
  const inputs = {};
  for (const k of LIMITS) {
    inputs[k] = el('input', {name: k, type: 'number', min: '0', value: q[k] === null || q[k] === undefined ? '' : String(q[k]),
      placeholder: t('qos.unlimited')});
  }
  const form = el('form.qos-form', null, ui.field('qos.cpuPriority', cpu),
    LIMITS.map(k => ui.field('qos.' + k, inputs[k])));
  if (api.may('instance.write')) {
    form.append(ui.button('qos.apply', async () => {
      const body = {cpuPriority: cpu.value};
      for (const k of LIMITS) { body[k] = inputs[k].value === '' ? null : Number(inputs[k].value); }
      const change = await api.put('/instances/' + encodeURIComponent(instance.id) + '/qos', body);
      outcome.replaceChildren(
        el('p', {text: change.live ? t('qos.appliedLive') : t('qos.atNextStart')}),
        change.applied.length ? el('p.hint', {text: t('qos.appliedNow', {what: change.applied.join('; ')})}) : '',
        change.nextStart.length ? el('p.hint', {text: t('qos.waiting', {what: change.nextStart.join('; ')})}) : '');
    }, {id: 'apply-qos'}));
  } else {
    form.querySelectorAll('input, select').forEach(i => { i.disabled = true; });
  }
  root.append(el('h3', {text: t('qos.title')}), el('p.hint', {text: t('qos.hint')}), form, outcome);
  return root;
}
