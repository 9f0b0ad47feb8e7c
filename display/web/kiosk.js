// The touch kiosk: one large button per service and a priority button under
// each, and two entries below them: a complaint form and the SKM survey. The number stays on screen; when the printer fails the page says so
// and keeps it there until the citizen touches "Selesai".
'use strict';
(() => {
  const { t, el, dur, est, api } = Antri;
  let state = null;
  let busy = false;
  let shown = null;      // the ticket on screen
  let printerFailed = false;
  let closeTimer = null;

  function render() {
    if (!state) return;
    document.getElementById('office').textContent = state.office.name;
    const closed = document.getElementById('closed');
    closed.hidden = state.open;
    if (!state.open) {
      closed.textContent = t('kiosk.closed') + (state.office.open ? ' · ' + t('kiosk.hours', { open: state.office.open, close: state.office.close }) : '');
    }
    const box = document.getElementById('services');
    box.replaceChildren(...state.services.map((s) => {
      const meta = [t('kiosk.waiting', { n: s.waiting })];
      if (s.daily_quota) meta.push(t('kiosk.quota', { n: Math.max(0, s.daily_quota - s.issued_today) }));
      return el('div', { class: 'k-service' },
        el('button', { class: 'k-btn', type: 'button', 'data-service': s.code, disabled: busy, onclick: () => take(s, false) },
          el('span', { class: 'k-code', text: s.code }),
          el('span', {}, el('div', { class: 'k-name', text: s.name }), el('div', { class: 'k-meta', text: meta.join(' · ') }))),
        el('button', { class: 'k-prio', type: 'button', 'data-priority': s.code, disabled: busy, onclick: () => take(s, true) },
          t('kiosk.priority') + ' — ' + s.code));
    }));
  }

  async function take(svc, priority) {
    if (busy) return;
    busy = true;
    render();
    show(el('h2', { text: t('kiosk.busy') }));
    const r = await api('POST', '/api/tickets', { service: svc.code, priority });
    busy = false;
    render();
    if (!r.ok) {
      shown = null;
      show(el('h2', { text: t('kiosk.refused') }),
        el('div', { class: 'k-error', id: 'kiosk-error', text: (r.body && r.body.error) || ('HTTP ' + r.status) }),
        okButton());
      autoClose(8000);
      return;
    }
    shown = r.body;
    printerFailed = false;
    renderTicket(svc);
    // The ticket is stored before it prints; ask whether the printer is well.
    const h = await api('GET', '/healthz');
    if (h.body && h.body.printer && h.body.printer.ok === false) printerFail();
    else if (!printerFailed) autoClose(15000);
  }

  function renderTicket(svc) {
    const tk = shown;
    const lines = [];
    if (tk.people_ahead !== undefined) lines.push(el('div', { class: 'k-line', text: t('kiosk.ahead', { n: tk.people_ahead }) }));
    if (tk.estimated_wait_s !== undefined) lines.push(el('div', { class: 'k-line', text: tk.estimated_wait_s > 0 ? t('kiosk.est', { d: est(tk.estimated_wait_s) }) : t('wait.next') }));
    show(
      el('h2', { text: t('kiosk.your') }),
      el('div', { class: 'k-number', id: 'kiosk-number', text: tk.number }),
      el('div', { class: 'k-svc', text: (svc ? svc.name : tk.service) + (tk.priority ? ' · ' + t('priority') : '') }),
      lines,
      printerFailed
        ? el('div', { class: 'k-warn', id: 'kiosk-printer', text: t('kiosk.printer') })
        : el('div', { class: 'k-line', text: t('kiosk.take') }),
      el('div', { class: 'k-track', text: t('kiosk.track', { url: location.host + '/t/' + tk.number }) }),
      okButton());
  }

  function printerFail() {
    if (!shown) return;
    printerFailed = true;
    clearTimeout(closeTimer); // keep the number until someone has noted it
    renderTicket(state && state.services.find((s) => s.code === shown.service));
  }

  function okButton() {
    return el('button', { class: 'k-ok', type: 'button', text: t('kiosk.ok'), onclick: hide });
  }

  function show(...children) {
    clearTimeout(closeTimer);
    document.getElementById('card').replaceChildren(...children.flat());
    document.getElementById('overlay').hidden = false;
  }

  function hide() {
    clearTimeout(closeTimer);
    shown = null;
    complaint = null;
    printerFailed = false;
    document.getElementById('overlay').hidden = true;
  }

  function autoClose(ms) { clearTimeout(closeTimer); closeTimer = setTimeout(hide, ms); }

  // The complaint form: a topic (touch), the text, the ticket number if any.
  // The topics are Antri.complaintTopics, shared with the counter page.
  const topics = Antri.complaintTopics;
  let complaint = null; // the form's values while it is open

  function complainForm() {
    complaint = complaint || { topic: '', text: '', ticket: '' };
    const c = complaint;
    const err = el('div', { class: 'k-error', id: 'complaint-error', hidden: true });
    const text = el('textarea', { id: 'complaint-text', rows: '4', maxlength: '4000', oninput: (e) => { c.text = e.target.value; idle(); } });
    text.value = c.text;
    const ticket = el('input', { id: 'complaint-ticket', placeholder: 'A-012', maxlength: '16', autocomplete: 'off', oninput: (e) => { c.ticket = e.target.value; idle(); } });
    ticket.value = c.ticket;
    show(el('form', { class: 'k-form', id: 'complaint-form', onsubmit: (e) => { e.preventDefault(); sendComplaint(err); } },
      el('h2', { text: t('kiosk.c.title') }),
      el('label', { text: t('kiosk.c.topic') }),
      el('div', { class: 'k-topics' }, topics.map(([key, value]) => el('button', {
        class: 'k-topic', type: 'button', 'data-topic': value, 'aria-pressed': String(c.topic === value),
        onclick: (e) => { c.topic = value; err.hidden = true; e.currentTarget.parentNode.querySelectorAll('.k-topic').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.topic === value))); idle(); },
      }, t(key)))),
      el('label', { for: 'complaint-text', text: t('kiosk.c.text') }), text,
      el('label', { for: 'complaint-ticket', text: t('kiosk.c.ticket') }), ticket,
      err,
      el('div', { class: 'k-actions' },
        el('button', { class: 'k-cancel', type: 'button', text: t('counter.cancel'), onclick: () => { complaint = null; hide(); } }),
        el('button', { class: 'k-ok', type: 'submit', id: 'complaint-send', text: t('kiosk.c.send') }))));
    idle();
  }

  // idle closes a form left half-filled, so the next citizen does not see it.
  function idle() { autoClose(120000); }

  async function sendComplaint(err) {
    const c = complaint;
    const fail = (msg) => { err.hidden = false; err.textContent = msg; };
    if (!c.topic) { fail(t('kiosk.c.needtopic')); return; }
    if (!c.text.trim()) { fail(t('kiosk.c.needtext')); return; }
    document.getElementById('complaint-send').disabled = true;
    const r = await api('POST', '/api/complaints', { channel: 'kiosk', topic: c.topic, text: c.text.trim(), ticket: c.ticket.trim().toUpperCase() });
    if (!r.ok) {
      document.getElementById('complaint-send').disabled = false;
      fail((r.body && r.body.error) || (r.status ? 'HTTP ' + r.status : t('kiosk.neterr')));
      return;
    }
    complaint = null;
    show(el('h2', { text: t('kiosk.c.done') }),
      el('div', { class: 'k-number', id: 'complaint-number', text: String(r.body.id) }),
      el('div', { class: 'k-line', text: t('kiosk.c.follow') }),
      okButton());
    autoClose(30000);
  }

  document.getElementById('complain').addEventListener('click', complainForm);

  // The kiosk takes the display's view: per service how many wait and what is left of
  // its quota, changed by each event's "services".
  Antri.live({
    view: 'display',
    onSnapshot(msg) { state = msg; render(); },
    onEvent(ev) {
      // The printer part reports a failed ticket as an event whose type
      // starts with "print" (e.g. print_failed) naming the ticket.
      if (shown && ev.type && ev.type.startsWith('print') && !/ok|printed|recovered/.test(ev.type)) {
        const num = (ev.ticket && ev.ticket.number) || (ev.data && ev.data.number);
        if (!num || num === shown.number) printerFail();
      }
      if (state && ev.services) { Antri.applyServices(state.services, ev.services); render(); }
    },
  });
  Antri.onLang(() => {
    render();
    if (shown) renderTicket(state && state.services.find((s) => s.code === shown.service));
    else if (complaint) complainForm();
  });
})();
