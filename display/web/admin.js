// The office admin's page (admin token): health of every part, today's
// numbers, the running text on the displays, and reprinting failed tickets.
'use strict';
(() => {
  const { t, el, dur, est, api, debounce, serviceName } = Antri;
  const key = 'antri.admin';
  let token = sessionStorage.getItem(key) || '';
  let state = null;
  let health = null;
  let runningText = '';
  const $ = (x) => document.getElementById(x);

  function lock(message) {
    token = '';
    sessionStorage.removeItem(key);
    $('desk').hidden = true;
    $('lock').hidden = true;
    $('unlock').hidden = false;
    $('unlock-msg').hidden = !message;
    $('unlock-msg').textContent = message || '';
  }

  async function unlock(tok) {
    const r = await api('GET', '/api/admin/session', undefined, tok);
    if (!r.ok) { lock(r.status === 401 ? t('admin.badtoken') : (r.body && r.body.error) || t('kiosk.neterr')); return; }
    token = tok;
    sessionStorage.setItem(key, tok);
    $('unlock').hidden = true;
    $('desk').hidden = false;
    $('lock').hidden = false;
    $('running-text').value = runningText;
    loadHealth();
    loadFailures();
    render();
  }

  function say(id, text, ok) {
    const m = $(id);
    m.hidden = false;
    m.className = 'msg ' + (ok ? 'ok' : 'err');
    m.textContent = text;
  }

  async function loadHealth() {
    const r = await api('GET', '/healthz');
    health = r.body;
    renderHealth();
  }

  function renderHealth() {
    if (!health) return;
    const rows = Object.keys(health).sort().map((name) => {
      const h = health[name];
      const detail = h.error || (h.detail === undefined ? '' : typeof h.detail === 'string' ? h.detail : JSON.stringify(h.detail));
      return el('tr', { 'data-part': name },
        el('td', {}, el('b', { text: name })),
        el('td', {}, el('span', { class: 'tag ' + (h.ok ? 'ok' : 'late'), text: h.ok ? t('admin.ok') : t('admin.bad') })),
        el('td', { class: h.ok ? 'muted' : '', text: detail }));
    });
    $('health').replaceChildren(...rows);
  }

  function render() {
    if (!state) return;
    $('office').textContent = state.office.name;
    const head = el('tr', {}, el('th', { text: t('admin.service') }), el('th', { class: 'num', text: t('admin.issued') }),
      el('th', { class: 'num', text: t('admin.quota') }), el('th', { class: 'num', text: t('admin.waiting') }), el('th', { class: 'num', text: t('admin.est') }));
    let issued = 0, waiting = 0;
    const rows = state.services.map((s) => {
      issued += s.issued_today; waiting += s.waiting;
      return el('tr', { 'data-service': s.code }, el('td', { text: s.code + ' — ' + s.name }), el('td', { class: 'num', text: String(s.issued_today) }),
        el('td', { class: 'num', text: s.daily_quota ? String(s.daily_quota) : '—' }), el('td', { class: 'num', text: String(s.waiting) }),
        el('td', { class: 'num', text: s.waiting ? est(s.estimated_wait_s) : '—' }));
    });
    const total = el('tr', {}, el('th', { text: t('admin.total') }), el('th', { class: 'num', text: String(issued) }), el('th'), el('th', { class: 'num', text: String(waiting) }), el('th'));
    $('today').replaceChildren(head, ...rows, total);
    $('counters').replaceChildren(
      el('tr', {}, el('th', { text: t('admin.counters') }), el('th', { text: t('admin.service') }), el('th', { text: t('admin.current') })),
      ...state.counters.map((k) => el('tr', {}, el('td', { text: k.name }), el('td', { text: k.services.join(', ') }),
        el('td', { text: k.current ? k.current.number + ' · ' + t('stage.' + k.current.stage) : '—' }))));
  }

  async function loadFailures() {
    const path = '/api/admin/print-failures';
    const r = await api('GET', path, undefined, token);
    const box = $('failures');
    if (r.status === 404) { box.replaceChildren(el('div', { class: 'msg err', id: 'reprint-missing', text: t('admin.reprint.missing', { path }) })); return; }
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    if (!r.ok) { box.replaceChildren(el('div', { class: 'msg err', text: (r.body && r.body.error) || ('HTTP ' + r.status) })); return; }
    const items = Array.isArray(r.body) ? r.body : (r.body && (r.body.failures || r.body.tickets)) || [];
    if (!items.length) { box.replaceChildren(el('p', { class: 'muted', text: t('admin.reprint.none') })); return; }
    box.replaceChildren(el('table', {}, ...items.map((f) => {
      const num = f.number || (f.ticket && f.ticket.number) || '';
      return el('tr', {}, el('td', {}, el('b', { text: num })),
        el('td', { class: 'muted', text: [f.error || f.reason || '', f.at || f.failed_at || ''].filter(Boolean).join(' · ') }),
        el('td', {}, el('button', { class: 'btn', type: 'button', text: t('admin.reprint.do'), onclick: () => reprint(num) })));
    })));
  }

  async function reprint(number) {
    const path = `/api/admin/tickets/${encodeURIComponent(number)}/reprint`;
    const r = await api('POST', path, undefined, token);
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    if (r.ok) say('reprint-msg', t('admin.reprint.ok', { n: number }), true);
    else if (r.status === 404 && !(r.body && r.body.error && !/alamat API tidak dikenal/.test(r.body.error))) say('reprint-msg', t('admin.reprint.missing', { path }), false);
    else say('reprint-msg', (r.body && r.body.error) || ('HTTP ' + r.status), false);
    loadFailures();
  }

  async function saveRunning(text) {
    const r = await api('POST', '/api/admin/running-text', { text }, token);
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    if (!r.ok) { say('running-msg', (r.body && r.body.error) || ('HTTP ' + r.status), false); return; }
    $('running-text').value = r.body.text;
    say('running-msg', t('admin.running.saved'), true);
  }

  const refresh = debounce(async () => {
    const r = await api('GET', '/api/state');
    if (r.ok) { state = r.body; render(); }
  }, 300);

  $('unlock').addEventListener('submit', (e) => { e.preventDefault(); unlock($('token').value.trim()); });
  $('lock').addEventListener('click', () => lock(''));
  $('running').addEventListener('submit', (e) => { e.preventDefault(); saveRunning($('running-text').value); });
  $('running-clear').addEventListener('click', () => saveRunning(''));
  $('reprint').addEventListener('submit', (e) => { e.preventDefault(); reprint($('reprint-number').value.trim().toUpperCase()); });

  Antri.live({
    onSnapshot(msg) {
      state = msg.state;
      runningText = msg.running_text || '';
      if (document.activeElement !== $('running-text')) $('running-text').value = runningText;
      render();
    },
    onEvent(ev) {
      if (ev.type === 'running_text') {
        runningText = (ev.data && ev.data.text) || '';
        if (document.activeElement !== $('running-text')) $('running-text').value = runningText;
      }
      if (ev.type && ev.type.startsWith('print') && token) loadFailures();
      if (ev.seq > 0) refresh();
    },
  });
  Antri.onLang(() => { render(); renderHealth(); });
  setInterval(() => { if (token) loadHealth(); }, 10000);
  if (token) unlock(token); else lock('');
})();
