// The printable book of manual numbers (/admin/nomor-manual?layanan=A,B&jumlah=64, issue
// 15): for each service a range of numbers of its own, A-M01 …, as slips to cut out and
// hand to citizens when the queue system or its printer is down, then the log sheet the
// officers fill in — one line per number, the time of each stage — which the admin enters
// afterwards (POST /api/admin/backfill). A4, printed from any browser; the page needs
// only the public state (the office's and services' names), no token.
'use strict';
(() => {
  const { t, el, api } = Antri;
  const $ = (id) => document.getElementById(id);
  const perSheet = 32; // 4 × 8 slips of 46 × 31 mm on A4
  const perLog = 34; // log lines per A4 page

  const manual = (code, n) => code + '-M' + String(n).padStart(2, '0');

  async function build() {
    const q = new URLSearchParams(location.search);
    const codes = (q.get('layanan') || '').split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
    const count = Math.max(1, Math.min(999, +q.get('jumlah') || 64));
    const r = await api('GET', '/api/state');
    if (!r.ok) { $('book-msg').textContent = (r.body && r.body.error) || t('kiosk.neterr'); return; }
    const st = r.body;
    const services = st.services.filter((s) => codes.includes(s.code));
    if (!services.length) { $('book-msg').textContent = t('crisis.book.none'); return; }
    const sheets = [];
    for (const s of services) {
      const numbers = Array.from({ length: count }, (_, i) => manual(s.code, i + 1));
      for (let i = 0; i < numbers.length; i += perSheet) {
        sheets.push(el('section', { class: 'book-sheet', 'data-service': s.code },
          el('h1', { text: `${t('crisis.book.title')} — ${s.code} ${s.name}` }),
          el('p', { text: st.office.name }),
          el('div', { class: 'book-slips' }, numbers.slice(i, i + perSheet).map((n) => el('div', { class: 'book-slip', 'data-number': n },
            el('div', { class: 'office', text: st.office.name }),
            el('div', { class: 'number', text: n }),
            el('div', { class: 'svc', text: s.name }),
            el('div', { class: 'blank', text: t('crisis.book.slipnote') }))))));
      }
      const head = ['No.', t('crisis.bf.number'), t('crisis.bf.issued'), t('crisis.bf.called'), t('crisis.bf.counter'),
        t('crisis.bf.started'), t('crisis.bf.finished'), t('crisis.bf.outcome'), t('crisis.book.sign')];
      for (let i = 0; i < numbers.length; i += perLog) {
        sheets.push(el('section', { class: 'book-sheet book-log-sheet', 'data-service': s.code },
          el('h1', { text: `${t('crisis.book.logtitle')} — ${s.code} ${s.name}` }),
          el('p', { text: `${st.office.name} · ${t('crisis.book.date')}: ………………  ${t('crisis.book.officer')}: ………………………` }),
          el('p', { text: t('crisis.book.loghint') }),
          el('table', { class: 'book-log' },
            el('thead', {}, el('tr', {}, head.map((h) => el('th', { text: h })))),
            el('tbody', {}, numbers.slice(i, i + perLog).map((n, j) => el('tr', {},
              el('td', { text: String(i + j + 1) }), el('td', {}, el('b', { text: n })), ...head.slice(2).map(() => el('td'))))))));
      }
    }
    $('book').replaceChildren(...sheets);
    document.title = t('crisis.book.title') + ' — ' + st.office.name;
    document.body.dataset.ready = String(services.length * count);
  }

  $('book-print').addEventListener('click', () => window.print());
  document.addEventListener('DOMContentLoaded', build);
})();
