// The instance page's self-healing: the restart policy (what the instance's cell does when the guest stops without
// being asked to; changed at once, running or stopped) and the instance's events (requests, moves, restarts by its
// cell, failovers, fences), newest first, from the operation log.
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;
export const POLICIES = ['never', 'on-failure', 'always'];

/** The restart policy choices, for the create form and the instance page. */
export function policySelect(value) {
  return ui.select('restartPolicy', POLICIES.map(p => ({value: p, label: t('healing.policy.' + p)})), value || 'never');
}

export function healingSection(instanceId) {
  const path = '/instances/' + encodeURIComponent(instanceId);
  const policyBox = el('div#restart-policy');
  const events = el('div#instance-events');
  const element = el('section.healing', null, el('h3', {text: t('healing.title')}),
    el('p.hint', {text: t('healing.hint')}), policyBox, el('h3', {text: t('healing.events')}), events);
  let drawnPolicy = null;

  async function refresh(i) {
    const policy = i.spec.restartPolicy || 'never';
    if (policy !== drawnPolicy) {
      drawnPolicy = policy;
      const select = policySelect(policy);
      select.disabled = !api.may('instance.write');
      policyBox.replaceChildren(...[ui.field('healing.policy', select), api.may('instance.write')
        ? ui.button('healing.apply', async () => {
          const changed = await api.put(path, {restartPolicy: select.value});
          drawnPolicy = changed.spec.restartPolicy;
          ui.showInfo(t('healing.applied', {policy: t('healing.policy.' + drawnPolicy)}));
        }, {id: 'apply-restart-policy'}) : null].filter(Boolean));
    }
    const list = await api.get(path + '/events?limit=20').catch(() => []);
    events.replaceChildren(list.length ? ui.table([
      {key: 'healing.time', cell: e => ui.time(e.time)},
      {key: 'healing.action', cell: e => e.action},
      {key: 'healing.by', cell: e => e.user},
      {key: 'healing.outcome', cell: e => e.outcome},
      {key: 'healing.detail', cell: e => e.detail}
    ], list, e => ({dataset: {event: e.action}})) : el('p.hint', {text: t('healing.noEvents')}));
  }

  return {element, refresh};
}
