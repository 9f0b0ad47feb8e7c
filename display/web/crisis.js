// Crisis mode on every page (issue 15, docs/CRISIS.md), kept apart from each page's own
// script: loaded after app.js and before the page's script, it follows the page's own
// live view (it wraps Antri.live, so no second socket) and adds:
//   - on the waiting-room display: a notice while a service's queue is past what its open
//     counters can serve before closing (the forecast, and the "surge" notices);
//   - on the kiosk: AntriCrisis.confirmIssue(svc, priority), which kiosk.js asks before
//     taking a ticket: a warning the citizen may override, or, for a service with
//     stop_when_unservable, the refusal with what to do instead;
//   - on a counter page: the forecast of the counter's services;
//   - on any page of a training office (antrid -training): a banner saying so.
'use strict';
const AntriCrisis = (() => {
  const { t, el } = Antri;
  let services = [];   // the services as the page's view last said, with their forecasts
  let office = null;   // the snapshot's office (open, close)
  let view = '';
  let training = null;
  const surges = new Map(); // service → the latest surge notice

  const hm = (iso) => (iso ? iso.slice(11, 16).replace(':', '.') : '');
  const dot = (s) => (s || '').replace(':', '.');
  // unservable: a ticket taken now would probably not be called before closing.
  const unservable = (s) => !!(s && s.forecast && s.forecast.next_servable === false);

  function page() { return document.body.className.match(/page-(\w+)/)?.[1] || ''; }

  // ---------- following the page's live view ----------
  const live = Antri.live;
  Antri.live = (opts) => live(Object.assign({}, opts, {
    onSnapshot(msg) {
      view = msg.view;
      office = msg.office;
      training = msg.training || null;
      services = (msg.services || []).map((s) => Object.assign({}, s));
      surges.clear();
      render();
      opts.onSnapshot(msg);
    },
    onEvent(ev) {
      if (ev.services) Antri.applyServices(services, ev.services);
      if (ev.type === 'surge' && ev.data) surges.set(ev.data.service, ev.data);
      if (opts.onEvent) opts.onEvent(ev);
      render();
    },
  }));

  function render() {
    renderTraining();
    if (page() === 'display') renderNotice();
    if (view === 'counter') renderCounter();
  }

  function box(id, cls, where) {
    let b = document.getElementById(id);
    if (!b) {
      b = el('div', { id, class: cls, role: 'status' });
      (where || document.body).prepend(b);
    }
    return b;
  }

  // ---------- a training office ----------
  function renderTraining() {
    if (!training) { document.getElementById('crisis-training')?.remove(); return; }
    const b = box('crisis-training', 'crisis-training');
    b.textContent = t('crisis.training', { name: training.scenario, speed: training.speed });
    document.documentElement.dataset.training = String(training.speed);
  }

  // ---------- the waiting room: the surge notice ----------
  function renderNotice() {
    const late = services.filter((s) => unservable(s) || (surges.get(s.code) || {}).active);
    const b = document.getElementById('crisis-notice');
    if (!late.length) { if (b) b.remove(); return; }
    const stopped = late.filter((s) => s.stop_when_unservable);
    const warned = late.filter((s) => !s.stop_when_unservable);
    const close = hm(late[0].forecast && late[0].forecast.close) || dot(office && office.close);
    const lines = [];
    if (warned.length) lines.push(el('div', { text: t('crisis.notice', { names: warned.map((s) => s.name).join(', '), close }) }));
    if (stopped.length) lines.push(el('div', { text: t('crisis.notice.stop', { names: stopped.map((s) => s.name).join(', '), open: dot(office && office.open) }) }));
    const n = box('crisis-notice', 'crisis-notice');
    n.replaceChildren(el('b', { text: t('crisis.notice.title') }), ...lines);
    n.dataset.services = late.map((s) => s.code).join(',');
  }

  // ---------- a counter: its services' forecast ----------
  function renderCounter() {
    const shown = services.filter((s) => s.forecast);
    const main = document.querySelector('main');
    if (!shown.length || !main) { document.getElementById('crisis-forecast')?.remove(); return; }
    const b = box('crisis-forecast', 'crisis-forecast', main);
    b.replaceChildren(...shown.map((s) => {
      const f = s.forecast;
      const risk = f.at_risk > 0;
      return el('div', { class: 'crisis-fc' + (risk ? ' late' : ''), 'data-service': s.code },
        el('b', { text: s.code + ' ' }),
        t('crisis.counter', { n: s.waiting, k: f.servable_by_close, close: hm(f.close) }),
        risk ? el('span', { class: 'tag late', text: ' ' + t('crisis.counter.risk', { n: f.at_risk, c: f.extra_counters_needed }) }) : null);
    }));
  }

  // ---------- the kiosk: warn, or refuse, before a ticket ----------
  // confirmIssue resolves true when the kiosk may take the ticket: at once when the
  // forecast sees no problem; after the citizen chose to take it anyway on a warning;
  // never for a service that stops (the server would refuse it: 409 "capacity").
  function confirmIssue(svc, priority) {
    const s = services.find((x) => x.code === svc.code) || svc;
    if (priority || !unservable(s)) return Promise.resolve(true);
    const f = s.forecast;
    const overlay = document.getElementById('overlay');
    const card = document.getElementById('card');
    if (!overlay || !card) return Promise.resolve(true);
    const open = dot(office && office.open);
    const close = hm(f.close);
    const other = s.other_channel ? el('p', { class: 'crisis-other', text: t('crisis.other', { channel: s.other_channel }) }) : null;
    return new Promise((resolve) => {
      let timer = null;
      const done = (ok) => {
        clearTimeout(timer);
        if (!ok) overlay.hidden = true;
        resolve(ok);
      };
      if (s.stop_when_unservable) {
        card.replaceChildren(...[
          el('h2', { id: 'crisis-stop', text: t('crisis.stop.title', { name: s.name }) }),
          el('p', { class: 'k-line', text: t('crisis.stop', { close, open }) }), other,
          el('button', { class: 'k-ok', type: 'button', id: 'crisis-close', text: t('kiosk.close'), onclick: () => done(false) })].filter(Boolean));
      } else {
        card.replaceChildren(...[
          el('h2', { id: 'crisis-warn', text: t('crisis.warn.title') }),
          el('p', { class: 'k-line', text: t('crisis.warn', { n: s.waiting, name: s.name, k: f.servable_by_close, close }) }),
          el('p', { class: 'k-line', text: t('crisis.warn.choice', { open }) }), other,
          el('div', { class: 'k-actions' },
            el('button', { class: 'k-cancel', type: 'button', id: 'crisis-cancel', text: t('crisis.warn.cancel'), onclick: () => done(false) }),
            el('button', { class: 'k-ok', type: 'button', id: 'crisis-take', text: t('crisis.warn.take'), onclick: () => done(true) }))].filter(Boolean));
      }
      overlay.hidden = false;
      timer = setTimeout(() => done(false), 30000); // the next citizen never finds it open
    });
  }

  Antri.onLang(render);
  return { confirmIssue, services: () => services };
})();
