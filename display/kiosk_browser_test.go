package display

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/display/browsertest"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// The citizen's pages of a Mal Pelayanan Publik in real Chromium, at the sizes they are
// seen at: the kiosk's touch screen (1280×800 landscape, 1080×1920 portrait), the TV
// sizes a kiosk tablet may have (1920×1080, 1366×768), and a phone (390×844) for /t/
// and /survey. Screenshots go to testdata/screenshots/ like the other browser tests';
// docs/PAGES.md shows them.

// citizenSizes are the screens the kiosk, /t/ and /survey must fit.
var citizenSizes = []struct{ w, h int64 }{{1920, 1080}, {1366, 768}, {1280, 800}, {1080, 1920}, {390, 844}}

// phones is the address the test offices give phones ([office] base_url).
const phones = "http://192.0.2.10:8080"

// kioskOffice is an office of cfg on a real server and store, on the system clock.
func kioskOffice(t *testing.T, cfg *queue.Config) *office {
	t.Helper()
	return officeOn(t, queuetest.OpenClock(t, cfg, nil))
}

// officeOn serves q's office on a real server.
func officeOn(t *testing.T, q *queue.Queue) *office {
	t.Helper()
	o := &office{t: t, q: q, data: filepath.Dir(q.Store().Path()), addr: "127.0.0.1:0"}
	o.boot()
	t.Cleanup(o.stop)
	return o
}

// mppKioskOffice is the "mpp" fixture (24 services of 12 agencies, 36 counters), open
// all day, with phones' address and the edits.
func mppKioskOffice(t *testing.T, edits ...func(*queue.Config)) *office {
	t.Helper()
	return kioskOffice(t, queuetest.Office(t, "mpp", append([]func(*queue.Config){queuetest.AlwaysOpen,
		func(c *queue.Config) { c.Office.BaseURL = phones }}, edits...)...))
}

// overflowProblems is a JavaScript expression listing what does not fit on the page as
// shown: an element outside the viewport (below it too when fixed is true: a page that
// must not scroll), and any box whose content is wider or taller than the box (text
// cut or spilling), except a box made to scroll (overflow auto or scroll); and a script's
// slip shown as text ("null", "undefined").
func overflowProblems(fixed bool) string {
	return `(() => {
  const fixed = ` + fmt.Sprint(fixed) + `;
  const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
  const out = [];
  const shown = (e) => !e.closest('[hidden]') && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '') +
    (e.dataset.service || e.dataset.unit || e.dataset.key ? '[' + (e.dataset.service || e.dataset.unit || e.dataset.key) + ']' : '');
  for (const e of document.querySelectorAll('body *')) {
    if (!shown(e) || e.matches('script, option')) continue;
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const st = getComputedStyle(e);
    if (r.left < -1 || r.right > vw + 1 || (fixed || st.position === 'fixed') && (r.top < -1 || r.bottom > vh + 1))
      out.push(name(e) + ' outside the ' + vw + '×' + vh + ' viewport at ' + [r.left, r.top, r.right, r.bottom].map(Math.round).join(','));
    if (st.display === 'inline' || e.clientWidth === 0) continue;
    const scrolls = /auto|scroll/.test(st.overflowY);
    if (e.scrollWidth > e.clientWidth + 1 || !scrolls && e.scrollHeight > e.clientHeight + 1)
      out.push(name(e) + ' overflows its box: ' + e.scrollWidth + '×' + e.scrollHeight + ' in ' + e.clientWidth + '×' + e.clientHeight + ' "' + e.textContent.trim().slice(0, 40) + '"');
  }
  if (document.documentElement.scrollWidth > vw + 1) out.push('the page is ' + document.documentElement.scrollWidth + ' px wide in a ' + vw + ' px viewport');
  const junk = /\b(null|undefined|NaN|\[object Object\])\b/.exec(document.body.innerText);
  if (junk) out.push('the page says "' + junk[0] + '"');
  return out;
})()`
}

// wantFits fails the test with every layout problem of the page as shown.
func wantFits(t *testing.T, page context.Context, fixed bool, where string) {
	t.Helper()
	if probs := eval[[]string](t, page, overflowProblems(fixed)); len(probs) > 0 {
		screenshot(t, page, "FAILED-"+where)
		t.Errorf("%s: %d layout problems:\n  %s", where, len(probs), strings.Join(probs, "\n  "))
	}
}

// visibleServices are the service codes of the kiosk's cards on screen now.
const visibleServices = `[...document.querySelectorAll("#grid [data-service]")].map(b => b.dataset.service)`

