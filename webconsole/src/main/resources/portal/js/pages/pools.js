import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;
let body = null;

async function draw() {
  const [pools, cells, instances] = await Promise.all([api.get('/pools'), api.get('/cells'), api.get('/instances')]);
  body.replaceChildren(ui.table([
    {key: 'pool.name', cell: p => p.name},
    {key: 'pool.description', cell: p => p.description || ''},
    {key: 'pool.cells', cell: p => String(cells.filter(c => c.poolId === p.name).length)},
    {key: 'pool.instances', cell: p => String(instances.filter(i => i.spec.poolId === p.name).length)},
    {key: 'pool.failover', cell: p => ui.button(p.failover ? 'pool.failover.off' : 'pool.failover.on', async () => {
      try {
        await api.put('/pools/' + encodeURIComponent(p.name), {description: p.description, failover: !p.failover});
        ui.showInfo(t('pool.updated.ok')); await draw();
      } catch (e) { ui.showError(e); }
    })},
    {key: 'pool.created', cell: p => ui.time(p.createdAt)},
    {key: '', cell: p => ui.button('common.delete', async () => {
      if (!confirm(t('pool.confirmDelete', {name: p.name}))) { return; }
      await api.del('/pools/' + encodeURIComponent(p.name)); ui.clearMessage(); await draw();
    })}
  ], pools, p => ({dataset: {pool: p.name}})));
}

export default {
  route: 'pools', nav: 'nav.pools', permission: 'pool.read',
  async render(view) {
    body = el('div');
    const form = el('form.inline#pool-form', null,
      ui.field('pool.name', el('input', {name: 'name', required: true})),
      ui.field('pool.description', el('input', {name: 'description'})),
      el('button', {type: 'submit', text: t('pool.create')}));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await api.post('/pools', {name: form.name.value, description: form.description.value});
        form.reset(); ui.showInfo(t('pool.created.ok')); await draw();
      } catch (e) { ui.showError(e); }
    });
    view.append(el('h2', {text: t('nav.pools')}), ui.messages(), body, el('h3', {text: t('pool.create')}), form);
    await draw();
  },
  refresh: () => (ui.busy(body) ? null : draw())
};
