// The small screen above one counter (/display/counter/{counter}): the counter's name,
// the number it serves now, or that it is free, paused (and why) or closed. Public, read
// from a few metres on a 1024×600 or 800×480 screen. It keeps the socket's
// counterdisplay view: a snapshot of the counter, then the events at it.
'use strict';
(() => {
  const { t } = Antri;
  const id = decodeURIComponent(location.pathname.split('/')[3] || '');
  const $ = (x) => document.getElementById(x);
  let state = null; // the snapshot: office, counter
  let flashUntil = 0;

  function clock() {
    $('cd-clock').textContent = Antri.time(); // the office's time, as on every page (app.js)
  }

  function render() {
    if (!state) return;
    const k = state.counter;
    const status = k.status || 'open';
    document.title = k.name;
    document.body.dataset.status = status;
    $('cd-name').textContent = k.name;
    $('cd-office').textContent = state.office.name;
    $('cd-services').textContent = (k.services || []).map((s) => s.name).join(' · ');
    const tk = k.current;
    let label = '', number = '', big = '', reason = '', hint = '';
    if (status === 'paused') {
      big = t('cd.paused'); reason = t('pause.' + k.pause_reason); hint = t('cd.paused.hint');
    } else if (status === 'closed') {
      big = t('cd.closed'); hint = t('cd.closed.hint');
    } else if (tk) {
      label = t(tk.stage === 'called' ? 'cd.called' : 'cd.now'); number = tk.number;
    } else {
      big = t('cd.free');
    }
    $('cd-label').textContent = label;
    $('cd-number').textContent = number;
    $('cd-state').textContent = big;
    $('cd-reason').textContent = reason;
    $('cd-hint').textContent = hint;
    for (const x of ['cd-label', 'cd-number', 'cd-state', 'cd-reason', 'cd-hint']) $(x).hidden = !$(x).textContent;
    $('cd-main').classList.toggle('flash', Antri.now() < flashUntil);
    clock();
  }

  // apply moves the screen by one event at this counter.
  function apply(ev) {
    const k = state.counter;
    if (ev.type === 'counter_status' && ev.counter === id) {
      const d = ev.data || {};
      k.status = d.status;
      k.pause_reason = d.pause_reason || '';
      flashUntil = 0;
      return;
    }
    const tk = ev.ticket;
    if (!tk) return;
    if ((tk.stage === 'called' || tk.stage === 'started') && tk.counter === id) {
      k.current = tk;
      // A call or recall flashes for 10 s, as on the waiting-room TV.
      if (ev.type === 'called' || ev.type === 'recalled') flashUntil = Antri.now() + 10000;
    } else if (k.current && k.current.number === tk.number) {
      k.current = null;
      flashUntil = 0; // the flash is for the number called, gone with it
    }
  }

  Antri.live({
    view: 'counterdisplay',
    params: { counter: id },
    onSnapshot(msg) { state = msg; render(); },
    onEvent(ev) { if (ev.seq > 0 && state) { apply(ev); render(); } },
  });
  Antri.onLang(render);
  setInterval(() => { if (state) render(); }, 1000);
})();
