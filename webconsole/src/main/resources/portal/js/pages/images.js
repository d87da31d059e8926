// Disk images: list, import from a file on the Core's host, download with a progress bar, delete. Uploading
// from the browser needs an upload endpoint in the API; the page offers it as soon as one exists (api.upload).
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;
let body = null;
let progress = null;

function downloadButton(im) {
  return ui.button('image.download', async () => {
    progress.replaceChildren(el('span', {text: im.name + ' '}), ui.bar(0, '0 %'));
    await api.download('/images/' + encodeURIComponent(im.id) + '/content', im.name + '.' + im.format, (pct, received) => {
      progress.replaceChildren(el('span', {text: im.name + ' '}),
        ui.bar(pct < 0 ? 0 : pct, pct < 0 ? ui.bytes(received) : pct + ' % · ' + ui.bytes(received)));
    });
  });
}

async function draw() {
  const images = await api.get('/images');
  body.replaceChildren(ui.table([
    {key: 'image.name', cell: im => im.name},
    {key: 'image.format', cell: im => im.format},
    {key: 'image.size', cell: im => ui.bytes(im.sizeBytes)},
    {key: 'image.virtual', cell: im => ui.bytes(im.virtualSizeBytes)},
    {key: 'image.owner', cell: im => im.owner},
    {key: 'image.created', cell: im => ui.time(im.createdAt)},
    {key: '', cell: im => el('span.actions', null, downloadButton(im), ui.button('common.delete', async () => {
      if (!confirm(t('image.confirmDelete', {name: im.name}))) { return; }
      await api.del('/images/' + encodeURIComponent(im.id)); await draw();
    }))}
  ], images, im => ({dataset: {image: im.name}})));
}

export default {
  route: 'images', nav: 'nav.images', permission: 'image.read',
  async render(view) {
    body = el('div');
    progress = el('div.progress#image-progress');
    const form = el('form.inline#image-form', null,
      ui.field('image.name', el('input', {name: 'name', required: true})),
      ui.field('image.path', el('input', {name: 'path', required: true, size: 50})),
      el('button', {type: 'submit', text: t('image.import')}));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const im = await api.post('/images', {name: form.name.value, path: form.path.value});
        form.reset(); ui.showInfo(t('image.imported', {name: im.name})); await draw();
      } catch (e) { ui.showError(e); }
    });
    view.append(el('h2', {text: t('nav.images')}), ui.messages(), progress, body,
      el('h3', {text: t('image.importTitle')}), el('p.hint', {text: t('image.importHint')}), form,
      el('p.hint', {text: t('image.uploadLater')}));
    await draw();
  },
  refresh: () => (ui.busy(body.parentNode) ? null : draw())
};
