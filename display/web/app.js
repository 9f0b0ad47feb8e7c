// Antri pages: shared helpers for the live websocket, the API and the two
// languages. Plain JS, no build step, nothing loaded from outside the appliance.
'use strict';

const Antri = (() => {
  // Every string a page shows, Indonesian first. Keys are used in HTML as
  // data-i18n="key" and in scripts as Antri.t('key', {var: value}).
  const dict = {
    id: {
      'lang.other': 'English',
      'offline': 'Terputus — menyambung ulang…',
      'min': 'mnt', 'sec': 'dtk', 'hour': 'j',
      'wait.none': 'tanpa menunggu',
      'wait.next': 'Anda berikutnya',
      'display.now': 'Nomor dipanggil',
      'display.recent': 'Panggilan sebelumnya',
      'display.services': 'Antrian per layanan',
      'display.waiting': 'menunggu',
      'display.est': 'perkiraan',
      'display.none': 'Belum ada panggilan',
      'display.sound': 'Sentuh layar untuk menyalakan suara panggilan',
      'kiosk.title': 'Ambil Nomor Antrian',
      'kiosk.hint': 'Sentuh layanan yang Anda perlukan',
      'kiosk.priority': 'Prioritas',
      'kiosk.priority.hint': 'Prioritas: lansia, penyandang disabilitas, ibu hamil',
      'kiosk.waiting': '{n} menunggu',
      'kiosk.quota': 'sisa kuota {n}',
      'kiosk.your': 'Nomor antrian Anda',
      'kiosk.ahead': '{n} orang di depan Anda',
      'kiosk.est': 'Perkiraan menunggu {d}',
      'kiosk.take': 'Silakan ambil tiket Anda dan tunggu panggilan.',
      'kiosk.printer': 'Printer sedang bermasalah, tiket tidak tercetak. Catat atau foto nomor ini, lalu tunjukkan ke petugas.',
      'kiosk.track': 'Pantau antrian di {url}',
      'kiosk.ok': 'Selesai',
      'kiosk.closed': 'Pengambilan nomor sedang ditutup',
      'kiosk.hours': 'Jam pengambilan nomor {open}–{close}',
      'kiosk.refused': 'Nomor tidak dapat diambil',
      'kiosk.busy': 'Mohon tunggu…',
      'kiosk.neterr': 'Tidak tersambung ke server antrian. Coba lagi sebentar lagi atau hubungi petugas.',
      'counter.token': 'Token loket',
      'counter.unlock': 'Buka',
      'counter.locked': 'Masukkan token loket untuk mulai melayani.',
      'counter.badtoken': 'Token salah. Tanyakan token loket ke admin kantor.',
      'counter.lock': 'Kunci',
      'counter.serves': 'Layanan: {s}',
      'counter.current': 'Nomor di loket ini',
      'counter.idle': 'Tidak ada nomor di loket ini. Tekan Panggil.',
      'counter.call': 'Panggil berikutnya',
      'counter.recall': 'Panggil ulang',
      'counter.start': 'Mulai layani',
      'counter.done': 'Selesai',
      'counter.incomplete': 'Berkas belum lengkap',
      'counter.noshow': 'Tidak hadir',
      'counter.transfer': 'Alihkan',
      'counter.transfer.to': 'Ke layanan',
      'counter.transfer.note': 'Catatan rujukan',
      'counter.transfer.unit': 'Unit / instansi tujuan',
      'counter.transfer.send': 'Alihkan nomor ini',
      'counter.cancel': 'Batal',
      'counter.waiting': 'Menunggu ({n})',
      'counter.nowaiting': 'Tidak ada yang menunggu.',
      'counter.late': 'lewat standar',
      'counter.notices': 'Pemberitahuan',
      'counter.nonotices': 'Belum ada pemberitahuan.',
      'counter.breach.wait': '{n} menunggu melewati standar ({e}, standar {s})',
      'counter.breach.service': '{n} dilayani melewati standar ({e}, standar {s})',
      'counter.breach.cleared': '{n}: kembali sesuai standar',
      'counter.called.ago': 'dipanggil {d} lalu · panggilan ke-{n}',
      'counter.service.time': 'lama layanan {e} dari standar {s}',
      'counter.wait.time': 'menunggu {e} · standar {s}',
      'counter.referral': 'Rujukan dari layanan {from}',
      'counter.ok.call': '{n} dipanggil',
      'counter.ok.recall': '{n} dipanggil ulang',
      'counter.ok.start': '{n} mulai dilayani',
      'counter.ok.finish': '{n} selesai',
      'counter.ok.noshow': '{n} dicatat tidak hadir',
      'counter.ok.transfer': '{n} dialihkan',
      'stage.issued': 'Menunggu', 'stage.transferred': 'Menunggu (dialihkan)',
      'stage.called': 'Dipanggil', 'stage.started': 'Sedang dilayani',
      'stage.finished': 'Selesai', 'stage.no_show': 'Tidak hadir', 'stage.expired': 'Kedaluwarsa',
      'priority': 'prioritas',
      'layanan.title': 'Standar Pelayanan',
      'layanan.requirements': 'Persyaratan',
      'layanan.procedure': 'Sistem, mekanisme dan prosedur',
      'layanan.time': 'Jangka waktu pelayanan',
      'layanan.fee': 'Biaya / tarif',
      'layanan.product': 'Produk pelayanan',
      'layanan.complaints': 'Penanganan pengaduan, saran dan masukan',
      'layanan.standards': 'Standar antrian: menunggu paling lama {w}, dilayani paling lama {s}',
      'layanan.unit': 'Unit: {u}',
      'admin.title': 'Admin',
      'admin.token': 'Token admin',
      'admin.locked': 'Masukkan token admin.',
      'admin.badtoken': 'Token admin salah.',
      'admin.health': 'Kesehatan perangkat',
      'admin.today': 'Angka hari ini',
      'admin.issued': 'diambil', 'admin.waiting': 'menunggu', 'admin.quota': 'kuota', 'admin.est': 'perkiraan tunggu',
      'admin.counters': 'Loket', 'admin.service': 'Layanan', 'admin.current': 'nomor sekarang',
      'admin.total': 'Jumlah',
      'admin.running': 'Teks berjalan di layar',
      'admin.running.save': 'Simpan', 'admin.running.clear': 'Hapus',
      'admin.running.saved': 'Teks berjalan tersimpan dan tampil di semua layar.',
      'admin.reprint': 'Cetak ulang tiket',
      'admin.reprint.none': 'Tidak ada tiket yang gagal dicetak.',
      'admin.reprint.missing': 'Cetak ulang belum tersedia pada antrid ini (alamat {path} menjawab 404). Perbarui antrid atau hubungi teknisi.',
      'admin.reprint.number': 'Nomor tiket',
      'admin.reprint.do': 'Cetak ulang',
      'admin.reprint.ok': 'Tiket {n} dikirim ke printer.',
      'admin.ok': 'baik', 'admin.bad': 'bermasalah',
      'admin.days': 'hari',
      'admin.breaches': 'Melewati standar sekarang',
      'admin.breaches.none': 'Tidak ada antrian yang melewati standar saat ini.',
      'admin.breach.number': 'Nomor', 'admin.breach.kind': 'Jenis', 'admin.breach.elapsed': 'Sudah', 'admin.breach.standard': 'Standar',
      'admin.breach.wait': 'menunggu', 'admin.breach.service': 'dilayani',
      'admin.complaints': 'Pengaduan',
      'admin.complaints.filter': 'Tampilkan', 'admin.complaints.open': 'Belum selesai', 'admin.complaints.all': 'Semua', 'admin.complaints.closed': 'Selesai',
      'admin.c.none': 'Tidak ada pengaduan.',
      'admin.c.meta': 'diterima {at} lewat {ch} · batas {due}',
      'admin.c.status.received': 'diterima', 'admin.c.status.recorded': 'dicatat', 'admin.c.status.followed_up': 'ditindaklanjuti', 'admin.c.status.closed': 'selesai',
      'admin.c.left': 'sisa {d}', 'admin.c.overdue': 'lewat batas {d}', 'admin.c.closedintime': 'selesai sesuai standar', 'admin.c.closedlate': 'selesai melewati standar',
      'admin.c.resolution': 'Penyelesaian', 'admin.c.follow': 'Tindak lanjut', 'admin.c.print': 'Cetak tanda terima',
      'admin.c.next': 'Langkah berikutnya', 'admin.c.note': 'Catatan', 'admin.c.save': 'Simpan langkah',
      'admin.c.saved': 'Pengaduan {n}: {s}.', 'admin.c.printed': 'Tanda terima pengaduan {n} dicetak.',
      'admin.standards': 'Standar pelayanan',
      'admin.std.new': 'Revisi baru',
      'admin.std.wait': 'Waktu tunggu paling lama (contoh 15m)', 'admin.std.svc': 'Waktu layanan paling lama (contoh 10m)',
      'admin.std.effective': 'Berlaku mulai (kosong: sekarang)', 'admin.std.reason': 'Alasan perubahan',
      'admin.std.components': 'Ubah juga enam komponen standar pelayanan (opsional)',
      'admin.std.perline': 'satu per baris',
      'admin.std.save': 'Simpan revisi',
      'admin.std.effective.short': 'Berlaku mulai', 'admin.std.wait.short': 'Tunggu', 'admin.std.svc.short': 'Layanan',
      'admin.std.config': 'konfigurasi awal', 'admin.std.inforce': 'berlaku', 'admin.std.future': 'akan berlaku',
      'admin.std.saved': 'Revisi {n} layanan {s} tersimpan, berlaku mulai {at}.',
      'admin.report': 'Laporan bulanan', 'admin.report.month': 'Bulan', 'admin.report.show': 'Tampilkan',
      'admin.report.xlsx': 'Unduh .xlsx', 'admin.report.csv': 'Unduh .csv', 'admin.report.saved': 'Berkas {f} diunduh.',
      'admin.r.issued': 'diambil', 'admin.r.done': 'selesai tuntas', 'admin.r.incomplete': 'berkas kurang', 'admin.r.noshow': 'tidak hadir',
      'admin.r.wait': 'tunggu rata-rata / p90', 'admin.r.service': 'layanan rata-rata / p90', 'admin.r.waitmean': 'rata-rata tunggu',
      'admin.r.ontime': 'tepat waktu', 'admin.r.firstvisit': 'tuntas sekali datang', 'admin.r.noshowpct': 'tidak hadir',
      'admin.r.complaints': 'pengaduan masuk / selesai / terbuka', 'admin.r.complaints.v': '{r} / {c} / {o}',
      'admin.r.satisfaction': 'kepuasan cepat (rata-rata · ≥ 3)', 'admin.r.skm': 'IKM (mutu)', 'admin.r.skmn': 'responden SKM',
      'admin.r.note': 'Pengaduan selesai sesuai standar: {w}. Angka tanpa pembulatan ada di berkas .xlsx dan .csv.',
      'admin.sync': 'Sinkronisasi ke pusat',
      'admin.sync.none': 'Sinkronisasi pusat tidak dipasang',
      'admin.sync.url': 'Alamat pusat', 'admin.sync.backlog': 'Belum terkirim (kejadian)', 'admin.sync.oldest': 'Tertua belum terkirim',
      'admin.sync.last': 'Terakhir berhasil', 'admin.sync.never': 'belum pernah', 'admin.sync.error': 'Masalah terakhir', 'admin.sync.dead': 'Kiriman ditolak pusat',
      'admin.sync.retry': 'Kirim ulang', 'admin.sync.retried': 'Pengiriman ke pusat dicoba sekarang.',
      'kiosk.more': 'Layanan lain',
      'kiosk.complain': 'Sampaikan pengaduan', 'kiosk.complain.hint': 'Keluhan, saran atau masukan',
      'kiosk.survey': 'Isi survei kepuasan', 'kiosk.survey.hint': 'Sembilan pertanyaan singkat (SKM)',
      'kiosk.c.title': 'Sampaikan Pengaduan',
      'kiosk.c.topic': 'Tentang apa?',
      'kiosk.c.t.wait': 'Waktu tunggu', 'kiosk.c.t.staff': 'Pelayanan petugas', 'kiosk.c.t.req': 'Persyaratan dan biaya',
      'kiosk.c.t.facility': 'Sarana dan prasarana', 'kiosk.c.t.other': 'Lainnya',
      'kiosk.c.text': 'Ceritakan pengaduan Anda', 'kiosk.c.ticket': 'Nomor antrian Anda (jika ada)',
      'kiosk.c.send': 'Kirim pengaduan', 'kiosk.c.needtopic': 'Pilih dulu pengaduan Anda tentang apa.', 'kiosk.c.needtext': 'Tuliskan isi pengaduan Anda.',
      'kiosk.c.done': 'Nomor pengaduan Anda',
      'kiosk.c.follow': 'Pengaduan Anda sudah kami catat. Tindak lanjutnya dapat ditanyakan di loket pengaduan dengan menyebut nomor ini.',
      'counter.c.title': 'Catat pengaduan',
      'counter.c.hint': 'Pengaduan yang disampaikan warga di loket ini.',
      'counter.c.topic': 'Tentang', 'counter.c.choose': '— pilih —',
      'counter.c.text': 'Isi pengaduan', 'counter.c.ticket': 'Nomor antrian terkait',
      'counter.c.send': 'Catat pengaduan', 'counter.c.another': 'Catat pengaduan lain',
      'counter.c.needtopic': 'Pilih pengaduan ini tentang apa.', 'counter.c.needtext': 'Tuliskan isi pengaduan.',
      'counter.c.done': 'Nomor pengaduan',
      'counter.c.listed': 'Tercatat lewat {ch}{tk}, tampil di /admin bagian Pengaduan.',
      'counter.c.forticket': ' untuk nomor {n}',
      'counter.c.note': 'Minta warga mencatat atau memotret nomor ini untuk menanyakan tindak lanjutnya.',
      'survey.title': 'Survei Kepuasan Masyarakat (SKM)',
      'survey.hint': 'Bantu kami memperbaiki pelayanan. Sentuh satu pilihan untuk setiap pertanyaan, lalu tekan Kirim.',
      'survey.back': '← Kembali', 'survey.home': 'Kembali ke layar utama',
      'survey.u1': 'Persyaratan', 'survey.q1': 'Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?',
      'survey.u2': 'Sistem, mekanisme, dan prosedur', 'survey.q2': 'Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?',
      'survey.u3': 'Waktu penyelesaian', 'survey.q3': 'Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?',
      'survey.u4': 'Biaya/tarif', 'survey.q4': 'Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?',
      'survey.u5': 'Produk spesifikasi jenis pelayanan', 'survey.q5': 'Bagaimana pendapat Anda tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?',
      'survey.u6': 'Kompetensi pelaksana', 'survey.q6': 'Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?',
      'survey.u7': 'Perilaku pelaksana', 'survey.q7': 'Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?',
      'survey.u8': 'Penanganan pengaduan, saran dan masukan', 'survey.q8': 'Bagaimana pendapat Anda tentang kualitas penanganan pengaduan, saran dan masukan?',
      'survey.u9': 'Sarana dan prasarana', 'survey.q9': 'Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?',
      'survey.v1': 'Tidak baik', 'survey.v2': 'Kurang baik', 'survey.v3': 'Baik', 'survey.v4': 'Sangat baik',
      'survey.none': 'Belum ada jawaban (0 dari 9)', 'survey.count': 'Terjawab {n} dari 9', 'survey.all': 'Semua terjawab. Tekan Kirim.',
      'survey.send': 'Kirim', 'survey.sending': 'Mengirim…', 'survey.failed': 'Gagal mengirim: {e}. Silakan coba lagi.',
      'survey.thanks': 'Terima kasih atas penilaian Anda', 'survey.thanks.more': 'Masukan Anda membantu kami memberikan pelayanan yang lebih baik.',
      'ticket.notfound': 'Nomor antrian tidak ditemukan.',
      'ticket.ahead': '{n} orang di depan Anda',
      'ticket.est': 'Perkiraan menunggu {d}',
      'ticket.go': 'Silakan menuju',
      'ticket.at': 'Sedang dilayani di',
      'ticket.incomplete': 'Berkas belum lengkap: silakan datang kembali dengan berkas lengkap.',
      'ticket.live': 'Halaman ini diperbarui sendiri.',
    },
    en: {
      'lang.other': 'Bahasa Indonesia',
      'offline': 'Offline — reconnecting…',
      'min': 'min', 'sec': 's', 'hour': 'h',
      'wait.none': 'no wait',
      'wait.next': 'You are next',
      'display.now': 'Now calling',
      'display.recent': 'Previous calls',
      'display.services': 'Queue per service',
      'display.waiting': 'waiting',
      'display.est': 'estimated',
      'display.none': 'No calls yet',
      'display.sound': 'Touch the screen to turn on call announcements',
      'kiosk.title': 'Take a queue number',
      'kiosk.hint': 'Touch the service you need',
      'kiosk.priority': 'Priority',
      'kiosk.priority.hint': 'Priority: elderly, people with disabilities, pregnant women',
      'kiosk.waiting': '{n} waiting',
      'kiosk.quota': '{n} left today',
      'kiosk.your': 'Your queue number',
      'kiosk.ahead': '{n} people ahead of you',
      'kiosk.est': 'Estimated wait {d}',
      'kiosk.take': 'Please take your ticket and wait to be called.',
      'kiosk.printer': 'The printer has a problem and no ticket was printed. Write down or photograph this number and show it to an officer.',
      'kiosk.track': 'Follow your turn at {url}',
      'kiosk.ok': 'Done',
      'kiosk.closed': 'Ticket issuing is closed',
      'kiosk.hours': 'Tickets are issued {open}–{close}',
      'kiosk.refused': 'No number could be issued',
      'kiosk.busy': 'Please wait…',
      'kiosk.neterr': 'Cannot reach the queue server. Try again shortly or ask an officer.',
      'counter.token': 'Counter token',
      'counter.unlock': 'Unlock',
      'counter.locked': 'Enter the counter token to start serving.',
      'counter.badtoken': 'Wrong token. Ask the office admin for the counter token.',
      'counter.lock': 'Lock',
      'counter.serves': 'Services: {s}',
      'counter.current': 'Ticket at this counter',
      'counter.idle': 'No ticket at this counter. Press Call.',
      'counter.call': 'Call next',
      'counter.recall': 'Call again',
      'counter.start': 'Start service',
      'counter.done': 'Done',
      'counter.incomplete': 'Documents incomplete',
      'counter.noshow': 'No-show',
      'counter.transfer': 'Transfer',
      'counter.transfer.to': 'To service',
      'counter.transfer.note': 'Referral note',
      'counter.transfer.unit': 'Target unit / agency',
      'counter.transfer.send': 'Transfer this ticket',
      'counter.cancel': 'Cancel',
      'counter.waiting': 'Waiting ({n})',
      'counter.nowaiting': 'Nobody is waiting.',
      'counter.late': 'past standard',
      'counter.notices': 'Notices',
      'counter.nonotices': 'No notices yet.',
      'counter.breach.wait': '{n} has waited past the standard ({e}, standard {s})',
      'counter.breach.service': '{n} is being served past the standard ({e}, standard {s})',
      'counter.breach.cleared': '{n}: back within the standard',
      'counter.called.ago': 'called {d} ago · call {n}',
      'counter.service.time': 'service time {e} of standard {s}',
      'counter.wait.time': 'waiting {e} · standard {s}',
      'counter.referral': 'Referred from service {from}',
      'counter.ok.call': '{n} called',
      'counter.ok.recall': '{n} called again',
      'counter.ok.start': '{n} being served',
      'counter.ok.finish': '{n} finished',
      'counter.ok.noshow': '{n} marked no-show',
      'counter.ok.transfer': '{n} transferred',
      'stage.issued': 'Waiting', 'stage.transferred': 'Waiting (transferred)',
      'stage.called': 'Called', 'stage.started': 'Being served',
      'stage.finished': 'Finished', 'stage.no_show': 'No-show', 'stage.expired': 'Expired',
      'priority': 'priority',
      'layanan.title': 'Service Standards',
      'layanan.requirements': 'Requirements',
      'layanan.procedure': 'System, mechanism and procedure',
      'layanan.time': 'Completion time',
      'layanan.fee': 'Fee',
      'layanan.product': 'Service product',
      'layanan.complaints': 'Complaints, suggestions and feedback',
      'layanan.standards': 'Queue standards: wait at most {w}, service at most {s}',
      'layanan.unit': 'Unit: {u}',
      'admin.title': 'Admin',
      'admin.token': 'Admin token',
      'admin.locked': 'Enter the admin token.',
      'admin.badtoken': 'Wrong admin token.',
      'admin.health': 'Health',
      'admin.today': 'Today',
      'admin.issued': 'issued', 'admin.waiting': 'waiting', 'admin.quota': 'quota', 'admin.est': 'estimated wait',
      'admin.counters': 'Counters', 'admin.service': 'Service', 'admin.current': 'current ticket',
      'admin.total': 'Total',
      'admin.running': 'Running text on the displays',
      'admin.running.save': 'Save', 'admin.running.clear': 'Clear',
      'admin.running.saved': 'Running text saved; it shows on every display.',
      'admin.reprint': 'Reprint tickets',
      'admin.reprint.none': 'No ticket failed to print.',
      'admin.reprint.missing': 'Reprinting is not available in this antrid ({path} answers 404). Update antrid or call a technician.',
      'admin.reprint.number': 'Ticket number',
      'admin.reprint.do': 'Reprint',
      'admin.reprint.ok': 'Ticket {n} sent to the printer.',
      'admin.ok': 'ok', 'admin.bad': 'problem',
      'admin.days': 'days',
      'admin.breaches': 'Past the standard now',
      'admin.breaches.none': 'No ticket is past its standard right now.',
      'admin.breach.number': 'Number', 'admin.breach.kind': 'Kind', 'admin.breach.elapsed': 'So far', 'admin.breach.standard': 'Standard',
      'admin.breach.wait': 'waiting', 'admin.breach.service': 'in service',
      'admin.complaints': 'Complaints',
      'admin.complaints.filter': 'Show', 'admin.complaints.open': 'Open', 'admin.complaints.all': 'All', 'admin.complaints.closed': 'Closed',
      'admin.c.none': 'No complaints.',
      'admin.c.meta': 'received {at} via {ch} · due {due}',
      'admin.c.status.received': 'received', 'admin.c.status.recorded': 'recorded', 'admin.c.status.followed_up': 'followed up', 'admin.c.status.closed': 'closed',
      'admin.c.left': '{d} left', 'admin.c.overdue': 'overdue by {d}', 'admin.c.closedintime': 'closed within standard', 'admin.c.closedlate': 'closed late',
      'admin.c.resolution': 'Resolution', 'admin.c.follow': 'Follow up', 'admin.c.print': 'Print receipt',
      'admin.c.next': 'Next step', 'admin.c.note': 'Note', 'admin.c.save': 'Save step',
      'admin.c.saved': 'Complaint {n}: {s}.', 'admin.c.printed': 'Receipt of complaint {n} printed.',
      'admin.standards': 'Service standards',
      'admin.std.new': 'New revision',
      'admin.std.wait': 'Longest wait (e.g. 15m)', 'admin.std.svc': 'Longest service time (e.g. 10m)',
      'admin.std.effective': 'Effective from (empty: now)', 'admin.std.reason': 'Reason for the change',
      'admin.std.components': 'Also change the six published components (optional)',
      'admin.std.perline': 'one per line',
      'admin.std.save': 'Save revision',
      'admin.std.effective.short': 'Effective', 'admin.std.wait.short': 'Wait', 'admin.std.svc.short': 'Service',
      'admin.std.config': 'initial config', 'admin.std.inforce': 'in force', 'admin.std.future': 'upcoming',
      'admin.std.saved': 'Revision {n} of service {s} saved, effective {at}.',
      'admin.report': 'Monthly report', 'admin.report.month': 'Month', 'admin.report.show': 'Show',
      'admin.report.xlsx': 'Download .xlsx', 'admin.report.csv': 'Download .csv', 'admin.report.saved': 'File {f} downloaded.',
      'admin.r.issued': 'issued', 'admin.r.done': 'done', 'admin.r.incomplete': 'incomplete', 'admin.r.noshow': 'no-show',
      'admin.r.wait': 'wait mean / p90', 'admin.r.service': 'service mean / p90', 'admin.r.waitmean': 'mean wait',
      'admin.r.ontime': 'on time', 'admin.r.firstvisit': 'first-visit completion', 'admin.r.noshowpct': 'no-show',
      'admin.r.complaints': 'complaints received / closed / open', 'admin.r.complaints.v': '{r} / {c} / {o}',
      'admin.r.satisfaction': 'quick score (mean · ≥ 3)', 'admin.r.skm': 'IKM (grade)', 'admin.r.skmn': 'SKM responses',
      'admin.r.note': 'Complaints closed within standard: {w}. Unrounded numbers are in the .xlsx and .csv files.',
      'admin.sync': 'Headquarters sync',
      'admin.sync.none': 'Headquarters sync is not configured',
      'admin.sync.url': 'Headquarters', 'admin.sync.backlog': 'Unsent events', 'admin.sync.oldest': 'Oldest unsent',
      'admin.sync.last': 'Last success', 'admin.sync.never': 'never', 'admin.sync.error': 'Last problem', 'admin.sync.dead': 'Batches refused by headquarters',
      'admin.sync.retry': 'Send again', 'admin.sync.retried': 'Sending to headquarters now.',
      'kiosk.more': 'Other services',
      'kiosk.complain': 'Make a complaint', 'kiosk.complain.hint': 'Complaints, suggestions or feedback',
      'kiosk.survey': 'Satisfaction survey', 'kiosk.survey.hint': 'Nine short questions (SKM)',
      'kiosk.c.title': 'Make a Complaint',
      'kiosk.c.topic': 'What is it about?',
      'kiosk.c.t.wait': 'Waiting time', 'kiosk.c.t.staff': 'Staff service', 'kiosk.c.t.req': 'Requirements and fees',
      'kiosk.c.t.facility': 'Facilities', 'kiosk.c.t.other': 'Other',
      'kiosk.c.text': 'Tell us what happened', 'kiosk.c.ticket': 'Your queue number (if any)',
      'kiosk.c.send': 'Send complaint', 'kiosk.c.needtopic': 'First choose what your complaint is about.', 'kiosk.c.needtext': 'Please write your complaint.',
      'kiosk.c.done': 'Your complaint number',
      'kiosk.c.follow': 'Your complaint has been recorded. Ask about its follow-up at the complaint counter, quoting this number.',
      'counter.c.title': 'Record a complaint',
      'counter.c.hint': 'A complaint a citizen makes at this counter.',
      'counter.c.topic': 'About', 'counter.c.choose': '— choose —',
      'counter.c.text': 'Complaint', 'counter.c.ticket': 'Related queue number',
      'counter.c.send': 'Record complaint', 'counter.c.another': 'Record another complaint',
      'counter.c.needtopic': 'Choose what this complaint is about.', 'counter.c.needtext': 'Write the complaint.',
      'counter.c.done': 'Complaint number',
      'counter.c.listed': 'Recorded via {ch}{tk}; listed on /admin under Complaints.',
      'counter.c.forticket': ' for ticket {n}',
      'counter.c.note': 'Ask the citizen to write down or photograph this number to ask about the follow-up.',
      'survey.title': 'Public Satisfaction Survey (SKM)',
      'survey.hint': 'Help us improve our service. Touch one answer for each question, then press Send.',
      'survey.back': '← Back', 'survey.home': 'Back to the main screen',
      'survey.u1': 'Requirements', 'survey.q1': 'How well do the service requirements fit the kind of service?',
      'survey.u2': 'Systems, mechanisms and procedures', 'survey.q2': 'How easy is the service procedure at this unit to understand?',
      'survey.u3': 'Completion time', 'survey.q3': 'How fast was the service delivered?',
      'survey.u4': 'Fees', 'survey.q4': 'How reasonable are the service fees?',
      'survey.u5': 'Service product', 'survey.q5': 'How well does the product you received match the one in the service standard?',
      'survey.u6': 'Staff competence', 'survey.q6': 'How competent were the staff who served you?',
      'survey.u7': 'Staff behaviour', 'survey.q7': 'How polite and friendly were the staff who served you?',
      'survey.u8': 'Handling of complaints, suggestions and feedback', 'survey.q8': 'How well are complaints, suggestions and feedback handled?',
      'survey.u9': 'Facilities', 'survey.q9': 'How good are the facilities and premises?',
      'survey.v1': 'Not good', 'survey.v2': 'Fair', 'survey.v3': 'Good', 'survey.v4': 'Very good',
      'survey.none': 'No answers yet (0 of 9)', 'survey.count': '{n} of 9 answered', 'survey.all': 'All answered. Press Send.',
      'survey.send': 'Send', 'survey.sending': 'Sending…', 'survey.failed': 'Could not send: {e}. Please try again.',
      'survey.thanks': 'Thank you for your rating', 'survey.thanks.more': 'Your feedback helps us serve you better.',
      'ticket.notfound': 'Ticket not found.',
      'ticket.ahead': '{n} people ahead of you',
      'ticket.est': 'Estimated wait {d}',
      'ticket.go': 'Please go to',
      'ticket.at': 'Being served at',
      'ticket.incomplete': 'Documents incomplete: please come back with complete documents.',
      'ticket.live': 'This page updates by itself.',
    },
  };

  // complaintTopics are the topics a complaint can be about, the same on the
  // kiosk and the counter: [dictionary key, value stored]. The value is in
  // Indonesian whatever the screen's language, so lists and reports read the same.
  const complaintTopics = [['kiosk.c.t.wait', 'Waktu tunggu'], ['kiosk.c.t.staff', 'Pelayanan petugas'], ['kiosk.c.t.req', 'Persyaratan dan biaya'],
    ['kiosk.c.t.facility', 'Sarana dan prasarana'], ['kiosk.c.t.other', 'Lainnya']];

  let lang = localStorage.getItem('antri.lang') === 'en' ? 'en' : 'id';
  const langListeners = [];

  // t returns the string for key in the current language, with {name}
  // placeholders filled from vars.
  function t(key, vars) {
    let s = dict[lang][key] ?? dict.id[key] ?? key;
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
    return s;
  }

  function applyI18n(root) {
    (root || document).querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    (root || document).querySelectorAll('[data-i18n-placeholder]').forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
    document.documentElement.lang = lang;
    document.querySelectorAll('.lang-toggle').forEach((b) => { b.textContent = t('lang.other'); });
  }

  function setLang(l) {
    lang = l;
    localStorage.setItem('antri.lang', l);
    applyI18n();
    langListeners.forEach((f) => f());
  }

  // onLang registers a re-render for when the language changes.
  function onLang(f) { langListeners.push(f); }

  // el builds an element: el('div', {class: 'x', text: 'hi'}, child, ...).
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c);
    return e;
  }

  // dur says a number of seconds the short way: "45 dtk", "12 mnt", "1 j 5 mnt".
  function dur(s) {
    s = Math.max(0, Math.round(s));
    if (s < 60) return `${s} ${t('sec')}`;
    const m = Math.round(s / 60);
    if (m < 60) return `${m} ${t('min')}`;
    return `${Math.floor(m / 60)} ${t('hour')} ${m % 60} ${t('min')}`;
  }

  // est says an estimated wait, never more precise than a minute.
  function est(s) { return s < 60 ? '< 1 ' + t('min') : dur(s); }

  // clock says seconds as a running timer: "4:05", "1:02:05".
  function clock(s) {
    s = Math.max(0, Math.floor(s));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    const mm = h ? String(m).padStart(2, '0') : String(m);
    return (h ? h + ':' : '') + mm + ':' + String(sec).padStart(2, '0');
  }

  // Server time: elapsed times are measured against the daemon's clock, not
  // the TV's, which may be minutes off.
  let skew = 0;
  function setServerNow(iso) { const n = Date.parse(iso); if (!isNaN(n)) skew = n - Date.now(); }
  function now() { return Date.now() + skew; }
  function since(iso) { return iso ? (now() - Date.parse(iso)) / 1000 : 0; }

  // api calls the JSON API. It resolves to {ok, status, body} and never
  // throws for HTTP errors; a network failure gives status 0.
  async function api(method, path, body, token) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = 'Bearer ' + token;
    try {
      const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
      let data = null;
      try { data = await r.json(); } catch (e) { /* not JSON */ }
      return { ok: r.ok, status: r.status, body: data };
    } catch (e) {
      return { ok: false, status: 0, body: { error: t('kiosk.neterr') } };
    }
  }

  // live keeps a websocket to /ws: on every (re)connection the server sends a
  // snapshot, which the page renders from scratch; then events follow. Events
  // already contained in the snapshot (seq ≤ snapshot.state.seq) are dropped;
  // live notices (seq 0) always pass. After a loss it reconnects with backoff,
  // 1 s doubling to 30 s with jitter, showing the offline mark meanwhile.
  function live({ onSnapshot, onEvent, onStatus }) {
    let delay = 1000;
    let snapSeq = 0;
    let ws = null;
    let online = null;
    const mark = document.getElementById('offline');

    function setOnline(on) {
      if (online === on) return;
      online = on;
      document.body.classList.toggle('is-offline', !on);
      if (mark) mark.hidden = on;
      if (onStatus) onStatus(on);
    }

    function connect() {
      const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
      let sock;
      try { sock = new WebSocket(proto + '//' + location.host + '/ws'); } catch (e) { retry(); return; }
      ws = sock;
      sock.onmessage = (m) => {
        let msg;
        try { msg = JSON.parse(m.data); } catch (e) { return; }
        if (msg.type === 'snapshot') {
          snapSeq = msg.state.seq;
          delay = 1000;
          setServerNow(msg.state.now);
          setOnline(true);
          onSnapshot(msg);
          return;
        }
        if (msg.seq > 0 && msg.seq <= snapSeq) return;
        if (onEvent) onEvent(msg);
      };
      sock.onclose = () => {
        if (ws !== sock) return;
        ws = null;
        setOnline(false);
        retry();
      };
    }

    function retry() {
      const wait = delay / 2 + Math.random() * delay / 2;
      delay = Math.min(delay * 2, 30000);
      setTimeout(connect, wait);
    }

    // A cable pulled out of the switch leaves the socket open for minutes;
    // a small request every 20 s notices it and forces a reconnect.
    setInterval(async () => {
      if (!ws || ws.readyState !== WebSocket.OPEN) return;
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), 5000);
      try {
        await fetch('/static/app.js', { method: 'HEAD', cache: 'no-store', signal: ctl.signal });
      } catch (e) {
        if (ws) ws.close();
      } finally {
        clearTimeout(timer);
      }
    }, 20000);

    setOnline(false);
    connect();
  }

  // debounce runs f once, ms after the last of a burst of calls.
  function debounce(f, ms) {
    let timer = null;
    return (...a) => { clearTimeout(timer); timer = setTimeout(() => f(...a), ms); };
  }

  // counterName returns the name of a counter id in a state, or the id.
  function counterName(state, id) {
    const k = (state && state.counters || []).find((c) => c.id === id);
    return k ? k.name : id;
  }

  function serviceName(state, code) {
    const s = (state && state.services || []).find((x) => x.code === code);
    return s ? s.name : code;
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('.lang-toggle').forEach((b) => b.addEventListener('click', () => setLang(lang === 'id' ? 'en' : 'id')));
    applyI18n();
  });

  return { t, applyI18n, onLang, el, complaintTopics, dur, est, clock, now, since, setServerNow, api, live, debounce, counterName, serviceName, get lang() { return lang; } };
})();
