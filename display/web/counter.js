// The officer's page of one counter, unlocked with the counter's token (kept
// in sessionStorage: it is forgotten when the browser closes).
'use strict';
(() => {
  const { t, el, dur, clock, since, api, serviceName } = Antri;
  const id = decodeURIComponent(location.pathname.split('/')[2] || '');
  let state = null;
  const notices = [];
  const lifecycle = new Set(['issued', 'called', 'recalled', 'started', 'finished', 'no_show', 'transferred', 'expired', 'feedback', 'running_text']);
  const $ = (x) => document.getElementById(x);

  function me() { return state && state.counter; }

  const session = Antri.signIn({
    storageKey: 'antri.counter.' + id,
    check: (tok) => api('GET', `/api/counters/${encodeURIComponent(id)}/session`, undefined, tok),
    badToken: 'counter.badtoken',
    onUnlock: () => { render(); reconnect(); },
  });
  const lock = (message) => { if (socket) { socket.close(); socket = null; } session.lock(message); };

  function say(text, ok) {
    const m = $('msg');
    m.hidden = false;
    m.className = 'msg ' + (ok ? 'ok' : 'err');
    m.textContent = text;
  }

  async function act(action, body) {
    const r = await api('POST', `/api/counters/${encodeURIComponent(id)}/${action}`, body, session.token());
    if (r.status === 401) { lock(t('counter.badtoken')); return; }
    if (!r.ok) { say((r.body && r.body.error) || ('HTTP ' + r.status), false); return; }
    const okKey = 'counter.ok.' + action;
    say(t(okKey, { n: r.body.number }), true);
    if (action === 'transfer') { $('transfer').hidden = true; $('tr-note').value = ''; $('tr-unit').value = ''; }
  }

  function render() {
    if (!state) return;
    const k = me();
    if (!k) return;
    $('title').textContent = k.name;
    document.title = k.name;
    $('serves').textContent = t('counter.serves', { s: k.services.map((c) => c + ' ' + serviceName(state, c)).join(', ') });
    renderCurrent();
    renderWaiting();
    renderNotices();
    const sel = $('tr-service');
    const chosen = sel.value;
    sel.replaceChildren(...state.services.map((s) => el('option', { value: s.code, text: s.code + ' — ' + s.name })));
    if (chosen) sel.value = chosen;
    renderComplaintTopics();
    renderComplaintDone();
  }

  function renderCurrent() {
    const tk = me().current;
    const box = $('current');
    const has = !!tk;
    $('act-recall').disabled = !has || tk.stage !== 'called';
    $('act-start').disabled = !has || tk.stage !== 'called';
    for (const b of ['act-done', 'act-incomplete', 'act-transfer']) $(b).disabled = !has;
    $('act-noshow').disabled = !has || tk.stage !== 'called';
    $('act-call').disabled = has;
    prefillComplaintTicket(tk);
    if (!has) { box.replaceChildren(el('p', { class: 'muted', text: t('counter.idle') })); $('transfer').hidden = true; return; }
    const parts = [
      el('div', { class: 'c-number', id: 'current-number', text: tk.number }),
      el('div', { class: 'c-stage' }, t('stage.' + tk.stage) + ' · ' + serviceName(state, tk.service) + ' ', tk.priority ? el('span', { class: 'tag prio', text: t('priority') }) : null),
    ];
    const std = tk.service_standard_s;
    if (tk.stage === 'started') {
      const e = since(tk.started_at);
      const late = std > 0 && e > std;
      parts.push(el('div', { class: 'c-timer' + (late ? ' late' : ''), text: clock(e) }));
      const bar = el('div', { class: 'c-bar' + (late ? ' late' : '') }, el('div'));
      bar.firstChild.style.width = Math.min(100, std > 0 ? e / std * 100 : 0) + '%';
      parts.push(bar, el('div', { class: 'muted', text: t('counter.service.time', { e: dur(e), s: dur(std) }) }));
    } else {
      const e = since(tk.last_called_at || tk.called_at);
      parts.push(el('div', { class: 'c-timer', text: clock(e) }),
        el('div', { class: 'muted', text: t('counter.called.ago', { d: dur(e), n: tk.calls }) }));
    }
    if (tk.referral || tk.transferred_from) parts.push(referral(tk));
    box.replaceChildren(...parts);
  }

  function referral(tk) {
    return el('div', { class: 'c-referral' },
      el('b', { text: t('counter.referral', { from: tk.transferred_from ? tk.transferred_from + ' ' + serviceName(state, tk.transferred_from) : '?' }) }),
      tk.referral_unit ? el('div', { text: tk.referral_unit }) : null,
      tk.referral ? el('div', { text: '“' + tk.referral + '”' }) : null);
  }

  function renderWaiting() {
    const list = state.waiting;
    $('waiting-title').textContent = t('counter.waiting', { n: list.length });
    const ul = $('waiting');
    if (!list.length) { ul.replaceChildren(el('li', { class: 'muted', text: t('counter.nowaiting') })); return; }
    ul.replaceChildren(...list.map((w) => {
      const e = since(w.queued_at);
      const late = w.wait_standard_s > 0 && e > w.wait_standard_s;
      return el('li', { class: late ? 'late' : '', 'data-number': w.number },
        el('span', { class: 'n', text: w.number }),
        w.priority ? el('span', { class: 'tag prio', text: t('priority') }) : null,
        late ? el('span', { class: 'tag late', text: t('counter.late') }) : null,
        el('span', { class: 'w', text: t('counter.wait.time', { e: dur(e), s: dur(w.wait_standard_s) }) }),
        w.transferred_from ? el('div', { class: 'r', text: t('counter.referral', { from: w.transferred_from }) + (w.referral_unit ? ' · ' + w.referral_unit : '') + (w.referral ? ' — “' + w.referral + '”' : '') }) : null);
    }));
  }

  function renderNotices() {
    const ul = $('notices');
    if (!notices.length) { ul.replaceChildren(el('li', { class: 'muted', text: t('counter.nonotices') })); return; }
    ul.replaceChildren(...notices.map((n) => el('li', {},
      el('time', { text: Antri.time(n.at) }),
      n.text)));
  }

  function data(ev) {
    let d = ev.data;
    if (typeof d === 'string') { try { d = JSON.parse(d); } catch (e) { d = {}; } }
    return d || {};
  }

  // noticeFor says whether a live notice or breach event concerns this counter:
  // a wait breach concerns every counter serving its service; other notices
  // their own counter, or everyone when they name none.
  function noticeFor(ev) {
    const d = data(ev);
    if (ev.type === 'breach' || ev.type === 'breach_cleared') {
      if (d.counter) return d.counter === id;
      const k = me();
      return !!k && k.services.includes(d.service || ev.service);
    }
    if (ev.seq === 0) return !ev.counter || ev.counter === id;
    const forMe = ev.counter === id || (ev.ticket && ev.ticket.counter === id);
    return forMe && !lifecycle.has(ev.type);
  }

  // notice turns a live notice or breach event for this counter into a line.
  function notice(ev) {
    const d = data(ev);
    let text;
    if (ev.type === 'breach') text = t('counter.breach.' + (d.kind === 'wait' ? 'wait' : 'service'), { n: d.number, e: dur(d.elapsed_s), s: dur(d.standard_s) });
    else if (ev.type === 'breach_cleared') text = t('counter.breach.cleared', { n: d.number });
    else text = d.message || d.text || d.reason || [ev.type.replace(/_/g, ' '), ev.ticket && ev.ticket.number].filter(Boolean).join(' · ');
    notices.unshift({ at: ev.at || new Date().toISOString(), text });
    notices.splice(10);
    renderNotices();
  }

  // A complaint made at this counter (issue 5: kiosk, counter or API). The
  // related ticket starts as the ticket at the counter; once the officer edits
  // it, the field is theirs until the complaint is recorded. The receipt route
  // needs the admin token, so the page shows the number large enough for the
  // citizen to note instead of printing it.
  let ccEdited = false;
  let ccLast = null; // {id, channel, ticket} of the complaint just recorded

  function prefillComplaintTicket(tk) {
    // A counter gone idle keeps the last number: the complaint is often about
    // the service that just ended.
    if (ccEdited || !tk) return;
    const f = $('cc-ticket');
    if (f.value !== tk.number) f.value = tk.number;
  }

  function renderComplaintTopics() {
    const sel = $('cc-topic');
    const chosen = sel.value;
    sel.replaceChildren(el('option', { value: '', text: t('counter.c.choose') }),
      ...Antri.complaintTopics.map(([k, value]) => el('option', { value, text: t(k) })));
    sel.value = chosen;
  }

  function renderComplaintDone() {
    const done = !!ccLast;
    $('complaint').hidden = done;
    $('cc-done').hidden = !done;
    if (!done) return;
    $('cc-number').textContent = String(ccLast.id);
    $('cc-listed').textContent = t('counter.c.listed', { ch: ccLast.channel, tk: ccLast.ticket ? t('counter.c.forticket', { n: ccLast.ticket }) : '' });
  }

  async function sendComplaint() {
    const err = $('cc-error');
    const fail = (text) => { err.hidden = false; err.textContent = text; };
    err.hidden = true;
    const topic = $('cc-topic').value;
    const text = $('cc-text').value.trim();
    const ticket = $('cc-ticket').value.trim().toUpperCase();
    if (!topic) { fail(t('counter.c.needtopic')); $('cc-topic').focus(); return; }
    if (!text) { fail(t('counter.c.needtext')); $('cc-text').focus(); return; }
    const channel = 'loket ' + id;
    $('cc-send').disabled = true;
    const r = await api('POST', '/api/complaints', { channel, topic, text, ticket });
    $('cc-send').disabled = false;
    if (!r.ok) { fail((r.body && r.body.error) || ('HTTP ' + r.status)); return; }
    ccLast = { id: r.body.id, channel, ticket };
    $('cc-topic').value = '';
    $('cc-text').value = '';
    renderComplaintDone();
  }

  function newComplaint() {
    ccLast = null;
    ccEdited = false;
    $('cc-ticket').value = '';
    const k = me();
    prefillComplaintTicket(k && k.current);
    renderComplaintDone();
    $('cc-topic').focus();
  }

  // The counter's view (docs/PAGES.md): the snapshot has this counter with its ticket
  // and the waiting list of its services in call order; each event of its scope is
  // applied to them.
  const waitingStages = new Set(['issued', 'transferred']);

  function apply(ev) {
    Antri.applyServices(state.services, ev.services);
    const tk = ev.ticket;
    if (!tk) return;
    const k = me();
    const same = (w) => w.number === tk.number && (!w.day || w.day === tk.day);
    const before = state.waiting.find(same);
    state.waiting = state.waiting.filter((w) => !same(w));
    if (waitingStages.has(tk.stage) && k.services.includes(tk.service)) {
      // queue_seq is the seq of the event that queued it: call order among equals.
      const queued = ev.type === 'issued' || ev.type === 'transferred' ? ev.seq : before && before.queue_seq;
      state.waiting.push(Object.assign({}, tk, { queue_seq: queued || ev.seq }));
      // Call order over the counter's services: priority first, then in the order queued.
      state.waiting.sort((a, b) => (b.priority - a.priority) || (a.queue_seq - b.queue_seq));
    }
    if ((tk.stage === 'called' || tk.stage === 'started') && tk.counter === id) k.current = tk;
    else if (k.current && k.current.number === tk.number) k.current = null;
  }

  let socket = null;
  // reconnect opens the socket with the token just unlocked (a new one after a lock).
  function reconnect() {
    if (socket) socket.close();
    socket = Antri.live({
      view: 'counter',
      params: { counter: id },
      token: session.token,
      onSnapshot(msg) { state = msg; render(); },
      onEvent(ev) {
        if (noticeFor(ev)) notice(ev);
        if (ev.seq > 0 && state) { apply(ev); render(); }
      },
      onRefused() { socket = null; lock(t('counter.badtoken')); },
    });
  }
  // Locked, the page keeps nothing coming: the desk's data stop with the token.
  $('lock').addEventListener('click', () => { if (socket) { socket.close(); socket = null; } });

  $('act-call').addEventListener('click', () => act('call'));
  $('act-recall').addEventListener('click', () => act('recall'));
  $('act-start').addEventListener('click', () => act('start'));
  $('act-done').addEventListener('click', () => act('finish', { outcome: 'done' }));
  $('act-incomplete').addEventListener('click', () => act('finish', { outcome: 'incomplete' }));
  $('act-noshow').addEventListener('click', () => act('noshow'));
  $('act-transfer').addEventListener('click', () => { $('transfer').hidden = !$('transfer').hidden; });
  $('tr-cancel').addEventListener('click', () => { $('transfer').hidden = true; });
  $('transfer').addEventListener('submit', (e) => {
    e.preventDefault();
    act('transfer', { service: $('tr-service').value, note: $('tr-note').value.trim(), unit: $('tr-unit').value.trim() });
  });

  $('complaint').addEventListener('submit', (e) => { e.preventDefault(); sendComplaint(); });
  $('cc-ticket').addEventListener('input', () => { ccEdited = true; });
  // A refusal is about the form as it was; it goes once the officer changes it.
  for (const f of ['cc-topic', 'cc-text']) $(f).addEventListener('input', () => { $('cc-error').hidden = true; });
  $('cc-another').addEventListener('click', newComplaint);

  Antri.onLang(render);
  setInterval(() => { if (state && session.token()) { renderCurrent(); renderWaiting(); } }, 1000);
})();
