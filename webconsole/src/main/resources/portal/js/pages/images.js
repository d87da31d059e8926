// Disk images and ISO media: list (search by name or tag; images in pages, PagedList), upload from the browser with a progress bar (the
// Core streams the body to disk as a task and checks size, SHA-256 and format), import from a file on the Core's
// host, download with a progress bar, delete (refused while linked clones depend on an image).
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';
import {PagedList} from '../paging.js';

const {el} = ui;
let body = null, mediaBody = null, progress = null, search = null, list = null;

function showProgress(name, pct, text) {
  progress.replaceChildren(el('span', {text: name + ' '}), ui.bar(pct < 0 ? 0 : pct, text));
}

function downloadButton(path, fileName) {
  return ui.button('image.download', async () => {
    showProgress(fileName, 0, '0 %');
    await api.download(path, fileName, (pct, received) => showProgress(fileName, pct,
      pct < 0 ? ui.bytes(received) : pct + ' % · ' + ui.bytes(received)));
  });
}

async function draw() {
  const images = await list.load({name: search.name.value, tag: search.tag.value});
  body.replaceChildren(ui.table([
    {key: 'image.name', cell: im => im.name},
    {key: 'image.format', cell: im => im.format},
    {key: 'image.size', cell: im => ui.bytes(im.sizeBytes)},
    {key: 'image.virtual', cell: im => ui.bytes(im.virtualSizeBytes)},
    {key: 'image.tags', cell: im => (im.tags || []).join(', ')},
    {key: 'image.sha256', cell: im => el('code', {text: (im.sha256 || '').slice(0, 12), title: im.sha256})},
    {key: 'image.owner', cell: im => im.owner},
    {key: 'image.created', cell: im => ui.time(im.createdAt)},
    {key: '', cell: im => el('span.actions', null,
      downloadButton('/images/' + encodeURIComponent(im.id) + '/content', im.name + '.' + im.format),
      ui.button('common.delete', async () => {
        if (!confirm(t('image.confirmDelete', {name: im.name}))) { return; }
        await api.del('/images/' + encodeURIComponent(im.id)); await draw();
      }))}
  ], images, im => ({dataset: {image: im.name}})), list.controls(draw));
  const media = await api.get('/media');
  mediaBody.replaceChildren(ui.table([
    {key: 'image.name', cell: m => m.name},
    {key: 'image.size', cell: m => ui.bytes(m.sizeBytes)},
    {key: 'image.sha256', cell: m => el('code', {text: (m.sha256 || '').slice(0, 12), title: m.sha256})},
    {key: 'image.owner', cell: m => m.owner},
    {key: 'image.created', cell: m => ui.time(m.createdAt)},
    {key: '', cell: m => el('span.actions', null,
      downloadButton('/media/' + encodeURIComponent(m.id) + '/content', m.name + '.iso'),
      ui.button('common.delete', async () => {
        if (!confirm(t('media.confirmDelete', {name: m.name}))) { return; }
        await api.del('/media/' + encodeURIComponent(m.id)); await draw();
      }))}
  ], media, m => ({dataset: {medium: m.name}})));
}

/** A form that uploads the chosen file to {@code path}?name=...; progress follows the bytes sent. */
function uploadForm(id, collection, withTags) {
  const form = el('form.inline#' + id, null,
    ui.field('image.file', el('input', {name: 'file', type: 'file', required: true})),
    ui.field('image.name', el('input', {name: 'name', required: true})),
    withTags ? ui.field('image.tagsInput', el('input', {name: 'tags', placeholder: t('image.tagsHint')})) : null,
    el('button', {type: 'submit', text: t('image.upload')}));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const file = form.file.files[0];
    if (!file) { return; }
    const name = form.name.value;
    const q = ['name=' + encodeURIComponent(name), 'sizeBytes=' + file.size];
    if (withTags) {
      form.tags.value.split(',').map(s => s.trim()).filter(s => s).forEach(tag => q.push('tag=' + encodeURIComponent(tag)));
    }
    try {
      showProgress(name, 0, '0 %');
      await api.upload('POST', '/' + collection + '/upload?' + q.join('&'), file,
        pct => showProgress(name, pct, pct < 0 ? t('image.uploading') : pct + ' %'));
      showProgress(name, 100, t('image.checked'));
      form.reset(); ui.showInfo(t('image.uploaded', {name})); await draw();
    } catch (e) { progress.replaceChildren(); ui.showError(e); }
  });
  return form;
}

export default {
  route: 'images', nav: 'nav.images', permission: 'image.read',
  async render(view) {
    body = el('div'); mediaBody = el('div');
    list = new PagedList('image', '/images', 50);
    progress = el('div.progress#image-progress');
    search = el('form.inline#image-search', null,
      ui.field('image.name', el('input', {name: 'name'})),
      ui.field('image.tag', el('input', {name: 'tag'})),
      el('button', {type: 'submit', text: t('image.search')}));
    search.addEventListener('submit', async (ev) => { ev.preventDefault(); list.reset(); await draw(); });
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
    view.append(el('h2', {text: t('nav.images')}), ui.messages(), progress, search, body,
      el('h3', {text: t('image.uploadTitle')}), el('p.hint', {text: t('image.uploadHint')}),
      uploadForm('image-upload', 'images', true),
      el('h3', {text: t('image.importTitle')}), el('p.hint', {text: t('image.importHint')}), form,
      el('h2', {text: t('media.title')}), mediaBody,
      el('h3', {text: t('media.uploadTitle')}), uploadForm('media-upload', 'media', false));
    await draw();
  },
  refresh: () => (ui.busy(body.parentNode) ? null : draw())
};
