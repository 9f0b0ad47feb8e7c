package display

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/antri-id/antri/display/browsertest"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// requestLog records the paths a tab requests, as the browser sends them.
type requestLog struct {
	mu    sync.Mutex
	paths []string
}

func logRequests(t *testing.T, ctx context.Context) *requestLog {
	t.Helper()
	l := &requestLog{}
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			if u, err := url.Parse(e.Request.URL); err == nil {
				l.mu.Lock()
				l.paths = append(l.paths, u.Path)
				l.mu.Unlock()
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// count is how many requests went to a path starting with prefix.
func (l *requestLog) count(prefix string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, p := range l.paths {
		if strings.HasPrefix(p, prefix) {
			n++
		}
	}
	return n
}

// TestBrowserPagesApplyEventsWithoutRereadingTheState: the display, a phone's /t/ page and
// a counter page follow a dozen events — issues, calls, a transfer, a finish — and show
// the result without asking GET /api/state (or, on /t/, GET /api/tickets/…) once: each
// event's message is applied to what the page already has.
func TestBrowserPagesApplyEventsWithoutRereadingTheState(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	o.issue("A")
	num := o.issue("A") // one ahead of it

	display := tab(t, b, "about:blank", 1920, 1080)
	displayLog := logRequests(t, display)
	phone := tab(t, b, "about:blank", 412, 900)
	phoneLog := logRequests(t, phone)
	counter := tab(t, b, "about:blank", 1600, 1000)
	counterLog := logRequests(t, counter)
	for _, p := range []struct {
		ctx  context.Context
		path string
	}{{display, "/display"}, {phone, "/t/" + num}, {counter, "/counter/1"}} {
		if err := chromedp.Do(p.ctx, chromedp.Navigate(o.url(p.path))); err != nil {
			t.Fatal(err)
		}
	}
	typeInto(t, counter, "#token", "token-1")
	click(t, counter, `#unlock button[type="submit"]`)
	waitJS(t, counter, "the counter's desk with two waiting", `document.querySelectorAll("#waiting li[data-number]").length === 2`)
	waitJS(t, display, "the display's snapshot", `document.documentElement.dataset.live === "display"`)
	waitJS(t, phone, "one ahead", `document.getElementById("ticket").innerText.includes("1 orang menunggu di depan Anda")`)

	o.issue("A")
	o.issue("B")                                                           // B-001
	o.act("1", "call", nil)                                                // A-001 → Loket 1
	o.act("2", "call", nil)                                                // B-001 → Loket 2
	o.act("2", "transfer", map[string]string{"service": "A", "note": "x"}) // B-001 waits in A again
	o.act("1", "finish", nil)
	o.act("1", "call", nil) // A-002, the phone's ticket
	o.issue("A")

	waitJS(t, display, "A-002 called to Loket 1, A waiting 3",
		textOf("now-number")+` === "A-002" && `+textOf("now-counter")+` === "Loket 1" && document.querySelector(".tv-service-count")?.textContent === "3"`)
	waitJS(t, display, "the earlier calls", `document.getElementById("recent").innerText.includes("B-001") && document.getElementById("recent").innerText.includes("A-001")`)
	waitJS(t, phone, "its counter", textOf("ticket-counter")+`.includes("Loket 1") && `+textOf("ticket-stage")+` === "Dipanggil"`)
	waitJS(t, counter, "A-002 at the counter and three waiting, the referred one with its note in call order",
		textOf("current-number")+` === "A-002" && [...document.querySelectorAll("#waiting li[data-number]")].map(li => li.dataset.number).join() === "A-003,B-001,A-004"`)
	screenshot(t, counter, "counter-applied-events")

	for name, n := range map[string]int{
		"display GET /api/state": displayLog.count("/api/state"), "counter GET /api/state": counterLog.count("/api/state"),
		"phone GET /api/state": phoneLog.count("/api/state"), "phone GET /api/tickets/": phoneLog.count("/api/tickets/"),
	} {
		if n != 0 {
			t.Errorf("%d × %s: a page re-read what the events carry", n, name)
		}
	}
	if displayLog.count("/static/display.js") != 1 || phoneLog.count("/static/ticket.js") != 1 {
		t.Error("the request log did not see the pages' own scripts: it proves nothing")
	}
	// Applying events, the display still announces every call, in order.
	waitJS(t, display, "three announcements", `window.antriVoice.map(v => v.phrase).join("|") === "Nomor antrean, A, satu, perizinan berusaha, silakan menuju loket satu|Nomor antrean, B, satu, administrasi kependudukan, silakan menuju loket dua|Nomor antrean, A, dua, perizinan berusaha, silakan menuju loket satu"`)
}
