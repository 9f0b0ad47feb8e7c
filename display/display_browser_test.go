package display

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"

	"github.com/antri-id/antri/display/browsertest"
	"github.com/antri-id/antri/display/voice"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// The waiting-room display of a Mal Pelayanan Publik at the top of issue 11's range (the
// mpp40 fixture: 40 services, 40 counters, 3 zones) in real Chromium at the sizes of the
// TVs offices hang (1920×1080, 1366×768, one turned to 1080×1920) and of a phone.

// tvSizes are the screens the display must fit.
var tvSizes = []struct{ w, h int64 }{{1920, 1080}, {1366, 768}, {1080, 1920}, {390, 844}}

// layoutProblems is a JavaScript expression listing what is wrong with the page as shown:
// an element outside the screen, a box whose content overflows it (text cut), a card of
// the board outside the board, text smaller than the 5 m rule of style.css (cap height
// 16′ for what must be read, 11′ for the rest, on a 43" screen: 6 and 4.2 vmin).
const layoutProblems = `(() => {
  const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight, vmin = Math.min(vw, vh) / 100;
  const out = [];
  const shown = (e) => !e.closest('[hidden]') && getComputedStyle(e).display !== 'none' && getComputedStyle(e).visibility !== 'hidden';
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') +
    (e.dataset.service || e.dataset.counter || e.dataset.number ? '[' + (e.dataset.service || e.dataset.counter || e.dataset.number) + ']' : '');
  const r2 = (r) => [r.left, r.top, r.right, r.bottom].map(Math.round).join(',');
  for (const e of document.querySelectorAll('body *')) {
    if (!shown(e) || e.matches('script') || e.closest('.tv-ticker')) continue; // the running text scrolls through its box by design
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1) out.push(name(e) + ' outside the ' + vw + '×' + vh + ' screen at ' + r2(r));
    if (getComputedStyle(e).display !== 'inline' && e.clientWidth > 0 && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
      out.push(name(e) + ' overflows its box: ' + e.scrollWidth + '×' + e.scrollHeight + ' in ' + e.clientWidth + '×' + e.clientHeight + ' "' + e.textContent.slice(0, 40) + '"');
  }
  const board = document.getElementById('pages').getBoundingClientRect();
  for (const c of document.querySelectorAll('#pages li')) {
    if (!shown(c)) continue;
    const r = c.getBoundingClientRect();
    if (r.top < board.top - 1 || r.bottom > board.bottom + 1 || r.left < board.left - 1 || r.right > board.right + 1) out.push(name(c) + ' outside the board at ' + r2(r) + ', board ' + r2(board));
  }
  const size = (sel, min) => { for (const e of document.querySelectorAll(sel)) {
    if (!shown(e) || !e.textContent.trim()) continue;
    const px = parseFloat(getComputedStyle(e).fontSize);
    if (px < min * vmin - 0.5) out.push(name(e) + ' "' + e.textContent.slice(0, 30) + '" is ' + px.toFixed(1) + ' px, below ' + min + ' vmin (' + (min * vmin).toFixed(1) + ' px)');
  } };
  size('.tv-service-name, .tv-service-count, .tv-code, .tv-counter-name, .tv-counter-number:not(.tv-status-small), .tv-call-number, .tv-call-counter, #now-counter, .tv-ticker-text', 6);
  size('.tv-service-est, #date, .tv-label, .page-display h2, #page-text, .tv-zone, #time, #office, .tv-status-small', 4.2);
  return out;
})()`

// visibleNumbers is a JavaScript expression: the ticket numbers the page shows whole, on
// the screen.
const visibleNumbers = `(() => {
  const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
  const seen = [];
  for (const e of document.querySelectorAll('#now-number, .tv-call-number')) {
    if (e.closest('[hidden]')) continue;
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= vw && r.bottom <= vh) seen.push(e.textContent);
  }
  return seen;
})()`