// walkKiosk goes through every agency and every page of the kiosk as a citizen would,
// checking that each screen fits, and returns the services it saw.
func walkKiosk(t *testing.T, page context.Context, size string) []string {
	t.Helper()
	var seen []string
	pages := func(what string) {
		for i := 0; ; i++ {
			wantFits(t, page, true, fmt.Sprintf("kiosk-%s-%s-page%d", size, what, i+1))
			seen = append(seen, eval[[]string](t, page, visibleServices)...)
			if eval[bool](t, page, `document.getElementById("pager").hidden || document.getElementById("next").disabled`) {
				return
			}
			before := eval[string](t, page, textOf("page-mark"))
			click(t, page, "#next")
			waitJS(t, page, "the next page", textOf("page-mark")+` !== `+js(before))
		}
	}
	if !eval[bool](t, page, `window.antriKiosk.byUnit()`) {
		pages("services")
		return seen
	}
	units := eval[[]struct {
		Unit string `json:"unit"`
	}](t, page, `window.antriKiosk.units()`)
	for _, u := range units {
		// Back on the first screen, find the unit's page and touch it.
		for !eval[bool](t, page, `!!document.querySelector('#grid [data-unit=`+js(u.Unit)+`]')`) {
			if eval[bool](t, page, `document.getElementById("next").disabled || document.getElementById("pager").hidden`) {
				t.Fatalf("%s: unit %q is on no page of the first screen (on this one: %v, %s)", size, u.Unit,
					eval[[]string](t, page, `[...document.querySelectorAll("#grid [data-unit]")].map(e => e.dataset.unit)`), eval[string](t, page, textOf("page-mark")))
			}
			before := eval[string](t, page, textOf("page-mark"))
			click(t, page, "#next")
			waitJS(t, page, "the next page of agencies", textOf("page-mark")+` !== `+js(before))
		}
		click(t, page, `#grid [data-unit=`+js(u.Unit)+`]`)
		title := u.Unit
		if title == "" {
			title = "Layanan lainnya" // services of no agency
		}
		waitJS(t, page, "the services of "+title, textOf("step-title")+` === `+js(title)+` && !!document.querySelector("#grid [data-service]")`)
		pages("unit-" + u.Unit)
		click(t, page, "#back")
		waitJS(t, page, "the agencies again", `!!document.querySelector("#grid [data-unit]")`)
	}
	return seen
}

// wantEveryService walks the kiosk in normal and then large text, failing the test unless
// every service of all (sorted) is on some page, and leaves it in normal text.
func wantEveryService(t *testing.T, page context.Context, size string, all []string) {
	t.Helper()
	for _, large := range []bool{false, true} {
		if large {
			click(t, page, "#large")
			waitJS(t, page, "the large-text mode", `document.body.classList.contains("k-large")`)
			screenshot(t, page, "kiosk-large-"+size)
		}
		seen := walkKiosk(t, page, size+map[bool]string{false: "", true: "-large"}[large])
		slices.Sort(seen)
		if !slices.Equal(slices.Compact(seen), all) {
			t.Errorf("%s, large text %v: the kiosk showed services %v, want every one of %v", size, large, seen, all)
		}
	}
	click(t, page, "#large") // back to normal text
}

// serviceCodes are the codes of cfg's services, sorted.
func serviceCodes(cfg *queue.Config) []string {
	var all []string
	for _, s := range cfg.Services {
		all = append(all, s.Code)
	}
	slices.Sort(all)
	return all
}

// TestBrowserKioskAtMPPScale: the kiosk of an MPP with 24 services of 12 agencies is
// picked agency first, on pages that fit every screen size in normal and large text;
// every service is reachable; a service whose quota is used up is greyed with the
// reason, and touching it says so without issuing.
func TestBrowserKioskAtMPPScale(t *testing.T) {
	o := mppKioskOffice(t, func(c *queue.Config) { c.Services[1].DailyQuota = 1 })
	queuetest.Do(t, o.q, queue.Issue{Service: "B"}) // B's quota of 1 used up
	for range 4 {
		queuetest.Do(t, o.q, queue.Issue{Service: "A"})
	}
	all := serviceCodes(o.q.Config())
	b := browsertest.New(t)
	for _, sz := range citizenSizes {
		size := fmt.Sprintf("%dx%d", sz.w, sz.h)
		t.Run(size, func(t *testing.T) {
			page := tab(t, b, o.url("/kiosk"), sz.w, sz.h)
			waitJS(t, page, "the agencies", `document.documentElement.dataset.live === "display" && !!document.querySelector("#grid [data-unit]")`)
			screenshot(t, page, "kiosk-mpp-"+size)
			wantEveryService(t, page, "mpp-"+size, all)

			// B, its quota used up, is greyed with the reason; a touch says why on screen.
			click(t, page, `#grid [data-unit="Disdukcapil"]`)
			waitJS(t, page, "B greyed with its reason", `document.querySelector('[data-service-card="B"]')?.classList.contains("k-off") && document.querySelector('[data-service-card="B"] .k-reason')?.dataset.reason === "quota" && document.querySelector('[data-service="B"]').getAttribute("aria-disabled") === "true"`)
			if !eval[bool](t, page, `!document.querySelector('[data-service-card="A"]').classList.contains("k-off")`) {
				t.Error("A, with quota left, is greyed too")
			}
			wantFits(t, page, true, "kiosk-"+size+"-disdukcapil")
			screenshot(t, page, "kiosk-unit-"+size)
			click(t, page, `[data-service="B"]`)
			waitJS(t, page, "the refusal on screen", textOf("kiosk-error")+`.includes("Kuota harian layanan Kartu Keluarga sudah habis")`)
			wantFits(t, page, true, "kiosk-"+size+"-refused")
			screenshot(t, page, "kiosk-refused-"+size)
			click(t, page, ".k-ok")
			click(t, page, "#back")
		})
	}
	if n := o.issued("B"); n != 1 {
		t.Errorf("touching B past its quota issued: %d tickets of B, want the 1 before", n)
	}
}

