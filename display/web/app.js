// Antri pages: shared helpers for the live websocket, the API and the two
// languages. Plain JS, no build step, nothing loaded from outside the appliance.
'use strict';

const Antri = (() => {
  // Every string a page shows, Indonesian first. Keys are used in HTML as
  // data-i18n="key" and in scripts as Antri.t('key', {var: value}).
  // The dictionary is AntriText, in text.js (loaded first).
  const dict = AntriText;

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

  // dur says a number of seconds the short way: "45 dtk", "12 mnt", "1 jam 5 mnt", "2 jam".
  function dur(s) {
    s = Math.max(0, Math.round(s));
    if (s < 60) return `${s} ${t('sec')}`;
    const m = Math.round(s / 60);
    if (m < 60) return `${m} ${t('min')}`;
    return `${Math.floor(m / 60)} ${t('hour')}` + (m % 60 ? ` ${m % 60} ${t('min')}` : '');
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
  // rate is how fast the daemon's clock runs against this device's: 1, except in a training
  // office playing a scenario faster than real time (antrid -training; its snapshots say
  // "training": {"speed"}), where a page's timers must run as fast as the office's.
  let rate = 1, anchor = 0, anchorAt = 0;
  function setServerNow(iso, speed) {
    const n = Date.parse(iso);
    if (isNaN(n)) return;
    if (speed !== undefined) rate = speed > 0 ? speed : 1;
    skew = n - Date.now();
    anchor = n;
    anchorAt = Date.now();
  }
  function now() { return rate === 1 ? Date.now() + skew : anchor + (Date.now() - anchorAt) * rate; }
  function since(iso) { return iso ? (now() - Date.parse(iso)) / 1000 : 0; }

  // The office's time zone, from the page's <html data-tz> (the daemon's [office]
  // timezone). Every clock and time on every page is the office's, whatever the zone
  // of the TV, kiosk or phone that shows it: a TV left in UTC showed 01:21 at 08:21 WIB.
  const zone = document.documentElement.dataset.tz || 'Asia/Jakarta';
  const formats = {};
  function formatter(opts) {
    const loc = lang === 'en' ? 'en-GB' : 'id-ID';
    const key = loc + JSON.stringify(opts);
    formats[key] = formats[key] || new Intl.DateTimeFormat(loc, Object.assign({ timeZone: zone }, opts));
    return formats[key];
  }
  function toDate(x) { return x instanceof Date ? x : new Date(x === undefined || x === null ? now() : x); }
  // time says the office's time of x (ms, ISO text or Date; now when absent) as
  // hours and minutes: "08.25" in Indonesian (PUEBI), "08:25" in English.
  function time(x) {
    const d = toDate(x);
    if (isNaN(d)) return '';
    const p = Object.fromEntries(formatter({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d).map((q) => [q.type, q.value]));
    return p.hour + (lang === 'en' ? ':' : '.') + p.minute;
  }
  // date says the office's day of x: "Senin, 2 November 2026"; with short, "Senin, 2 Nov 2026".
  function date(x, short) {
    const d = toDate(x);
    return isNaN(d) ? '' : formatter({ weekday: 'long', day: 'numeric', month: short ? 'short' : 'long', year: 'numeric' }).format(d);
  }
  // dateTime says a moment for lists: "2 Nov 2026 08.25".
  function dateTime(x) {
    const d = toDate(x);
    return isNaN(d) ? '' : formatter({ day: 'numeric', month: 'short', year: 'numeric' }).format(d) + ' ' + time(d);
  }
  // parts gives the office's calendar and clock at x (now when absent) as numbers:
  // {year, month (1–12), day, hour, minute}, e.g. for this month's "2026-11".
  function parts(x) {
    const d = toDate(x);
    const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit',
      day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(d).map((q) => [q.type, +q.value]));
    return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute };
  }
  // zonedToISO reads a form's "YYYY-MM-DDTHH:MM" (an <input type="datetime-local">) as
  // the office's wall time, not the browser's, and gives it as RFC 3339.
  function zonedToISO(value) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || '');
    if (!m) return '';
    const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
    const offsetAt = (t) => {
      const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit',
        day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(t)).map((q) => [q.type, +q.value]));
      return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - t;
    };
    let t = wall - offsetAt(wall);
    t = wall - offsetAt(t); // once more, across a change of offset
    return new Date(t).toISOString();
  }

  // refusalSound plays the sound of a ticket button that could not give a ticket
  // (/voice/refused.ogg, replaceable by the office's own recording).
  function refusalSound() {
    const a = new Audio('/voice/refused.ogg');
    return a.play().then(() => true, () => false);
  }

  // Paired devices open their pairing link once, and the token stays in this browser
  // (localStorage) until the admin revokes it: a kiosk tablet ([kiosk] tokens, or paired
  // from /admin) as /kiosk#kiosk-token=TOKEN, a counter's PC or tablet as
  // /counter/{id}#counter-token=TOKEN. The token is after #, which the browser never
  // sends to a server, and leaves the address bar at once. A kiosk's token goes with
  // every request that names no other, so the tablet takes tickets like the appliance's
  // own kiosk; a counter's is the counter page's sign-in (signIn's paired).
  function pairKey(kind) {
    return kind === 'kiosk' ? 'antri.kioskToken' : 'antri.counterToken.' + decodeURIComponent(location.pathname.split('/')[2] || '');
  }
  const pairing = /^#(kiosk|counter)-token=(.+)$/.exec(location.hash);
  if (pairing) {
    localStorage.setItem(pairKey(pairing[1]), decodeURIComponent(pairing[2]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  const kioskToken = localStorage.getItem('antri.kioskToken') || '';

  // api calls the JSON API. It resolves to {ok, status, body} and never
  // throws for HTTP errors; a network failure gives status 0.
  async function api(method, path, body, token) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token || kioskToken) headers.Authorization = 'Bearer ' + (token || kioskToken);
    try {
      const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
      let data = null;
      try { data = await r.json(); } catch (e) { /* not JSON */ }
      return { ok: r.ok, status: r.status, body: data };
    } catch (e) {
      return { ok: false, status: 0, body: { error: t('kiosk.neterr') } };
    }
  }

  // live keeps a websocket to /ws for one view of the state (view: display, ticket,
  // counter or admin; params: its query, e.g. {number: 'A-012'}). A counter or admin
  // page gives token(): it is sent as the first message {"auth": token}, never in the
  // address. On every (re)connection the server sends a snapshot of what the view
  // shows, which the page renders from scratch; then one message per event, which the
  // page applies to what it has: it never re-reads the whole state. Messages already
  // in the snapshot (seq ≤ snapshot.seq) are dropped; live notices (seq 0) always pass.
  // After a loss it reconnects with backoff, 1 s doubling to 30 s with jitter, showing
  // the offline mark meanwhile. A refused token (close 1008) calls onRefused and stops.
  // It returns {close()}.
  function live({ view, params, token, onSnapshot, onEvent, onStatus, onRefused }) {
    let delay = 1000;
    let snapSeq = 0;
    let ws = null;
    let online = null;
    let stopped = false;
    const mark = document.getElementById('offline');
    const query = new URLSearchParams(Object.assign({ view: view || 'display' }, params || {})).toString();

    function setOnline(on) {
      if (online === on) return;
      online = on;
      document.body.classList.toggle('is-offline', !on);
      if (mark) mark.hidden = on;
      if (onStatus) onStatus(on);
    }

    function connect() {
      if (stopped) return;
      const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
      let sock;
      try { sock = new WebSocket(proto + '//' + location.host + '/ws?' + query); } catch (e) { retry(); return; }
      ws = sock;
      sock.onopen = () => { if (token) sock.send(JSON.stringify({ auth: token() })); };
      sock.onmessage = (m) => {
        let msg;
        try { msg = JSON.parse(m.data); } catch (e) { return; }
        if (msg.type === 'snapshot') {
          snapSeq = msg.seq;
          delay = 1000;
          setServerNow(msg.now, msg.training ? msg.training.speed : 1);
          setOnline(true);
          // Which view the page is live on, for a technician's console (and the tests).
          document.documentElement.dataset.live = msg.view;
          onSnapshot(msg);
          return;
        }
        if (msg.seq > 0 && msg.seq <= snapSeq) return;
        if (msg.seq > 0 && msg.at) setServerNow(msg.at);
        if (onEvent) onEvent(msg);
      };
      sock.onclose = (e) => {
        if (ws !== sock) return;
        ws = null;
        delete document.documentElement.dataset.live;
        setOnline(false);
        if (e.code === 1008) {
          // Refused, not lost: no "reconnecting" mark, the page says why instead.
          stopped = true;
          document.body.classList.remove('is-offline');
          if (mark) mark.hidden = true;
          if (onRefused) onRefused(e.reason);
          return;
        }
        retry();
      };
    }

    function retry() {
      if (stopped) return;
      const wait = delay / 2 + Math.random() * delay / 2;
      delay = Math.min(delay * 2, 30000);
      setTimeout(connect, wait);
    }

    // A cable pulled out of the switch leaves the socket open for minutes;
    // a small request every 20 s notices it and forces a reconnect.
    const watch = setInterval(async () => {
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
    return {
      close() {
        stopped = true;
        clearInterval(watch);
        const sock = ws;
        ws = null;
        if (sock) sock.close();
      },
    };
  }

  // applyServices puts the services a message carries (their counts and estimates after
  // the event, computed by the server) into a list of services, by code.
  function applyServices(list, changed) {
    for (const s of changed || []) {
      const i = list.findIndex((x) => x.code === s.code);
      if (i >= 0) list[i] = Object.assign({}, list[i], s);
    }
  }

  // signIn runs the token lock of a staff page (admin, counter): the form #unlock with
  // #token and #unlock-msg, the #lock button and the #desk shown once unlocked. check(tok)
  // asks the daemon whether a token is good (an API call); onUnlock renders the desk. A
  // typed token lives in sessionStorage under storageKey: forgotten when the browser
  // closes. A page given paired ('counter') first tries the token its pairing link left
  // in localStorage: a paired device stays signed in, has no Kunci button, and forgets
  // the token only when it is refused (the admin revoked it), saying so.
  // It returns {token(), paired(), lock(message)}; pages call lock(t(badToken)) on a 401.
  function signIn({ storageKey, check, badToken, onUnlock, paired }) {
    let token = sessionStorage.getItem(storageKey) || '';
    let device = false; // unlocked with the paired token
    const $ = (x) => document.getElementById(x);
    function lock(message) {
      if (device) {
        localStorage.removeItem(pairKey(paired));
        message = message && t('pair.revoked');
      }
      token = '';
      device = false;
      sessionStorage.removeItem(storageKey);
      $('desk').hidden = true;
      $('lock').hidden = true;
      $('unlock').hidden = false;
      $('unlock-msg').hidden = !message;
      $('unlock-msg').textContent = message || '';
      $('token').focus();
    }
    async function unlock(tok, fromPairing) {
      const r = await check(tok);
      if (!r.ok) {
        if (fromPairing && r.status === 401) { device = true; lock(t('pair.revoked')); return; }
        lock(r.status === 401 ? t(badToken) : (r.body && r.body.error) || t('kiosk.neterr'));
        return;
      }
      token = tok;
      device = !!fromPairing;
      if (!device) sessionStorage.setItem(storageKey, tok);
      $('unlock').hidden = true;
      $('desk').hidden = false;
      $('lock').hidden = device;
      document.body.classList.toggle('is-paired', device);
      onUnlock();
    }
    $('unlock').addEventListener('submit', (e) => { e.preventDefault(); unlock($('token').value.trim(), false); });
    $('lock').addEventListener('click', () => lock(''));
    document.addEventListener('DOMContentLoaded', () => {
      const pairedToken = paired ? localStorage.getItem(pairKey(paired)) || '' : '';
      if (pairedToken) unlock(pairedToken, true);
      else if (token) unlock(token, false);
      else lock('');
    });
    return { token: () => token, paired: () => device, lock };
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

  return { t, applyI18n, onLang, setLang, el, complaintTopics, dur, est, clock, now, since, setServerNow, api, live, applyServices, signIn, debounce, counterName, serviceName,
    zone, time, date, dateTime, parts, zonedToISO, refusalSound, get lang() { return lang; } };
})();