// mppDisplay is the MPP office, always open, its voice synthesised by a fake (the real
// espeak-ng is TestVoiceSaysEveryNameOfTheMPP's), with tickets waiting in every service,
// a call at every third counter, Loket 2 paused for system trouble and Loket 3 closed
// (so its services B, C, D say no counter serves them), and a running text.
func mppDisplay(t *testing.T) *office {
	t.Helper()
	o := newOfficeOf(t, queuetest.Office(t, "mpp40", queuetest.AlwaysOpen), &voice.FakeSynth{})
	ctx := context.Background()
	for i, s := range o.q.Config().Services {
		for range 1 + i%7 {
			if _, err := o.q.Do(ctx, queue.Issue{Service: s.Code}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, k := range o.q.Config().Counters {
		if i%3 == 0 {
			if _, err := o.q.Do(ctx, queue.Call{Counter: k.ID}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, cmd := range []queue.Command{queue.Pause{Counter: "2", Reason: "gangguan"}, queue.Close{Counter: "3"},
		queue.SetRunningText{Text: "Selamat datang di Mal Pelayanan Publik. Loket Samsat istirahat pukul 12.00–13.00."}} {
		if _, err := o.q.Do(ctx, cmd); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

type boardPage struct {
	Kind  string   `json:"kind"`
	Items []string `json:"items"`
}

// checkEveryPage shows each page of the board in turn and fails on any layout problem;
// it returns the pages.
func checkEveryPage(t *testing.T, page context.Context, shot string) []boardPage {
	t.Helper()
	waitJS(t, page, "the board's pages", `document.documentElement.dataset.live === "display" && window.antriDisplay.pages().length > 0`)
	pages := eval[[]boardPage](t, page, `window.antriDisplay.pages()`)
	for i := range pages {
		eval[any](t, page, fmt.Sprintf(`window.antriDisplay.show(%d)`, i))
		want := strings.Join(pages[i].Items, " ")
		got := eval[[]string](t, page, `[...document.querySelectorAll("#pages li[data-service], #pages li[data-counter]")].filter(e => !e.closest("[hidden]")).map(e => e.dataset.service || e.dataset.counter)`)
		if strings.Join(got, " ") != want {
			t.Errorf("%s page %d shows %v, want %v", shot, i+1, got, pages[i].Items)
		}
		mark := eval[string](t, page, textOf("page-text"))
		if len(pages) > 1 && mark != fmt.Sprintf("Halaman %d dari %d", i+1, len(pages)) {
			t.Errorf("%s page %d: page mark %q", shot, i+1, mark)
		}
		if problems := eval[[]string](t, page, layoutProblems); len(problems) > 0 {
			screenshot(t, page, "FAILED-"+shot+fmt.Sprintf("-p%d", i+1))
			t.Errorf("%s page %d of %d:\n  %s", shot, i+1, len(pages), strings.Join(problems, "\n  "))
		}
		if i == 0 || strings.Contains(shot, "1920x1080") {
			screenshot(t, page, fmt.Sprintf("%s-p%d", shot, i+1))
		}
	}
	return pages
}

// covered lists the services and counters on some page.
func covered(pages []boardPage) (services, counters []string) {
	for _, p := range pages {
		if p.Kind == "services" {
			services = append(services, p.Items...)
		} else {
			counters = append(counters, p.Items...)
		}
	}
	return services, counters
}

// TestBrowserDisplayFitsEveryScreen: at every size, every service and every counter of the
// MPP is on some page of the board's rotation, each page fits — nothing outside the
// screen or its box, no text cut — and the text is large enough to read from 5 m. The
// board turns its pages by itself.
func TestBrowserDisplayFitsEveryScreen(t *testing.T) {
	o := mppDisplay(t)
	b := browsertest.New(t)
	cfg := o.q.Config()
	var codes, ids []string
	for _, s := range cfg.Services {
		codes = append(codes, s.Code)
	}
	for _, k := range cfg.Counters {
		ids = append(ids, k.ID)
	}
	for i, size := range tvSizes {
		shot := fmt.Sprintf("display-%dx%d", size.w, size.h)
		page := tab(t, b, o.url("/display"), size.w, size.h)
		if i == 0 {
			// The board turns its pages by itself (until a page is shown on purpose).
			waitJS(t, page, "the first page", `document.body.dataset.page === "1"`)
			waitJS(t, page, "the next page by itself", `document.body.dataset.page === "2"`)
		}
		pages := checkEveryPage(t, page, shot)
		services, counters := covered(pages)
		if !slices.Equal(services, codes) || !slices.Equal(counters, ids) {
			t.Errorf("%s: the pages show services %v and counters %v; want every one, in order", shot, services, counters)
		}
		if n := eval[int](t, page, `document.querySelectorAll("#recent li:not([hidden])").length`); n < 2 {
			t.Errorf("%s shows %d previous calls, want at least 2", shot, n)
		}
		t.Logf("%s: %d pages; %s", shot, len(pages), pageWeight(t, page))
	}
}

// pageMetrics are Chromium's performance metrics of the page now (JSHeapUsedSize,
// Nodes, JSEventListeners, …).
func pageMetrics(t *testing.T, page context.Context) map[string]float64 {
	t.Helper()
	if _, err := chromedp.Call(page, performance.Enable, performance.EnableParams{}); err != nil {
		t.Fatalf("performance metrics: %v", err)
	}
	m, err := chromedp.Call(page, performance.GetMetrics, cdp.Empty{})
	if err != nil {
		t.Fatalf("performance metrics: %v", err)
	}
	v := map[string]float64{}
	for _, x := range m.Metrics {
		v[x.Name] = x.Value
	}
	return v
}

// pageWeight says what the page costs the browser now (JS heap, DOM nodes, listeners),
// for docs/PERFORMANCE.md: a Pi of 1 GB shares its memory with Chromium. Logged, never
// asserted.
func pageWeight(t *testing.T, page context.Context) string {
	t.Helper()
	v := pageMetrics(t, page)
	return fmt.Sprintf("JS heap %.1f MB used of %.1f MB, %.0f DOM nodes, %.0f listeners", v["JSHeapUsedSize"]/1e6, v["JSHeapTotalSize"]/1e6, v["Nodes"], v["JSEventListeners"])
}

// TestBrowserZoneDisplayShowsOnlyItsPart: /display/lantai-2 shows the zone's name, its
// services and counters on its pages and nothing of the other zones; a call at a counter
// of another zone never appears on it, one at its own does.
func TestBrowserZoneDisplayShowsOnlyItsPart(t *testing.T) {
	o := mppDisplay(t)
	b := browsertest.New(t)
	z, _ := o.q.Config().Display("lantai-2")
	for _, size := range tvSizes {
		shot := fmt.Sprintf("display-lantai-2-%dx%d", size.w, size.h)
		page := tab(t, b, o.url("/display/lantai-2"), size.w, size.h)
		waitJS(t, page, "the zone's name", textOf("zone")+` === `+js(z.Name))
		pages := checkEveryPage(t, page, shot)
		services, counters := covered(pages)
		if !slices.Equal(services, z.Services) || !slices.Equal(counters, z.Counters) {
			t.Errorf("%s shows services %v, counters %v; want %v, %v", shot, services, counters, z.Services, z.Counters)
		}
		if all := eval[int](t, page, `document.querySelectorAll("[data-service]").length`); all != len(z.Services) {
			t.Errorf("%s has %d service cards, the zone %d", shot, all, len(z.Services))
		}
	}
	page := tab(t, b, o.url("/display/lantai-2"), 1920, 1080)
	waitJS(t, page, "live", `document.documentElement.dataset.live === "display"`)
	o.issue("A")
	o.issue("G")
	o.act("1", "finish", nil)
	o.act("1", "call", nil) // lantai-1's Loket 1: not here
	o.act("7", "finish", nil)
	other := o.act("7", "call", nil) // Loket 7 serves G and J: lantai-2
	waitJS(t, page, "the call at its own counter", textOf("now-number")+` === `+js(other.Number))
	// Both counters of G and J stop: Loket 7 for the midday break, Loket 8 closes. Their
	// tiles say so at once, the page still fits, and G's card says nobody serves it now.
	o.act("7", "finish", nil)
	setStatus := func(id, action string, body any) {
		t.Helper()
		k, _ := o.q.Config().Counter(id)
		if code := o.call("POST", "/api/counters/"+id+"/"+action, k.Token, body, nil); code != http.StatusOK {
			t.Fatalf("counter %s %s: HTTP %d", id, action, code)
		}
	}
	setStatus("7", "pause", map[string]string{"reason": "ishoma"})
	setStatus("8", "close", nil)
	showPageOf := func(item string) {
		eval[any](t, page, `(() => { const ps = window.antriDisplay.pages(); window.antriDisplay.show(ps.findIndex(p => p.items.includes(`+js(item)+`))); })()`)
	}
	tile := func(id string) string { return `document.querySelector('[data-counter="` + id + `"]')` }
	showPageOf("7")
	waitJS(t, page, "Loket 7 at the midday break, Loket 8 closed", tile("7")+`.textContent === "Loket 7Ishoma" && `+tile("8")+`.textContent === "Loket 8Tutup" && `+
		tile("7")+`.classList.contains("tv-paused") && `+tile("8")+`.classList.contains("tv-closed")`)
	if problems := eval[[]string](t, page, layoutProblems); len(problems) > 0 {
		t.Errorf("the counters' page with a paused and a closed counter:\n  %s", strings.Join(problems, "\n  "))
	}
	screenshot(t, page, "display-lantai-2-paused-1920x1080")
	showPageOf("G")
	const gEst = `document.querySelector('[data-service="G"] .tv-service-est').textContent`
	waitJS(t, page, "G served by no counter now", gEst+`.endsWith("belum ada loket yang melayani")`)
	if problems := eval[[]string](t, page, layoutProblems); len(problems) > 0 {
		t.Errorf("the services' page with G unserved:\n  %s", strings.Join(problems, "\n  "))
	}
	screenshot(t, page, "display-lantai-2-unserved-1920x1080")
	setStatus("7", "resume", nil)
	waitJS(t, page, "G served again", `!`+gEst+`.includes("belum ada loket") && `+tile("7")+`.textContent === "Loket 7—" && !`+tile("7")+`.classList.contains("tv-paused")`)
	if eval[bool](t, page, `/(^|[^A-Z])A-0/.test(document.body.innerText)`) {
		t.Errorf("lantai-2 shows a ticket of service A (lantai-1):\n%s", eval[string](t, page, `document.body.innerText`))
	}
}

// TestBrowserDisplayClockIsTheOffice: a TV whose browser is set to New York shows the
// office's time (WITA, the fixture's Asia/Makassar) in PUEBI's 08.25, and its date in
// Indonesian ("Selasa, 1 Des 2026"); the helper every page uses to write a time does the same, both ways.
func TestBrowserDisplayClockIsTheOffice(t *testing.T) {
	o := mppDisplay(t)
	b := browsertest.New(t)
	newYork := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/New_York"})
		return err
	})
	page := tab(t, b, o.url("/display"), 1920, 1080, newYork)
	waitJS(t, page, "the clock", textOf("time")+` !== "--.--"`)
	wita, _ := time.LoadLocation("Asia/Makassar")
	ny, _ := time.LoadLocation("America/New_York")
	now := time.Now()
	if h := eval[int](t, page, `new Date().getHours()`); h != now.In(ny).Hour() && h != now.Add(time.Minute).In(ny).Hour() {
		t.Fatalf("the browser's own hour is %d, not New York's %d: the time zone was not emulated", h, now.In(ny).Hour())
	}
	got := eval[string](t, page, textOf("time"))
	var ok []string
	for _, d := range []time.Duration{-time.Minute, 0, time.Minute} {
		ok = append(ok, now.Add(d).In(wita).Format("15.04"))
	}
	if !slices.Contains(ok, got) {
		t.Errorf("the TV shows %q, want the office's %s", got, ok[1])
	}
	days := []string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
	months := []string{"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"}
	w := now.In(wita)
	if want, got := fmt.Sprintf("%s, %d %s %d", days[w.Weekday()], w.Day(), months[w.Month()-1], w.Year()), eval[string](t, page, textOf("date")); got != want && w.Hour() != 0 {
		t.Errorf("date %q, want %q", got, want)
	}
	if got := eval[string](t, page, `Antri.dateTime("2026-11-02T00:30:00Z")`); got != "2 Nov 2026 08.30" {
		t.Errorf(`Antri.dateTime("2026-11-02T00:30:00Z") = %q, want the office's "2 Nov 2026 08.30"`, got)
	}
	if got := eval[string](t, page, `Antri.zonedToISO("2026-11-02T08:30")`); got != "2026-11-02T00:30:00.000Z" {
		t.Errorf(`a form's 08:30 is %q, want 08.30 WITA = 00:30 UTC`, got)
	}
	click(t, page, ".lang-toggle")
	waitJS(t, page, "the English clock", textOf("time")+`.includes(":")`)
	screenshot(t, page, "display-clock-new-york-browser")
}

// TestBrowserDisplayBurstOfCalls: eight counters call within a second. Every pending call
// is on the screen at once; the big box shows the call being announced; the first is said
// in full, those behind it in the short form, each once, so the last is heard within
// seconds rather than a minute; a recall of a number still waiting is not said twice.
func TestBrowserDisplayBurstOfCalls(t *testing.T) {
	o := newOfficeOf(t, queuetest.Office(t, "mpp40", queuetest.AlwaysOpen), &voice.FakeSynth{})
	b := browsertest.New(t)
	ctx := context.Background()
	counters := []string{"1", "3", "6", "7", "10", "13", "17", "19"} // eight agencies
	for _, id := range counters {
		k, _ := o.q.Config().Counter(id)
		if _, err := o.q.Do(ctx, queue.Issue{Service: k.Services[0]}); err != nil {
			t.Fatal(err)
		}
	}
	page := tab(t, b, o.url("/display"), 1920, 1080)
	waitJS(t, page, "live", `document.documentElement.dataset.live === "display"`)

	var mu sync.Mutex
	var numbers []string
	var wg sync.WaitGroup
	for _, id := range counters {
		wg.Go(func() {
			tk, err := o.q.Do(ctx, queue.Call{Counter: id})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			numbers = append(numbers, tk.Number)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(numbers)
	// A recall while its first call still waits to be said.
	if _, err := o.q.Do(ctx, queue.Recall{Counter: counters[len(counters)-1]}); err != nil {
		t.Fatal(err)
	}
	all := js(strings.Join(numbers, " "))
	waitJS(t, page, "every pending call on screen at once", `(() => { const seen = `+visibleNumbers+`; return `+all+`.split(" ").every(n => seen.includes(n)); })()`)
	screenshot(t, page, "display-burst")
	if problems := eval[[]string](t, page, layoutProblems); len(problems) > 0 {
		t.Errorf("during the burst:\n  %s", strings.Join(problems, "\n  "))
	}
	// While it speaks, the box shows what is being said.
	for range 3 {
		waitJS(t, page, "the announced call in the box", `window.antriVoice.length > 0 && `+textOf("now-number")+` === window.antriVoice.at(-1).number && `+textOf("now-label")+` === "Sedang diumumkan"`)
		time.Sleep(700 * time.Millisecond)
	}
	// Every call said once, the last within a generous deadline for a loaded machine.
	tctx, cancel := context.WithTimeout(page, 3*time.Minute)
	defer cancel()
	if _, err := chromedp.Run(tctx, chromedp.Poll[bool](`window.antriVoice.filter(v => !v.skipped).length >= 8 && `+textOf("now-label")+` === "Nomor dipanggil"`,
		chromedp.WithPollingInterval(200*time.Millisecond), chromedp.WithPollingTimeout(3*time.Minute))); err != nil {
		t.Fatalf("the burst was not announced: %v; %s", err, eval[string](t, page, `JSON.stringify(window.antriVoice)`))
	}
	type said struct {
		Number string   `json:"number"`
		Clips  []string `json:"clips"`
		Burst  bool     `json:"burst"`
		Played int      `json:"played"`
	}
	var voiceLog []said
	json.Unmarshal([]byte(eval[string](t, page, `JSON.stringify(window.antriVoice)`)), &voiceLog)
	var spoken []string
	for i, v := range voiceLog {
		spoken = append(spoken, v.Number)
		switch {
		case i == 0 && (v.Burst || v.Clips[0] != "/voice/chime.ogg"):
			t.Errorf("the first call of the burst was said %v; want in full, chime first", v.Clips)
		case i > 0 && (!v.Burst || slices.Contains(v.Clips, "/voice/chime.ogg") || slices.Contains(v.Clips, "/voice/nomor-antrean.ogg")):
			t.Errorf("call %d (%s) was said %v; want the short form", i+1, v.Number, v.Clips)
		}
		if v.Played != len(v.Clips) {
			t.Errorf("%s: %d of %d clips played to the end", v.Number, v.Played, len(v.Clips))
		}
	}
	slices.Sort(spoken)
	if !slices.Equal(spoken, numbers) {
		t.Errorf("said %v, want each of %v once", spoken, numbers)
	}
}

// TestBrowserDisplayRefusalSound: a ticket button refused (its quota reached) plays the
// refusal sound on the display and says why, for a citizen at a button with no screen of
// its own; a refused counter button is the officer's business and makes no sound here.
func TestBrowserDisplayRefusalSound(t *testing.T) {
	o := newOfficeOf(t, queuetest.Office(t, "mpp40", queuetest.AlwaysOpen), &voice.FakeSynth{})
	b := browsertest.New(t)
	page := tab(t, b, o.url("/display/lantai-3"), 1366, 768)
	waitJS(t, page, "live", `document.documentElement.dataset.live === "display"`)
	o.q.Publish(queue.Event{Type: queue.NoticeButtonRefused, Counter: "17",
		Data: json.RawMessage(`{"pin":"GPIO5","action":"call","kind":"not_found","message":"Tidak ada antrean untuk dipanggil"}`)})
	o.q.Publish(queue.Event{Type: queue.NoticeButtonRefused, Service: "PA",
		Data: json.RawMessage(`{"pin":"GPIO17","action":"ticket","kind":"quota","message":"Maaf, kuota harian layanan Sambungan Baru Air Minum sudah habis. Silakan datang kembali besok."}`)})
	waitJS(t, page, "the refusal on screen", `!document.getElementById("refused").hidden && `+textOf("refused-text")+`.includes("kuota harian")`)
	waitJS(t, page, "the refusal sound fetched", `performance.getEntriesByType("resource").some(e => e.name.endsWith("/voice/refused.ogg"))`)
	if n := eval[int](t, page, `window.antriRefusals`); n != 1 {
		t.Errorf("%d refusals shown, want the ticket button's only", n)
	}
	if problems := eval[[]string](t, page, layoutProblems); len(problems) > 0 {
		t.Errorf("with the refusal shown:\n  %s", strings.Join(problems, "\n  "))
	}
	screenshot(t, page, "display-refused")
}

// TestBrowserDisplayOfficeClosed: before the office opens, the TV's header says that no
// numbers are given yet and the hours, in PUEBI's 08.00, and the page still fits the
// screen at every size.
func TestBrowserDisplayOfficeClosed(t *testing.T) {
	wita, _ := time.LoadLocation("Asia/Makassar")
	cfg := queuetest.Office(t, "mpp40", func(c *queue.Config) { c.Office.Open, c.Office.Close = "08:00", "15:30" })
	o := newOfficeWith(t, cfg, queue.NewFakeClock(time.Date(2026, 12, 1, 6, 40, 0, 0, wita)))
	b := browsertest.New(t)
	for _, size := range tvSizes {
		page := tab(t, b, o.url("/display/lantai-1"), size.w, size.h)
		waitJS(t, page, "the closed office's header at the office's 06.40", textOf("closed-line")+`.replace(/\u2060/g, "") === "Pengambilan nomor tutup · buka pukul 08.00–15.30" && `+
			textOf("time")+` === "06.40"`)
		if problems := eval[[]string](t, page, layoutProblems); len(problems) > 0 {
			t.Errorf("%dx%d, the office closed:\n  %s", size.w, size.h, strings.Join(problems, "\n  "))
		}
		if size.w == 1920 {
			screenshot(t, page, "display-closed-1920x1080")
		}
	}
}

// TestBrowserDisplayMutedTV: a second TV in the same hall, opened as ?voice=off, shows
// the call at once and says nothing: it never asks for the clips, so it cannot echo the
// TV that speaks.
func TestBrowserDisplayMutedTV(t *testing.T) {
	o := newOfficeOf(t, queuetest.Office(t, "mpp40", queuetest.AlwaysOpen), &voice.FakeSynth{})
	b := browsertest.New(t)
	page := tab(t, b, o.url("/display/lantai-1?voice=off"), 1920, 1080)
	waitJS(t, page, "live", `document.documentElement.dataset.live === "display"`)
	o.issue("A")
	tk := o.act("1", "call", nil)
	waitJS(t, page, "the call on the muted TV", textOf("now-number")+` === `+js(tk.Number)+` && `+textOf("now-counter")+` === "Loket 1"`)
	time.Sleep(time.Second) // what a speaking TV would have asked for by now
	if log := eval[string](t, page, `JSON.stringify(window.antriVoice)`); log != `[{"number":`+js(tk.Number)+`,"counter":"1","muted":true,"clips":[],"played":0}]` {
		t.Errorf("the muted TV's voice log: %s", log)
	}
	if asked := eval[[]string](t, page, `performance.getEntriesByType("resource").map(e => e.name).filter(n => n.includes("/voice"))`); len(asked) > 0 {
		t.Errorf("the muted TV asked for %v", asked)
	}
}

// TestBrowserDisplaySoakADayOfCalls: a TV runs for months without a reload. After 250
// more calls it holds no more than it did after the first few: its DOM is the same size
// and the voice log keeps only the latest 200 announcements. (A muted TV, so that the
// calls are not waited for; the speaking TV logs the same way.) The heap is logged.
func TestBrowserDisplaySoakADayOfCalls(t *testing.T) {
	o := newOfficeOf(t, queuetest.Office(t, "mpp40", queuetest.AlwaysOpen), &voice.FakeSynth{})
	b := browsertest.New(t)
	page := tab(t, b, o.url("/display?voice=off"), 1920, 1080)
	waitJS(t, page, "live", `document.documentElement.dataset.live === "display"`)
	ctx := context.Background()
	serve := func(n int) (last string) {
		t.Helper()
		for i := range n {
			id := []string{"1", "2", "4"}[i%3] // Loket 1, 2 (A) and 4 (B)
			k, _ := o.q.Config().Counter(id)
			for _, cmd := range []queue.Command{queue.Issue{Service: k.Services[0]}, queue.Call{Counter: id}, queue.Finish{Counter: id, Outcome: queue.OutcomeDone}} {
				tk, err := o.q.Do(ctx, cmd)
				if err != nil {
					t.Fatal(err)
				}
				last = tk.Number
			}
		}
		return last
	}
	serve(20)
	waitJS(t, page, "the first calls", `window.antriVoice.length === 20`)
	const elements = `document.getElementsByTagName("*").length`
	before, heap := eval[int](t, page, elements), pageMetrics(t, page)["JSHeapUsedSize"]
	last := serve(250)
	waitJS(t, page, "the morning's calls", `window.antriVoice.length === 200 && window.antriVoice.at(-1).number === `+js(last))
	if after := eval[int](t, page, elements); after > before+20 {
		t.Errorf("the page grew from %d to %d elements over 250 calls", before, after)
	}
	t.Logf("after 20 calls: %d elements, JS heap %.2f MB; after 270 calls: %d elements, %s", before, heap/1e6, eval[int](t, page, elements), pageWeight(t, page))
}
