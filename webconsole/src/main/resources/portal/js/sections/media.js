// The media section of the instance page: which ISO medium the instance's CD-ROM drive holds, a choice of the
// visible media to insert (replacing the one inside; live when the instance runs), eject, and what the instance
// boots from (changed while it is stopped).
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;

/** A section for one instance; `refresh(instance)` redraws it, `taskBox` shows the tasks it starts. */
export function mediaSection(instanceId, taskBox, afterChange) {
  const root = el('section.media#media');
  const body = el('div');
  const path = '/instances/' + encodeURIComponent(instanceId);

  async function run(request) {
    const task = await request;
    const done = await ui.watchTask(task, taskBox);
    if (done.state === 'FAILED') { ui.showError({message: done.error}); }
    if (afterChange) { await afterChange(); }
  }

  async function refresh(i) {
    if (ui.busy(root)) { return; }
    const media = await api.get('/media').catch(() => []);
    const inserted = i.spec.media ? media.find(m => m.id === i.spec.media) : null;
    const name = i.spec.media ? (inserted ? inserted.name : i.spec.media.slice(0, 8)) : null;
    const bootFrom = i.spec.bootFrom || 'disk';
    const rows = [
      el('tr', {dataset: {figure: 'media'}}, el('th', {text: t('mediaDrive.inserted')}),
        el('td#inserted-media', {text: name || t('mediaDrive.empty')})),
      el('tr', {dataset: {figure: 'bootFrom'}}, el('th', {text: t('mediaDrive.bootFrom')}),
        el('td#boot-from', {text: t('mediaDrive.boot.' + bootFrom)}))
    ];
    const controls = [];
    if (api.may('instance.write')) {
      const choice = ui.select('media', [{value: '', label: t('mediaDrive.choose')}]
        .concat(media.map(m => ({value: m.id, label: m.name + ' (' + ui.bytes(m.sizeBytes) + ')'}))), '');
      controls.push(el('form.inline', null, ui.field('mediaDrive.medium', choice),
        ui.button('mediaDrive.insert', () => {
          if (!choice.value) { ui.showError({message: t('mediaDrive.chooseFirst')}); return; }
          return run(api.post(path + '/media', {media: choice.value}));
        }, {id: 'insert-media'}),
        ui.button('mediaDrive.eject', () => run(api.del(path + '/media')), {id: 'eject-media', disabled: !i.spec.media})));
      const boot = ui.select('bootFrom', ['disk', 'cdrom'].map(b => ({value: b, label: t('mediaDrive.boot.' + b)})),
        bootFrom);
      const stopped = i.state === 'STOPPED';
      boot.disabled = !stopped;
      controls.push(el('form.inline', null, ui.field('mediaDrive.bootFrom', boot),
        ui.button('mediaDrive.setBootFrom', async () => {
          await api.put(path + '/boot-from', {bootFrom: boot.value});
          ui.showInfo(t('mediaDrive.bootFromSet', {device: t('mediaDrive.boot.' + boot.value)}));
          if (afterChange) { await afterChange(); }
        }, {id: 'set-boot-from', disabled: !stopped})),
        stopped ? '' : el('p.hint', {text: t('mediaDrive.bootFromStopped')}));
    }
    body.replaceChildren(el('table.figures', null, rows), ...controls);
  }

  root.append(el('h3', {text: t('mediaDrive.title')}), el('p.hint', {text: t('mediaDrive.hint')}), body);
  return {element: root, refresh};
}
