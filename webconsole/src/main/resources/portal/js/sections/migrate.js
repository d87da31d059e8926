// The instance page's Migrate dialog: the target (the placement policy's choice, or one of the other cells of the
// instance's compute pool), then the move's progress and where the instance ended up with its downtime. A refusal
// is shown inside the dialog and changes nothing.
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;

/** Whether the caller may migrate the instance now (the dialog's button is shown only then). */
export function canMigrate(i) {
  return api.may('instance.migrate') && (i.state === 'RUNNING' || i.state === 'STOPPED');
}

/** A cell can be chosen when it is online and enabled; the others are listed with why not. */
function selectable(c) { return c.status === 'ONLINE' && c.enabled; }

function choice(value, label, marks, enabled, checked) {
  return el('label.check.choice', {dataset: {target: value, available: String(enabled)}},
    el('input', {type: 'radio', name: 'target', value, disabled: !enabled, checked}), label, ...marks);
}

function cellChoice(c) {
  const marks = [ui.state('cellStatus', c.status),
    el('span.badge', {text: t(c.enabled ? 'migrate.enabled' : 'migrate.disabled')})];
  if (!selectable(c)) { marks.push(el('span.hint', {text: t('migrate.notSelectable')})); }
  return choice(c.id, c.id, marks, selectable(c), false);
}

/** A step's milliseconds in words: "37 ms", "4.2 s", or unknown (the Core records -1 when it could not tell). */
function milliseconds(value) {
  const ms = Number(value);
  if (value === undefined || value === null || Number.isNaN(ms) || ms < 0) { return t('migrate.unknown'); }
  return ms < 1000 ? t('migrate.ms', {ms}) : t('migrate.s', {s: (ms / 1000).toFixed(1)});
}

/** Where the instance is after a successful move, and the downtime the move step recorded (none when cold). */
async function outcome(done, instanceId) {
  const moved = done.steps.find(s => s.data && s.data.downtimeMillis !== undefined);
  const now = await api.get('/instances/' + encodeURIComponent(instanceId)).catch(() => null);
  const cell = now ? now.cellId : '–';
  if (!moved) { return t('migrate.doneCold', {cell}); }
  return t('migrate.doneLive', {cell, downtime: milliseconds(moved.data.downtimeMillis), wall: milliseconds(moved.data.wallMillis)});
}

/**
 * The dialog for one instance: `element` goes into the page once, `open()` shows it for the instance as it is now,
 * `afterChange` runs when a migration ended (the page draws again).
 */
export function migrateDialog(instanceId, afterChange) {
  const root = el('div#migrate');
  const path = '/instances/' + encodeURIComponent(instanceId) + '/migrate';

  async function open() {
    // the instance as it is now: the page's copy may be a refresh old (e.g. right after a move)
    const [i, cells] = await Promise.all([api.get('/instances/' + encodeURIComponent(instanceId)),
      api.get('/cells').catch(() => [])]);
    const others = cells.filter(c => c.poolId === i.spec.poolId && c.id !== i.cellId);
    const targets = el('fieldset.targets', null, el('legend', {text: t('migrate.target')}),
      choice('', t('migrate.automatic'), [], true, true), others.map(cellChoice),
      others.length ? null : el('p.hint', {text: t('migrate.noOtherCell', {pool: i.spec.poolId})}));
    const error = el('p.messages#migrate-error', {role: 'alert'});
    const taskBox = el('div.task-box#migrate-task');
    const result = el('p.messages#migrate-outcome', {role: 'status'});
    const submit = el('button#migrate-submit', {type: 'submit', text: t('migrate.submit')});
    const form = el('form.dialog#migrate-dialog', {role: 'dialog', 'aria-labelledby': 'migrate-title'},
      el('h3#migrate-title', {text: t('migrate.title', {name: i.spec.name, cell: i.cellId})}),
      el('p.hint', {text: t(i.state === 'RUNNING' ? 'migrate.hintRunning' : 'migrate.hintStopped')}),
      targets, error, taskBox, result,
      el('span.actions', null, submit, el('button#migrate-close', {type: 'button', text: t('migrate.close'), onclick: close})));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const picked = form.querySelector('input[name=target]:checked');
      const cell = picked ? picked.value : '';
      submit.disabled = true;
      error.className = 'messages'; error.textContent = '';
      let task;
      try {
        task = await api.post(path, cell ? {cell} : {});
      } catch (e) {
        // refused before anything was queued: the instance is as it was, the dialog stays for another choice
        error.className = 'messages error';
        error.textContent = e.message + (e.field ? ' [' + e.field + ']' : '');
        submit.disabled = false;
        return;
      }
      targets.disabled = true;
      const done = await ui.watchTask(task, taskBox);
      if (done.state === 'SUCCEEDED') {
        result.className = 'messages info';
        result.textContent = await outcome(done, instanceId);
      } else {
        result.className = 'messages error';
        result.textContent = t('migrate.failed', {cell: i.cellId});
      }
      if (afterChange) { await afterChange(); }
    });
    root.replaceChildren(form);
  }

  function close() { root.replaceChildren(); }

  return {element: root, open, close};
}
