// One ticket's live status (the QR code's target): position while waiting,
// the counter once called. The socket's ticket view sends this ticket and its
// place, then the ticket again whenever it or its place changes.
'use strict';
(() => {
  const { t, el, est, api, counterName, serviceName } = Antri;
  const number = decodeURIComponent(location.pathname.split('/')[2] || '');
  const query = new URLSearchParams(location.search);
  const day = query.get('day') || query.get('d') || '';
  let state = null; // the snapshot: office, services' and counters' names
  let tk = null;
  let error = '';
  let lastStage = '';
  let outcome = '';

  function render() {
    const box = document.getElementById('ticket');
    if (state) document.getElementById('office').textContent = state.office.name;
    if (error) { box.replaceChildren(el('div', { class: 't-number', text: number }), el('div', { class: 'msg err', text: error })); return; }
    if (!tk) return;
    const parts = [el('div', { class: 't-number', text: tk.number }),
      el('div', { class: 'muted', text: serviceName(state, tk.service) + (tk.priority ? ' · ' + t('priority') : '') }),
      el('div', { class: 't-stage', id: 'ticket-stage', text: t('stage.' + tk.stage) })];
    if (tk.stage === 'issued' || tk.stage === 'transferred') {
      if (tk.people_ahead !== undefined) parts.push(el('div', { class: 't-line', text: t('ticket.ahead', { n: tk.people_ahead }) }));
      if (tk.estimated_wait_s !== undefined) parts.push(el('div', { class: 't-line', text: tk.estimated_wait_s > 0 ? t('ticket.est', { d: est(tk.estimated_wait_s) }) : t('wait.next') }));
    } else if (tk.stage === 'called' || tk.stage === 'started') {
      parts.push(el('div', { class: 't-go', id: 'ticket-counter' },
        t(tk.stage === 'called' ? 'ticket.go' : 'ticket.at'), el('b', { text: counterName(state, tk.counter) })));
    } else if (tk.stage === 'finished' && outcome === 'incomplete') {
      parts.push(el('div', { class: 'msg err', text: t('ticket.incomplete') }));
    }
    box.replaceChildren(...parts);
  }

  function show(ticket) {
    tk = ticket;
    error = '';
    if (tk.stage === 'called' && lastStage && lastStage !== 'called' && navigator.vibrate) navigator.vibrate([300, 150, 300]);
    lastStage = tk.stage;
    render();
    // How a service ended is the citizen's own business: the public socket never says
    // it; the ticket's page asks the API once, when it has ended.
    if (tk.stage === 'finished' && !outcome) loadOutcome();
  }

  async function loadOutcome() {
    const q = new URLSearchParams();
    if (day) q.set('day', day);
    if (query.get('k')) q.set('k', query.get('k'));
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
