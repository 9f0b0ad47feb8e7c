// The admin's paired devices (issue 11): pair a counter's PC or tablet, or a kiosk
// tablet, and show its pairing link and QR code once; list the devices and revoke one.
// A section of /admin, told of the sign-in, the state and every event through
// Antri.admin (admin.js).
'use strict';
(() => {
  const { t, el, api } = Antri;
  const $ = (x) => document.getElementById(x);
  let devices = [];
  let counters = [];

  const when = (iso) => (iso ? Antri.dateTime(iso) : ''); // "2 Nov 2026 08.25", the office's time (app.js)

  async function load() {
    const r = await api('GET', '/api/admin/devices', undefined, Antri.admin.token());
    if (r.status === 401) { Antri.admin.lock(t('admin.badtoken')); return; }
    if (!r.ok) { Antri.admin.say('devices-msg', Antri.admin.errText(r), false); return; }
    devices = r.body || [];
    render();
  }

  function counterName(id) {
    const k = counters.find((c) => c.id === id);
    return k ? k.name : id;
  }

  function render() {
    const sel = $('pair-counter');
    const chosen = sel.value;
    sel.replaceChildren(...counters.map((k) => el('option', { value: k.id, text: k.name })));
    if (chosen) sel.value = chosen;
    $('pair-counter-field').hidden = $('pair-kind').value !== 'counter';
    const table = $('devices');
    if (!devices.length) { table.replaceChildren(el('tr', {}, el('td', { class: 'muted', text: t('admin.dev.none') }))); return; }
    table.replaceChildren(
      el('tr', {}, el('th', { text: t('admin.dev.col.name') }), el('th', { text: t('admin.dev.kind') }), el('th', { text: t('admin.dev.col.paired') }),
        el('th', { text: t('admin.dev.col.state') })),
      ...devices.map((d) => el('tr', { 'data-device': String(d.id), class: d.revoked_at ? 'muted' : '' },
        el('td', {}, el('b', { text: d.name })),
        el('td', { text: d.kind === 'kiosk' ? t('admin.dev.kind.kiosk') : counterName(d.counter) }),
        el('td', { text: when(d.paired_at) }),
        el('td', {}, d.revoked_at
          ? el('span', { class: 'tag', text: t('admin.dev.revoked', { at: when(d.revoked_at) }) })
          : el('span', {}, el('span', { class: 'tag ok', text: t('admin.dev.active') }), ' ',
            el('button', { class: 'btn bad small', type: 'button', onclick: () => revoke(d) }, t('admin.dev.revoke')))))));
  }

  async function pair() {
    const body = { kind: $('pair-kind').value, name: $('pair-name').value.trim() };
    if (body.kind === 'counter') body.counter = $('pair-counter').value;
    const r = await api('POST', '/api/admin/devices', body, Antri.admin.token());
    if (r.status === 401) { Antri.admin.lock(t('admin.badtoken')); return; }
    if (!r.ok) { Antri.admin.say('devices-msg', Antri.admin.errText(r), false); return; }
    // The token exists only in this answer: shown once, as the address and its QR code.
    $('pair-url').textContent = r.body.url;
    $('pair-qr').src = r.body.qr;
    $('pair-new').hidden = false;
    $('pair-name').value = '';
    Antri.admin.say('devices-msg', t('admin.dev.done', { name: r.body.name }), true);
    load();
  }

  async function revoke(d) {
    const r = await api('POST', `/api/admin/devices/${d.id}/revoke`, undefined, Antri.admin.token());
    if (r.status === 401) { Antri.admin.lock(t('admin.badtoken')); return; }
    if (!r.ok) { Antri.admin.say('devices-msg', Antri.admin.errText(r), false); return; }
    Antri.admin.say('devices-msg', t('admin.dev.revokedmsg', { name: d.name }), true);
    load();
  }

  function hideLink() {
    $('pair-new').hidden = true;
    $('pair-url').textContent = '';
    $('pair-qr').removeAttribute('src');
  }

  Antri.admin.on((what, arg) => {
    if (what === 'unlock') load();
    if (what === 'state') { counters = arg.counters || []; render(); }
    if (what === 'event' && arg.type && arg.type.startsWith('device_')) load();
    if (what === 'lang') render();
  });
  $('pair').addEventListener('submit', (e) => { e.preventDefault(); pair(); });
  $('pair-kind').addEventListener('change', render);
  $('pair-hide').addEventListener('click', hideLink);
  // Locked, nothing of the devices stays on screen, the one-time link least of all.
  $('lock').addEventListener('click', () => { hideLink(); devices = []; $('devices').replaceChildren(); });
})();
