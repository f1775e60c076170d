// The sample's page: polls the JSON API once a second and posts the form. No framework.
'use strict';

const $ = (id) => document.getElementById(id);

// Arguments that fit each player command, filled in when one is picked.
const EXAMPLES = {
  'player.load': ['(("Blue in Green" 337.5))', 'RELIABLE'],
  'player.play': ['', 'RELIABLE'],
  'player.pause': ['', 'RELIABLE'],
  'player.volume': ['(42)', 'RELIABLE'],
  'player.seek': ['(60.0)', 'RELIABLE'],
  'player.status': ['', 'REQUEST'],
  'mbus.ping': ['', 'SEND'],
};

const KINDS = {
  RECEIVED: ['←', 'received'],
  SENT: ['→', 'sent'],
  REJECTED: ['✕', 'rejected'],
  JOINED: ['+', 'joined'],
  LEFT: ['−', 'left'],
};

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : text; // never innerHTML: everything here comes off the bus
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function ago(iso) {
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  return seconds < 1 ? 'just now' : `${seconds.toFixed(0)} s ago`;
}

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  return response.json();
}

let defaultsChosen = false;

// The form starts with something this entity can send: a player cannot send to itself.
function chooseDefaults(self) {
  if (defaultsChosen || !self) return;
  defaultsChosen = true;
  if (self.includes('app:sample-player')) {
    [$('destination').value, $('command').value, $('args').value, $('mode').value] =
      ['(app:mbus-cli)', 'demo.hello', '("hello from the player")', 'SEND'];
  }
}

async function refreshPeers() {
  const view = await getJson('api/peers');
  $('self').textContent = view.self || '(not on the bus)';
  chooseDefaults(view.self);
  const body = $('peers');
  body.replaceChildren(...view.peers.map((peer) => {
    const row = document.createElement('tr');
    cell(row, peer.address, 'address');
    cell(row, peer.endpoint);
    cell(row, ago(peer.lastHeard));
    return row;
  }));
  $('peer-count').textContent = `(${view.peers.length})`;
  $('no-peers').hidden = view.peers.length > 0;
  $('peer-addresses').replaceChildren(...view.peers.map((peer) => new Option(peer.address)));
}

async function refreshMessages() {
  const entries = await getJson('api/messages');
  $('messages').replaceChildren(...entries.map((entry) => {
    const [symbol, title] = KINDS[entry.kind] || ['?', entry.kind];
    const row = document.createElement('tr');
    row.className = entry.kind.toLowerCase();
    cell(row, new Date(entry.time).toLocaleTimeString());
    cell(row, symbol, 'kind').title = title;
    cell(row, entry.peer, 'address');
    cell(row, entry.command, 'command');
    cell(row, entry.detail);
    return row;
  }));
}

function minutes(seconds) {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

// The player role's own state; the controller role has none (204).
async function refreshPlayer() {
  const response = await fetch('api/player', { headers: { Accept: 'application/json' } });
  $('player-section').hidden = response.status !== 200;
  if (response.status !== 200) return;
  const status = await response.json();
  const track = status.title
    ? `“${status.title}”, ${minutes(status.position)} of ${minutes(status.length)}`
    : 'no track loaded';
  $('player').textContent = `${status.state.toLowerCase()}: ${track}, volume ${status.volume}`;
}

async function refreshHealth() {
  const badge = $('health');
  try {
    const health = await getJson('actuator/health');
    badge.textContent = `health ${health.status}`;
    badge.className = `badge ${health.status === 'UP' ? 'up' : 'down'}`;
  } catch (e) {
    badge.textContent = 'health ?';
    badge.className = 'badge down';
  }
}

async function refresh() {
  try {
    await Promise.all([refreshPeers(), refreshMessages(), refreshPlayer(), refreshHealth()]);
  } catch (e) {
    $('self').textContent = '(the application does not answer)';
  }
}

function showResult(text, ok) {
  const result = $('send-result');
  result.textContent = text;
  result.className = ok ? 'ok' : 'error';
}

async function send(event) {
  event.preventDefault();
  const request = {
    destination: $('destination').value,
    command: $('command').value,
    args: $('args').value,
    mode: $('mode').value,
  };
  $('send').disabled = true;
  showResult('sending…', true);
  try {
    const response = await fetch('api/send', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(request),
    });
    const answer = await response.json();
    if (response.ok) {
      showResult(`${answer.outcome}: ${answer.sent}${answer.reply ? ` → ${answer.reply}` : ''}`, true);
    } else {
      showResult(answer.detail || `error ${response.status}`, false);
    }
  } catch (e) {
    showResult(`the application does not answer: ${e.message}`, false);
  } finally {
    $('send').disabled = false;
    refreshMessages();
  }
}

$('command').addEventListener('change', () => {
  const example = EXAMPLES[$('command').value.trim()];
  if (example) {
    [$('args').value, $('mode').value] = example;
  }
});
$('send-form').addEventListener('submit', send);
refresh();
setInterval(refresh, 1000);