// issued counts today's tickets of a service in the store.
func (o *office) issued(service string) int {
	o.t.Helper()
	var n int
	if err := o.q.Store().Reader().QueryRow(`SELECT count(*) FROM tickets WHERE service = ?`, service).Scan(&n); err != nil {
		o.t.Fatal(err)
	}
	return n
}

// TestBrowserKioskAt40Services: the largest MPP the issue names, 40 services: one agency
// with ten services (its own pages), agencies with long names, services of no agency;
// every one reachable at every size of citizenSizes, in normal and large text, nothing
// scrolling or cut.
func TestBrowserKioskAt40Services(t *testing.T) {
	o := mppKioskOffice(t, func(c *queue.Config) {
		units := []string{"Disdukcapil", "Disdukcapil", "Badan Penyelenggara Jaminan Sosial Ketenagakerjaan", "Kantor Imigrasi Kelas I TPI",
			"Badan Penyelenggara Jaminan Sosial Ketenagakerjaan", "Kantor Imigrasi Kelas I TPI", "Pengadilan Agama", ""}
		var codes []string
		for i := 0; len(c.Services) < 40; i++ {
			code := "B" + string(rune('A'+i))
			c.Services = append(c.Services, queue.ServiceConfig{Code: code, Unit: units[i%len(units)],
				Name: fmt.Sprintf("Pelayanan Legalisasi dan Penerbitan Dokumen Nomor %d", i+1), WaitStandard: "30m", ServiceStandard: "15m"})
			codes = append(codes, code)
		}
		c.Counters = append(c.Counters, queue.CounterConfig{ID: "99", Name: "Loket Tambahan", Services: codes, Token: "token-tambahan-panjang-sekali"})
	})
	all := serviceCodes(o.q.Config())
	if len(all) != 40 {
		t.Fatalf("the office has %d services, want 40", len(all))
	}
	b := browsertest.New(t)
	for _, sz := range citizenSizes {
		size := fmt.Sprintf("%dx%d", sz.w, sz.h)
		t.Run(size, func(t *testing.T) {
			page := tab(t, b, o.url("/kiosk"), sz.w, sz.h)
			waitJS(t, page, "the agencies", `document.documentElement.dataset.live === "display" && !!document.querySelector("#grid [data-unit]")`)
			screenshot(t, page, "kiosk-40-"+size)
			wantEveryService(t, page, "40-"+size, all)
		})
	}
}

