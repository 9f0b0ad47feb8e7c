// The admin page's report and pictures (loaded after admin.js, which hands
// over the token, the state and the breaches through Antri.admin):
//   - today in pictures: arrivals and services finished by hour (the daily
//     report), who is waiting now and which standards are exceeded now;
//   - the report of a month, quarter or year: headline tiles (the on-time
//     rate says it counts finished tickets only, and how many are past their
//     standard now), the trend of tickets and on-time rate per day, where
//     the time goes per service, the table per service, each standards
//     revision before and after, the downloads and the printable A4 report.
// Charts are SVG (charts.js), drawn to the width of their box: readable on a
// laptop and on a phone, offline.
'use strict';
(() => {
  const { t, el, dur, api, debounce, serviceName } = Antri;
  const A = Antri.admin;
  const $ = (id) => document.getElementById(id);
  const none = (v) => v === null || v === undefined;
  const locale = () => (Antri.lang === 'en' ? 'en-GB' : 'id-ID');
  const pct = (v) => (none(v) ? '—' : v.toLocaleString(locale(), { maximumFractionDigits: 1 }) + ' %');
  const secs = (v) => (none(v) ? '—' : dur(v));
  const num = (v) => (none(v) ? '—' : v.toLocaleString(locale(), { maximumFractionDigits: 2 }));
  const mmss = (s) => (none(s) ? '—' : Math.floor(s / 60) + ':' + String(Math.round(s % 60)).padStart(2, '0'));
  const routes = { month: 'monthly', quarter: 'quarterly', year: 'yearly' };
  let rep = null; // the report shown
  let today = null; // today's report
  let late = 0; // tickets past their standard now, as the on-time tile last said

  // ---------- the period asked for ----------
  function thisMonth() {
    const d = Antri.parts(); // the office's month, whatever the admin's PC is set to
    return d.year + '-' + String(d.month).padStart(2, '0');
  }

  function period() {
    const kind = $('report-kind').value;
    const key = kind === 'month' ? $('report-month').value : $('report-period').value.trim().toUpperCase();
    return { kind, key, query: routes[kind] + (key ? '?' + kind + '=' + encodeURIComponent(key) : '') };
  }

  function showKind() {
    const kind = $('report-kind').value;
    $('report-month-field').hidden = kind !== 'month';
    $('report-period-field').hidden = kind === 'month';
    const d = Antri.parts();
    $('report-period').placeholder = kind === 'quarter' ? d.year + '-Q' + (Math.floor((d.month - 1) / 3) + 1) : String(d.year);
  }

  // ---------- the report ----------
  async function loadReport() {
    const p = period();
    const r = await api('GET', '/api/reports/' + p.query, undefined, A.token());
    if (r.status === 401) { A.lock(t('admin.badtoken')); return; }
    if (!r.ok) { rep = null; $('report').replaceChildren(); $('report-revisions').replaceChildren(); A.say('report-msg', A.errText(r), false); return; }
    $('report-msg').hidden = true;
    rep = r.body;
    const key = rep.month || rep.quarter || rep.year;
    $('report-print').href = '/admin/laporan?' + p.kind + '=' + encodeURIComponent(key);
    renderReport();
  }

  function renderReport() {
    if (!rep) return;
    const state = A.state(), o = rep.overall, skm = rep.skm;
    const tile = (key, value, id, ...notes) => el('div', { class: 'tile', 'data-key': id || key }, el('b', { text: value }), el('span', { text: t(key) }), ...notes);
    // The on-time rate counts finished tickets only: say so, and say how many
    // tickets are past their standard right now, which it does not count.
    late = A.breaches().length;
    const onTime = tile('admin.r.ontime', pct(o.on_time_pct), 'on_time_pct',
      el('small', { class: 'dash-note', id: 'ontime-of', text: t('admin.r.ontime.of', { n: o.finished }) }),
      late ? el('small', { class: 'dash-note late', id: 'ontime-now', text: t('admin.r.ontime.now', { n: late }) }) : null);
    const codes = Object.keys(rep.services || {}).sort();
    const cols = [['admin.r.issued', (i) => String(i.issued)], ['admin.r.done', (i) => String(i.done)], ['admin.r.incomplete', (i) => String(i.incomplete)],
      ['admin.r.noshow', (i) => String(i.no_show)], ['admin.r.wait', (i) => secs(i.wait_mean_s) + ' / ' + secs(i.wait_p90_s)],
      ['admin.r.service', (i) => secs(i.service_mean_s) + ' / ' + secs(i.service_p90_s)], ['admin.r.ontime', (i) => pct(i.on_time_pct)],
      ['admin.r.firstvisit', (i) => pct(i.first_visit_pct)]];
    const row = (name, i, attrs) => el('tr', attrs || {}, el('td', { text: name }), ...cols.map(([, f]) => el('td', { class: 'num', text: f(i) })));
    // Too few SKM respondents for the period's visitors (the Krejcie–Morgan table of
    // PermenPAN-RB 14/2017, queue.SampleSize): said before the grade, and beside it.
    $('report').replaceChildren(
      ...(skm.sample_ok ? [] : [el('p', { class: 'msg err', id: 'skm-warning', text: skm.responses
        ? t('admin.r.skmwarn', { n: skm.responses, m: skm.sample_required, p: skm.population }) : t('admin.r.skmnone') })]),
      el('div', { class: 'tiles' },
        tile('admin.r.issued', String(o.issued), 'issued'), tile('admin.r.done', String(o.done), 'done'), onTime,
        tile('admin.r.waitmean', secs(o.wait_mean_s), 'wait_mean_s'),
        tile('admin.r.firstvisit', pct(o.first_visit_pct), 'first_visit_pct'), tile('admin.r.noshowpct', pct(o.no_show_pct), 'no_show_pct'),
        tile('admin.r.complaints', t('admin.r.complaints.v', { r: rep.complaints.received, c: rep.complaints.closed, o: rep.complaints.open }), 'complaints'),
        tile('admin.r.satisfaction', rep.satisfaction.responses ? num(rep.satisfaction.mean) + ' · ' + pct(rep.satisfaction.satisfied_pct) : '—', 'satisfaction'),
        tile('admin.r.skm', skm.responses && skm.grade ? num(skm.ikm) + ' (' + skm.grade + ')' : '—', 'ikm',
          skm.responses && !skm.sample_ok ? el('small', { class: 'dash-note late', id: 'ikm-sample', text: t('admin.r.skmshort', { n: skm.responses, m: skm.sample_required }) }) : null),
        tile('admin.r.skmn', String(skm.responses), 'skm_responses')),
      el('div', { class: 'table-scroll' }, el('table', { class: 'spaced', id: 'report-services' },
        el('tr', {}, el('th', { text: t('admin.service') }), ...cols.map(([k]) => el('th', { class: 'num', text: t(k) }))),
        ...codes.map((c) => row(c + ' — ' + serviceName(state, c), rep.services[c], { 'data-service': c })),
        row(t('admin.total'), o, { class: 'total' }))),
      el('p', { class: 'muted', text: t('admin.r.note', { w: pct(rep.complaints.closed_within_standard_pct) }) }));
    renderRevisions();
    drawReportCharts();
  }

  function drawReportCharts() {
    if (!rep) return;
    const state = A.state();
    const days = rep.by_day || [];
    if (!days.length) $('chart-trend').replaceChildren(el('p', { class: 'muted', text: t('admin.pic.none') }));
    else Charts.bars($('chart-trend'), { labels: days.map((d) => +d.day.slice(8, 10) + (rep.month ? '' : '/' + +d.day.slice(5, 7))), height: 220,
      series: [{ name: t('admin.pic.issued'), values: days.map((d) => d.issued) }],
      line: { name: t('admin.pic.ontime'), values: days.map((d) => d.on_time_pct), max: 100, format: (v) => Math.round(v) + '%' } });
    const codes = Object.keys(rep.services || {}).sort();
    if (!codes.length) { $('chart-where').replaceChildren(el('p', { class: 'muted', text: t('admin.pic.none') })); return; }
    Charts.hbars($('chart-where'), { labels: codes.map((c) => serviceName(state, c)), minutes: true, format: mmss,
      series: [{ name: t('admin.pic.wait'), values: codes.map((c) => rep.services[c].wait_mean_s) },
        { name: t('admin.pic.walk'), values: codes.map((c) => rep.services[c].walk_mean_s) },
        { name: t('admin.pic.service'), values: codes.map((c) => rep.services[c].service_mean_s) }] });
  }

  function renderRevisions() {
    const revs = rep.revisions || [];
    if (!revs.length) { $('report-revisions').replaceChildren(el('p', { class: 'muted', id: 'revisions-none', text: t('admin.rev.none') })); return; }
    const when = (iso) => Antri.dateTime(iso); // in the office's time zone
    const ba = (b, a, f) => f(b) + ' → ' + f(a);
    $('report-revisions').replaceChildren(el('div', { class: 'table-scroll' }, el('table', { class: 'rev-table', id: 'report-revisions-table' },
      el('tr', {}, ...['admin.service', 'admin.rev.effective', 'admin.rev.reason', 'admin.rev.complaints', 'admin.rev.svcmean', 'admin.rev.svcp90',
        'admin.rev.waitmean', 'admin.rev.ontime', 'admin.rev.firstvisit'].map((k) => el('th', { text: t(k) }))),
      ...revs.map((r) => el('tr', { 'data-revision': String(r.id) },
        el('td', { text: serviceName(A.state(), r.service) }), el('td', { text: when(r.effective) }), el('td', { text: r.reason }),
        el('td', { class: 'num', text: ba(r.complaints_before, r.complaints_after, String) }),
        el('td', { class: 'num', text: ba(r.before.service_mean_s, r.after.service_mean_s, secs) }),
        el('td', { class: 'num', text: ba(r.before.service_p90_s, r.after.service_p90_s, secs) }),
        el('td', { class: 'num', text: ba(r.before.wait_mean_s, r.after.wait_mean_s, secs) }),
        el('td', { class: 'num', text: ba(r.before.on_time_pct, r.after.on_time_pct, pct) }),
        el('td', { class: 'num', text: ba(r.before.first_visit_pct, r.after.first_visit_pct, pct) }))))),
    el('p', { class: 'muted', text: t('admin.rev.window') }));
  }

  // download fetches the file with the token in the Authorization header (never
  // in the address, where it would stay in logs and history) and saves it.
  async function download(ext) {
    const p = period();
    const [route, query] = p.query.split('?');
    try {
      const res = await fetch('/api/reports/' + route + '.' + ext + (query ? '?' + query : ''), { headers: { Authorization: 'Bearer ' + A.token() }, cache: 'no-store' });
      if (res.status === 401) { A.lock(t('admin.badtoken')); return; }
      if (!res.ok) { const b = await res.json().catch(() => ({})); A.say('report-msg', b.error || 'HTTP ' + res.status, false); return; }
      const blob = await res.blob();
      const m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
      const name = m ? m[1] : 'laporan.' + ext;
      const a = el('a', { href: URL.createObjectURL(blob), download: name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 60000);
      (window.antriDownloads = window.antriDownloads || []).push({ name, size: blob.size, type: blob.type });
      A.say('report-msg', t('admin.report.saved', { f: name }), true);
    } catch (e) {
      A.say('report-msg', t('kiosk.neterr'), false);
    }
  }

  // ---------- today in pictures ----------
  async function loadToday() {
    const r = await api('GET', '/api/reports/daily', undefined, A.token());
    if (r.status === 401) { A.lock(t('admin.badtoken')); return; }
    if (r.ok) { today = r.body; drawToday(); }
  }
  const loadTodaySoon = debounce(loadToday, 3000);

  function drawToday() {
    if (!today) return;
    const hrs = today.by_hour;
    const busy = hrs.filter((h) => h.arrivals || h.served);
    // The hours the office worked today, at least 08.00 to 15.00.
    const from = Math.min(8, ...busy.map((h) => h.hour)), to = Math.max(15, ...busy.map((h) => h.hour));
    const shown = hrs.slice(from, to + 1);
    Charts.bars($('chart-hours'), { labels: shown.map((h) => String(h.hour).padStart(2, '0')), height: 200,
      series: [{ name: t('admin.pic.arrivals'), values: shown.map((h) => h.arrivals) }, { name: t('admin.pic.served'), values: shown.map((h) => h.served) }] });
  }

  function drawNow() {
    const state = A.state();
    if (!state) return;
    const svcs = state.services || [];
    Charts.hbars($('chart-waiting'), { labels: svcs.map((s) => s.name), format: (v) => String(Math.round(v)),
      series: [{ name: t('admin.pic.people'), values: svcs.map((s) => s.waiting) }] });
    const br = A.breaches();
    const count = (code, kind) => br.filter((b) => b.service === code && b.kind === kind).length;
    Charts.hbars($('chart-breaches'), { labels: svcs.map((s) => s.name), format: (v) => String(Math.round(v)),
      series: [{ name: t('admin.breach.wait'), values: svcs.map((s) => count(s.code, 'wait')), color: '#c0504d' },
        { name: t('admin.breach.service'), values: svcs.map((s) => count(s.code, 'service')), color: '#f0a30a' }] });
  }
  const drawNowSoon = debounce(drawNow, 200);

  A.on((what, ev) => {
    switch (what) {
      case 'unlock':
        if (!$('report-month').value) $('report-month').value = thisMonth();
        showKind();
        loadReport();
        loadToday();
        drawNow();
        break;
      case 'state':
      case 'breaches':
        drawNowSoon();
        if (what === 'breaches' && rep && A.breaches().length !== late) renderReport();
        break;
      case 'event':
        if (ev.seq > 0) loadTodaySoon();
        break;
      case 'lang':
        showKind();
        renderReport();
        drawToday();
        drawNow();
        break;
    }
  });
  $('report-kind').addEventListener('change', showKind);
  $('report-form').addEventListener('submit', (e) => { e.preventDefault(); loadReport(); });
  $('report-xlsx').addEventListener('click', () => download('xlsx'));
  $('report-csv').addEventListener('click', () => download('csv'));
  window.addEventListener('resize', debounce(() => { drawToday(); drawNow(); drawReportCharts(); }, 250));
})();
