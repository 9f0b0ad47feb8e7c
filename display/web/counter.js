// The officer's page of one counter. Unlocked with the counter's token (kept in
// sessionStorage: forgotten when the browser closes), or on a device the admin paired
// (its token kept in localStorage until the admin revokes it). It serves the ticket at
// the counter, lists the waiting of its services by service, calls a given number, puts
// a no-show back in the queue, pauses (with a reason), resumes and closes the counter,
// signs the officer in for the shift, and lists its own tickets past standard now.
'use strict';
(() => {
  const { t, el, dur, clock, since, api, serviceName } = Antri;
  const id = decodeURIComponent(location.pathname.split('/')[2] || '');
  let state = null;
  let units = null; // code → unit, from /api/services (the transfer list groups by agency)
  const notices = [];
  const breaches = new Map(); // "A-001:service" → breach, from /breaches then the live notices
  // Events that are stages of tickets or of the counter: shown in their own places, not as notices.
  const lifecycle = new Set(['issued', 'called', 'recalled', 'started', 'finished', 'no_show', 'transferred', 'expired', 'feedback',
    'running_text', 'requeued', 'counter_status', 'officer_signed_in', 'officer_signed_out', 'printed']);
  const reasons = ['istirahat', 'ishoma', 'rapat', 'gangguan'];
  const $ = (x) => document.getElementById(x);

  function me() { return state && state.counter; }
  const path = (what) => `/api/counters/${encodeURIComponent(id)}/${what}`;

  const session = Antri.signIn({
    storageKey: 'antri.counter.' + id,
    paired: 'counter',
    check: (tok) => api('GET', path('session'), undefined, tok),
    badToken: 'counter.badtoken',
    onUnlock: () => { $('paired-chip').hidden = !session.paired(); loadUnits(); render(); reconnect(); },
  });
  const lock = (message) => {
    if (socket) { socket.close(); socket = null; }
    for (const c of ['status-chip', 'officer-chip', 'paired-chip']) $(c).hidden = true;
    session.lock(message);
  };

  // hm says an instant as the office's clock shows it: "08.25" (Indonesian), "08:25".
  function hm(iso) {
    return iso ? Antri.time(iso) : ''; // the one helper of every page (app.js)
  }
  const reasonText = (r) => (r ? t('pause.' + r) : '');
  // nipText writes a NIP the way it is printed on an ID card: 19800101 200501 2 001.
  const nipText = (n) => (n && n.length === 18 ? `${n.slice(0, 8)} ${n.slice(8, 14)} ${n.slice(14, 15)} ${n.slice(15)}` : n || '');

  function say(text, ok) {
    const m = $('msg');
    m.hidden = false;
    m.className = 'msg ' + (ok ? 'ok' : 'err');
    m.textContent = text;
  }

  async function act(action, body) {
    const r = await api('POST', path(action), body, session.token());
    if (r.status === 401) { lock(t('counter.badtoken')); return false; }
    if (!r.ok) { say((r.body && r.body.error) || ('HTTP ' + r.status), false); return false; }
    const b = r.body || {};
    say(t('counter.ok.' + action, { n: b.number, r: reasonText(b.pause_reason), name: b.officer ? b.officer.name : '' }), true);
    if (action === 'transfer') { $('transfer').hidden = true; $('tr-note').value = ''; $('tr-unit').value = ''; }
    return true;
  }

  // loadUnits reads the services' agencies once, for the transfer list.
  async function loadUnits() {
    if (units) return;
    const r = await api('GET', '/api/services');
    if (!r.ok || !Array.isArray(r.body)) return;
    units = {};
    for (const s of r.body) units[s.code] = s.unit || '';
    renderTransferList();
  }

  // loadBreaches reads the counter's tickets past standard now (GET …/breaches): the
  // live notices only tell what happens while the page is open.
  async function loadBreaches() {
    const r = await api('GET', path('breaches'), undefined, session.token());
    if (!r.ok || !Array.isArray(r.body)) return;
    breaches.clear();
    for (const b of r.body) breaches.set(b.number + ':' + b.kind, b);
    renderBreaches();
  }

  function render() {
    if (!state) return;
    const k = me();
    if (!k) return;
    $('title').textContent = k.name;
    document.title = k.name;
    $('serves').textContent = t('counter.serves', { s: k.services.map((c) => c + ' ' + serviceName(state, c)).join(', ') });
    renderStatus();
    renderCurrent();
    renderWaiting();
    renderNoShows();
    renderBreaches();
    renderNotices();
    renderTransferList();
    renderComplaintTopics();
    renderComplaintDone();
  }

  // renderStatus shows whether the counter takes citizens, with its reason, and who is
  // signed in; the pause, resume and close buttons follow.
  function renderStatus() {
    const k = me();
    const status = k.status || 'open';
    const chip = $('status-chip');
    chip.hidden = false;
    chip.className = 'c-chip c-chip-' + status;
    chip.textContent = t('counter.status.' + status, { r: reasonText(k.pause_reason) });
    const banner = $('status-banner');
    banner.hidden = status === 'open';
    banner.className = 'c-banner c-banner-' + status;
    if (status === 'paused') banner.textContent = t('counter.paused.banner', { r: reasonText(k.pause_reason), at: hm(k.status_since) });
    if (status === 'closed') banner.textContent = k.status_since ? t('counter.closed.banner', { at: hm(k.status_since) }) : t('counter.closed.banner.new');
    const busy = !!k.current;
    $('pause-reasons').replaceChildren(...reasons.map((r) => el('button', {
      class: 'btn secondary' + (status === 'paused' && k.pause_reason === r ? ' on' : ''), type: 'button', 'data-reason': r,
      disabled: busy || status === 'closed' || (status === 'paused' && k.pause_reason === r),
      onclick: () => act('pause', { reason: r }),
    }, t('pause.' + r))));
    const resume = $('act-resume');
    resume.hidden = status === 'open';
    resume.textContent = t(status === 'closed' ? 'counter.reopen' : 'counter.resume');
    $('act-close').hidden = status === 'closed';
    $('act-close').disabled = busy;
    const o = k.officer;
    const chipO = $('officer-chip');
    chipO.hidden = !o;
    chipO.textContent = o ? t('counter.officer.is', { name: o.name }) : '';
    $('signin').hidden = !!o;
    $('officer').replaceChildren(o
      ? el('div', { class: 'c-officer-in' },
        el('b', { text: t('counter.officer.is', { name: o.name }) }),
        o.nip ? el('span', { class: 'muted', text: ' · ' + t('counter.officer.nipis', { nip: nipText(o.nip) }) }) : null,
        el('button', { class: 'btn secondary small', type: 'button', id: 'act-signout', onclick: () => act('signout') }, t('counter.officer.signout')))
      : el('p', { class: 'muted', text: t('counter.officer.none') }));
  }

  function renderCurrent() {
    const k = me();
    const tk = k.current;
    const box = $('current');
    const has = !!tk;
    const open = (k.status || 'open') === 'open';
    $('act-recall').disabled = !has || tk.stage !== 'called';
    $('act-start').disabled = !has || tk.stage !== 'called';
    for (const b of ['act-done', 'act-incomplete', 'act-transfer']) $(b).disabled = !has;
    $('act-noshow').disabled = !has || tk.stage !== 'called';
    $('act-call').disabled = has || !open;
    $('call-number-do').disabled = has || !open;
    prefillComplaintTicket(tk);
    if (!has) { box.replaceChildren(el('p', { class: 'muted', text: t('counter.idle') })); $('transfer').hidden = true; return; }
    const parts = [
      el('div', { class: 'c-number', id: 'current-number', text: tk.number }),
      el('div', { class: 'c-stage' }, t('stage.' + tk.stage) + ' · ' + serviceName(state, tk.service) + ' ', tk.priority ? el('span', { class: 'tag prio', text: t('priority') }) : null),
    ];
    // A ticket that could not be printed: the citizen holds no paper, so the officer says
    // the number aloud when calling it.
    if (tk.print_failed) parts.push(el('div', { class: 'c-flag', id: 'current-unprinted', text: t('counter.unprinted') }));
    if (tk.returns) parts.push(el('div', { class: 'c-flag c-flag-info', id: 'current-returned', text: t('counter.returned', { n: tk.returns }) }));
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

  // renderWaiting lists the waiting of each service the counter serves, in call order,
  // each with a button that calls that ticket.
  function renderWaiting() {
    const k = me();
    const list = state.waiting;
    $('waiting-title').textContent = t('counter.waiting', { n: list.length });
    $('waiting-numbers').replaceChildren(...list.map((w) => el('option', { value: w.number })));
    const canCall = !k.current && (k.status || 'open') === 'open';
    const groups = k.services.map((code) => {
      const mine = list.filter((w) => w.service === code);
      return el('section', { class: 'c-group', 'data-service': code },
        el('h3', {}, t('counter.group', { code, name: serviceName(state, code) }), ' ', el('span', { class: 'c-count', text: String(mine.length) })),
        mine.length ? el('ul', { class: 'c-waiting' }, mine.map((w) => waitingRow(w, canCall)))
          : el('p', { class: 'muted', text: t('counter.group.none') }));
    });
    $('waiting').replaceChildren(...groups);
  }

  function waitingRow(w, canCall) {
    const li = el('li', { 'data-number': w.number },
      el('span', { class: 'n', text: w.number }),
      w.priority ? el('span', { class: 'tag prio', text: t('priority') }) : null,
      w.returns ? el('span', { class: 'tag info', text: t('counter.tag.returned') }) : null,
      w.print_failed ? el('span', { class: 'tag warn', text: t('counter.tag.unprinted') }) : null,
      el('span', { class: 'tag late', text: t('counter.late') }),
      el('span', { class: 'w' }),
      el('button', { class: 'btn secondary small c-callthis', type: 'button', disabled: !canCall, onclick: () => act('call', { number: w.number }) }, t('counter.callthis')),
      w.transferred_from ? el('div', { class: 'r', text: t('counter.referral', { from: w.transferred_from }) + (w.referral_unit ? ' · ' + w.referral_unit : '') + (w.referral ? ' — “' + w.referral + '”' : '') }) : null);
    tickRow(li, w);
    li.antriWaiting = w;
    return li;
  }

  // tickRow writes how long a waiting ticket has waited, against its standard, and marks
  // it late past it. A returned no-show waits again from its return. Every second the
  // rows are only ticked, never rebuilt, so that a press on their button is not lost.
  function tickRow(li, w) {
    const e = since(w.returned_at || w.queued_at);
    const late = w.wait_standard_s > 0 && e > w.wait_standard_s;
    li.classList.toggle('late', late);
    li.querySelector('.w').textContent = t(w.returned_at ? 'counter.wait.returned' : 'counter.wait.time', { e: dur(e), s: dur(w.wait_standard_s) });
  }

  function tickWaiting() {
    for (const li of $('waiting').querySelectorAll('li[data-number]')) if (li.antriWaiting) tickRow(li, li.antriWaiting);
  }

  function renderNoShows() {
    const list = state.no_shows || [];
    const ul = $('noshows');
    if (!list.length) { ul.replaceChildren(el('li', { class: 'muted', text: t('counter.noshows.none') })); return; }
    ul.replaceChildren(...list.map((tk) => el('li', { 'data-number': tk.number },
      el('span', { class: 'n', text: tk.number }),
      el('span', { class: 'w', text: serviceName(state, tk.service) + ' · ' + t('counter.noshow.at', { at: hm(tk.no_show_at) }) }),
      el('button', { class: 'btn secondary small', type: 'button', onclick: () => act('requeue', { number: tk.number }) }, t('counter.requeue')))));
  }

  // stillPast reports whether a breach still holds as far as the page knows: a wait while
  // its ticket waits here, a service while its ticket is at this counter. A call or an
  // end clears them at once, without waiting for the next round of the breach watch.
  function stillPast(b) {
    if (!state) return true;
    if (b.kind === 'wait') return state.waiting.some((w) => w.number === b.number);
    const cur = me() && me().current;
    return !!cur && cur.number === b.number;
  }

  function renderBreaches() {
    const ul = $('breaches');
    const list = [...breaches.values()].filter(stillPast).map((b) => Object.assign({}, b, { now: b.standard_s + Math.max(0, since(b.since)) }))
      .sort((a, b) => (b.now - b.standard_s) - (a.now - a.standard_s));
    $('breaches-card').classList.toggle('has', list.length > 0);
    if (!list.length) { ul.replaceChildren(el('li', { class: 'muted', text: t('counter.breaches.none') })); return; }
    ul.replaceChildren(...list.map((b) => el('li', { 'data-breach': b.number + ':' + b.kind },
      el('span', { class: 'n', text: b.number }),
      el('span', { class: 'w', text: t('counter.breach.row', { k: t('counter.breach.kind.' + b.kind), e: dur(b.now), s: dur(b.standard_s) }) }))));
  }

  function renderNotices() {
    const ul = $('notices');
    if (!notices.length) { ul.replaceChildren(el('li', { class: 'muted', text: t('counter.nonotices') })); return; }
    ul.replaceChildren(...notices.map((n) => el('li', {}, el('time', { text: hm(n.at) }), n.text)));
  }

  // renderTransferList offers every other service, grouped by agency (forty services
  // of a dozen agencies fit one list this way).
  function renderTransferList() {
    const sel = $('tr-service');
    const chosen = sel.value;
    const cur = me() && me().current;
    const byUnit = new Map();
    for (const s of state.services) {
      if (cur && s.code === cur.service) continue;
      const u = (units && units[s.code]) || '';
      if (!byUnit.has(u)) byUnit.set(u, []);
      byUnit.get(u).push(el('option', { value: s.code, text: s.code + ' — ' + s.name }));
    }
    const parts = [el('option', { value: '', text: t('counter.transfer.pick') })];
    for (const [u, opts] of byUnit) parts.push(u ? el('optgroup', { label: u }, opts) : opts);
    sel.replaceChildren(...parts.flat());
    sel.value = chosen;
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

  // notice turns a live notice or breach event for this counter into a line; a breach
  // also goes into (or out of) the list of tickets past standard now.
  function notice(ev) {
    const d = data(ev);
    let text;
    if (ev.type === 'breach') {
      text = t('counter.breach.' + (d.kind === 'wait' ? 'wait' : 'service'), { n: d.number, e: dur(d.elapsed_s), s: dur(d.standard_s) });
      breaches.set(d.number + ':' + d.kind, d);
    } else if (ev.type === 'breach_cleared') {
      text = t('counter.breach.cleared', { n: d.number });
      breaches.delete(d.number + ':' + d.kind);
    } else text = d.message || d.text || d.reason || [ev.type.replace(/_/g, ' '), ev.ticket && ev.ticket.number].filter(Boolean).join(' · ');
    notices.unshift({ at: ev.at || new Date().toISOString(), text });
    notices.splice(10);
    renderNotices();
    renderBreaches();
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

  // The counter's view (docs/PAGES.md): the snapshot has this counter with its ticket,
  // status and officer, the waiting list of its services in call order and today's
  // no-shows; each event of its scope is applied to them.
  const waitingStages = new Set(['issued', 'transferred']);

  function apply(ev) {
    Antri.applyServices(state.services, ev.services);
    const k = me();
    const d = data(ev);
    if (ev.counter === id) {
      if (ev.type === 'counter_status') Object.assign(k, { status: d.status, pause_reason: d.pause_reason || '', status_since: ev.at });
      if (ev.type === 'officer_signed_in') k.officer = d;
      if (ev.type === 'officer_signed_out') k.officer = null;
    }
    const tk = ev.ticket;
    if (!tk) return;
    const same = (w) => w.number === tk.number && (!w.day || w.day === tk.day);
    const before = state.waiting.find(same);
    state.waiting = state.waiting.filter((w) => !same(w));
    if (waitingStages.has(tk.stage) && k.services.includes(tk.service)) {
      // queue_seq is the seq of the event that queued it: call order among equals. A
      // returned no-show takes back the place it had (requeued's data).
      const queued = ev.type === 'issued' || ev.type === 'transferred' ? ev.seq : ev.type === 'requeued' ? d.queue_seq : before && before.queue_seq;
      state.waiting.push(Object.assign({}, tk, { queue_seq: queued || ev.seq }));
      // Call order over the counter's services: priority first, then in the order queued.
      state.waiting.sort((a, b) => (b.priority - a.priority) || (a.queue_seq - b.queue_seq));
    }
    state.no_shows = (state.no_shows || []).filter((n) => !same(n));
    if (ev.type === 'no_show' && k.services.includes(tk.service)) state.no_shows.unshift(tk);
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
      onSnapshot(msg) { state = msg; render(); loadBreaches(); }, // notices missed while away are not replayed
      onEvent(ev) {
        if (noticeFor(ev)) notice(ev);
        if (ev.seq > 0 && state) { apply(ev); render(); }
      },
      onRefused() { socket = null; lock(t('counter.badtoken')); },
    });
  }
  // Locked, the page keeps nothing coming: the desk's data stop with the token.
  $('lock').addEventListener('click', () => {
    if (socket) { socket.close(); socket = null; }
    for (const c of ['status-chip', 'officer-chip', 'paired-chip']) $(c).hidden = true;
  });

  $('act-call').addEventListener('click', () => act('call'));
  $('act-recall').addEventListener('click', () => act('recall'));
  $('act-start').addEventListener('click', () => act('start'));
  $('act-done').addEventListener('click', () => act('finish', { outcome: 'done' }));
  $('act-incomplete').addEventListener('click', () => act('finish', { outcome: 'incomplete' }));
  $('act-noshow').addEventListener('click', () => act('noshow'));
  $('act-resume').addEventListener('click', () => act('resume'));
  $('act-close').addEventListener('click', () => act('close'));
  $('act-transfer').addEventListener('click', () => { $('transfer').hidden = !$('transfer').hidden; });
  $('tr-cancel').addEventListener('click', () => { $('transfer').hidden = true; });
  $('transfer').addEventListener('submit', (e) => {
    e.preventDefault();
    if (!$('tr-service').value) { say(t('counter.transfer.needservice'), false); return; }
    act('transfer', { service: $('tr-service').value, note: $('tr-note').value.trim(), unit: $('tr-unit').value.trim() });
  });
  $('callnumber').addEventListener('submit', async (e) => {
    e.preventDefault();
    const number = $('call-number').value.trim().toUpperCase();
    if (!number) { say(t('counter.needcall'), false); return; }
    if (await act('call', { number })) $('call-number').value = '';
  });
  $('requeue-other').addEventListener('submit', async (e) => {
    e.preventDefault();
    const number = $('requeue-number').value.trim().toUpperCase();
    if (!number) { say(t('counter.needcall'), false); return; }
    if (await act('requeue', { number })) $('requeue-number').value = '';
  });
  $('signin').addEventListener('submit', (e) => {
    e.preventDefault();
    act('signin', { name: $('officer-name').value.trim(), nip: $('officer-nip').value.trim() });
  });

  $('complaint').addEventListener('submit', (e) => { e.preventDefault(); sendComplaint(); });
  $('cc-ticket').addEventListener('input', () => { ccEdited = true; });
  // A refusal is about the form as it was; it goes once the officer changes it.
  for (const f of ['cc-topic', 'cc-text']) $(f).addEventListener('input', () => { $('cc-error').hidden = true; });
  $('cc-another').addEventListener('click', newComplaint);

  Antri.onLang(render);
  setInterval(() => { if (state && session.token()) { renderCurrent(); tickWaiting(); renderBreaches(); } }, 1000);
})();