// TestBrowserKioskSaysWhyNotWhenClosed: outside the opening hours every service is greyed
// with the reason and the banner gives the hours, PUEBI style (08.00).
func TestBrowserKioskSaysWhyNotWhenClosed(t *testing.T) {
	cfg := queuetest.Office(t, "pages", func(c *queue.Config) {
		// Two hours that are not now, in the office's zone.
		if h := time.Now().In(c.Location).Hour(); h < 12 {
			c.Office.Open, c.Office.Close = "20:00", "21:00"
		} else {
			c.Office.Open, c.Office.Close = "02:00", "03:00"
		}
	})
	o := kioskOffice(t, cfg)
	b := browsertest.New(t)
	page := tab(t, b, o.url("/kiosk"), 1280, 800)
	hours := strings.ReplaceAll(cfg.Office.Open+"–"+cfg.Office.Close, ":", ".")
	waitJS(t, page, "the closed banner with the hours", `!document.getElementById("closed").hidden && `+textOf("closed")+`.includes(`+js(hours)+`)`)
	waitJS(t, page, "every service greyed as closed", `[...document.querySelectorAll("[data-service-card]")].every(c => c.querySelector(".k-reason")?.dataset.reason === "closed")`)
	click(t, page, `[data-priority="A"]`)
	waitJS(t, page, "the hours on screen", textOf("kiosk-error")+`.includes("hanya dapat diambil pukul `+hours+`")`)
	screenshot(t, page, "kiosk-closed")
	if n := o.issued("A"); n != 0 {
		t.Errorf("a touch while closed issued %d tickets", n)
	}
	// The kiosk opens and closes by the office's clock while it runs, in the office's zone
	// whatever the zone of the machine running the browser.
	wall := time.Now().In(cfg.Location)
	around := func(from, to time.Duration) string {
		return fmt.Sprintf(`window.antriKiosk.openDuring(%s, %s)`, js(wall.Add(from).Format("15:04")), js(wall.Add(to).Format("15:04")))
	}
	if wall.Hour() >= 2 && wall.Hour() < 22 { // no window across midnight
		if !eval[bool](t, page, around(-time.Hour, time.Hour)) || eval[bool](t, page, around(time.Hour, 2*time.Hour)) || eval[bool](t, page, around(-2*time.Hour, -time.Hour)) {
			t.Errorf("the kiosk's clock is not the office's %s", wall.Format("15:04 MST"))
		}
	}
}

// TestBrowserKioskTicketAndPrinterTrouble: the number taken shows who is ahead ("Anda
// berikutnya" only with nobody ahead) and the address a phone opens — the LAN one, never
// the kiosk's own 127.0.0.1; with the printer out, the number stays on screen, large, to
// be written down.
func TestBrowserKioskTicketAndPrinterTrouble(t *testing.T) {
	o := kioskOffice(t, queuetest.Office(t, "pages", queuetest.AlwaysOpen, func(c *queue.Config) { c.Office.BaseURL, c.Services[1].DailyQuota = phones, 0 }))
	b := browsertest.New(t)
	for _, sz := range citizenSizes {
		size := fmt.Sprintf("%dx%d", sz.w, sz.h)
		t.Run(size, func(t *testing.T) {
			page := tab(t, b, o.url("/kiosk"), sz.w, sz.h)
			waitJS(t, page, "the services", `!!document.querySelector('[data-service="A"]')`)
			wantFits(t, page, true, "kiosk-"+size)
			click(t, page, `[data-service="A"]`)
			waitJS(t, page, "the number", `/^A-\d{3}$/.test(`+textOf("kiosk-number")+`)`)
			num := eval[string](t, page, textOf("kiosk-number"))
			tk, err := o.q.TicketByNumber(context.Background(), num, "")
			if err != nil {
				t.Fatal(err)
			}
			ahead := eval[string](t, page, textOf("kiosk-ahead"))
			if want := map[bool]string{true: "Anda berikutnya", false: fmt.Sprintf("%d orang menunggu di depan Anda", *tk.PeopleAhead)}[*tk.PeopleAhead == 0]; !strings.Contains(ahead, want) {
				t.Errorf("%s with %d ahead: the kiosk says %q, want %q", num, *tk.PeopleAhead, ahead, want)
			}
			if track := eval[string](t, page, textOf("kiosk-track")); !strings.Contains(track, phones+"/t/"+num) || strings.Contains(track, "127.0.0.1") || strings.Contains(track, "k=") {
				t.Errorf("the kiosk shows %q as the address to follow %s, want %s/t/%s without the ticket's secret code", track, num, phones, num)
			}
			wantFits(t, page, true, "kiosk-ticket-"+size)
			screenshot(t, page, "kiosk-ticket-"+size)
			click(t, page, ".k-ok")

			o.srv.SetCheck("printer", func(context.Context) Health { return Health{Error: "Kertas habis"} })
			click(t, page, `[data-priority="B"]`)
			waitJS(t, page, "the printer warning over the number", `!!document.getElementById("kiosk-printer") && `+textOf("kiosk-printer")+`.includes("Printer bermasalah: catat nomor Anda") && /^B-\d{3}$/.test(`+textOf("kiosk-number")+`)`)
			if px := eval[float64](t, page, `parseFloat(getComputedStyle(document.getElementById("kiosk-number")).fontSize)`); px < 64 {
				t.Errorf("the unprinted number is %.0f px high: too small to copy from", px)
			}
			wantFits(t, page, true, "kiosk-printer-"+size)
			screenshot(t, page, "kiosk-printer-"+size)
			click(t, page, ".k-ok")
			o.srv.SetCheck("printer", func(context.Context) Health { return Health{OK: true} })
		})
	}
}

