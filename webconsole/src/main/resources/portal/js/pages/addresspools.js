// Address pools: each pool with its ranges (used/free), compute pools and bindings; create (ranges, prefix,
// gateway, DNS, domain, compute pools), add/remove a range, attach/detach a compute pool, delete (the API's
// refusal, e.g. addresses still bound, is shown on the message line).
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';
import {fieldError, created} from './users.js';

const {el} = ui;
let body = null;
let computePools = [];

const list = (s) => (s || '').split(/[\s,]+/).filter(Boolean);

/** "a-b, c-d" → [{first, last}]; a single address is a range of one. */
function ranges(s) {
  return list(s).map(r => { const [first, last] = r.split('-'); return {first, last: last || first}; });
}

async function poolCard(p, write) {
  const [usage, bindings] = await Promise.all([
    api.get('/address-pools/' + encodeURIComponent(p.id) + '/ranges').catch(() => []),
    api.get('/address-pools/' + encodeURIComponent(p.id) + '/bindings').catch(() => [])]);
  const id = encodeURIComponent(p.id);
  const free = usage.reduce((a, r) => a + r.free, 0);
  const used = usage.reduce((a, r) => a + r.used, 0);
  const rangeTable = ui.table([
    {key: 'addr.range', cell: r => r.first + ' – ' + r.last},
    {key: 'addr.size', cell: r => r.size},
    {key: 'addr.used', cell: r => ui.bar(r.size ? r.used * 100 / r.size : 0, String(r.used))},
    {key: 'addr.free', cell: r => el('span.free', {text: String(r.free)})},
    {key: '', cell: r => write ? ui.button('addr.removeRange', async () => {
      await api.del('/address-pools/' + id + '/ranges/' + encodeURIComponent(r.first + '-' + r.last));
      ui.showInfo(t('addr.rangeRemoved', {range: r.first + '-' + r.last})); await draw();
    }, {dataset: {action: 'remove-range'}}) : null}
  ], usage, r => ({dataset: {range: r.first + '-' + r.last}}));
  const bindingTable = ui.table([
    {key: 'addr.address', cell: b => b.address},
    {key: 'addr.holder', cell: b => b.holder},
    {key: 'addr.boundAt', cell: b => ui.time(b.boundAt)}
  ], bindings);
  const tools = [];
  if (write) {
    const addRange = el('form.inline.add-range', null,
      ui.field('addr.newRange', el('input', {name: 'range', placeholder: '10.0.0.10-10.0.0.20'})),
      el('button', {type: 'submit', text: t('addr.addRange')}));
    addRange.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const [r] = ranges(addRange.range.value);
      try {
        await api.post('/address-pools/' + id + '/ranges', r || {});
        ui.showInfo(t('addr.rangeAdded', {range: addRange.range.value})); await draw();
      } catch (e) { fieldError(addRange, e, {first: 'range', last: 'range'}); }
    });
    const attach = el('form.inline.attach', null,
      ui.field('addr.computePool', ui.select('computePool', computePools.map(c => ({value: c.name, label: c.name})))),
      el('button', {type: 'submit', text: t('addr.attach'), dataset: {action: 'attach'}}),
      el('button', {type: 'button', text: t('addr.detach'), dataset: {action: 'detach'}}));
    const link = async (how) => {
      try {
        await api.post('/address-pools/' + id + '/' + how, {computePool: attach.computePool.value});
        ui.showInfo(t('addr.' + how + 'ed', {pool: attach.computePool.value})); await draw();
      } catch (e) { ui.showError(e); }
    };
    attach.addEventListener('submit', (ev) => { ev.preventDefault(); link('attach'); });
    attach.querySelector('[data-action="detach"]').addEventListener('click', () => link('detach'));
    tools.push(addRange, attach, el('div.actions', null, ui.button('common.delete', async () => {
      if (!confirm(t('addr.confirmDelete', {name: p.name}))) { return; }
      await api.del('/address-pools/' + id);
      ui.showInfo(t('addr.deleted', {name: p.name})); await draw();
    }, {dataset: {action: 'delete'}})));
  }
  return el('section.card.address-pool', {dataset: {addressPool: p.name, free: String(free)}},
    el('h3', {text: p.name + ' (' + p.id + ')'}),
    el('p', {text: t('addr.summary', {prefix: p.prefixLength, gateway: p.gateway || '–',
      dns: (p.dnsServers || []).join(', ') || '–', domain: p.domain || '–', used, free})}),
    el('p', {text: t('addr.computePools') + ': ' + ((p.computePools || []).join(', ') || '–')}),
    rangeTable, el('h4', {text: t('addr.bindings')}), bindingTable, ...tools);
}

async function draw() {
  const pools = await api.get('/address-pools');
  const write = api.may('address.write');
  const cards = await Promise.all(pools.map(p => poolCard(p, write)));
  body.replaceChildren(...(cards.length ? cards : [el('p', {text: t('common.none')})]));
}

function createForm() {
  const form = el('form.grid#address-pool-create', {novalidate: true},
    ui.field('addr.name', el('input', {name: 'name', autocomplete: 'off'})),
    ui.field('addr.ranges', el('input', {name: 'ranges', placeholder: '10.0.0.10-10.0.0.20, 10.0.0.40-10.0.0.50'})),
    ui.field('addr.prefixLength', el('input', {name: 'prefixLength', type: 'number', min: 1, max: 32, value: 24})),
    ui.field('addr.gateway', el('input', {name: 'gateway'})),
    ui.field('addr.dns', el('input', {name: 'dnsServers', placeholder: '10.0.0.1, 10.0.0.2'})),
    ui.field('addr.domain', el('input', {name: 'domain'})),
    ui.field('addr.computePools', el('span.checks', null, computePools.map(c => el('label.check', null,
      el('input', {type: 'checkbox', name: 'computePools', value: c.name}), c.name)))),
    el('button#address-pool-submit', {type: 'submit', text: t('addr.create')}));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const b = {name: form.name.value, ranges: ranges(form.ranges.value),
      prefixLength: form.prefixLength.value === '' ? null : Number(form.prefixLength.value),
      gateway: form.gateway.value || null, dnsServers: list(form.dnsServers.value), domain: form.domain.value || null,
      computePools: [...form.querySelectorAll('input[name="computePools"]:checked')].map(i => i.value)};
    try {
      await api.post('/address-pools', b);
      await created(form, t('addr.created', {name: b.name}), draw);
    } catch (e) { fieldError(form, e); }
  });
  return form;
}

export default {
  route: 'address-pools', nav: 'nav.addressPools', permission: 'address.read',
  async render(view) {
    body = el('div#address-pools');
    computePools = await api.get('/pools').catch(() => []);
    // DOM append() writes null as the text "null": a session without address.write gets no form at all
    const form = api.may('address.write') ? [el('h3', {text: t('addr.createTitle')}), createForm()] : [];
    view.append(el('h2', {text: t('nav.addressPools')}), ui.messages(), body, ...form);
    await draw();
  }
};
