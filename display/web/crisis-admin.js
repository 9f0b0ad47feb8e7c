// The admin page's crisis section (issue 15, docs/CRISIS.md), loaded after admin.js,
// which hands over the token, the state and every event through Antri.admin:
//   - the surge forecast of every service until closing, live;
//   - the incidents (gangguan layanan): manual mode on and off, an outage recorded
//     afterwards, every incident with its start, end and note;
//   - the book of manual numbers to print in advance, and the form that enters its log
//     sheet afterwards (POST /api/admin/backfill).
'use strict';
(() => {
  const { t, el, api, dur } = Antri;
  const A = Antri.admin;
  const $ = (id) => document.getElementById(id);
  const card = $('crisis-card');
  if (!card || !A) return;
  let incidents = [];
  let rows = [];
  let dayChosen = false; // the admin picked the log's date; until then it follows the office day

  const offset = () => {
    const st = A.state();
    const m = st && /([+-]\d\d:\d\d|Z)$/.exec(st.now || '');
    return m ? m[1] : 'Z';
  };
  const today = () => (A.state() && A.state().day) || new Date().toISOString().slice(0, 10);
  const hm = (iso) => (iso ? iso.slice(11, 16).replace(':', '.') : '');
  const dayHM = (iso) => (iso ? iso.slice(8, 10) + '/' + iso.slice(5, 7) + ' ' + hm(iso) : '');
  // atTime turns "08.25" on day into RFC 3339 with the office's offset; null when empty.
  function atTime(day, v) {
    v = (v || '').trim();
    if (!v) return null;
    const m = /^(\d{1,2})[.:](\d{2})$/.exec(v);
    if (!m || +m[1] > 23 || +m[2] > 59) return undefined;
    return `${day}T${m[1].padStart(2, '0')}:${m[2]}:00${offset()}`;
  }
  const local = (v) => (v ? v + ':00' + offset() : null); // a datetime-local value

  // ---------- the skeleton ----------
  const types = ['surge', 'outage', 'manual', 'printer'];
  const outcomes = ['done', 'incomplete', 'no_show', 'expired'];
  function build() {
    card.replaceChildren(
      el('h2', { text: t('crisis.admin.title') }),
      el('h3', { text: t('crisis.admin.forecast') }),
      el('div', { id: 'crisis-forecast-table' }),
      el('h3', { class: 'spaced', text: t('crisis.incidents') }),
      el('div', { class: 'row' }, el('button', { class: 'btn secondary', type: 'button', id: 'crisis-manual', onclick: toggleManual })),
      el('div', { id: 'crisis-incidents' }),
      el('details', { id: 'crisis-record-box' }, el('summary', { text: t('crisis.record') }),
        el('form', { id: 'crisis-record', class: 'spaced', onsubmit: (e) => { e.preventDefault(); record(); } },
          el('div', { class: 'row' },
            el('div', { class: 'field' }, el('label', { for: 'crisis-type', text: t('crisis.record.type') }),
              el('select', { id: 'crisis-type' }, types.filter((x) => x !== 'surge').map((x) => el('option', { value: x, text: t('crisis.type.' + x) })))),
            el('div', { class: 'field' }, el('label', { for: 'crisis-start', text: t('crisis.record.start') }), el('input', { id: 'crisis-start', type: 'datetime-local', required: true })),
            el('div', { class: 'field' }, el('label', { for: 'crisis-end', text: t('crisis.record.end') }), el('input', { id: 'crisis-end', type: 'datetime-local' }))),
          el('div', { class: 'field' }, el('label', { for: 'crisis-note', text: t('crisis.record.note') }), el('input', { id: 'crisis-note', maxlength: '500' })),
          el('button', { class: 'btn', type: 'submit', text: t('crisis.record.save') }))),
      el('details', { id: 'crisis-book-box' }, el('summary', { text: t('crisis.book') }),
        el('p', { class: 'muted', text: t('crisis.book.hint') }),
        el('div', { class: 'row', id: 'crisis-book-services' }),
        el('div', { class: 'row' },
          el('div', { class: 'field' }, el('label', { for: 'crisis-book-count', text: t('crisis.book.count') }),
            el('input', { id: 'crisis-book-count', type: 'number', min: '1', max: '999', value: '64' })),
          el('a', { class: 'btn secondary', id: 'crisis-book-link', target: '_blank', href: '/admin/nomor-manual', text: t('crisis.book.print') }))),
      el('details', { id: 'crisis-backfill-box' }, el('summary', { text: t('crisis.backfill') }),
        el('p', { class: 'muted', text: t('crisis.backfill.hint') }),
        el('div', { class: 'row' },
          el('div', { class: 'field' }, el('label', { for: 'crisis-day', text: t('crisis.backfill.day') }), el('input', { id: 'crisis-day', type: 'date', value: today(), onchange: () => { dayChosen = true; } })),
          el('div', { class: 'field' }, el('label', { for: 'crisis-bf-note', text: t('crisis.backfill.note') }), el('input', { id: 'crisis-bf-note', maxlength: '500' }))),
        el('table', { class: 'crisis-rows', id: 'crisis-rows' }),
        el('div', { class: 'row spaced' },
          el('button', { class: 'btn secondary', type: 'button', id: 'crisis-add', text: t('crisis.bf.add'), onclick: () => { saveRows(); rows.push(blankRow()); renderRows(); } }),
          el('button', { class: 'btn', type: 'button', id: 'crisis-send', text: t('crisis.bf.send'), onclick: send }))),
      el('div', { class: 'msg', id: 'crisis-msg', hidden: true }));
    if (!rows.length) rows = [blankRow(), blankRow(), blankRow()];
    renderRows();
    renderBook();
    renderForecast();
    renderIncidents();
  }

  // ---------- the forecast ----------
  function renderForecast() {
    const box = $('crisis-forecast-table');
    const st = A.state();
    if (!box || !st) return;
    const svcs = (st.services || []).filter((s) => s.forecast);
    if (!svcs.length) { box.replaceChildren(el('p', { class: 'muted', text: t('crisis.admin.noclose') })); return; }
    const head = ['service', 'waiting', 'servable', 'risk', 'extra', 'counters', 'percall', 'rate', 'next'];
    box.replaceChildren(el('table', { class: 'crisis-table', id: 'crisis-forecast-rows' },
      el('tr', {}, head.map((h, i) => el('th', { class: i ? 'num' : '', text: t('crisis.col.' + h) }))),
      svcs.map((s) => {
        const f = s.forecast;
        const next = f.next_servable ? t('crisis.next.ok') : s.stop_when_unservable ? t('crisis.next.stop') : t('crisis.next.no');
        return el('tr', { class: f.at_risk > 0 ? 'late' : '', 'data-service': s.code },
          el('td', { text: s.code + ' · ' + s.name }), el('td', { class: 'num', text: String(s.waiting) }),
          el('td', { class: 'num', text: f.servable_by_close + ' (' + hm(f.close) + ')' }), el('td', { class: 'num', text: String(f.at_risk) }),
          el('td', { class: 'num', text: String(f.extra_counters_needed) }), el('td', { class: 'num', text: String(f.counters_open) }),
          el('td', { class: 'num', text: dur(f.per_call_s) }), el('td', { class: 'num', text: String(f.arrivals_per_hour) }),
          el('td', { class: 'num', text: next }));
      })));
  }

  // ---------- incidents ----------
  async function loadIncidents() {
    const r = await api('GET', '/api/admin/incidents', undefined, A.token());
    if (r.status === 401) { A.lock(t('admin.badtoken')); return; }
    if (!r.ok) { A.say('crisis-msg', A.errText(r), false); return; }
    incidents = r.body || [];
    renderIncidents();
  }

  function renderIncidents() {
    const box = $('crisis-incidents');
    if (!box) return;
    const manual = incidents.find((i) => i.type === 'manual' && !i.end);
    const btn = $('crisis-manual');
    btn.textContent = manual ? t('crisis.manual.stop') : t('crisis.manual.start');
    btn.dataset.open = manual ? String(manual.id) : '';
    if (!incidents.length) { box.replaceChildren(el('p', { class: 'muted', text: t('crisis.incidents.none') })); return; }
    box.replaceChildren(el('table', { class: 'crisis-table', id: 'crisis-incident-rows' },
      incidents.slice(0, 30).map((i) => el('tr', { 'data-incident': String(i.id), 'data-type': i.type, class: i.end ? '' : 'late' },
        el('td', {}, el('b', { text: t('crisis.type.' + i.type) })),
        el('td', { text: i.service || '' }),
        el('td', { text: dayHM(i.start) + ' – ' + (i.end ? hm(i.end) : t('crisis.incident.open')) }),
        el('td', { class: 'muted', text: t('crisis.source.' + i.source) }),
        el('td', { text: i.note }),
        el('td', {}, i.end ? null : el('button', { class: 'btn secondary', type: 'button', text: t('crisis.incident.end'), onclick: () => endIncident(i.id) }))))));
  }

  async function toggleManual() {
    const open = $('crisis-manual').dataset.open;
    const r = open ? await api('POST', `/api/admin/incidents/${open}/end`, {}, A.token())
      : await api('POST', '/api/admin/incidents', { type: 'manual' }, A.token());
    if (!r.ok) { A.say('crisis-msg', A.errText(r), false); return; }
    loadIncidents();
  }

  async function endIncident(id) {
    const r = await api('POST', `/api/admin/incidents/${id}/end`, {}, A.token());
    if (!r.ok) { A.say('crisis-msg', A.errText(r), false); return; }
    loadIncidents();
  }

  async function record() {
    const body = { type: $('crisis-type').value, start: local($('crisis-start').value), note: $('crisis-note').value.trim() };
    const end = local($('crisis-end').value);
    if (end) body.end = end;
    const r = await api('POST', '/api/admin/incidents', body, A.token());
    if (!r.ok) { A.say('crisis-msg', A.errText(r), false); return; }
    A.say('crisis-msg', t('crisis.record.saved'), true);
    $('crisis-record').reset();
    loadIncidents();
  }

  // ---------- the book of manual numbers ----------
  function renderBook() {
    const box = $('crisis-book-services');
    const st = A.state();
    if (!box || !st) return;
    const chosen = new Set([...box.querySelectorAll('input:checked')].map((c) => c.value));
    box.replaceChildren(...(st.services || []).map((s) => el('label', { class: 'check' },
      el('input', { type: 'checkbox', value: s.code, checked: chosen.size ? chosen.has(s.code) : true, onchange: bookLink }), ' ' + s.code + ' ' + s.name)));
    $('crisis-book-count').oninput = bookLink;
    bookLink();
  }

  function bookLink() {
    const codes = [...document.querySelectorAll('#crisis-book-services input:checked')].map((c) => c.value);
    const n = Math.max(1, Math.min(999, +$('crisis-book-count').value || 64));
    $('crisis-book-link').href = '/admin/nomor-manual?layanan=' + encodeURIComponent(codes.join(',')) + '&jumlah=' + n;
  }

  // ---------- entering a log sheet ----------
  function blankRow() { return { number: '', issued: '', called: '', started: '', finished: '', counter: '', outcome: 'done' }; }

  function saveRows() {
    document.querySelectorAll('#crisis-rows tr[data-row]').forEach((tr) => {
      const r = rows[+tr.dataset.row];
      tr.querySelectorAll('[data-k]').forEach((i) => { r[i.dataset.k] = i.value; });
    });
  }

  function renderRows() {
    const st = A.state();
    const counters = (st && st.counters) || [];
    const input = (k, r, cls) => el('input', { 'data-k': k, class: cls || '', value: r[k], placeholder: k === 'number' ? 'A-M01' : '08.00', autocomplete: 'off' });
    $('crisis-rows').replaceChildren(
      el('tr', {}, ['number', 'issued', 'called', 'started', 'finished', 'counter', 'outcome'].map((k) => el('th', { text: t('crisis.bf.' + k) }))),
      ...rows.map((r, i) => el('tr', { 'data-row': String(i) },
        el('td', {}, input('number', r, 'crisis-number')), el('td', {}, input('issued', r)), el('td', {}, input('called', r)),
        el('td', {}, input('started', r)), el('td', {}, input('finished', r)),
        el('td', {}, el('select', { 'data-k': 'counter' }, el('option', { value: '', text: '—' }),
          counters.map((k) => el('option', { value: k.id, text: k.name, selected: r.counter === k.id })))),
        el('td', {}, el('select', { 'data-k': 'outcome' }, outcomes.map((o) => el('option', { value: o, text: t('crisis.bf.' + o), selected: r.outcome === o })))))));
  }

  async function send() {
    saveRows();
    const day = $('crisis-day').value || today();
    const tickets = [];
    for (const [i, r] of rows.entries()) {
      if (!r.number.trim()) continue;
      const tk = { number: r.number.trim().toUpperCase(), outcome: r.outcome };
      for (const k of ['issued', 'called', 'started', 'finished']) {
        const v = atTime(day, r[k]);
        if (v === undefined) { A.say('crisis-msg', t('crisis.bf.badtime', { n: i + 1, v: r[k] }), false); return; }
        if (v) tk[k] = v;
      }
      if (r.counter) tk.counter = r.counter;
      tickets.push(tk);
    }
    const note = $('crisis-bf-note').value.trim();
    const r = await api('POST', '/api/admin/backfill', note ? { tickets, note } : { tickets }, A.token());
    if (r.status === 401) { A.lock(t('admin.badtoken')); return; }
    if (!r.ok) { A.say('crisis-msg', A.errText(r), false); return; }
    A.say('crisis-msg', t('crisis.bf.saved', { n: r.body.tickets.length }), true);
    rows = [blankRow(), blankRow(), blankRow()];
    renderRows();
    loadIncidents();
  }

  A.on((what, ev) => {
    if (what === 'unlock') { build(); loadIncidents(); }
    if (what === 'state') {
      renderForecast();
      if ($('crisis-book-services') && !$('crisis-book-services').children.length) renderBook();
      if ($('crisis-day') && !dayChosen) $('crisis-day').value = today();
    }
    if (what === 'event') {
      if (ev.services) renderForecast();
      if (ev.type === 'incident_opened' || ev.type === 'incident_closed') loadIncidents();
    }
    if (what === 'lang') { saveRows(); build(); }
  });
})();