// TestBrowserKioskGreysAServiceNoCounterServes: when the only counter of a service pauses
// (ishoma) the kiosk greys the service with the reason at once, a touch says why and takes
// no number; when the counter resumes the service is offered again.
func TestBrowserKioskGreysAServiceNoCounterServes(t *testing.T) {
	o := kioskOffice(t, queuetest.Office(t, "pages", queuetest.AlwaysOpen))
	b := browsertest.New(t)
	page := tab(t, b, o.url("/kiosk"), 1280, 800)
	waitJS(t, page, "the services", `!!document.querySelector('[data-service="A"]')`)
	status := func(action string, body any) {
		t.Helper()
		if code := o.call("POST", "/api/counters/1/"+action, "token-1", body, nil); code != http.StatusOK {
			t.Fatalf("counter 1 %s: HTTP %d", action, code)
		}
	}
	status("pause", map[string]string{"reason": "ishoma"}) // Loket 1 is A's only counter
	waitJS(t, page, "A greyed as paused, B not", `document.querySelector('[data-service-card="A"] .k-reason')?.dataset.reason === "paused" && `+
		`document.querySelector('[data-service-card="A"]').innerText.includes("Loket sedang istirahat atau tutup") && !document.querySelector('[data-service-card="B"] .k-reason')`)
	wantFits(t, page, true, "kiosk-paused")
	screenshot(t, page, "kiosk-paused")
	click(t, page, `[data-service="A"]`)
	waitJS(t, page, "why, on screen", textOf("kiosk-error")+`.includes("tidak ada loket yang melayani Perizinan Berusaha")`)
	if n := o.issued("A"); n != 0 {
		t.Errorf("a touch on the paused service issued %d tickets", n)
	}
	click(t, page, ".k-ok")
	status("resume", nil)
	waitJS(t, page, "A offered again", `!document.querySelector('[data-service-card="A"] .k-reason')`)
	click(t, page, `[data-service="A"]`)
	waitJS(t, page, "A's first number", textOf("kiosk-number")+` === "A-001"`)
}

// TestBrowserKioskKeepsTheCardUnderAFinger: on a busy morning the counts change every
// few seconds; the kiosk changes its cards in place, so a touch that began before an
// update still lands, and takes a number of the service as it is now.
func TestBrowserKioskKeepsTheCardUnderAFinger(t *testing.T) {
	o := kioskOffice(t, queuetest.Office(t, "pages", queuetest.AlwaysOpen))
	b := browsertest.New(t)
	page := tab(t, b, o.url("/kiosk"), 1280, 800)
	waitJS(t, page, "the services", `!!document.querySelector('[data-service="A"]')`)
	eval[bool](t, page, `(window.touched = document.querySelector('[data-service="A"]'), true)`)
	o.issue("A")
	o.issue("A")
	waitJS(t, page, "A's card saying two wait", `document.querySelector('[data-service-card="A"]').innerText.includes("2 orang menunggu")`)
	if !eval[bool](t, page, `window.touched.isConnected && window.touched === document.querySelector('[data-service="A"]')`) {
		t.Fatal("a live update replaced the button of service A: a touch begun on it would be lost")
	}
	click(t, page, `[data-service="A"]`)
	waitJS(t, page, "the third number", textOf("kiosk-number")+` === "A-003"`)
	if ahead := eval[string](t, page, textOf("kiosk-ahead")); !strings.Contains(ahead, "2 orang menunggu di depan Anda") {
		t.Errorf("A-003 after two: the kiosk says %q", ahead)
	}
}

