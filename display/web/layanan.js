// The published Standar Pelayanan (PermenPAN-RB 15/2014): six components of
// every service, from GET /api/services.
'use strict';
(() => {
  const { t, el, dur, api } = Antri;
  let services = null;

  function list(tag, items) {
    return items && items.length ? el(tag, {}, items.map((x) => el('li', { text: x }))) : el('p', { class: 'muted', text: '—' });
  }
  function para(text) { return el('p', { text: text || '—' }); }

  function render() {
    const box = document.getElementById('services');
    if (!services) return;
    box.replaceChildren(...services.map((s) => el('section', { class: 'card l-service', id: 'layanan-' + s.code },
      el('h2', {}, el('span', { class: 'l-code', text: s.code }), s.name),
      s.unit ? el('div', { class: 'muted', text: t('layanan.unit', { u: s.unit }) }) : null,
      el('div', { class: 'l-grid' },
        el('div', {}, el('h3', { text: t('layanan.requirements') }), list('ul', s.requirements)),
        el('div', {}, el('h3', { text: t('layanan.procedure') }), list('ol', s.procedure)),
        el('div', {}, el('h3', { text: t('layanan.time') }), para(s.completion_time)),
        el('div', {}, el('h3', { text: t('layanan.fee') }), para(s.fee)),
        el('div', {}, el('h3', { text: t('layanan.product') }), para(s.product)),
        el('div', {}, el('h3', { text: t('layanan.complaints') }), para(s.complaints))),
      el('p', { class: 'muted', text: t('layanan.standards', { w: dur(s.wait_standard_s), s: dur(s.service_standard_s) }) }))));
  }

  (async () => {
    const [svc, st] = await Promise.all([api('GET', '/api/services'), api('GET', '/api/state')]);
    if (st.ok) { document.getElementById('office').textContent = st.body.office.name; document.title = t('layanan.title') + ' — ' + st.body.office.name; }
    if (!svc.ok) {
      document.getElementById('services').replaceChildren(el('div', { class: 'msg err', text: (svc.body && svc.body.error) || ('HTTP ' + svc.status) }));
      return;
    }
    services = svc.body;
    render();
  })();
  Antri.onLang(render);
})();
