// The graphical console: a one-time ticket from POST /instances/{id}/console, a WebSocket to the Core's proxy
// (which logs in to the VNC server itself: the browser never sees the password), and noVNC drawing the screen.
import RFB from '../../novnc/core/rfb.js';
import * as api from '../api.js';
import {t} from '../i18n.js';
import * as ui from '../ui.js';

const {el} = ui;
let rfb = null;
let status = null;
let statusKey = null;
let statusParams = null;

function setStatus(key, params, kind) {
  statusKey = key; statusParams = params;
  status.textContent = t(key, params);
  status.className = 'console-status ' + (kind || '');
  status.dataset.status = key;
}

function disconnect() {
  if (rfb) { try { rfb.disconnect(); } catch (e) { /* already closed */ } rfb = null; }
}

async function connect(id, screen) {
  disconnect();
  setStatus('console.connecting');
  let ticket;
  try {
    ticket = await api.post('/instances/' + encodeURIComponent(id) + '/console');
  } catch (e) {
    setStatus('console.refused', {reason: e.message}, 'error');
    return;
  }
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + ticket.path
    + '&instance=' + encodeURIComponent(ticket.instanceId);
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const state = {closeCode: null, closeReason: null};
  window.skiffConsole = state;
  ws.addEventListener('close', (ev) => {
    state.closeCode = ev.code; state.closeReason = ev.reason;
    if (ev.code >= 4000) { setStatus('console.refused', {reason: ev.reason}, 'error'); } else if (statusKey === 'console.connected') { setStatus('console.closed', {reason: ev.reason || ev.code}); }
  });
  rfb = new RFB(screen, ws, {shared: true});
  rfb.scaleViewport = true;
  rfb.background = '#1d2733';
  state.rfb = rfb;
  rfb.addEventListener('connect', () => setStatus('console.connected', null, 'ok'));
  rfb.addEventListener('disconnect', () => { if (statusKey === 'console.connecting') { setStatus('console.failed', null, 'error'); } });
}

export default {
  route: 'console',
  async render(view, ctx) {
    const id = ctx.arg;
    let name = id;
    try { name = (await api.get('/instances/' + encodeURIComponent(id))).spec.name; } catch (e) { ui.showError(e); }
    status = el('span.console-status#console-status');
    const screen = el('div.console-screen#console-screen');
    view.append(el('p', null, el('a', {href: '#/instance/' + encodeURIComponent(id), text: '← ' + name})),
      el('h2', {text: t('console.title', {name})}), ui.messages(),
      el('div.actions', null, status,
        ui.button('console.ctrlAltDel', async () => { if (rfb) { rfb.sendCtrlAltDel(); } }, {id: 'console-cad'}),
        ui.button('console.reconnect', async () => connect(id, screen), {id: 'console-reconnect'})),
      screen);
    await connect(id, screen);
  },
  /** A language switch relabels the page without dropping the connection. */
  relabel() {
    document.querySelectorAll('#console-cad').forEach(b => { b.textContent = t('console.ctrlAltDel'); });
    document.querySelectorAll('#console-reconnect').forEach(b => { b.textContent = t('console.reconnect'); });
    if (status && statusKey) { status.textContent = t(statusKey, statusParams); }
  },
  leave() { disconnect(); }
};