// TestBrowserKioskKeyboardTypesAComplaint: the appliance has no keyboard; the complaint is
// typed on the kiosk's own, letters for the text and the ticket, a number pad for the
// phone number, and stored as typed.
func TestBrowserKioskKeyboardTypesAComplaint(t *testing.T) {
	o := kioskOffice(t, queuetest.Office(t, "pages", queuetest.AlwaysOpen))
	b := browsertest.New(t)
	for _, sz := range []struct{ w, h int64 }{{1280, 800}, {1080, 1920}, {390, 844}} {
		size := fmt.Sprintf("%dx%d", sz.w, sz.h)
		t.Run(size, func(t *testing.T) {
			page := tab(t, b, o.url("/kiosk"), sz.w, sz.h)
			waitJS(t, page, "the services", `!!document.querySelector('[data-service="A"]')`)
			click(t, page, "#complain")
			waitJS(t, page, "the form with its keyboard", `!!document.querySelector('#complaint-form') && !!document.querySelector('.kb [data-key="q"]')`)
			click(t, page, `[data-topic="Waktu tunggu"]`)
			press := func(keys ...string) {
				t.Helper()
				for _, k := range keys {
					click(t, page, `.kb [data-key=`+js(k)+`]`)
				}
			}
			// "Antre 2 jam." — the first letter comes capital by itself.
			press("a", "n", "t", "r", "e", "space", "2", "space", "j", "a", "m", ".")
			waitJS(t, page, "the typed text", `document.getElementById("complaint-text").value === "Antre 2 jam."`)
			press("back", "back", "m", "?")
			waitJS(t, page, "the text corrected with backspace", `document.getElementById("complaint-text").value === "Antre 2 jam?"`)
			wantFits(t, page, true, "kiosk-keyboard-"+size)
			screenshot(t, page, "kiosk-keyboard-"+size)
			click(t, page, "#complaint-ticket")
			press("a", "-", "0", "1", "2")
			click(t, page, "#complaint-phone")
			waitJS(t, page, "the number pad for the phone", `document.querySelector(".kb").dataset.layout === "number"`)
			press("0", "8", "1", "2", "3", "4")
			wantFits(t, page, true, "kiosk-complaint-"+size)
			screenshot(t, page, "kiosk-complaint-"+size)
			click(t, page, "#complaint-send")
			waitJS(t, page, "the complaint number", `/^\d+$/.test(`+textOf("complaint-number")+`)`)
			var text, ticket string
			err := o.q.Store().Reader().QueryRow(`SELECT text, ticket FROM complaints ORDER BY id DESC LIMIT 1`).Scan(&text, &ticket)
			if err != nil || text != "Antre 2 jam?\n\nNomor HP/WA pelapor: 081234" || ticket != "A-012" {
				t.Errorf("stored complaint: %q for ticket %q (%v)", text, ticket, err)
			}
			click(t, page, ".k-ok")
		})
	}
}

