// The waiting-room TV (docs/PAGES.md "/display"): the call being announced in large
// type, the calls waiting to be announced and the previous ones, and a board that
// rotates through pages — the services (how many wait, the estimate) then the counters
// (the number at each) — with a page mark; the office name, its clock, the running text.
// /display/{zone} shows one [[display]] zone: the server sends it only its part.
// Sizes are in vmin (display section of style.css): read from 5 m on a 43" TV.
'use strict';
(() => {
  const { t, el, est, api } = Antri;
  const $ = (id) => document.getElementById(id);
  const zone = decodeURIComponent((location.pathname.match(/^\/display\/([^/]+)$/) || [])[1] || '');
  const PAGE_MS = 8000; // one page of the board: time to find one's service on it
  const FLASH_MS = 10000; // a new call flashes this long
  const MAX_PENDING = 8; // calls waiting to be announced; older ones are shown, not said
  // A second TV in the same hall echoes the first a moment late: /display?voice=off shows
  // every call and says none (nor the refusal sound); one TV of the room speaks.
  const muted = /^(off|0)$/.test(new URLSearchParams(location.search).get('voice') || '');

  let state = null; // the snapshot, with the events applied
  let flashNumber = '';
  let flashUntil = 0;

  // ---- the calls: the one announced, those waiting to be, the previous ones ----

  const pending = []; // calls waiting to be announced, oldest first: {number, counter}
  let current = null; // the call being announced
  let speaking = false;
  let lastEnd = 0; // when the last announcement ended (ms)
  window.antriVoice = []; // what was announced, for a technician's console and the tests
  const VOICE_LOG = 200; // the latest announcements kept: a TV runs for months without a reload
  function logVoice(entry) {
    window.antriVoice.push(entry);
    if (window.antriVoice.length > VOICE_LOG) window.antriVoice.splice(0, window.antriVoice.length - VOICE_LOG);
    return entry;
  }

  function shownCall() {
    if (current) return current;
    return state && state.called[0] ? state.called[0] : null;
  }

  function counterLabel(id) {
    const k = (state && state.counters || []).find((c) => c.id === id);
    return k ? k.name : id;
  }

  function callItem(c, pendingCall) {
    return el('li', { class: pendingCall ? 'pending' : null, 'data-number': c.number },
      el('span', { class: 'tv-call-number', text: c.number }),
      el('span', { class: 'tv-call-counter', text: counterLabel(c.counter) }));
  }

  // renderCalls shows the announced call in the box, then in the list the calls waiting
  // to be announced and the previous calls, as many as fit. When waiting calls do not all
  // fit (a burst: eight counters calling at once), the board shows the rest of them in
  // place of its pages until they are announced, so every pending call is on screen.
  function renderCalls() {
    const shown = shownCall();
    const num = $('now-number');
    if (shown) {
      num.textContent = shown.number;
      num.classList.remove('tv-idle');
      $('now-counter').textContent = counterLabel(shown.counter);
    } else {
      num.textContent = t('display.none');
      num.classList.add('tv-idle');
      $('now-counter').textContent = '';
    }
    $('now-label').textContent = t(current ? 'display.announcing' : 'display.now');
    $('now').classList.toggle('flash', !!shown && (!!current || (shown.number === flashNumber && Date.now() < flashUntil)));
    fitText(num);

    const waiting = new Set(pending.map((p) => p.number));
    const previous = state.called.filter((c) => !waiting.has(c.number) && (!shown || c.number !== shown.number));
    const list = $('recent');
    // While calls wait to be announced the list is theirs; then it shows the previous calls.
    $('recent-title').textContent = t(pending.length ? 'display.pending' : 'display.recent');
    list.replaceChildren(...(pending.length ? pending.map((c) => callItem(c, true)) : previous.slice(0, 8).map((c) => callItem(c, false))));
    // Hide what does not fit: a call is shown whole or not at all.
    const overflow = [];
    for (const li of list.children) {
      if (li.offsetTop + li.offsetHeight > list.clientHeight + 1) {
        li.hidden = true;
        if (li.classList.contains('pending')) overflow.push(pending.find((p) => p.number === li.dataset.number));
      }
    }
    const burst = $('burst');
    burst.replaceChildren(...overflow.map((c) => callItem(c, true)));
    if (!!overflow.length !== !burst.hidden) {
      burst.hidden = !overflow.length;
      showPage(pageIndex);
    }
  }

  // fitText shrinks a call number that is wider than its box (a two-letter prefix and
  // four digits in a narrow column) until it fits; it never wraps.
  function fitText(e) {
    e.style.fontSize = '';
    let size = parseFloat(getComputedStyle(e).fontSize);
    while (e.scrollWidth > e.clientWidth + 1 && size > 10) {
      size *= 0.92;
      e.style.fontSize = size + 'px';
    }
  }

  // ---- the board: services and counters, in pages that rotate ----

  let pages = []; // [{kind: 'services'|'counters', cards: [li]}]
  let pageIndex = 0;

  function serviceCard(s) {
    return el('li', { class: 'tv-service', 'data-service': s.code },
      el('div', { class: 'tv-code', text: s.code }),
      el('div', { class: 'tv-service-body' },
        el('span', { class: 'tv-service-name', text: s.name }), ' ',
        el('span', { class: 'tv-service-est' })),
      el('div', { class: 'tv-service-count' }));
  }

  function counterCard(k) {
    return el('li', { class: 'tv-counter', 'data-counter': k.id },
      el('div', { class: 'tv-counter-name', text: k.name }),
      el('div', { class: 'tv-counter-number' }));
  }

  // fillCards writes the counts, estimates and numbers into the cards.
  function fillCards() {
    for (const s of state.services) {
      const card = $('svc-cards').querySelector(`[data-service="${CSS.escape(s.code)}"]`);
      if (!card) continue;
      const e = Antri.est(s.estimated_wait_s);
      const est = !s.waiting ? '' : e.startsWith('<') ? e : '± ' + e;
      // No counter of it open (all paused or closed): the estimate is the wait once one
      // opens, so the TV says why nobody is called instead.
      const idle = state.open !== false && s.counters_open === 0 ? t('display.noserving') : '';
      card.querySelector('.tv-service-est').textContent = [s.unit, idle || est].filter(Boolean).join(' · ') || t('display.nowait');
      card.classList.toggle('tv-noserving', !!idle);
      card.querySelector('.tv-service-count').textContent = String(s.waiting);
    }
    for (const k of state.counters) {
      const card = $('ctr-cards').querySelector(`[data-counter="${CSS.escape(k.id)}"]`);
      if (!card) continue;
      const n = card.querySelector('.tv-counter-number');
      const status = counterStatus(k);
      n.textContent = k.current || status || '—';
      n.classList.toggle('tv-muted', !k.current);
      const shown = !k.current && !!status;
      if (!shown) n.classList.remove('tv-status', 'tv-status-small');
      else if (!n.classList.contains('tv-status-small')) n.classList.add('tv-status'); // fitStatuses measures it
      n.title = k.current ? '' : t('display.idle');
      card.classList.toggle('tv-paused', k.status === 'paused');
      card.classList.toggle('tv-closed', k.status === 'closed');
    }
  }

  // fitStatuses gives a counter's status the secondary size (--tv-small) when one of its
  // words is wider than the tile at the reading size ("Gangguan" in a narrow column):
  // never a word broken in two. Measured while the counters' cards are laid out.
  function fitStatuses(cards) {
    for (const c of cards) {
      const n = c.querySelector('.tv-status, .tv-status-small');
      if (!n) continue;
      n.classList.remove('tv-status-small');
      n.classList.add('tv-status');
      if (n.scrollWidth > n.clientWidth + 1) {
        n.classList.remove('tv-status');
        n.classList.add('tv-status-small');
      }
    }
  }

  // counterStatus says why a counter calls nobody: paused, by its reason ("Rapat"), or
  // closed; "" while it is open. A citizen waiting for it sees that at once on its tile.
  function counterStatus(k) {
    if (k.status === 'paused') return k.pause_reason ? t('display.pause.' + k.pause_reason) : t('display.paused');
    return k.status === 'closed' ? t('display.closed') : '';
  }

  function renderBoard() {
    $('svc-cards').replaceChildren(...state.services.map(serviceCard));
    $('ctr-cards').replaceChildren(...state.counters.map(counterCard));
    fillCards();
    paginate();
  }

  // paginate splits each list of cards into pages that fit the board's height, from the
  // cards as laid out: a long name wraps and its card takes the room it needs.
  function paginate() {
    const box = $('pages');
    const burstShown = !$('burst').hidden;
    // Measured with the widest page mark it may show, so setting the real one can only
    // give the board more room, never less.
    const widest = String(Math.max(pages.length, 9)).replace(/./g, '8');
    $('page-text').textContent = t('display.page', { n: widest, m: widest });
    $('burst').hidden = true;
    pages = [];
    for (const [kind, list] of [['services', $('svc-cards')], ['counters', $('ctr-cards')]]) {
      $('svc-cards').hidden = list.id !== 'svc-cards';
      $('ctr-cards').hidden = list.id !== 'ctr-cards';
      const cards = [...list.children];
      cards.forEach((c) => { c.hidden = false; });
      if (kind === 'counters') fitStatuses(cards);
      const room = box.getBoundingClientRect().height;
      let page = [];
      let top = 0;
      for (const c of cards) {
        const r = c.getBoundingClientRect();
        if (page.length && r.bottom - top > room) {
          pages.push({ kind, cards: page });
          page = [];
        }
        if (!page.length) top = r.top;
        page.push(c);
      }
      if (page.length) pages.push({ kind, cards: page });
    }
    $('burst').hidden = !burstShown;
    showPage(Math.min(pageIndex, Math.max(0, pages.length - 1)));
  }

  function showPage(i) {
    pageIndex = i;
    const burst = !$('burst').hidden;
    const p = pages[i];
    for (const [kind, list] of [['services', $('svc-cards')], ['counters', $('ctr-cards')]]) {
      list.hidden = burst || !p || p.kind !== kind;
      if (!list.hidden) for (const c of list.children) c.hidden = !p.cards.includes(c);
    }
    $('board-title').textContent = t(burst ? 'display.pending' : p && p.kind === 'counters' ? 'display.counters' : 'display.services');
    // The mark keeps its room when there is one page, so the pages never change size.
    $('pagemark').classList.toggle('tv-off', burst || pages.length < 2);
    $('page-text').textContent = t('display.page', { n: i + 1, m: pages.length });
    document.body.dataset.page = String(i + 1);
  }

  // Each turn measures the pages again: a font that finished loading, a new count or
  // estimate, may have changed what fits.
  let holdUntil = 0; // a technician (or a test) looking at one page stops the turning a minute
  setInterval(() => {
    if (!state || !$('burst').hidden || Date.now() < holdUntil) return;
    paginate();
    if (pages.length > 1) showPage((pageIndex + 1) % pages.length);
  }, PAGE_MS);
  if (document.fonts) document.fonts.addEventListener('loadingdone', () => { if (state) { paginate(); renderCalls(); } });

  // For a technician's console and the tests: the pages and what each shows.
  window.antriDisplay = {
    pages: () => {
      if (state) paginate(); // as the next turn will show them
      return pages.map((p) => ({ kind: p.kind, items: p.cards.map((c) => c.dataset.service || c.dataset.counter) }));
    },
    show: (i) => { holdUntil = Date.now() + 60000; showPage(i); },
    page: () => pageIndex,
  };

  function render() {
    if (!state) return;
    $('office').textContent = state.office.name;
    document.title = state.zone ? state.office.name + ' — ' + state.zone.name : state.office.name;
    $('zone').hidden = !state.zone;
    $('zone').textContent = state.zone ? state.zone.name : '';
    // Outside the office's hours the header says so, with the hours, so that a citizen
    // there before opening knows when numbers are given. The server sends a new
    // snapshot when the office opens or closes.
    const closed = state.open === false;
    const hm = (s) => (Antri.lang === 'en' ? s : String(s).replace(':', '.')); // 08.00 (PUEBI)
    $('closed-line').hidden = !closed;
    // Word joiners keep "08.00–15.30" on one line when the text wraps.
    $('closed-line').textContent = !closed ? '' : t('display.officeclosed', { open: hm(state.office.open || '') + '\u2060', close: '\u2060' + hm(state.office.close || '') });
    renderBoard();
    renderCalls();
  }

  // ---- voice: calls announced one after another, never overlapping ----

  // announce queues a call. A recall of a number still waiting is said once, at its
  // counter now; past MAX_PENDING the oldest waiting call is left unsaid (it stays on
  // screen), so the voice never runs a minute behind the screen.
  function announce(call) {
    if (muted) {
      logVoice({ number: call.number, counter: call.counter, muted: true, clips: [], played: 0 });
      return;
    }
    const i = pending.findIndex((p) => p.number === call.number);
    if (i >= 0) pending[i] = call;
    else if (!(current && current.number === call.number && current.counter === call.counter)) pending.push(call);
    while (pending.length > MAX_PENDING) {
      const c = pending.shift();
      logVoice({ number: c.number, counter: c.counter, skipped: true, clips: [], played: 0 });
    }
    if (!speaking) speakNext();
  }

  // speakNext says the waiting calls in order. A call said while others wait, or right
  // after one (a burst), takes the short form — number and counter, no chime — so eight
  // calls in a second are heard in about half a minute, not one.
  async function speakNext() {
    speaking = true;
    while (pending.length) {
      current = pending.shift();
      const burst = pending.length > 0 || Date.now() - lastEnd < 1500;
      renderCalls();
      const r = await api('GET', `/api/voice/${encodeURIComponent(current.number)}/${encodeURIComponent(current.counter)}`);
      if (r.ok) {
        const clips = burst ? r.body.burst : r.body.clips;
        const entry = { number: current.number, counter: current.counter, phrase: r.body.phrase, clips, burst, played: 0 };
        logVoice(entry);
        const audios = clips.map((src) => { const a = new Audio(src); a.preload = 'auto'; return a; });
        for (const a of audios) {
          if (await play(a)) entry.played++;
        }
      } else {
        console.warn('suara panggilan:', r.body && r.body.error);
      }
      lastEnd = Date.now();
      await new Promise((res) => setTimeout(res, burst ? 250 : 600));
    }
    current = null;
    speaking = false;
    if (state) renderCalls();
  }

  // play resolves true when the clip played to its end.
  function play(a) {
    return new Promise((resolve) => {
      let done = false;
      const finish = (ok) => { if (!done) { done = true; clearTimeout(guard); resolve(ok); } };
      const guard = setTimeout(() => finish(false), 8000); // a broken clip must not block the queue
      a.onended = () => finish(true);
      a.onerror = () => finish(false);
      a.play().catch((e) => {
        if (e.name === 'NotAllowedError') $('sound-hint').hidden = false;
        finish(false);
      });
    });
  }

  document.addEventListener('click', () => {
    $('sound-hint').hidden = true;
    if (!muted) new Audio('/voice/chime.ogg').play().catch(() => {});
  });

  // ---- a ticket button that could not give a ticket ----

  let refusedTimer = null;
  function refused(ev) {
    $('refused-text').textContent = (ev.data && ev.data.message) || '';
    $('refused').hidden = false;
    clearTimeout(refusedTimer);
    refusedTimer = setTimeout(() => { $('refused').hidden = true; }, 8000);
    window.antriRefusals = (window.antriRefusals || 0) + 1;
    if (!muted) Antri.refusalSound();
  }

  // ---- the running text and the clock ----

  function setRunningText(text) {
    const box = $('ticker');
    const span = $('running-text');
    box.hidden = !text;
    if (span.textContent === text) return;
    span.textContent = text;
    // About 150 px a second whatever the length, readable from 5 m.
    span.style.animationDuration = Math.max(12, (text.length * 28 + window.innerWidth) / 150) + 's';
  }

  // The office's time, in its zone (Antri.time), from the daemon's clock.
  function tick() {
    $('time').textContent = Antri.time();
    $('date').textContent = Antri.date(undefined, true);
    if (flashUntil && Date.now() >= flashUntil) { flashUntil = 0; if (state) renderCalls(); }
  }

  // ---- live ----

  // applyCall moves what a stored ticket event changes on the display: the calls and
  // the number at each counter.
  function applyCall(ev) {
    const tk = ev.ticket;
    const counter = ev.counter || tk.counter;
    const k = state.counters.find((c) => c.id === counter);
    switch (ev.type) {
      case 'called': case 'recalled': case 'started':
        if (k) k.current = tk.number;
        for (const o of state.counters) if (o !== k && o.current === tk.number) o.current = '';
        break;
      case 'finished': case 'no_show': case 'transferred':
        if (k && k.current === tk.number) k.current = '';
        break;
    }
    if ((ev.type === 'called' || ev.type === 'recalled') && k) {
      state.called = [{ number: tk.number, service: tk.service, counter, last_called_at: tk.last_called_at }]
        .concat(state.called.filter((c) => c.number !== tk.number)).slice(0, 10);
      flashNumber = tk.number;
      flashUntil = Date.now() + FLASH_MS;
      announce({ number: tk.number, counter });
    }
  }

  Antri.live({
    view: 'display',
    params: zone ? { zone } : {},
    onSnapshot(msg) {
      state = msg;
      state.called = state.called || [];
      setRunningText(msg.running_text || '');
      render();
      tick(); // the clock from the daemon's time at once, not at the next second
    },
    onEvent(ev) {
      if (!state) return;
      Antri.applyServices(state.services, ev.services);
      // Only a stored ticket event (seq > 0) moves the calls: a notice can never make the TV call a number.
      if (ev.seq > 0 && ev.ticket) applyCall(ev);
      if (ev.type === 'running_text') setRunningText((ev.data && ev.data.text) || '');
      if (ev.type === 'button_refused') refused(ev);
      if (ev.type === 'counter_status' && ev.data) {
        const k = state.counters.find((c) => c.id === ev.counter);
        if (k) { k.status = ev.data.status === 'open' ? '' : ev.data.status; k.pause_reason = ev.data.pause_reason || ''; }
      }
      fillCards();
      paginate();
      renderCalls();
    },
  });
  Antri.onLang(render);
  window.addEventListener('resize', () => { if (state) { paginate(); renderCalls(); } });
  tick();
  setInterval(tick, 1000);
})();
