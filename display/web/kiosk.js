// The touch kiosk of a Mal Pelayanan Publik: with more than six services the citizen
// picks the agency (unit) first, then its service; every service offers the priority
// choice; a service that cannot give a number now (outside opening hours, its quota used
// up, no counter open for it) is shown greyed with the reason, and a touch on it says
// so. The cards are laid out in pages that fit the screen, whatever its size and the
// large-text mode; nothing scrolls. The number is shown large after a touch, and kept
// on screen when the printer could not print it. Language and large text are chosen on
// the first screen, and reset for the next citizen after a minute without a touch.
'use strict';
(() => {
  const { t, el, est, api } = Antri;
  const $ = (x) => document.getElementById(x);

  let state = null;        // the display view's snapshot, kept current by events
  const units = {};        // service code → its unit, from GET /api/services
  let unit = null;         // the unit chosen, or null on the first screen
  let page = 0;
  let large = false;       // the large-text, high-contrast mode
  let busy = false;
  let printerOK = null;    // null: not known
  let shown = null;        // the ticket on screen
  let printFailed = false;
  let closeTimer = null;
  let idleTimer = null;
  let complaint = null;    // the complaint form's values while it is open

  // ---- What can be taken now ----

  // why says why svc cannot give a number now: "closed", "quota", "paused" or "".
  function why(svc) {
    if (state && !state.open) return 'closed';
    if (svc.daily_quota && svc.issued_today >= svc.daily_quota) return 'quota';
    if (svc.counters_open === 0) return 'paused';
    return '';
  }

  // hours says the office's hours for people: "08.00–15.00" in Indonesian (PUEBI).
  function hours() {
    const o = state && state.office;
    if (!o || !o.open) return '';
    const hm = (s) => (Antri.lang === 'en' ? s : s.replace(':', '.'));
    return hm(o.open) + '–' + hm(o.close);
  }

  function reasonText(r) {
    return r === 'closed' ? t('kiosk.off.closed') : r === 'quota' ? t('kiosk.off.quota') : t('kiosk.off.paused');
  }

  function explain(r, svc) {
    if (r === 'closed') return hours() ? t('kiosk.why.closed', { h: hours() }) : t('kiosk.why.closed.now');
    if (r === 'quota') return t('kiosk.why.quota', { s: svc.name });
    return t('kiosk.why.paused', { s: svc.name });
  }

  // ---- The agencies and their services ----

  // groups are the units in the order their first service comes in the config, each with
  // its services; services without a unit are grouped last as "other services".
  function groups() {
    const out = [];
    const byName = {};
    for (const s of state.services) {
      const u = units[s.code] || '';
      if (!byName[u]) { byName[u] = { unit: u, services: [] }; out.push(byName[u]); }
      byName[u].services.push(s);
    }
    out.sort((a, b) => (a.unit === '') - (b.unit === ''));
    return out;
  }

  // byUnit: more than six services of more than one unit are picked agency first.
  function byUnit() { return state.services.length > 6 && groups().length > 1; }

  function unitName(u) { return u || t('kiosk.unit.other'); }

  // ---- Pages that fit the screen ----

  // cell is the least size a card needs, by kind and text size (CSS pixels).
  function cell(kind) {
    const narrow = innerWidth < 600;
    if (kind === 'unit') return large ? { w: narrow ? 300 : 420, h: narrow ? 130 : 190 } : { w: narrow ? 260 : 300, h: narrow ? 96 : 120 };
    return large ? { w: narrow ? 300 : 440, h: narrow ? 210 : 250 } : { w: narrow ? 260 : 320, h: narrow ? 150 : 180 };
  }

  let fit = { cols: 1, rows: 1, kind: '' }; // the grid's shape for the current screen
  let fitKey = '';                           // what fit was found for

  // shape is the grid of cells of kind that fits the grid's box, less fewer.rows rows and
  // fewer.cols columns: with the pager shown when there is more than one page.
  function shape(kind, fewer, count) {
    const grid = $('grid');
    const c = cell(kind);
    const at = () => {
      const gap = parseFloat(getComputedStyle(grid).rowGap) || 0;
      const cols = Math.max(1, Math.floor((grid.clientWidth + gap) / (c.w + gap)) - fewer.cols);
      const rows = Math.max(1, Math.floor((grid.clientHeight + gap) / (c.h + gap)) - fewer.rows);
      return { cols, rows, kind };
    };
    $('pager').hidden = true;
    let f = at();
    if (count > f.cols * f.rows) { $('pager').hidden = false; f = at(); }
    return f;
  }

  // fitAll finds the most cards per page at which every page's cards fit their text, so
  // that the pages stay the same while the citizen turns them: a name too wide for its
  // cell (a long word) takes a column away, text too tall a row. Only when one column is
  // still too narrow are words broken.
  function fitAll(list, kind) {
    const fewer = { cols: 0, rows: 0 };
    $('grid').classList.remove('k-break');
    let f = null;
    for (let tries = 0; tries < 16; tries++) {
      f = shape(kind, fewer, list.length);
      fit = f;
      const per = f.cols * f.rows;
      const pages = Math.max(1, Math.ceil(list.length / per));
      let over = '';
      for (let p = 0; p < pages && !over; p++) {
        drawPage(list.slice(p * per, (p + 1) * per), p, pages);
        over = overflowing();
      }
      if (!over) break;
      if (over === 'wide' && f.cols > 1) fewer.cols++;
      else if (over === 'wide') $('grid').classList.add('k-break');
      else if (f.rows > 1) fewer.rows++;
      else break;
    }
    return f;
  }

  function items() {
    if (byUnit() && unit === null) return groups().map((g) => ({ kind: 'unit', g }));
    const list = byUnit() ? (groups().find((g) => g.unit === unit) || { services: [] }).services : state.services;
    return list.map((s) => ({ kind: 'service', s }));
  }

  function render() {
    if (!state) return;
    $('office').textContent = state.office.name;
    const closed = $('closed');
    closed.hidden = state.open;
    if (!state.open) closed.textContent = t('kiosk.closed') + (hours() ? ' · ' + t('kiosk.hours', { h: hours() }) : '');
    $('printer-note').hidden = printerOK !== false;
    document.querySelectorAll('.k-lang').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === Antri.lang)));
    $('large').setAttribute('aria-pressed', String(large));
    document.body.classList.toggle('k-large', large);

    const list = items();
    const kind = list.length && list[0].kind;
    $('back').hidden = !(byUnit() && unit !== null);
    $('step-title').textContent = kind === 'unit' ? t('kiosk.pick.unit') : byUnit() ? unitName(unit) : t('kiosk.hint');

    const key = [kind, unit, large, Antri.lang, innerWidth, innerHeight, list.length, !$('closed').hidden, !$('printer-note').hidden].join('|');
    for (let again = 0; again < 2; again++) {
      if (key !== fitKey || again) { fit = fitAll(list, kind); fitKey = key; }
      const per = fit.cols * fit.rows;
      const pages = Math.max(1, Math.ceil(list.length / per));
      page = Math.min(page, pages - 1);
      drawPage(list.slice(page * per, (page + 1) * per), page, pages);
      if (!overflowing()) break; // new counts may make a card's text longer: fit again
    }
  }

  function drawPage(slice, page, pages) {
    const grid = $('grid');
    // One page with room to spare: fewer rows, each taller (at most 1.6 times the least),
    // and the cards spread evenly over them. Several pages fill the grid's height: a row
    // taken away for text too tall for its card makes the others taller.
    const rows = pages > 1 ? fit.rows : Math.max(1, Math.ceil(slice.length / fit.cols));
    const cols = pages > 1 ? fit.cols : Math.max(1, Math.ceil(slice.length / rows));
    const gap = parseFloat(getComputedStyle(grid).rowGap) || 0;
    const room = (grid.clientHeight - gap * (rows - 1)) / rows;
    const h = pages > 1 ? room : Math.min(cell(fit.kind).h * 1.6, room);
    grid.style.setProperty('--cols', cols);
    grid.style.setProperty('--rows', rows);
    grid.style.setProperty('--row-h', Math.floor(h) + 'px');
    grid.dataset.kind = fit.kind;
    const cards = slice.map((it) => (it.kind === 'unit' ? unitCard(it.g) : serviceCard(it.s)));
    // The same cards as on screen (a live update of counts, a quota running out): change
    // them in place. A card replaced while a finger is on it would lose that touch.
    const keyOf = (c) => c.dataset.unit ?? c.dataset.serviceCard;
    const same = grid.children.length === cards.length && cards.every((c, i) => keyOf(grid.children[i]) === keyOf(c) && grid.children[i].tagName === c.tagName);
    if (same) cards.forEach((c, i) => morph(grid.children[i], c));
    else grid.replaceChildren(...cards);
    $('pager').hidden = pages < 2;
    $('page-mark').textContent = t('kiosk.page', { n: page + 1, m: pages });
    $('prev').disabled = page === 0;
    $('next').disabled = page >= pages - 1;
  }

  // morph makes element old look like neu, keeping old and its listeners (which look up
  // what they act on when touched, never a copy from when they were made).
  function morph(old, neu) {
    for (const a of [...old.attributes]) if (!neu.hasAttribute(a.name)) old.removeAttribute(a.name);
    for (const a of neu.attributes) if (old.getAttribute(a.name) !== a.value) old.setAttribute(a.name, a.value);
    const oc = old.children;
    const nc = neu.children;
    if (!nc.length && !oc.length) {
      if (old.textContent !== neu.textContent) old.textContent = neu.textContent;
      return;
    }
    if (oc.length === nc.length && [...nc].every((c, i) => c.tagName === oc[i].tagName) && old.childNodes.length === neu.childNodes.length) {
      [...nc].forEach((c, i) => morph(oc[i], c));
      return;
    }
    old.replaceChildren(...neu.childNodes);
  }

  // overflowing says whether a card's text does not fit it: "wide" (a word wider than its
  // cell), "tall", or "".
  function overflowing() {
    let tall = false;
    for (const c of $('grid').children) {
      for (const e of [c, ...c.querySelectorAll('*')]) {
        if (e.scrollWidth > e.clientWidth + 1) return 'wide';
        if (e.scrollHeight > e.clientHeight + 1) tall = true;
      }
    }
    return tall ? 'tall' : '';
  }

  function unitCard(g) {
    const waiting = g.services.reduce((n, s) => n + s.waiting, 0);
    const open = g.services.filter((s) => !why(s)).length;
    const meta = [t('kiosk.unit.services', { n: g.services.length }), waiting ? t('kiosk.waiting', { n: waiting }) : t('kiosk.nowait')];
    return el('button', { class: 'k-cell k-unit' + (open ? '' : ' k-off'), type: 'button', role: 'listitem', 'data-unit': g.unit, onclick: (e) => { unit = e.currentTarget.dataset.unit; page = 0; render(); } },
      el('span', { class: 'k-unit-name', text: unitName(g.unit) }),
      el('span', { class: 'k-meta', text: meta.join(' · ') }),
      open ? null : el('span', { class: 'k-reason', text: t('kiosk.unit.none') }));
  }

  function serviceCard(s) {
    const r = why(s);
    const meta = [s.waiting ? t('kiosk.waiting', { n: s.waiting }) + ' · ' + t('kiosk.est.short', { d: est(s.estimated_wait_s) }) : t('kiosk.nowait')];
    if (s.daily_quota) meta.push(t('kiosk.quota', { n: Math.max(0, s.daily_quota - s.issued_today) }));
    const off = r ? { 'aria-disabled': 'true' } : {};
    return el('div', { class: 'k-cell k-service' + (r ? ' k-off' : ''), role: 'listitem', 'data-service-card': s.code },
      el('button', Object.assign({ class: 'k-btn', type: 'button', 'data-service': s.code, onclick: (e) => take(e.currentTarget.dataset.service, false) }, off),
        el('span', { class: 'k-code', text: s.code }),
        el('span', { class: 'k-svc-body' },
          el('span', { class: 'k-name', text: s.name }),
          el('span', { class: 'k-meta', text: meta.join(' · ') }),
          r ? el('span', { class: 'k-reason', 'data-reason': r, text: reasonText(r) }) : null)),
      el('button', Object.assign({ class: 'k-prio', type: 'button', 'data-priority': s.code, onclick: (e) => take(e.currentTarget.dataset.priority, true) }, off),
        t('kiosk.priority')));
  }

  // ---- Taking a number ----

  async function take(code, priority) {
    const svc = state && state.services.find((s) => s.code === code);
    if (busy || !svc) return;
    const r = why(svc);
    if (r) { refuse(explain(r, svc)); return; } // said on screen; no request
    if (typeof AntriCrisis === 'object' && !(await AntriCrisis.confirmIssue(svc, priority))) return; // crisis.js: a warning or a stop
    busy = true;
    show(el('h2', { text: t('kiosk.busy') }));
    const res = await api('POST', '/api/tickets', { service: svc.code, priority });
    busy = false;
    if (!res.ok) { refuse((res.body && res.body.error) || ('HTTP ' + res.status)); return; }
    shown = res.body;
    printFailed = printerOK === false;
    renderTicket();
    // The ticket is stored before it prints; ask whether the printer is well.
    const h = await api('GET', '/healthz');
    if (h.body && h.body.printer && h.body.printer.ok === false) { printerOK = false; printerFail(); }
    if (!printFailed) autoClose(15000);
  }

  function refuse(message) {
    shown = null;
    show(el('h2', { class: 'k-refused-title', text: t('kiosk.refused') }),
      el('div', { class: 'k-error', id: 'kiosk-error', role: 'alert', text: message }),
      closeButton());
    autoClose(10000);
  }

  // follow is where a phone follows the ticket: the address the QR code carries, without
  // its secret code (the screen is public), or this page's own address when it is not
  // the appliance's loopback.
  function follow(tk) {
    if (tk.url) return tk.url.split('?')[0];
    if (!/^(127\.|localhost$|\[::1\]$)/.test(location.hostname)) return location.origin + '/t/' + encodeURIComponent(tk.number);
    return '';
  }

  function renderTicket() {
    const tk = shown;
    const svc = state && state.services.find((s) => s.code === tk.service);
    const lines = [];
    if (tk.people_ahead === 0) lines.push(el('div', { class: 'k-line', id: 'kiosk-ahead', text: t('kiosk.next') }));
    else if (tk.people_ahead > 0) {
      lines.push(el('div', { class: 'k-line', id: 'kiosk-ahead', text: t('kiosk.ahead', { n: tk.people_ahead }) }));
      if (tk.estimated_wait_s !== undefined) lines.push(el('div', { class: 'k-line', text: t('kiosk.est', { d: est(tk.estimated_wait_s) }) }));
    }
    const where = follow(tk);
    show(
      printFailed
        ? el('div', { class: 'k-warn', id: 'kiosk-printer', role: 'alert' }, el('b', { text: t('kiosk.printer.title') }), el('span', { text: t('kiosk.printer') }))
        : el('h2', { text: t('kiosk.your') }),
      el('div', { class: 'k-number', id: 'kiosk-number', text: tk.number }),
      el('div', { class: 'k-svc', text: (svc ? svc.name : tk.service) + (tk.priority ? ' · ' + t('priority') : '') }),
      lines,
      printFailed ? null : el('div', { class: 'k-line', text: t('kiosk.take') }),
      where ? el('div', { class: 'k-track', id: 'kiosk-track' }, t('kiosk.track'), ' ', el('b', { text: where })) : null,
      closeButton());
  }

  function printerFail() {
    if (!shown || printFailed) return;
    printFailed = true;
    renderTicket();
    autoClose(120000); // long enough to write it down; not for ever, for the next citizen
  }

  function closeButton() {
    return el('button', { class: 'k-ok', type: 'button', text: t('kiosk.close'), onclick: hide });
  }

  function show(...children) {
    clearTimeout(closeTimer);
    $('card').replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
    $('card').className = 'k-card';
    $('overlay').hidden = false;
  }

  function hide() {
    clearTimeout(closeTimer);
    shown = null;
    complaint = null;
    printFailed = false;
    $('overlay').hidden = true;
  }

  function autoClose(ms) { clearTimeout(closeTimer); closeTimer = setTimeout(hide, ms); }

  // ---- The complaint form, typed on the on-screen keyboard ----

  const topics = Antri.complaintTopics;

  function complainForm() {
    complaint = complaint || { topic: '', text: '', ticket: '', phone: '' };
    const c = complaint;
    const err = el('div', { class: 'k-error', id: 'complaint-error', role: 'alert', hidden: true });
    const field = (tag, id, key, attrs) => {
      const f = el(tag, Object.assign({ id, autocomplete: 'off', spellcheck: 'false', oninput: (e) => { c[key] = e.target.value; idle(); } }, attrs));
      f.value = c[key];
      return f;
    };
    const text = field('textarea', 'complaint-text', 'text', { maxlength: '4000', rows: '3' });
    const ticket = field('input', 'complaint-ticket', 'ticket', { maxlength: '16', placeholder: 'A-012' });
    const phone = field('input', 'complaint-phone', 'phone', { maxlength: '16', placeholder: '08…' });
    const kb = AntriKeyboard.create(el('div', { class: 'k-kb' }), t);
    kb.bind(text, 'text');
    kb.bind(ticket, 'upper');
    kb.bind(phone, 'number');
    show(el('form', { class: 'k-form', id: 'complaint-form', onsubmit: (e) => { e.preventDefault(); sendComplaint(err); } },
      el('h2', { text: t('kiosk.c.title') }),
      el('div', { class: 'k-form-fields' },
        el('div', { class: 'k-label', text: t('kiosk.c.topic') }),
        el('div', { class: 'k-topics' }, topics.map(([key, value]) => el('button', {
          class: 'k-topic', type: 'button', 'data-topic': value, 'aria-pressed': String(c.topic === value),
          onclick: (e) => { c.topic = value; err.hidden = true; e.currentTarget.parentNode.querySelectorAll('.k-topic').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.topic === value))); idle(); },
        }, t(key)))),
        el('label', { class: 'k-label', for: 'complaint-text', text: t('kiosk.c.text') }), text,
        el('div', { class: 'k-form-row' },
          el('div', {}, el('label', { class: 'k-label', for: 'complaint-ticket', text: t('kiosk.c.ticket') }), ticket),
          el('div', {}, el('label', { class: 'k-label', for: 'complaint-phone', text: t('kiosk.c.phone') }), phone)),
        err),
      kb.el,
      el('div', { class: 'k-actions' },
        el('button', { class: 'k-cancel', type: 'button', text: t('counter.cancel'), onclick: () => { complaint = null; hide(); } }),
        el('button', { class: 'k-ok', type: 'submit', id: 'complaint-send', text: t('kiosk.c.send') }))));
    $('card').className = 'k-card k-card-form';
    text.focus();
    kb.show(text);
    idle();
  }

  // idle closes a form left half-filled, so the next citizen does not see it.
  function idle() { autoClose(120000); }

  async function sendComplaint(err) {
    const c = complaint;
    const fail = (msg) => { err.hidden = false; err.textContent = msg; };
    if (!c.topic) { fail(t('kiosk.c.needtopic')); return; }
    if (!c.text.trim()) { fail(t('kiosk.c.needtext')); return; }
    // The complaint body has no phone field (DOMAIN.md); the number goes with the text,
    // where the complaint officer reads it.
    const text = c.text.trim() + (c.phone.trim() ? '\n\n' + t('kiosk.c.phone.line', { p: c.phone.trim() }) : '');
    $('complaint-send').disabled = true;
    const r = await api('POST', '/api/complaints', { channel: 'kiosk', topic: c.topic, text, ticket: c.ticket.trim().toUpperCase() });
    if (!r.ok) {
      $('complaint-send').disabled = false;
      fail((r.body && r.body.error) || (r.status ? 'HTTP ' + r.status : t('kiosk.neterr')));
      return;
    }
    complaint = null;
    show(el('h2', { text: t('kiosk.c.done') }),
      el('div', { class: 'k-number', id: 'complaint-number', text: String(r.body.id) }),
      el('div', { class: 'k-line', text: t('kiosk.c.follow') }),
      closeButton());
    autoClose(30000);
  }

  // ---- The first screen: language and large text; reset for the next citizen ----

  function resetForNextCitizen() {
    if (!$('overlay').hidden && (printFailed || complaint)) { idleTimer = setTimeout(resetForNextCitizen, 60000); return; }
    hide();
    unit = null;
    page = 0;
    large = false;
    if (Antri.lang !== 'id') Antri.setLang('id'); // re-renders through onLang
    else render();
  }

  document.addEventListener('pointerdown', () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(resetForNextCitizen, 60000);
  }, true);

  document.querySelectorAll('.k-lang').forEach((b) => b.addEventListener('click', () => Antri.setLang(b.dataset.lang)));
  $('large').addEventListener('click', () => { large = !large; page = 0; render(); });
  $('back').addEventListener('click', () => { unit = null; page = 0; render(); });
  $('prev').addEventListener('click', () => { page--; render(); });
  $('next').addEventListener('click', () => { page++; render(); });
  $('complain').addEventListener('click', complainForm);
  addEventListener('resize', Antri.debounce(render, 150));

  // The units come with the published standards; asked again until they arrive.
  async function loadUnits() {
    const r = await api('GET', '/api/services');
    if (!r.ok || !Array.isArray(r.body)) { setTimeout(loadUnits, 5000); return; }
    for (const s of r.body) units[s.code] = s.unit || '';
    render();
  }

  // The office opens and closes while the kiosk runs, with no event to say so: every
  // 15 s it compares the office's hours with the office's clock (the daemon's time, at
  // the time-zone offset of the snapshot's "now"), as queue.Config.OpenAt does.
  function openNow(o = state.office) {
    if (!o.open || !o.close) return true;
    const z = /([+-])(\d\d):(\d\d)$/.exec(state.now || '');
    const offset = z ? (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) : 0;
    const wall = new Date(Antri.now() + offset * 60000);
    const mins = wall.getUTCHours() * 60 + wall.getUTCMinutes();
    const hm = (x) => Number(x.slice(0, 2)) * 60 + Number(x.slice(3, 5));
    return mins >= hm(o.open) && mins < hm(o.close);
  }
  setInterval(() => {
    if (state && openNow() !== state.open) { state.open = !state.open; render(); }
  }, 15000);

  async function loadPrinter() {
    const r = await api('GET', '/healthz');
    if (r.body && r.body.printer) { printerOK = r.body.printer.ok; render(); }
  }

  // The kiosk takes the display's view: per service how many wait, its estimate and what
  // is left of its quota, changed by each event's "services"; the printer's notices.
  Antri.live({
    view: 'display',
    onSnapshot(msg) { state = msg; render(); loadPrinter(); },
    onEvent(ev) {
      if (ev.type === 'printer_status' && ev.data) { printerOK = !!ev.data.ok; render(); }
      if (shown && ev.type === 'print_failed') {
        const num = ev.ticket && ev.ticket.number;
        if (!num || num === shown.number) printerFail();
      }
      if (state && ev.services) { Antri.applyServices(state.services, ev.services); if ($('overlay').hidden) render(); }
    },
  });
  loadUnits();
  Antri.onLang(() => {
    render();
    if (shown) renderTicket();
    else if (complaint) complainForm();
  });

  // For a technician's console and the tests: how the services are laid out.
  window.antriKiosk = { fit: () => Object.assign({}, fit), openDuring: (open, close) => openNow({ open, close }), byUnit: () => !!state && byUnit(), units: () => (state ? groups().map((g) => ({ unit: g.unit, services: g.services.map((s) => s.code) })) : []) };
})();
