// Providers of every SPI (GET /providers): extensions appear here as soon as their feature is installed.
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;
let body = null;

async function draw() {
  const providers = await api.get('/providers');
  body.replaceChildren(ui.table([
    {key: 'provider.spi', cell: p => p.spi},
    {key: 'provider.name', cell: p => p.name},
    {key: 'provider.bundle', cell: p => p.bundleSymbolicName + ' (' + p.bundleId + ')'},
    {key: 'provider.version', cell: p => p.bundleVersion},
    {key: 'provider.usedBy', cell: p => (p.usedBy && p.usedBy.length ? p.usedBy.join(', ') : '–')}
  ], providers, p => ({dataset: {provider: p.spi + ':' + p.name}})));
}

export default {
  route: 'providers', nav: 'nav.providers', permission: 'provider.read',
  async render(view) {
    body = el('div');
    view.append(el('h2', {text: t('nav.providers')}), ui.messages(), el('p.hint', {text: t('provider.hint')}), body);
    await draw();
  },
  refresh: () => draw()
};
