// The waiting-room TV: latest calls (newest highlighted and flashing, and
// announced), waiting counts and estimated waits per service, the office name,
// a clock and the admin's running text.
'use strict';
(() => {
  const { t, el, est, api, counterName } = Antri;
  let state = null;
  let flashUntil = 0; // the newest call flashes until then (ms)
  let flashNumber = '';

  function render() {
    if (!state) return;
    document.getElementById('office').textContent = state.office.name;
    document.title = state.office.name;
    const called = state.called || [];
    const newest = called[0];
    const num = document.getElementById('now-number');
    const ctr = document.getElementById('now-counter');
    if (newest) {
      num.textContent = newest.number;
      ctr.textContent = counterName(state, newest.counter);
      num.classList.remove('tv-idle');
    } else {
      num.textContent = t('display.none');
      num.classList.add('tv-idle');
      ctr.textContent = '';
    }
    const now = document.getElementById('now');
    const flashing = newest && newest.number === flashNumber && Date.now() < flashUntil;
    now.classList.toggle('flash', !!flashing);

    const recent = document.getElementById('recent');
    recent.replaceChildren(...called.slice(1, 7).map((tk) => el('li', {},
      el('span', { class: 'tv-recent-number', text: tk.number }),
      el('span', { class: 'tv-arrow', text: '→' }),
      el('span', { class: 'tv-recent-counter', text: counterName(state, tk.counter) }))));

    const svc = document.getElementById('services');
    svc.replaceChildren(...state.services.map((s) => el('div', { class: 'tv-service' },
      el('div', { class: 'tv-service-code', text: s.code }),
      el('div', { class: 'tv-service-body' },
        el('div', { class: 'tv-service-name', text: s.name }),
        el('div', { class: 'tv-service-est', text: s.waiting ? t('display.est') + ' ' + est(s.estimated_wait_s) : t('wait.none') })),
      el('div', { class: 'tv-service-count' },
        el('b', { text: String(s.waiting) }),
        el('small', { text: t('display.waiting') })))));
  }

  function setRunningText(text) {
    const box = document.getElementById('ticker');
    const span = document.getElementById('running-text');
    box.hidden = !text;
    if (span.textContent === text) return;
    span.textContent = text;
    // About 150 px a second whatever the length, readable from 5 m.
    span.style.animationDuration = Math.max(12, (text.length * 28 + window.innerWidth) / 150) + 's';
  }

  function tick() {
    const d = new Date(Antri.now());
    const locale = Antri.lang === 'en' ? 'en-GB' : 'id-ID';
    document.getElementById('time').textContent = d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' }).replace('.', ':');
    document.getElementById('date').textContent = d.toLocaleDateString(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    if (flashUntil && Date.now() >= flashUntil) { flashUntil = 0; render(); }
  }

  // Voice: calls are queued and played one after another, never overlapping.
  // The server says which clips to play (package voice), so the number rules
  // exist once. window.antriVoice records what was announced, for tests and
  // for a technician looking at the console.
  const voiceQueue = [];
  let speaking = false;
  window.antriVoice = [];

  function announce(number, counter) {
    if (voiceQueue.length >= 8) voiceQueue.shift(); // a burst: drop the oldest rather than lag for minutes
    voiceQueue.push({ number, counter });
    if (!speaking) speakNext();
  }

  async function speakNext() {
    speaking = true;
    while (voiceQueue.length) {
      const c = voiceQueue.shift();
      const r = await api('GET', `/api/voice/${encodeURIComponent(c.number)}/${encodeURIComponent(c.counter)}`);
      if (!r.ok) { console.warn('suara panggilan:', r.body && r.body.error); continue; }
      const entry = { phrase: r.body.phrase, clips: r.body.clips, played: 0 };
      window.antriVoice.push(entry);
      const audios = r.body.clips.map((src) => { const a = new Audio(src); a.preload = 'auto'; return a; });
      for (const a of audios) {
        if (await play(a)) entry.played++;
      }
      await new Promise((res) => setTimeout(res, 600));
    }
    speaking = false;
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
        if (e.name === 'NotAllowedError') document.getElementById('sound-hint').hidden = false;
        finish(false);
      });
    });
  }

  document.addEventListener('click', () => {
    document.getElementById('sound-hint').hidden = true;
    new Audio('/voice/chime.ogg').play().catch(() => {});
  });

  // The display's view (docs/PAGES.md): the snapshot has the services' counts and
  // estimates, the counters' names, the latest calls and the running text; each event
  // brings the services it changed, and a call or recall goes to the top of the calls.
  Antri.live({
    view: 'display',
    onSnapshot(msg) {
      state = msg;
      setRunningText(msg.running_text || '');
      render();
    },
    onEvent(ev) {
      if (!state) return;
      Antri.applyServices(state.services, ev.services);
      // Only a stored call (seq > 0) is announced: a notice can never make the TV call a number.
      if ((ev.type === 'called' || ev.type === 'recalled') && ev.seq > 0 && ev.ticket) {
        const tk = ev.ticket;
        const counter = ev.counter || tk.counter;
        state.called = [{ number: tk.number, service: tk.service, counter, last_called_at: tk.last_called_at }]
          .concat(state.called.filter((c) => c.number !== tk.number)).slice(0, 10);
        flashNumber = tk.number;
        flashUntil = Date.now() + 10000;
        announce(tk.number, counter);
      }
      if (ev.type === 'running_text') setRunningText((ev.data && ev.data.text) || '');
      render();
    },
  });
  Antri.onLang(render);
  tick();
  setInterval(tick, 1000);
})();