// TestBrowserTicketPageDayCodeRemindersAndRating: /t/ from a QR code opens that day's
// ticket (last week's A-001 never today's), says "Anda berikutnya" only with nobody
// ahead, reminds the citizen when three are ahead and when called, and takes the rating
// with the ticket's code once the service is finished.
func TestBrowserTicketPageDayCodeRemindersAndRating(t *testing.T) {
	ctx := context.Background()
	cfg := queuetest.Office(t, "pages", queuetest.AlwaysOpen, func(c *queue.Config) { c.Office.BaseURL = phones })
	now := time.Now()
	q, clk := queuetest.OpenConfig(t, cfg, now.AddDate(0, 0, -7))
	do := func(c queue.Command) *queue.Ticket { t.Helper(); return queuetest.Do(t, q, c) }
	// Last week's A-001, served to the end.
	old := do(queue.Issue{Service: "A"})
	do(queue.Call{Counter: "1"})
	do(queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	clk.Advance(now.Sub(clk.Now().Wall))
	if err := q.CloseDay(ctx); err != nil {
		t.Fatal(err)
	}
	o := officeOn(t, q)
	var first, mine struct {
		queue.Ticket
		Link string `json:"link"`
	}
	o.call("POST", "/api/tickets", "", map[string]any{"service": "A"}, &first) // today's A-001
	for range 4 {
		o.issue("A")
	}
	o.call("POST", "/api/tickets", "", map[string]any{"service": "A"}, &mine) // A-006, five ahead
	if first.Number != "A-001" || mine.Number != "A-006" || old.Day == first.Day {
		t.Fatalf("tickets %s (%s) and %s (%s), last week's %s", first.Number, first.Day, mine.Number, mine.Day, old.Day)
	}
	b := browsertest.New(t)

	// Last week's link shows last week's ticket, finished, with its day.
	lastWeek := tab(t, b, o.url(old.Link()), 390, 844)
	waitJS(t, lastWeek, "last week's A-001", textOf("ticket-stage")+` === "Selesai" && `+textOf("ticket-day")+`.includes("Tiket tanggal")`)
	if eval[bool](t, lastWeek, `!document.getElementById("rate").hidden`) {
		t.Error("last week's ticket offers a rating today")
	}
	wantFits(t, lastWeek, false, "ticket-lastweek-390x844")
	// Today's link (and the bare number) show today's A-001, waiting, next.
	for _, path := range []string{first.Link, "/t/A-001"} {
		p := tab(t, b, o.url(path), 390, 844)
		waitJS(t, p, "today's A-001 waiting, next", textOf("ticket-stage")+` === "Menunggu" && `+textOf("ticket-ahead")+`.includes("Anda berikutnya") && !document.getElementById("ticket-day")`)
	}

	for _, sz := range citizenSizes {
		p := tab(t, b, o.url(mine.Link), sz.w, sz.h)
		waitJS(t, p, "A-006 with five ahead", textOf("ticket-ahead")+` === "5 orang menunggu di depan Anda"`)
		wantFits(t, p, false, fmt.Sprintf("ticket-%dx%d", sz.w, sz.h))
		screenshot(t, p, fmt.Sprintf("ticket-waiting-%dx%d", sz.w, sz.h))
	}

	// The citizen taps "Ingatkan saya"; vibration is recorded as the phone would give it.
	page := tab(t, b, o.url(mine.Link), 390, 844)
	waitJS(t, page, "the reminder button", `!!document.getElementById("alerts-enable")`)
	eval[bool](t, page, `(window.vibrated = [], navigator.vibrate = (p) => { window.vibrated.push(p); return true; }, true)`)
	click(t, page, "#alerts-enable")
	waitJS(t, page, "the reminders on", `!!document.getElementById("alerts-on")`)
	o.act("1", "call", nil) // four ahead, no reminder
	waitJS(t, page, "four ahead", textOf("ticket-ahead")+` === "4 orang menunggu di depan Anda"`)
	if n := eval[int](t, page, `window.antriAlerts.length`); n != 0 {
		t.Errorf("%d reminders with four ahead", n)
	}
	o.act("1", "finish", nil)
	o.act("1", "call", nil) // three ahead
	waitJS(t, page, "the reminder at three ahead", `window.antriAlerts.length === 1 && window.antriAlerts[0].kind === "near" && window.antriAlerts[0].ahead === 3`)
	if used := eval[[]string](t, page, `window.antriAlerts[0].used`); !slices.Contains(used, "vibrate") || !slices.Contains(used, "sound") {
		t.Errorf("the reminder at three ahead used %v, want vibration and sound", used)
	}
	screenshot(t, page, "ticket-reminders")
	for range 3 {
		o.act("1", "finish", nil)
		o.act("1", "call", nil)
	}
	o.act("1", "finish", nil)
	o.act("1", "call", nil)
	waitJS(t, page, "the call, with its reminder", textOf("ticket-counter")+`.includes("Loket 1") && window.antriAlerts.length === 2 && window.antriAlerts[1].kind === "called"`)
	if n := eval[int](t, page, `window.vibrated.length`); n < 3 {
		t.Errorf("the phone vibrated %d times (the tap, three ahead, the call), want 3", n)
	}
	screenshot(t, page, "ticket-called-390x844")
	o.act("1", "recall", nil)
	waitJS(t, page, "a reminder for the recall", `window.antriAlerts.length === 3 && window.antriAlerts[2].kind === "called"`)

	// Served: the page asks for a rating, sent with the code of the QR link.
	o.act("1", "start", nil)
	o.act("1", "finish", nil)
	waitJS(t, page, "the rating", `!document.getElementById("rate").hidden && !!document.querySelector('#rate [data-score="4"]')`)
	wantFits(t, page, false, "ticket-rate-390x844")
	screenshot(t, page, "ticket-rate-390x844")
	click(t, page, `#rate [data-score="4"]`)
	waitJS(t, page, "the thanks", `!!document.getElementById("rate-done")`)
	var score int
	if err := q.Store().Reader().QueryRow(`SELECT f.score FROM feedback f JOIN tickets t ON t.id = f.ticket_id WHERE t.number = 'A-006' AND t.day = ?`, mine.Day).Scan(&score); err != nil || score != 4 {
		t.Errorf("A-006's stored score: %d (%v), want 4", score, err)
	}
}

// TestBrowserSurveyPerRegulation: /survey asks each of the nine elements in the
// questionnaire's own words of PermenPAN-RB 14/2017 (biaya: Sangat mahal … Gratis), takes
// the respondent's profile and the service received, fits a phone (the status, Kirim and
// the fourth answer on screen at 390 px) and every other size, and stores what was sent.
func TestBrowserSurveyPerRegulation(t *testing.T) {
	o := mppKioskOffice(t)
	b := browsertest.New(t)
	want := map[int]string{
		0: "Tidak sesuai|Kurang sesuai|Sesuai|Sangat sesuai", 3: "Sangat mahal|Cukup mahal|Murah|Gratis",
		6: "Tidak sopan dan ramah|Kurang sopan dan ramah|Sopan dan ramah|Sangat sopan dan ramah",
		7: "Tidak ada|Ada tetapi tidak berfungsi|Berfungsi kurang maksimal|Dikelola dengan baik", 8: "Buruk|Cukup|Baik|Sangat baik",
	}
	answers := []int{4, 3, 3, 4, 2, 4, 4, 3, 1}
	for n, sz := range citizenSizes {
		size := fmt.Sprintf("%dx%d", sz.w, sz.h)
		kiosk := sz.w == 1280 // opened from the kiosk: the age on the on-screen number pad
		path := "/survey"
		if kiosk {
			path += "?kembali=kiosk"
		}
		page := tab(t, b, o.url(path), sz.w, sz.h)
		waitJS(t, page, "the nine elements and the services", `document.querySelectorAll(".unsur .pilihan button").length === 36 && document.querySelectorAll("#service option").length === 25`)
		for i, w := range want {
			if got := eval[string](t, page, fmt.Sprintf(`[...document.querySelectorAll('.unsur')[%d].querySelectorAll(".pilihan span")].map(s => s.textContent).join("|")`, i)); got != w {
				t.Errorf("%s: element %d's answers read %q, want %q", size, i+1, got, w)
			}
		}
		wantFits(t, page, false, "survey-"+size)
		screenshot(t, page, "survey-"+size)

		click(t, page, `#gender [data-gender="P"]`)
		if kiosk {
			click(t, page, "#age")
			waitJS(t, page, "the number pad", `!!document.querySelector('#age-pad .kb[data-layout="number"]') && !document.querySelector('#age-pad .kb').hidden`)
			for _, k := range []string{"3", "4"} {
				click(t, page, `#age-pad [data-key="`+k+`"]`)
			}
		} else {
			typeInto(t, page, "#age", "34")
		}
		setValue(t, page, "#education", "D4/S1")
		setValue(t, page, "#occupation", "Wirausaha")
		setValue(t, page, "#service", "C")
		for i, v := range answers {
			answerSurvey(t, page, i, v)
		}
		waitJS(t, page, "all answered", `!document.getElementById("kirim").disabled && `+textOf("status")+` === "Semua terjawab. Tekan Kirim."`)
		wantFits(t, page, false, "survey-answered-"+size)
		if sz.w == 390 {
			screenshot(t, page, "survey-answered-"+size)
		}
		click(t, page, "#kirim")
		waitJS(t, page, "the thanks", `getComputedStyle(document.getElementById("terimakasih")).display === "block"`)
		var (
			service, gender, education, occupation string
			age, u4                                int
		)
		err := o.q.Store().Reader().QueryRow(`SELECT service, gender, age, education, occupation, u4 FROM surveys ORDER BY id DESC LIMIT 1`).
			Scan(&service, &gender, &age, &education, &occupation, &u4)
		if err != nil || service != "C" || gender != "P" || age != 34 || education != "D4/S1" || occupation != "Wirausaha" || u4 != 4 {
			t.Errorf("%s: stored survey %q %q %d %q %q u4=%d (%v)", size, service, gender, age, education, occupation, u4, err)
		}
		var count int
		o.q.Store().Reader().QueryRow(`SELECT count(*) FROM surveys`).Scan(&count)
		if count != n+1 {
			t.Errorf("%s: %d surveys stored, want %d", size, count, n+1)
		}
	}
}

// TestBrowserAdminHealthInPlainIndonesian: the admin's health card names each part as the
// office knows it and says its details in words, never an English part name or JSON.
func TestBrowserAdminHealthInPlainIndonesian(t *testing.T) {
	o := newOffice(t)
	o.srv.SetCheck("printer", func(context.Context) Health {
		return Health{Error: "Kertas habis", Detail: map[string]any{"ok": false, "device": "/dev/usb/lp0", "failed_today": 2,
			"queue": map[string]any{"pending": 1, "limit": 50, "dropped": 0}}}
	})
	o.srv.SetCheck("buttons", func(context.Context) Health {
		return Health{OK: true, Detail: []map[string]any{{"pin": "GPIO17", "ok": true, "presses": 3}, {"pin": "GPIO27", "ok": true, "presses": 4}}}
	})
	o.srv.SetCheck("connections", func(context.Context) Health {
		return Health{OK: true, Detail: map[string]any{"open": 12, "addresses": 5, "kiosk": 3, "max": 1024, "refused": 0}}
	})
	o.srv.PrepareVoice(context.Background()) // the voice part, as antrid has it
	b := browsertest.New(t)
	page := unlockAdmin(t, o, b)
	waitJS(t, page, "the health card", `document.querySelectorAll("#health tr[data-part]").length >= 4`)
	text := eval[string](t, page, `document.getElementById("health").innerText`)
	for _, want := range []string{"Penyimpanan data", "Printer tiket", "Kertas habis", "perangkat /dev/usb/lp0", "gagal cetak hari ini 2",
		"Tombol", "2 tombol, ditekan 7 kali", "Sambungan jaringan", "12 sambungan dari 5 alamat", "Suara panggilan", "klip panggilan ada"} {
		if !strings.Contains(text, want) {
			t.Errorf("the health card lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"{", "database", "printer\t", "buttons", "connections", "failed_today", "voice"} {
		if strings.Contains(text, bad) {
			t.Errorf("the health card says %q:\n%s", bad, text)
		}
	}
	scrollTo(t, page, "health")
	screenshot(t, page, "admin-health")
}
