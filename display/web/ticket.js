// One ticket's live status (the QR code's target): position while waiting,
// the counter once called. Refetched after every event, since any call can
// move it forward.
'use strict';
(() => {
  const { t, el, dur, est, api, counterName, serviceName } = Antri;
  const number = decodeURIComponent(location.pathname.split('/')[2] || '');
  // The printed QR link is /t/{number}?d=YYYY-MM-DD&k={code}; ?day= is the older form.
  const params = new URLSearchParams(location.search);
  const day = params.get('d') || params.get('day') || '';
  let state = null;
  let tk = null;
  let error = '';
  let lastStage = '';

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
    } else if (tk.stage === 'finished' && tk.outcome === 'incomplete') {
      parts.push(el('div', { class: 'msg err', text: t('ticket.incomplete') }));
    }
    box.replaceChildren(...parts);
  }

  async function load() {
    const q = day ? '?day=' + encodeURIComponent(day) : '';
    const r = await api('GET', '/api/tickets/' + encodeURIComponent(number) + q);
    if (r.ok) {
      tk = r.body; error = '';
      if (tk.stage === 'called' && lastStage && lastStage !== 'called' && navigator.vibrate) navigator.vibrate([300, 150, 300]);
      lastStage = tk.stage;
    } else if (r.status !== 0) {
      error = (r.body && r.body.error) || t('ticket.notfound');
    }
    render();
  }
  const refresh = Antri.debounce(load, 300);

  Antri.live({
    onSnapshot(msg) { state = msg.state; load(); },
    onEvent(ev) { if (ev.seq > 0) refresh(); },
  });
  Antri.onLang(render);
})();
