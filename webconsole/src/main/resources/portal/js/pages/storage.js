import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;
let body = null;

async function draw() {
  const pools = await api.get('/cells/storage-pools');
  body.replaceChildren(ui.table([
    {key: 'storage.cell', cell: p => p.cellId},
    {key: 'storage.name', cell: p => p.name},
    {key: 'storage.provider', cell: p => p.provider},
    {key: 'storage.used', cell: p => p.capacityBytes ? ui.bar((p.capacityBytes - p.availableBytes) * 100 / p.capacityBytes,
      ui.bytes(p.capacityBytes - p.availableBytes) + ' / ' + ui.bytes(p.capacityBytes)) : '–'},
    {key: 'storage.allocation', cell: p => ui.bytes(p.allocationBytes)},
    {key: 'storage.available', cell: p => ui.bytes(p.availableBytes)},
    {key: 'storage.reported', cell: p => ui.time(p.reportedAt)}
  ], pools));
}

export default {
  route: 'storage', nav: 'nav.storage', permission: 'storage.read',
  async render(view) {
    body = el('div');
    view.append(el('h2', {text: t('nav.storage')}), ui.messages(), body);
    await draw();
  },
  refresh: () => draw()
};
