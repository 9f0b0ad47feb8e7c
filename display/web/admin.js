// The office admin's page (admin token): health of every part, the clock and
// the office day (setting the clock where no time server keeps it), today's
// numbers, standards exceeded now, complaints, revising the standards, the
// monthly report, headquarters sync, software updates, the running text on the
// displays, and reprinting failed tickets.
'use strict';
(() => {
  const { t, el, dur, est, api, serviceName } = Antri;
  let state = null;
  let health = null;
  let runningText = '';
  const $ = (x) => document.getElementById(x);

  // The health card in plain Indonesian: each part by what it is for the office, its
  // details as a sentence, never an English part name or raw JSON (issue 11).
  const healthParts = ['database', 'printer', 'buttons', 'hq', 'connections', 'voice'];
  function partName(name) { return healthParts.includes(name) ? t('admin.part.' + name) : name; }
  function healthDetail(name, h) {
    const d = h.detail;
    if (d === undefined || d === null || d === '') return '';
    if (typeof d !== 'object') return String(d);
    const n = (x) => Number(x || 0).toLocaleString(Antri.lang === 'en' ? 'en-GB' : 'id-ID');
    switch (name) {
      case 'printer': return [d.device ? t('admin.h.device', { d: d.device }) : '', d.queue ? t('admin.h.printq', { n: n(d.queue.pending), m: n(d.queue.limit) }) : '',
        t('admin.h.failed', { n: n(d.failed_today) }), d.queue && d.queue.dropped ? t('admin.h.dropped', { n: n(d.queue.dropped) }) : ''].filter(Boolean).join(' · ');
      case 'buttons': return Array.isArray(d) ? t('admin.h.buttons', { n: d.length, p: n(d.reduce((a, b) => a + (b.presses || 0), 0)) }) +
        d.filter((b) => !b.ok).map((b) => ' · ' + b.pin + ': ' + b.problem).join('') : '';
      case 'hq': return [t('admin.h.backlog', { n: n(d.backlog) }), d.last_success ? t('admin.h.lastok', { w: Antri.dateTime ? Antri.dateTime(d.last_success) : new Date(d.last_success).toLocaleString(Antri.lang === 'en' ? 'en-GB' : 'id-ID') }) : t('admin.h.neverok')].join(' · ');
      case 'connections': return t('admin.h.conns', { o: n(d.open), a: n(d.addresses), k: n(d.kiosk), m: n(d.max), r: n(d.refused) });
    }
    return Object.entries(d).filter(([, v]) => v !== null && typeof v !== 'object').map(([k, v]) => k + ': ' + v).join(' · ');
  }

  const session = Antri.signIn({
    storageKey: 'antri.admin',
    check: (tok) => api('GET', '/api/admin/session', undefined, tok),
    badToken: 'admin.badtoken',
    onUnlock() {
      $('running-text').value = runningText;
      loadHealth();
      loadClock();
      loadFailures();
      loadBreaches();
      loadComplaints();
      loadSync();
      loadUpdate();
      render();
      reconnect();
      tell('unlock');
    },
  });
  const lock = (message) => { if (socket) { socket.close(); socket = null; } session.lock(message); };

  // The report and picture sections live in admin-report.js: they are told of
  // the sign-in, the state, the breaches now, every event and a change of
  // language, and use the page's token through Antri.admin.
  const sectionHooks = [];
  const tell = (what, arg) => sectionHooks.forEach((f) => f(what, arg));
  Antri.admin = { token: () => session.token(), lock: (m) => lock(m), state: () => state, breaches: () => [...breaches.values()],
    say, errText, on: (f) => sectionHooks.push(f) };

  function say(id, text, ok) {
    const m = $(id);
    m.hidden = false;
    m.className = 'msg ' + (ok ? 'ok' : 'err');
    m.textContent = text;
  }

  async function loadHealth() {
    const r = await api('GET', '/healthz', undefined, session.token()); // details need the admin token
    health = r.body;
    renderHealth();
  }

  function renderHealth() {
    if (!health) return;
    const rows = Object.keys(health).filter((name) => health[name] && typeof health[name] === 'object').sort().map((name) => {
      const h = health[name];
      const detail = [h.error, healthDetail(name, h)].filter(Boolean).join(' · ');
      return el('tr', { 'data-part': name },
        el('td', {}, el('b', { text: partName(name) })),
        el('td', {}, el('span', { class: 'tag ' + (h.ok ? 'ok' : 'late'), text: h.ok ? t('admin.ok') : t('admin.bad') })),
        el('td', { class: h.ok ? 'muted' : '', text: detail }));
    });
    $('health').replaceChildren(...rows);
  }

  // ---------- the clock: GET /api/admin/clock; POST it with this device's time once the admin confirms ----------
  let clock = null;

  async function loadClock() {
    const r = await api('GET', '/api/admin/clock', undefined, session.token());
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    if (!r.ok) { $('clock').replaceChildren(el('tr', {}, el('td', { class: 'msg err', text: errText(r) }))); return; }
    clock = r.body;
    renderClock();
  }

  // longTime says a moment the way a civil servant reads it, in the office's time zone
  // (Antri.date, Antri.time): "Selasa, 10 Maret 2026 pukul 08.25".
  function longTime(d) {
    return Antri.date(d) + (Antri.lang === 'en' ? ' at ' : ' pukul ') + Antri.time(d);
  }

  function renderClock() {
    if (!clock) return;
    const c = clock;
    const line = (k, v, cls) => el('tr', {}, el('th', { text: t(k) }), el('td', { class: cls || '', text: v }));
    const known = c.known ? t('admin.clock.source.' + (c.source || 'ntp')) : t('admin.clock.unknown');
    $('clock').replaceChildren(
      line('admin.clock.now', longTime(new Date(c.now))),
      line('admin.clock.sync', c.synchronized ? t('admin.clock.synced') : t('admin.clock.unsynced'), c.synchronized ? '' : 'late-text'),
      line('admin.clock.known', c.known_now ? known + ' · ' + longTime(new Date(c.known_now)) : known, c.known ? '' : 'late-text'),
      line('admin.clock.day', c.office_day));
    $('clock-problem').hidden = !c.problem;
    $('clock-problem').textContent = c.problem || '';
    $('clock-set').hidden = !c.settable || !$('clock-confirm').hidden;
  }

  function askClock() {
    $('clock-confirm-text').textContent = t('admin.clock.confirm', { t: longTime(new Date()) });
    $('clock-confirm').hidden = false;
    $('clock-set').hidden = true;
  }

  async function setClock() {
    const now = new Date(); // this device's time at the moment the admin confirms
    $('clock-confirm').hidden = true;
    const r = await api('POST', '/api/admin/clock', { time: now.toISOString() }, session.token());
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    if (r.ok) { clock = r.body; say('clock-msg', t('admin.clock.done', { t: longTime(now) }), true); } else say('clock-msg', errText(r), false);
    renderClock();
  }

  function render() {
    if (!state) return;
    $('office').textContent = state.office.name;
    fillServices();
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
      el('tr', {}, el('th', { text: t('admin.counters') }), el('th', { text: t('admin.service') }), el('th', { text: t('admin.current') }),
        el('th', { text: t('admin.counter.status') })),
      ...state.counters.map((k) => el('tr', { 'data-counter': k.id }, el('td', { text: k.name }), el('td', { text: k.services.join(', ') }),
        el('td', { text: k.current ? k.current.number + ' · ' + t('stage.' + k.current.stage) : '—' }),
        el('td', { text: t('counter.status.' + (k.status || 'open'), { r: k.pause_reason ? t('pause.' + k.pause_reason) : '' }) +
          (k.officer ? ' · ' + k.officer.name : '') }))));
    tell('state', state);
  }

  async function loadFailures() {
    const path = '/api/admin/print-failures';
    const r = await api('GET', path, undefined, session.token());
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
    const r = await api('POST', path, undefined, session.token());
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    if (r.ok) say('reprint-msg', t('admin.reprint.ok', { n: number }), true);
    else if (r.status === 404 && !(r.body && r.body.error && !/alamat API tidak dikenal/.test(r.body.error))) say('reprint-msg', t('admin.reprint.missing', { path }), false);
    else say('reprint-msg', (r.body && r.body.error) || ('HTTP ' + r.status), false);
    loadFailures();
  }

  async function saveRunning(text) {
    const r = await api('POST', '/api/admin/running-text', { text }, session.token());
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    if (!r.ok) { say('running-msg', (r.body && r.body.error) || ('HTTP ' + r.status), false); return; }
    $('running-text').value = r.body.text;
    say('running-msg', t('admin.running.saved'), true);
  }

  // ---------- live breaches: GET /api/breaches, then breach / breach_cleared notices ----------
  const breaches = new Map(); // "ticket_id/segment/kind" → Breach
  const breachKey = (b) => b.ticket_id + '/' + b.segment + '/' + b.kind;

  // Notices that arrive while GET /api/breaches is on its way are newer than its answer:
  // they are kept and applied again on top of it.
  let breachLoads = 0;
  let breachLog = [];

  async function loadBreaches() {
    breachLoads++;
    const from = breachLog.length;
    const r = await api('GET', '/api/breaches', undefined, session.token());
    breachLoads--;
    const late = breachLog.slice(from);
    if (!breachLoads) breachLog = [];
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    if (!r.ok) { $('breaches').replaceChildren(el('div', { class: 'msg err', text: errText(r) })); return; }
    breaches.clear();
    (r.body || []).forEach((b) => breaches.set(breachKey(b), b));
    late.forEach(([type, b]) => applyBreach(type, b));
    renderBreaches();
  }

  function applyBreach(type, b) {
    if (type === 'breach') breaches.set(breachKey(b), b);
    else breaches.delete(breachKey(b));
  }

  function renderBreaches() {
    const list = [...breaches.values()].map((b) => ({ b, e: b.standard_s + Math.max(0, Antri.since(b.since)) }))
      .sort((x, y) => (y.e - y.b.standard_s) - (x.e - x.b.standard_s));
    tell('breaches');
    if (!list.length) { $('breaches').replaceChildren(el('p', { class: 'muted', id: 'breaches-none', text: t('admin.breaches.none') })); return; }
    $('breaches').replaceChildren(el('table', {},
      el('tr', {}, el('th', { text: t('admin.breach.number') }), el('th', { text: t('admin.service') }), el('th', { text: t('admin.breach.kind') }),
        el('th', { text: t('admin.counters') }), el('th', { class: 'num', text: t('admin.breach.elapsed') }), el('th', { class: 'num', text: t('admin.breach.standard') })),
      ...list.map(({ b, e }) => el('tr', { class: 'late-row', 'data-breach': b.number + ':' + b.kind },
        el('td', {}, el('b', { text: b.number }), b.priority ? el('span', { class: 'tag prio', text: t('priority') }) : null),
        el('td', { text: serviceName(state, b.service) }),
        el('td', {}, el('span', { class: 'tag late', text: t('admin.breach.' + b.kind) })),
        el('td', { text: b.counter ? Antri.counterName(state, b.counter) : '—' }),
        el('td', { class: 'num', text: dur(e) }), el('td', { class: 'num', text: dur(b.standard_s) })))));
  }

  function onBreach(ev) {
    let b = ev.data || {};
    if (typeof b === 'string') try { b = JSON.parse(b); } catch (e) { return; }
    if (breachLoads) breachLog.push([ev.type, b]);
    applyBreach(ev.type, b);
    renderBreaches();
  }

  function errText(r) { return (r.body && r.body.error) || (r.status ? 'HTTP ' + r.status : t('kiosk.neterr')); }

  // ---------- complaints ----------
  let complaints = [];
  let openForm = null; // the id whose follow-up form is open

  async function loadComplaints() {
    const status = $('complaint-filter').value;
    const r = await api('GET', '/api/complaints' + (status ? '?status=' + encodeURIComponent(status) : ''), undefined, session.token());
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    if (!r.ok) { $('complaints').replaceChildren(el('div', { class: 'msg err', text: errText(r) })); return; }
    complaints = r.body || [];
    renderComplaints();
  }

  // when says a moment in the office's time zone (Antri.dateTime), whatever the admin's PC is set to.
  function when(iso) {
    return iso ? Antri.dateTime(iso) : '—';
  }

  // long says a duration of days the way a complaint's standard (120 h) is read: "4 hari 23 j".
  function long(secs) {
    if (secs < 2 * 86400) return dur(secs);
    const h = Math.floor(secs / 3600);
    return Math.floor(h / 24) + ' ' + t('admin.days') + (h % 24 ? ' ' + (h % 24) + ' ' + t('hour') : '');
  }

  function dueText(c) {
    if (c.status === 'closed') {
      const late = Date.parse(c.closed_at) > Date.parse(c.due_at);
      return el('span', { class: 'tag ' + (late ? 'late' : 'ok'), text: late ? t('admin.c.closedlate') : t('admin.c.closedintime') });
    }
    const left = (Date.parse(c.due_at) - Antri.now()) / 1000;
    if (left < 0) return el('span', { class: 'tag late', text: t('admin.c.overdue', { d: long(-left) }) });
    return el('span', { class: 'tag', text: t('admin.c.left', { d: long(left) }) });
  }

  function renderComplaints() {
    if (!complaints.length) { $('complaints').replaceChildren(el('p', { class: 'muted', text: t('admin.c.none') })); return; }
    $('complaints').replaceChildren(...complaints.map((c) => {
      const steps = (c.steps || []).map((s) => el('li', {}, el('time', { text: when(s.at) }), el('b', { text: t('admin.c.status.' + s.status) }), s.note ? ' — ' + s.note : ''));
      return el('div', { class: 'complaint', 'data-complaint': String(c.id) },
        el('div', { class: 'complaint-head' },
          el('span', { class: 'complaint-id', text: '#' + c.id }),
          el('b', { text: c.topic }),
          el('span', { class: 'tag', text: t('admin.c.status.' + c.status) }),
          dueText(c),
          el('span', { class: 'muted', text: t('admin.c.meta', { at: when(c.received_at), ch: c.channel, due: when(c.due_at) }) + (c.ticket ? ' · ' + c.ticket : '') + (c.unit ? ' · ' + c.unit : '') })),
        el('p', { class: 'complaint-text', text: c.text }),
        c.resolution ? el('p', { class: 'complaint-res' }, el('b', { text: t('admin.c.resolution') + ': ' }), c.resolution) : null,
        steps.length ? el('ul', { class: 'complaint-steps' }, steps) : null,
        el('div', { class: 'row' },
          c.status !== 'closed' ? el('button', { class: 'btn', type: 'button', 'data-act': 'follow', text: t('admin.c.follow'), onclick: () => { openForm = openForm === c.id ? null : c.id; renderComplaints(); } }) : null,
          el('button', { class: 'btn secondary', type: 'button', 'data-act': 'print', text: t('admin.c.print'), onclick: () => printReceipt(c.id) })),
        openForm === c.id ? complaintForm(c) : null);
    }));
  }

  function complaintForm(c) {
    const status = el('select', { name: 'status' },
      ['recorded', 'followed_up', 'closed'].map((s) => el('option', { value: s, text: t('admin.c.status.' + s) })));
    status.value = c.status === 'received' ? 'recorded' : 'followed_up';
    const note = el('textarea', { name: 'note', rows: '2' });
    const resolution = el('textarea', { name: 'resolution', rows: '2' });
    const resField = el('div', { class: 'field', hidden: true }, el('label', { text: t('admin.c.resolution') }), resolution);
    status.addEventListener('change', () => { resField.hidden = status.value !== 'closed'; });
    return el('form', { class: 'complaint-form', onsubmit: async (e) => {
      e.preventDefault();
      const r = await api('PATCH', '/api/complaints/' + c.id, { status: status.value, note: note.value.trim(), resolution: resolution.value.trim() }, session.token());
      if (r.status === 401) { lock(t('admin.badtoken')); return; }
      if (!r.ok) { say('complaint-msg', errText(r), false); return; }
      say('complaint-msg', t('admin.c.saved', { n: c.id, s: t('admin.c.status.' + r.body.status) }), true);
      openForm = null;
      loadComplaints();
    } },
    el('div', { class: 'row' }, el('div', { class: 'field' }, el('label', { text: t('admin.c.next') }), status)),
    el('div', { class: 'field' }, el('label', { text: t('admin.c.note') }), note), resField,
    el('button', { class: 'btn good', type: 'submit', text: t('admin.c.save') }),
    el('button', { class: 'btn secondary', type: 'button', text: t('counter.cancel'), onclick: () => { openForm = null; renderComplaints(); } }));
  }

  async function printReceipt(id) {
    const path = '/api/admin/complaints/' + id + '/print';
    const r = await api('POST', path, undefined, session.token());
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    if (r.ok) say('complaint-msg', t('admin.c.printed', { n: id }), true);
    else if (r.status === 404 && /alamat API tidak dikenal/.test(errText(r))) say('complaint-msg', t('admin.reprint.missing', { path }), false);
    else say('complaint-msg', errText(r), false);
  }

  // ---------- standards ----------
  let stdService = '';

  function fillServices() {
    if (!state) return;
    const sel = $('std-service');
    if (sel.options.length !== state.services.length) {
      sel.replaceChildren(...state.services.map((s) => el('option', { value: s.code, text: s.code + ' — ' + s.name })));
      if (stdService) sel.value = stdService;
    }
    if (!stdService && state.services.length) { stdService = sel.value; loadStandards(); }
  }

  async function loadStandards() {
    if (!stdService) return;
    const r = await api('GET', '/api/services/' + encodeURIComponent(stdService) + '/standards');
    if (!r.ok) { $('revisions').replaceChildren(el('tr', {}, el('td', { class: 'msg err', text: errText(r) }))); return; }
    const cur = r.body.in_force;
    $('revisions').replaceChildren(
      el('tr', {}, el('th', { text: '#' }), el('th', { text: t('admin.std.effective.short') }), el('th', { class: 'num', text: t('admin.std.wait.short') }),
        el('th', { class: 'num', text: t('admin.std.svc.short') }), el('th', { text: t('admin.std.reason') })),
      ...r.body.revisions.slice().reverse().map((v) => el('tr', { 'data-revision': String(v.id), class: v.id === cur.id ? 'current' : '' },
        el('td', { text: String(v.id) }),
        el('td', {}, v.id === 0 ? t('admin.std.config') : when(v.effective), ' ',
          v.id === cur.id ? el('span', { class: 'tag ok', text: t('admin.std.inforce') }) : Date.parse(v.effective) > Antri.now() ? el('span', { class: 'tag prio', text: t('admin.std.future') }) : null),
        el('td', { class: 'num', text: dur(v.wait_standard_s) }), el('td', { class: 'num', text: dur(v.service_standard_s) }),
        el('td', { text: v.reason || (v.id === 0 ? t('admin.std.config') : '') }))));
    const c = cur.components || {};
    $('std-wait').placeholder = minutes(cur.wait_standard_s); $('std-svc').placeholder = minutes(cur.service_standard_s);
    $('std-requirements').value = (c.requirements || []).join('\n');
    $('std-procedure').value = (c.procedure || []).join('\n');
    $('std-time').value = c.completion_time || ''; $('std-fee').value = c.fee || '';
    $('std-product').value = c.product || ''; $('std-complaints').value = c.complaints || '';
  }

  // Standards are written in minutes ("15", "7,5"), as an office says them;
  // the API takes durations.
  const minutes = (s) => (s / 60).toLocaleString('id-ID', { maximumFractionDigits: 2 });
  function asDuration(id) {
    const v = $(id).value.trim().replace(',', '.');
    return /^\d+(\.\d+)?$/.test(v) && +v > 0 ? Math.round(+v * 60) + 's' : null;
  }

  async function revise() {
    const lines = (id) => $(id).value.split('\n').map((x) => x.trim()).filter(Boolean);
    const wait = asDuration('std-wait'), svc = asDuration('std-svc');
    if (!wait || !svc) { say('std-msg', t('admin.std.minutes'), false); return; }
    const body = { wait_standard: wait, service_standard: svc, reason: $('std-reason').value.trim() };
    if ($('std-effective').value) body.effective = Antri.zonedToISO($('std-effective').value); // the office's wall time
    if ($('std-components').open) {
      body.components = { requirements: lines('std-requirements'), procedure: lines('std-procedure'), completion_time: $('std-time').value.trim(),
        fee: $('std-fee').value.trim(), product: $('std-product').value.trim(), complaints: $('std-complaints').value.trim() };
    }
    const r = await api('POST', '/api/services/' + encodeURIComponent(stdService) + '/standards', body, session.token());
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    if (!r.ok) { say('std-msg', errText(r), false); return; }
    say('std-msg', t('admin.std.saved', { n: r.body.id, s: stdService, at: when(r.body.effective) }), true);
    $('std-reason').value = ''; $('std-effective').value = '';
    loadStandards();
  }

  // ---------- headquarters sync ----------
  async function loadSync() {
    const r = await api('GET', '/api/admin/sync', undefined, session.token());
    const box = $('sync');
    if (r.status === 404) { box.replaceChildren(el('p', { class: 'muted', id: 'sync-none', text: t('admin.sync.none') })); return; }
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    if (!r.ok) { box.replaceChildren(el('div', { class: 'msg err', text: errText(r) })); return; }
    const s = r.body;
    const dead = (s.dead_letters || []).filter((d) => !d.resolved_at);
    const line = (k, v, cls) => el('tr', {}, el('th', { text: t(k) }), el('td', { class: cls || '', text: v }));
    box.replaceChildren(
      el('table', { id: 'sync-status' },
        line('admin.sync.url', s.url || '—'),
        line('admin.sync.backlog', String(s.backlog ?? 0)),
        line('admin.sync.oldest', s.backlog ? dur(s.oldest_unsent_age_s || 0) : '—'),
        line('admin.sync.last', s.last_success ? when(s.last_success) : t('admin.sync.never')),
        line('admin.sync.error', s.last_error || '—', s.last_error ? 'late-text' : 'muted'),
        line('admin.sync.dead', String(dead.length), dead.length ? 'late-text' : '')),
      dead.length ? el('ul', { class: 'sync-dead' }, dead.map((d) => el('li', { text: `${d.from_seq}–${d.to_seq} · HTTP ${d.status} · ${d.reason} · ${when(d.at)}` }))) : null,
      el('button', { class: 'btn spaced', type: 'button', id: 'sync-retry', text: t('admin.sync.retry'), onclick: retrySync }));
  }

  async function retrySync() {
    const r = await api('POST', '/api/admin/sync/retry', undefined, session.token());
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    say('sync-msg', r.ok ? t('admin.sync.retried') : errText(r), r.ok);
    setTimeout(loadSync, 1500);
  }

  // ---------- software update (sync/update) ----------
  async function loadUpdate() {
    const r = await api('GET', '/api/admin/update', undefined, session.token());
    const box = $('update');
    if (r.status === 404) { box.replaceChildren(el('p', { class: 'muted', id: 'update-none', text: t('admin.update.none') })); return; }
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    if (!r.ok) { box.replaceChildren(el('div', { class: 'msg err', text: errText(r) })); return; }
    const s = r.body;
    const u = s.update || {};
    const failed = u.state === 'refused' || u.state === 'rolled_back';
    const state = u.state ? t('admin.update.state.' + u.state) + (u.version ? ' ' + u.version : '') : t('admin.update.state.none');
    const line = (k, v, cls) => el('tr', {}, el('th', { text: t(k) }), el('td', { class: cls || '', text: v }));
    box.replaceChildren(
      el('table', { id: 'update-status' },
        line('admin.update.running', s.running + (s.trial ? ' (' + t('admin.update.trial') + ')' : '')),
        line('admin.update.desired', s.desired || '—'),
        line('admin.update.last', state + (u.at ? ' · ' + when(u.at) : ''), failed ? 'late-text' : ''),
        u.reason ? line('admin.update.reason', u.reason, failed ? 'late-text' : 'muted') : null,
        s.waiting ? line('admin.update.waiting', s.waiting, 'muted') : null,
        line('admin.update.checked', s.last_check ? when(s.last_check) : t('admin.sync.never')),
        s.last_error ? line('admin.sync.error', s.last_error, 'late-text') : null),
      el('div', { class: 'spaced' },
        u.state === 'installed' && !s.trial
          ? [el('button', { class: 'btn', type: 'button', id: 'update-apply', text: t('admin.update.apply'), onclick: applyUpdate }), ' ']
          : null,
        el('button', { class: 'btn secondary', type: 'button', id: 'update-check', text: t('admin.update.check'), onclick: checkUpdate })));
  }

  async function applyUpdate() {
    if (!window.confirm(t('admin.update.confirm'))) return;
    const r = await api('POST', '/api/admin/update/apply', undefined, session.token());
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    say('update-msg', r.ok ? t('admin.update.applied') : errText(r), r.ok);
  }

  async function checkUpdate() {
    const r = await api('POST', '/api/admin/update/check', undefined, session.token());
    if (r.status === 401) { lock(t('admin.badtoken')); return; }
    say('update-msg', r.ok ? t('admin.update.checking') : errText(r), r.ok);
    setTimeout(loadUpdate, 1500);
  }

  // The admin's view (docs/PAGES.md): the snapshot has the services' figures and the
  // counters with their tickets; every event comes in full, with the services it changed.
  function apply(ev) {
    Antri.applyServices(state.services, ev.services);
    const k = state.counters.find((c) => c.id === ev.counter);
    if (k && ev.type === 'counter_status') Object.assign(k, { status: ev.data.status, pause_reason: ev.data.pause_reason || '' });
    if (k && ev.type === 'officer_signed_in') k.officer = ev.data;
    if (k && ev.type === 'officer_signed_out') k.officer = null;
    const tk = ev.ticket;
    if (!tk) return;
    for (const k of state.counters) {
      if ((tk.stage === 'called' || tk.stage === 'started') && tk.counter === k.id) k.current = tk;
      else if (k.current && k.current.number === tk.number && k.current.day === tk.day) k.current = null;
    }
  }

  $('clock-set').addEventListener('click', askClock);
  $('clock-yes').addEventListener('click', setClock);
  $('clock-no').addEventListener('click', () => { $('clock-confirm').hidden = true; renderClock(); });
  $('running').addEventListener('submit', (e) => { e.preventDefault(); saveRunning($('running-text').value); });
  $('running-clear').addEventListener('click', () => saveRunning(''));
  $('complaint-filter').addEventListener('change', loadComplaints);
  $('std-service').addEventListener('change', () => { stdService = $('std-service').value; loadStandards(); });
  $('revise').addEventListener('submit', (e) => { e.preventDefault(); revise(); });
  $('reprint').addEventListener('submit', (e) => { e.preventDefault(); reprint($('reprint-number').value.trim().toUpperCase()); });

  let socket = null;
  // reconnect opens the admin's socket with the token just unlocked.
  function reconnect() {
    if (socket) socket.close();
    socket = Antri.live({
      view: 'admin',
      token: session.token,
      onSnapshot(msg) {
        state = msg;
        runningText = msg.running_text || '';
        if (document.activeElement !== $('running-text')) $('running-text').value = runningText;
        render();
        loadBreaches(); // notices missed while away are not replayed
      },
      onEvent(ev) {
        if (ev.type === 'running_text') {
          runningText = (ev.data && ev.data.text) || '';
          if (document.activeElement !== $('running-text')) $('running-text').value = runningText;
        }
        if (ev.type && ev.type.startsWith('print')) loadFailures();
        if (ev.type === 'breach' || ev.type === 'breach_cleared') onBreach(ev);
        if (ev.type && ev.type.startsWith('complaint_')) loadComplaints();
        if (ev.type === 'standard_revised') loadStandards();
        if (ev.type === 'update_status') loadUpdate();
        if (ev.seq > 0 && state) { apply(ev); render(); }
        tell('event', ev);
      },
      onRefused() { socket = null; lock(t('admin.badtoken')); },
    });
  }
  // Locked, the page keeps nothing coming: the admin's data stop with the token.
  $('lock').addEventListener('click', () => { if (socket) { socket.close(); socket = null; } });

  Antri.onLang(() => { render(); renderHealth(); renderClock(); if (session.token()) { renderBreaches(); renderComplaints(); loadStandards(); loadSync(); loadUpdate(); tell('lang'); } });
  setInterval(() => { if (session.token()) { loadHealth(); loadClock(); loadSync(); loadUpdate(); renderBreaches(); } }, 10000);
})();
