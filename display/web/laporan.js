// The printable report (/admin/laporan?month=2026-11, ?quarter=2026-Q4,
// ?year=2026): the indicators, charts, complaints, SKM and standards
// revisions of a period on A4, ending in the head of office's signature
// block. An official document, so in Indonesian only.
//
// Two ways in: on the appliance the page asks for the admin token (the
// admin page's sign-in, shared) and reads /api/reports/… and
// /api/reports/letterhead; in a file written by `antrid report -o x.html`
// the data is in the page itself (#laporan-data), with the scripts, and
// nothing is fetched, so the file opens and prints offline anywhere.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);

  const { el } = Antri;

  // ---------- numbers as an Indonesian document writes them ----------
  const nf = (d) => new Intl.NumberFormat('id-ID', { minimumFractionDigits: d, maximumFractionDigits: d });
  const none = (v) => v === null || v === undefined;
  const int = (v) => (none(v) ? '—' : nf(0).format(v));
  const num = (v, d = 2) => (none(v) ? '—' : nf(d).format(v));
  const pct = (v) => (none(v) ? '—' : nf(1).format(v) + ' %');
  // mmss says seconds as minutes:seconds, "12:05" (hours as "1:02:05").
  function mmss(s) {
    if (none(s)) return '—';
    s = Math.round(s);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return (h ? h + ':' + String(m).padStart(2, '0') : String(m)) + ':' + String(sec).padStart(2, '0');
  }
  const months = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
  const weekdays = ['Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu', 'Minggu'];
  const romans = ['I', 'II', 'III', 'IV'];
  // The report's times carry the office's offset; its wall clock is read from the text.
  const wall = (iso) => ({ y: +iso.slice(0, 4), mo: +iso.slice(5, 7), d: +iso.slice(8, 10), h: iso.slice(11, 13), mi: iso.slice(14, 16) });
  const longDate = (iso) => { const w = wall(iso); return `${w.d} ${months[w.mo - 1]} ${w.y}`; };
  const dateTime = (iso) => { const w = wall(iso); return `${w.d} ${months[w.mo - 1].slice(0, 3)} ${w.y} ${w.h}.${w.mi}`; };
  const hourLabel = (h) => String(h).padStart(2, '0') + '.00';

  function periodOf(rep) {
    if (rep.quarter) return { kind: 'quarter', key: rep.quarter, title: 'Laporan Triwulanan Pelayanan', label: `Triwulan ${romans[+rep.quarter.slice(6) - 1]} ${rep.quarter.slice(0, 4)}` };
    if (rep.year) return { kind: 'year', key: rep.year, title: 'Laporan Tahunan Pelayanan', label: 'Tahun ' + rep.year };
    if (rep.day) return { kind: 'day', key: rep.day, title: 'Laporan Harian Pelayanan', label: longDate(rep.day) };
    return { kind: 'month', key: rep.month, title: 'Laporan Bulanan Pelayanan', label: `${months[+rep.month.slice(5, 7) - 1]} ${rep.month.slice(0, 4)}` };
  }

  // ---------- the document ----------
  function render(data) {
    const rep = data.report, lh = data.letterhead || {};
    const svcName = (c) => (lh.services && lh.services[c]) || (c ? 'Layanan ' + c : '(tanpa layanan)');
    const ctrName = (id) => (lh.counters && lh.counters[id]) || 'Loket ' + id;
    const p = periodOf(rep);
    const o = rep.overall;
    document.title = `${p.title} ${p.label} — ${lh.name || rep.office}`;
    let n = 0;
    const section = (id, title, ...body) => el('section', { id: 'l-' + id, class: 'l-section' }, el('h2', { text: `${++n}. ${title}` }), ...body);
    // table numbers its tables ("Tabel 3. …") as an official document does;
    // the caption belongs to the table, so it never parts from it on paper.
    let tables = 0;
    const table = (name, title, head, rows, opts = {}) => el('table', { class: 'l-table ' + (opts.cls || ''), 'data-table': name },
      el('caption', { text: `Tabel ${++tables}. ${title}` }),
      el('thead', {}, el('tr', {}, head.map((h, i) => el('th', { class: i >= (opts.textCols || 1) ? 'num' : '', text: h })))),
      el('tbody', {}, rows.map((r, ri) => el('tr', { class: (opts.total && ri === rows.length - 1) ? 'total' : '' },
        r.map((c, i) => el('td', { class: i >= (opts.textCols || 1) ? 'num' : '', text: c }))))));
    const chart = (draw) => { const box = el('div', { class: 'l-chart' }); pending.push(() => draw(box)); return box; };
    const pending = [];

    const kop = el('header', { class: 'l-kop' },
      el('div', { class: 'l-office', text: lh.name || rep.office }),
      lh.address ? el('div', { class: 'l-address', text: lh.address }) : null);
    const title = el('div', { class: 'l-title' }, el('h1', { text: p.title }), el('div', { class: 'l-period', text: p.label }));

    // 1. Summary: two columns of the figures a meeting asks for first.
    const skm = rep.skm;
    const left = [['Tiket terbit', int(o.issued)], ['Selesai tuntas', int(o.done)], ['Belum lengkap', int(o.incomplete)],
      ['Tidak hadir', int(o.no_show)], ['Dirujuk ke layanan lain', int(o.transferred)], ['Kedaluwarsa', int(o.expired)],
      ['Rata-rata tunggu', mmss(o.wait_mean_s)], ['Persentil 90 tunggu', mmss(o.wait_p90_s)], ['Rata-rata layanan', mmss(o.service_mean_s)]];
    const right = [[`Tepat waktu (dari ${int(o.finished)} tiket selesai)`, pct(o.on_time_pct)], ['Tuntas sekali datang', pct(o.first_visit_pct)],
      ['Melewati standar tunggu', int(o.wait_breaches)], ['Melewati standar layanan', int(o.service_breaches)],
      ['Pengaduan diterima / selesai / terbuka', `${int(rep.complaints.received)} / ${int(rep.complaints.closed)} / ${int(rep.complaints.open)}`],
      ['Penilaian cepat (rata-rata 1–4)', num(rep.satisfaction.mean)],
      ['IKM (responden)', skm.ikm === null ? '—' : `${num(skm.ikm)} (${int(skm.responses)})`],
      ['Mutu pelayanan', skm.grade ? `${skm.grade} (${skm.grade_label})` : '—'], ['Revisi standar berlaku', int(rep.revisions.length)]];
    const summary = section('ringkasan', 'Ringkasan indikator',
      el('div', { class: 'l-two' }, table('ringkasan-1', 'Antrean dan waktu', ['Indikator', 'Nilai'], left), table('ringkasan-2', 'Kepatuhan, pengaduan dan kepuasan', ['Indikator', 'Nilai'], right)),
      el('p', { class: 'l-note', text: `Tepat waktu dihitung dari tiket yang selesai dilayani (tunggu dan layanan dalam standar yang berlaku saat tiket terbit); ` +
        `tiket yang tidak hadir, dirujuk, kedaluwarsa atau belum berakhir tidak ikut dihitung. Durasi ditulis menit:detik.` }));

    // 2. Charts.
    const days = rep.by_day || [];
    const dayLabel = (d) => (rep.year || rep.quarter ? d.slice(8, 10) + '/' + d.slice(5, 7) : String(+d.slice(8, 10)));
    const charts = section('grafik', 'Grafik',
      el('h3', { text: 'Tiket terbit dan tepat waktu per hari' }),
      days.length ? chart((box) => Charts.bars(box, { labels: days.map((d) => dayLabel(d.day)), height: 230,
        series: [{ name: 'Tiket terbit', values: days.map((d) => d.issued) }],
        line: { name: 'Tepat waktu (%)', values: days.map((d) => d.on_time_pct), max: 100, format: (v) => Math.round(v) + '%' } }))
        : el('p', { class: 'l-note', text: 'Belum ada tiket dalam periode ini.' }),
      el('h3', { text: 'Ke mana waktu warga pergi, menurut jam kedatangan (rata-rata, menit)' }),
      chart((box) => {
        const hrs = rep.by_hour.filter((h) => h.arrivals || h.served || h.wait_mean_s !== null);
        const shown = hrs.length ? rep.by_hour.slice(Math.min(...hrs.map((h) => h.hour)), Math.max(...hrs.map((h) => h.hour)) + 1) : rep.by_hour;
        Charts.bars(box, { labels: shown.map((h) => hourLabel(h.hour)), stacked: true, minutes: true, height: 230, format: (v) => String(Math.round(v / 60)),
          series: [{ name: 'Tunggu', values: shown.map((h) => h.wait_mean_s) }, { name: 'Jalan ke loket', values: shown.map((h) => h.walk_mean_s) },
            { name: 'Layanan', values: shown.map((h) => h.service_mean_s) }] });
      }));

    // 3. Per service.
    const codes = Object.keys(rep.services).sort();
    const svcRow = (name, i) => [name, int(i.issued), int(i.done), int(i.incomplete), int(i.no_show), int(i.transferred),
      mmss(i.wait_mean_s), mmss(i.wait_p90_s), mmss(i.service_mean_s), mmss(i.service_p90_s), pct(i.on_time_pct), pct(i.first_visit_pct)];
    const svcHead = ['Layanan', 'Terbit', 'Tuntas', 'Belum lengkap', 'Tidak hadir', 'Dirujuk', 'Tunggu rata-rata', 'Tunggu P90',
      'Layanan rata-rata', 'Layanan P90', 'Tepat waktu', 'Tuntas sekali datang'];
    const services = section('layanan', 'Kinerja per layanan',
      table('layanan', 'Indikator per layanan (waktu dalam menit:detik)', svcHead, [...codes.map((c) => svcRow(svcName(c), rep.services[c])), svcRow('Semua layanan', o)], { total: true, cls: 'small' }),
      codes.length ? chart((box) => Charts.hbars(box, { labels: codes.map(svcName), minutes: true, format: mmss,
        series: [{ name: 'Tunggu', values: codes.map((c) => rep.services[c].wait_mean_s) },
          { name: 'Jalan ke loket', values: codes.map((c) => rep.services[c].walk_mean_s) },
          { name: 'Layanan', values: codes.map((c) => rep.services[c].service_mean_s) }] })) : null);

    // 4. Titik rawan keterlambatan: the service-hours with the longest mean wait.
    const spots = [];
    for (const [c, hs] of Object.entries(rep.service_hours || {})) for (const h of hs) if (h.wait_mean_s !== null) spots.push({ c, h });
    spots.sort((a, b) => b.h.wait_mean_s - a.h.wait_mean_s || a.c.localeCompare(b.c) || a.h.hour - b.h.hour);
    const rawan = section('rawan', 'Titik rawan keterlambatan',
      spots.length ? table('rawan', 'Lima jam layanan dengan rata-rata tunggu terlama', ['Layanan', 'Jam kedatangan', 'Tunggu rata-rata', 'Kedatangan', 'Layanan rata-rata'],
        spots.slice(0, 5).map((s) => [svcName(s.c), hourLabel(s.h.hour) + '–' + String(s.h.hour).padStart(2, '0') + '.59', mmss(s.h.wait_mean_s),
          int(s.h.arrivals), mmss(s.h.service_mean_s)]), { textCols: 2 })
        : el('p', { class: 'l-note', text: 'Belum ada tiket yang dipanggil.' }),
      el('p', { class: 'l-note', text: `Standar tunggu terlewati ${int(o.wait_breaches)} kali, standar layanan ${int(o.service_breaches)} kali.` }));

    // 5. Per counter (and officer, when officers sign in).
    const ctrRow = (name, i) => [name, int(i.called), int(i.done), int(i.incomplete), int(i.no_show), mmss(i.wait_mean_s),
      mmss(i.service_mean_s), pct(i.on_time_pct), int(i.service_breaches)];
    const ctrHead = ['Loket', 'Dipanggil', 'Tuntas', 'Belum lengkap', 'Tidak hadir', 'Tunggu rata-rata', 'Layanan rata-rata', 'Tepat waktu', 'Melewati standar layanan'];
    const counters = section('loket', 'Kinerja per loket',
      table('loket', 'Indikator per loket', ctrHead, Object.keys(rep.counters || {}).sort().map((id) => ctrRow(ctrName(id), rep.counters[id])), { cls: 'small' }),
      rep.officers ? table('petugas', 'Indikator per petugas', ['Petugas', ...ctrHead.slice(1)], Object.keys(rep.officers).sort().map((k) => ctrRow(k, rep.officers[k])), { cls: 'small' }) : null);

    // 6. Complaints.
    const c = rep.complaints;
    const complaints = section('pengaduan', 'Pengaduan',
      el('div', { class: 'l-two' },
        table('pengaduan', 'Pengaduan dalam periode', ['Pengaduan', 'Jumlah'], [['Diterima', int(c.received)], ['Selesai', int(c.closed)], ['Terbuka di akhir periode', int(c.open)],
          ['Selesai dalam standar', pct(c.closed_within_standard_pct)]]),
        table('pengaduan-pokok', 'Pengaduan menurut pokok', ['Pokok pengaduan', 'Diterima'], Object.keys(c.by_topic || {}).sort().map((t) => [t, int(c.by_topic[t])])
          .concat(Object.keys(c.by_topic || {}).length ? [] : [['—', '0']]))));

    // 7. SKM.
    const elements = ['Persyaratan', 'Sistem, mekanisme, dan prosedur', 'Waktu penyelesaian', 'Biaya/tarif', 'Produk spesifikasi jenis pelayanan',
      'Kompetensi pelaksana', 'Perilaku pelaksana', 'Penanganan pengaduan, saran dan masukan', 'Sarana dan prasarana'];
    const warn = skm.sample_ok ? null : el('p', { class: 'l-warn', text: skm.responses
      ? `Perhatian: IKM dihitung dari ${int(skm.responses)} responden, padahal untuk ${int(skm.population)} penerima layanan PermenPAN-RB 14/2017 (tabel Krejcie–Morgan) meminta paling sedikit ${int(skm.sample_required)} responden. Nilai IKM ini belum mewakili.`
      : 'Belum ada responden SKM dalam periode ini; IKM belum dapat dihitung.' });
    const skmSec = section('skm', 'Survei Kepuasan Masyarakat (PermenPAN-RB 14/2017)',
      table('skm', 'Nilai per unsur dan indeks kepuasan masyarakat', ['Unsur', 'Responden', 'NRR', 'Nilai konversi', 'Mutu'],
        [...elements.map((e, i) => [`U${i + 1} ${e}`, int(skm.answered ? skm.answered[i] : null), num(skm.nrr[i], 3),
          num(skm.nrr[i] === null ? null : skm.nrr[i] * 25), (skm.element_grades && skm.element_grades[i]) || '—']),
        ['IKM', int(skm.responses), '', num(skm.ikm), skm.grade ? `${skm.grade} (${skm.grade_label})` : '—']], { total: true, cls: 'small' }),
      warn);

    // 8. Standards revisions, before and after.
    const revs = rep.revisions || [];
    const revSec = section('revisi', 'Revisi standar pelayanan: sebelum dan sesudah',
      revs.length ? revs.map((r) => table('revisi', `${svcName(r.service)}, berlaku ${dateTime(r.effective)}: ${r.reason}`, ['Indikator', 'Sebelum', 'Sesudah'], [
        ['Standar tunggu / layanan', '', `${mmss(r.wait_standard_s)} / ${mmss(r.service_standard_s)}`],
        ['Tiket terbit', int(r.before.issued), int(r.after.issued)],
        ['Pengaduan tentang layanan ini', int(r.complaints_before), int(r.complaints_after)],
        ['Layanan rata-rata', mmss(r.before.service_mean_s), mmss(r.after.service_mean_s)],
        ['Layanan persentil 90', mmss(r.before.service_p90_s), mmss(r.after.service_p90_s)],
        ['Tunggu rata-rata', mmss(r.before.wait_mean_s), mmss(r.after.wait_mean_s)],
        ['Tunggu persentil 90', mmss(r.before.wait_p90_s), mmss(r.after.wait_p90_s)],
        ['Tepat waktu', pct(r.before.on_time_pct), pct(r.after.on_time_pct)],
        ['Tuntas sekali datang', pct(r.before.first_visit_pct), pct(r.after.first_visit_pct)]], { cls: 'l-rev' }))
        : el('p', { class: 'l-note', text: 'Tidak ada revisi standar pelayanan yang mulai berlaku dalam periode ini.' }),
      revs.length ? el('p', { class: 'l-note', text: 'Sebelum dan sesudah dibandingkan atas dua rentang waktu sama panjang di sekitar saat berlaku (' +
        revs.map((r) => `${svcName(r.service)}: ${dateTime(r.window_start)} s.d. ${dateTime(r.window_end)}`).join('; ') +
        '); tiap tiket dinilai dengan standar yang berlaku saat ia terbit.' }) : null);

    // 9. Gangguan layanan (issue 15): the incidents, and the tickets handed out on paper.
    const incSec = incidentSection(rep, { section, table, el, svcName, dateTime, mmss, int, pct });

    // The signature block.
    const today = Antri.parts(); // the office's day
    const sign = el('section', { id: 'l-ttd', class: 'l-sign' },
      el('div', { text: `${lh.city ? lh.city + ', ' : ''}${today.day} ${months[today.month - 1]} ${today.year}` }),
      el('div', { text: 'Mengetahui,' }),
      el('div', { text: lh.head_title || 'Kepala Kantor' }),
      el('div', { class: 'l-sign-space' }),
      el('div', { class: 'l-sign-name', text: lh.head_name || '(nama)' }),
      el('div', { text: 'NIP. ' + (lh.head_nip || '…') }));

    $('laporan').replaceChildren(kop, title, summary, charts, services, rawan, counters, complaints, skmSec, revSec, incSec, sign);
    pending.forEach((f) => f());
    document.body.dataset.ready = p.kind + ':' + p.key;
  }

  // incidentSection is the report's "Gangguan layanan": each incident of the period with
  // its start, end, length and note; the manual tickets' written times apart, since the
  // rest of the report counts them as tickets but never times them (docs/CRISIS.md).
  function incidentSection(rep, h) {
    const names = { surge: 'Lonjakan antrean', outage: 'Sistem antrean mati', manual: 'Nomor manual (kertas)', printer: 'Printer tiket mati' };
    const incs = rep.incidents || [];
    const m = rep.manual;
    return h.section('gangguan', 'Gangguan layanan',
      incs.length ? h.table('gangguan', 'Gangguan dalam periode', ['Jenis', 'Layanan', 'Mulai', 'Selesai', 'Lama (jam:mnt:dtk)', 'Catatan'],
        incs.map((i) => [names[i.type] || i.type, i.service ? h.svcName(i.service) : '—', h.dateTime(i.start), i.end ? h.dateTime(i.end) : 'masih berlangsung',
          i.end ? h.mmss((Date.parse(i.end) - Date.parse(i.start)) / 1000) : '—', i.note || '']), { textCols: 4, cls: 'small l-incidents' })
        : h.el('p', { class: 'l-note', text: 'Tidak ada gangguan layanan yang tercatat dalam periode ini.' }),
      m ? h.table('manual', 'Tiket nomor manual (waktu ditulis tangan)', ['Indikator', 'Nilai'], [['Tiket nomor manual', h.int(m.issued)],
        ['Selesai tuntas', h.int(m.done)], ['Belum lengkap', h.int(m.incomplete)], ['Tidak hadir', h.int(m.no_show)], ['Tidak terlayani', h.int(m.expired)],
        ['Rata-rata tunggu tertulis', h.mmss(m.wait_mean_s)], ['Rata-rata layanan tertulis', h.mmss(m.service_mean_s)], ['Tepat waktu menurut catatan', h.pct(m.on_time_pct)]]) : null,
      m ? h.el('p', { class: 'l-note', text: 'Tiket nomor manual ikut dihitung sebagai tiket pada bagian lain laporan ini, tetapi tidak dalam rata-rata waktu, ' +
        'persentil, tepat waktu atau pelanggaran standar: waktunya ditulis tangan, tidak diukur.' }) : null);
  }

  // ---------- where the data comes from ----------
  const embedded = document.getElementById('laporan-data');
  $('print').addEventListener('click', () => window.print());
  if (embedded) {
    document.querySelectorAll('.toolbar a, #period, #lock').forEach((e) => { e.hidden = true; });
    $('desk').hidden = false;
    render(JSON.parse(embedded.textContent));
    return;
  }

  const q = new URLSearchParams(location.search);
  const kind = ['quarter', 'year'].find((k) => q.get(k)) || 'month';
  const now = Antri.parts(); // the office's month
  const key = q.get(kind) || (kind === 'month' ? now.year + '-' + String(now.month).padStart(2, '0') : '');
  $('period-kind').value = kind;
  $('period-key').value = key;
  const route = { month: 'monthly', quarter: 'quarterly', year: 'yearly' };
  $('period').addEventListener('submit', (e) => {
    e.preventDefault();
    location.search = '?' + $('period-kind').value + '=' + encodeURIComponent($('period-key').value.trim());
  });

  const session = Antri.signIn({
    storageKey: 'antri.admin',
    check: (tok) => Antri.api('GET', '/api/admin/session', undefined, tok),
    badToken: 'admin.badtoken',
    async onUnlock() {
      const [r, l] = await Promise.all([
        Antri.api('GET', `/api/reports/${route[kind]}?${kind}=${encodeURIComponent(key)}`, undefined, session.token()),
        Antri.api('GET', '/api/reports/letterhead', undefined, session.token())]);
      if (r.status === 401 || l.status === 401) { session.lock(Antri.t('admin.badtoken')); return; }
      const msg = $('laporan-msg');
      if (!r.ok || !l.ok) { msg.hidden = false; msg.textContent = (r.body && r.body.error) || (l.body && l.body.error) || 'HTTP ' + r.status; return; }
      msg.hidden = true;
      render({ report: r.body, letterhead: l.body });
    },
  });
})();
