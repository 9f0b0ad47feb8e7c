// One ticket's live status, the QR code's target: /t/A-012?d=2026-11-02&k=CODE. The day
// (d) picks that day's A-012, never today's when the ticket was last week's; the code (k)
// lets its holder rate the service once it is finished. The socket's ticket view sends
// this ticket and its place, then the ticket again whenever it or its place changes.
// Once the citizen taps "Ingatkan saya", the phone vibrates, beeps and (where the
// browser allows) notifies when three are ahead and when the number is called.
'use strict';
(() => {
  const { t, el, est, api, counterName, serviceName } = Antri;
  const $ = (x) => document.getElementById(x);
  const number = decodeURIComponent(location.pathname.split('/')[2] || '');
  const query = new URLSearchParams(location.search);
  const day = query.get('d') || query.get('day') || '';
  const code = query.get('k') || '';
  let state = null; // the snapshot: office, today, services' and counters' names
  let tk = null;
  let error = '';
  let outcome = '';
  let rated = 0;    // the score sent from this page
  let rateError = '';

  // ---- What the page shows ----

  // dayText says a day (YYYY-MM-DD) the way people read it: "Senin, 2 November 2026".
  function dayText(d) {
    const at = new Date(d + 'T12:00:00Z');
    if (Antri.date) return Antri.date(at);
    return at.toLocaleDateString(Antri.lang === 'en' ? 'en-GB' : 'id-ID', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  }

  // timeText says the office's time of an instant: "09.12" in Indonesian (PUEBI).
  function timeText(iso) {
    if (Antri.time) return Antri.time(iso);
    const s = new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    return Antri.lang === 'en' ? s : s.replace(':', '.');
  }

  function today() { return state ? state.day : ''; }

  function render() {
    const box = $('ticket');
    if (state) $('office').textContent = state.office.name;
    const other = day && today() && day !== today() ? el('div', { class: 't-day', id: 'ticket-day', text: t('ticket.day', { d: dayText(day) }) }) : null;
    if (error) {
      box.replaceChildren(...[el('div', { class: 't-number', text: number }), other, el('div', { class: 'msg err', text: error })].filter(Boolean));
      $('alerts').hidden = true;
      $('rate').hidden = true;
      return;
    }
    if (!tk) return;
    const parts = [el('div', { class: 't-number', id: 'ticket-number', text: tk.number }), other,
      el('div', { class: 'muted', text: serviceName(state, tk.service) + (tk.priority ? ' · ' + t('priority') : '') }),
      el('div', { class: 't-stage', id: 'ticket-stage', text: t('stage.' + tk.stage) })];
    if (waiting()) {
      if (tk.people_ahead === 0) parts.push(el('div', { class: 't-next', id: 'ticket-ahead', text: t('ticket.next') }));
      else if (tk.people_ahead > 0) {
        parts.push(el('div', { class: 't-line', id: 'ticket-ahead', text: t('ticket.ahead', { n: tk.people_ahead }) }));
        if (tk.estimated_wait_s !== undefined) parts.push(el('div', { class: 't-line', text: t('ticket.est', { d: est(tk.estimated_wait_s) }) }));
      }
      // The surge forecast (issue 15): this number will probably not be called today.
      if (tk.at_risk) {
        const close = (state.office.close || '').replace(':', Antri.lang === 'en' ? ':' : '.');
        parts.push(el('div', { class: 't-line t-risk', id: 'ticket-risk', role: 'status', text: t('crisis.ticket.risk', { close }) }));
      }
    } else if (tk.stage === 'called' || tk.stage === 'started') {
      parts.push(el('div', { class: 't-go', id: 'ticket-counter' },
        t(tk.stage === 'called' ? 'ticket.go' : 'ticket.at'), el('b', { text: counterName(state, tk.counter) })));
      if (tk.stage === 'called' && tk.last_called_at) parts.push(el('div', { class: 'muted', text: t('ticket.calledat', { h: timeText(tk.last_called_at) }) }));
    } else if (tk.stage === 'finished' && outcome === 'incomplete') {
      parts.push(el('div', { class: 'msg err', text: t('ticket.incomplete') }));
    } else if (tk.stage === 'no_show') {
      parts.push(el('div', { class: 'msg err', text: t('ticket.noshow') }));
    } else if (tk.stage === 'expired') {
      parts.push(el('div', { class: 'msg err', text: t('ticket.expired') }));
    }
    box.replaceChildren(...parts.filter(Boolean));
    renderAlerts();
    renderRate();
  }

  function waiting() { return tk && (tk.stage === 'issued' || tk.stage === 'transferred'); }

  // ---- Reminders: vibration, sound, notification ----

  // What a phone allows a page opened over plain http on the office network: vibration
  // (Android's Chrome, after a tap on the page; never on an iPhone), sound (after a tap,
  // while the page is open), and no notifications, which browsers give only to https
  // pages (and to this appliance's own screens). The page must stay open with the screen
  // on: a locked phone suspends it.
  const alerts = { on: false, audio: null, near: false, calls: 0, log: [] };
  window.antriAlerts = alerts.log; // what was given, for a technician's console and the tests

  function canNotify() { return 'Notification' in window && window.isSecureContext && Notification.permission === 'granted'; }

  function renderAlerts() {
    const box = $('alerts');
    box.hidden = !(waiting() || (tk && tk.stage === 'called'));
    if (box.hidden) return;
    const can = [];
    if ('vibrate' in navigator) can.push(t('ticket.alert.vibrate'));
    can.push(t('ticket.alert.sound'));
    if (canNotify()) can.push(t('ticket.alert.notify'));
    box.replaceChildren(
      alerts.on
        ? el('div', { class: 'msg ok', id: 'alerts-on', text: t('ticket.alert.on', { w: can.join(', ') }) })
        : el('button', { class: 'btn big', type: 'button', id: 'alerts-enable', text: t('ticket.alert.enable'), onclick: enableAlerts }),
      el('p', { text: t('ticket.alert.when') }),
      el('p', { text: 'Notification' in window && window.isSecureContext ? t('ticket.alert.keep') : t('ticket.alert.http') }));
  }

  // enableAlerts runs on the citizen's tap: the only moment a browser lets a page start
  // sound and vibration, and ask to notify.
  function enableAlerts() {
    alerts.on = true;
    try {
      alerts.audio = alerts.audio || new (window.AudioContext || window.webkitAudioContext)();
      alerts.audio.resume();
    } catch (e) { alerts.audio = null; }
    beep(1);
    if (navigator.vibrate) navigator.vibrate(100);
    if ('Notification' in window && window.isSecureContext && Notification.permission === 'default') {
      Notification.requestPermission().then(renderAlerts, renderAlerts);
    }
    renderAlerts();
  }

  // beep plays n short tones, made here: no sound file, nothing from the internet.
  function beep(n) {
    const a = alerts.audio;
    if (!a || a.state !== 'running') return false;
    for (let i = 0; i < n; i++) {
      const o = a.createOscillator(), g = a.createGain();
      const at = a.currentTime + i * 0.35;
      o.frequency.value = 880;
      g.gain.setValueAtTime(0.0001, at);
      g.gain.exponentialRampToValueAtTime(0.5, at + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, at + 0.25);
      o.connect(g).connect(a.destination);
      o.start(at);
      o.stop(at + 0.3);
    }
    return true;
  }

  // remind gives a reminder by every way the phone allows: "near" (three or fewer ahead)
  // or "called".
  function remind(kind) {
    const used = [];
    const text = kind === 'called' ? t('ticket.alert.called', { n: tk.number, c: counterName(state, tk.counter) }) : t('ticket.alert.near', { n: tk.number, a: tk.people_ahead });
    if (navigator.vibrate && navigator.vibrate(kind === 'called' ? [500, 200, 500, 200, 500] : [250, 150, 250])) used.push('vibrate');
    if (beep(kind === 'called' ? 3 : 2)) used.push('sound');
    if (canNotify()) {
      try { new Notification(t('ticket.alert.title'), { body: text, tag: 'antri-' + tk.number, renotify: true }); used.push('notification'); } catch (e) { /* not here */ }
    }
    document.title = '(!) ' + text;
    alerts.log.push({ kind, used, ahead: tk.people_ahead, counter: tk.counter || '' });
  }

  // ---- Rating the service, with the ticket's code ----

  function renderRate() {
    const box = $('rate');
    // Today's finished ticket, opened from its QR code (the code is in the address).
    box.hidden = !(tk && tk.stage === 'finished' && code && tk.day === today());
    if (box.hidden) return;
    if (rated) { box.replaceChildren(el('div', { class: 'msg ok', id: 'rate-done', text: t('ticket.rate.thanks') })); return; }
    box.replaceChildren(el('h2', { text: t('ticket.rate.title') }),
      el('div', { class: 't-scores', role: 'group' }, [1, 2, 3, 4].map((v) =>
        el('button', { type: 'button', 'data-score': v, onclick: () => rate(v) }, el('b', { text: String(v) }), t('ticket.rate.' + v)))),
      ...(rateError ? [el('div', { class: 'msg err', id: 'rate-error', text: rateError })] : []));
  }

  async function rate(score) {
    const r = await api('POST', '/api/tickets/' + encodeURIComponent(tk.number) + '/feedback', { score, code });
    if (r.ok || r.status === 409 && /sudah dinilai/.test((r.body && r.body.error) || '')) { rated = score; rateError = ''; }
    else rateError = (r.body && r.body.error) || ('HTTP ' + r.status);
    renderRate();
  }

  // ---- The ticket as the socket sends it ----

  function show(ticket) {
    const before = tk;
    tk = ticket;
    error = '';
    if (before) {
      // Three or fewer ahead, once, having been more; and every call and recall.
      if (waiting() && !alerts.near && tk.people_ahead <= 3 && before.people_ahead > 3) { alerts.near = true; remind('near'); }
      if (tk.stage === 'called' && (before.stage !== 'called' || tk.calls > before.calls)) remind('called');
    } else if (waiting() && tk.people_ahead <= 3) {
      alerts.near = true; // opened with few ahead: the citizen is looking already
    }
    render();
    // How a service ended is the citizen's own business: the public socket never says
    // it; the ticket's page asks the API once, when it has ended.
    if (tk.stage === 'finished' && !outcome) loadOutcome();
  }

  async function loadOutcome() {
    const q = new URLSearchParams();
    if (day) q.set('day', day);
    if (code) q.set('k', code);
    const r = await api('GET', '/api/tickets/' + encodeURIComponent(number) + (q.toString() ? '?' + q : ''));
    if (r.ok && r.body && r.body.outcome) { outcome = r.body.outcome; render(); }
  }

  const params = { number };
  if (day) params.day = day;
  Antri.live({
    view: 'ticket',
    params,
    onSnapshot(msg) {
      state = msg;
      if (msg.ticket) show(msg.ticket);
      else { error = msg.error || t('ticket.notfound'); render(); }
    },
    onEvent(ev) { if (ev.ticket) show(ev.ticket); },
  });
  Antri.onLang(render);
})();
