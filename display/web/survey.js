// The SKM survey (PermenPAN-RB 14/2017): nine elements, each answered 1–4,
// sent as POST /api/surveys {"answers":[…9]}. The elements' text is in
// survey.html (Indonesian) and in the dictionary of app.js.
'use strict';
(() => {
  const { t, api } = Antri;
  const $ = (x) => document.getElementById(x);
  const jawaban = new Array(9).fill(0);
  const main = $('survei');
  const kirim = $('kirim');
  const status = $('status');
  let pesan = null; // a message in place of the count: {key, vars}

  // Opened from the kiosk (/survey?kembali=kiosk): a back button, and the kiosk
  // again after sending or when left alone; otherwise the form resets in place.
  const dariKios = new URLSearchParams(location.search).get('kembali') === 'kiosk';
  if (dariKios) {
    $('kembali').hidden = false;
    $('kembali-selesai').hidden = false;
  }

  main.querySelectorAll('.unsur').forEach((sec) => {
    const i = Number(sec.dataset.i);
    const grup = sec.querySelector('.pilihan');
    for (let v = 1; v <= 4; v++) {
      const b = Antri.el('button', { type: 'button', 'data-unsur': i, 'data-nilai': v, 'aria-pressed': 'false', onclick: () => pilih(i, v) },
        Antri.el('b', { text: String(v) }), Antri.el('span', { 'data-i18n': 'survey.v' + v, text: t('survey.v' + v) }));
      grup.append(b);
    }
  });

  function labels() {
    main.querySelectorAll('.unsur').forEach((sec) => {
      sec.querySelector('.pilihan').setAttribute('aria-label', t('survey.u' + (Number(sec.dataset.i) + 1)));
    });
  }

  function pilih(i, v) {
    jawaban[i] = v;
    document.querySelectorAll(`button[data-unsur="${i}"]`).forEach((b) =>
      b.setAttribute('aria-pressed', String(Number(b.dataset.nilai) === v)));
    pesan = null;
    perbarui();
    idle();
  }

  function perbarui() {
    const n = jawaban.filter((v) => v > 0).length;
    if (pesan) status.textContent = t(pesan.key, pesan.vars);
    else status.textContent = n === 9 ? t('survey.all') : n === 0 ? t('survey.none') : t('survey.count', { n });
    kirim.disabled = n !== 9 || (pesan && pesan.key === 'survey.sending');
  }

  kirim.addEventListener('click', async () => {
    pesan = { key: 'survey.sending' };
    perbarui();
    const r = await api('POST', '/api/surveys', { answers: jawaban });
    if (!r.ok) {
      pesan = { key: 'survey.failed', vars: { e: (r.body && r.body.error) || 'HTTP ' + r.status } };
      perbarui();
      return;
    }
    pesan = null;
    main.style.display = 'none';
    $('bawah').style.display = 'none';
    $('terimakasih').style.display = 'block';
    setTimeout(dariKios ? keKios : ulang, 8000);
  });

  // ulang clears the form for the next citizen.
  function ulang() {
    jawaban.fill(0);
    pesan = null;
    document.querySelectorAll('.pilihan button').forEach((b) => b.setAttribute('aria-pressed', 'false'));
    main.style.display = '';
    $('bawah').style.display = '';
    $('terimakasih').style.display = 'none';
    perbarui();
    window.scrollTo(0, 0);
  }

  function keKios() { location.href = '/kiosk'; }

  // A half-filled form left behind is cleared after two minutes.
  let timer;
  function idle() {
    clearTimeout(timer);
    timer = setTimeout(dariKios ? keKios : ulang, 120000);
  }

  // The status line is written here, not from data-i18n, because it counts.
  status.removeAttribute('data-i18n');
  Antri.onLang(() => { labels(); perbarui(); });
  labels();
  perbarui();
})();
