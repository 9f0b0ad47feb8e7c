// The SKM survey (PermenPAN-RB 14/2017): the respondent's profile (optional: gender,
// age, education, occupation, the service received) and the nine elements, each
// answered 1–4 in the questionnaire's own words for that element (biaya: Sangat mahal …
// Gratis), sent as POST /api/surveys {"answers":[…9], "service"?, "profile"?}. The
// Indonesian text is also in survey.html, so the page reads right before this runs.
'use strict';
(() => {
  const { t, el, api } = Antri;
  const $ = (x) => document.getElementById(x);
  const jawaban = new Array(9).fill(0);
  const main = $('survei');
  const kirim = $('kirim');
  const status = $('status');
  let pesan = null; // a message in place of the count: {key, vars}
  const profil = { gender: '', age: '', education: '', occupation: '', service: '' };

  // The profile's choices: [dictionary key, value stored]. The value is Indonesian
  // whatever the screen's language, so that the report counts them together; the lists
  // are the questionnaire's of PermenPAN-RB 14/2017.
  const education = [['survey.edu.sd', 'SD'], ['survey.edu.smp', 'SMP'], ['survey.edu.sma', 'SMA'], ['survey.edu.d3', 'D1–D3'],
    ['survey.edu.s1', 'D4/S1'], ['survey.edu.s2', 'S2'], ['survey.edu.s3', 'S3']];
  const occupation = [['survey.job.pns', 'PNS'], ['survey.job.tni', 'TNI'], ['survey.job.polri', 'Polri'], ['survey.job.swasta', 'Swasta'],
    ['survey.job.wirausaha', 'Wirausaha'], ['survey.job.lain', 'Lainnya']];
  let services = []; // GET /api/services: code, name, unit

  // Opened from the kiosk (/survey?kembali=kiosk): a back button, the on-screen number pad
  // for the age (the kiosk has no keyboard), and the kiosk again after sending or when
  // left alone; otherwise (a tablet, a phone) the form resets in place.
  const dariKios = new URLSearchParams(location.search).get('kembali') === 'kiosk';
  if (dariKios) {
    $('kembali').hidden = false;
    $('kembali-selesai').hidden = false;
    const pad = AntriKeyboard.create($('age-pad'), t);
    pad.bind($('age'), 'number');
    pad.el.hidden = true;
    $('age').addEventListener('focus', () => { pad.el.hidden = false; });
  }

  main.querySelectorAll('.unsur').forEach((sec) => {
    const i = Number(sec.dataset.i);
    const grup = sec.querySelector('.pilihan');
    for (let v = 1; v <= 4; v++) {
      grup.append(el('button', { type: 'button', 'data-unsur': i, 'data-nilai': v, 'aria-pressed': 'false', onclick: () => pilih(i, v) },
        el('b', { text: String(v) }), el('span', { 'data-i18n': `survey.a${i + 1}.${v}`, text: t(`survey.a${i + 1}.${v}`) })));
    }
  });

  // options fills a select with a "—" first, then the choices.
  function options(sel, list, value) {
    sel.replaceChildren(el('option', { value: '', text: t('survey.choose') }),
      ...list.map(([key, v]) => el('option', { value: v, text: t(key), selected: v === value })));
  }

  // The services, by agency: the respondent says which one the survey is about.
  function serviceOptions() {
    const sel = $('service');
    const groups = [];
    for (const s of services) {
      let g = groups.find((x) => x.unit === (s.unit || ''));
      if (!g) groups.push(g = { unit: s.unit || '', list: [] });
      g.list.push(s);
    }
    const opt = (s) => el('option', { value: s.code, text: s.code + ' — ' + s.name, selected: s.code === profil.service });
    sel.replaceChildren(el('option', { value: '', text: t('survey.choose') }),
      ...groups.map((g) => (g.unit ? el('optgroup', { label: g.unit }, g.list.map(opt)) : g.list.map(opt))).flat());
  }

  function labels() {
    main.querySelectorAll('.unsur').forEach((sec) => {
      sec.querySelector('.pilihan').setAttribute('aria-label', t('survey.u' + (Number(sec.dataset.i) + 1)));
    });
    options($('education'), education, profil.education);
    options($('occupation'), occupation, profil.occupation);
    serviceOptions();
  }

  function pilih(i, v) {
    jawaban[i] = v;
    document.querySelectorAll(`button[data-unsur="${i}"]`).forEach((b) =>
      b.setAttribute('aria-pressed', String(Number(b.dataset.nilai) === v)));
    pesan = null;
    perbarui();
    idle();
  }

  $('gender').addEventListener('click', (e) => {
    const b = e.target.closest('[data-gender]');
    if (!b) return;
    profil.gender = profil.gender === b.dataset.gender ? '' : b.dataset.gender; // a second touch takes it back
    $('gender').querySelectorAll('[data-gender]').forEach((x) => x.setAttribute('aria-pressed', String(x.dataset.gender === profil.gender)));
    idle();
  });
  $('age').addEventListener('input', (e) => {
    e.target.value = e.target.value.replace(/\D/g, '').slice(0, 3);
    profil.age = e.target.value;
    idle();
  });
  for (const k of ['education', 'occupation', 'service']) $(k).addEventListener('change', (e) => { profil[k] = e.target.value; idle(); });

  function perbarui() {
    const n = jawaban.filter((v) => v > 0).length;
    if (pesan) status.textContent = t(pesan.key, pesan.vars);
    else status.textContent = n === 9 ? t('survey.all') : n === 0 ? t('survey.none') : t('survey.count', { n });
    kirim.disabled = n !== 9 || (pesan && pesan.key === 'survey.sending');
  }

  // body is what is sent: the answers, and the service and profile where given.
  function body() {
    const b = { answers: jawaban.slice() };
    if (profil.service) b.service = profil.service;
    const p = {};
    if (profil.gender) p.gender = profil.gender;
    if (profil.age) p.age = Number(profil.age);
    if (profil.education) p.education = profil.education;
    if (profil.occupation) p.occupation = profil.occupation;
    if (Object.keys(p).length) b.profile = p;
    return b;
  }

  kirim.addEventListener('click', async () => {
    pesan = { key: 'survey.sending' };
    perbarui();
    const r = await api('POST', '/api/surveys', body());
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
    Object.keys(profil).forEach((k) => { profil[k] = ''; });
    pesan = null;
    document.querySelectorAll('.pilihan button, #gender button').forEach((b) => b.setAttribute('aria-pressed', 'false'));
    $('age').value = '';
    labels();
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

  async function loadServices() {
    const r = await api('GET', '/api/services');
    if (!r.ok || !Array.isArray(r.body)) { setTimeout(loadServices, 5000); return; }
    services = r.body;
    serviceOptions();
  }

  // The status line is written here, not from data-i18n, because it counts.
  status.removeAttribute('data-i18n');
  Antri.onLang(() => { labels(); perbarui(); });
  labels();
  perbarui();
  loadServices();
})();
