package display

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/antri-id/antri/display/browsertest"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// Browser tests of the officers' part of issue 11: the counter page at MPP scale, the
// screen above a counter, and a paired counter device.

// overflowJS names the first visible element (under sel) that leaves the viewport
// sideways or, with vertical, downwards, or the page scrolling so; "" when everything
// fits.
func overflowJS(sel string, vertical bool) string {
	return `((sel, vertical) => {
		const W = document.documentElement.clientWidth, H = document.documentElement.clientHeight;
		if (document.documentElement.scrollWidth > W + 1) return 'the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + W;
		if (vertical && document.documentElement.scrollHeight > H + 1) return 'the page scrolls down: ' + document.documentElement.scrollHeight + ' > ' + H;
		for (const e of document.querySelectorAll(sel)) {
			if (!e.getClientRects().length || getComputedStyle(e).visibility === 'hidden') continue;
			const r = e.getBoundingClientRect();
			if (r.right > W + 1 || r.left < -1 || (vertical && r.bottom > H + 1))
				return (e.id || e.className || e.tagName) + ' at ' + Math.round(r.left) + '–' + Math.round(r.right) + ' × ' + Math.round(r.top) + '–' + Math.round(r.bottom) + ' in ' + W + '×' + H;
		}
		return '';
	})(` + js(sel) + `, ` + strconv.FormatBool(vertical) + `)`
}

// insideJS names the first visible child of box that leaves it; "" when all are inside.
func insideJS(box string) string {
	return `(box => {
		const b = box.getBoundingClientRect();
		for (const e of box.children) {
			if (!e.getClientRects().length) continue;
			const r = e.getBoundingClientRect();
			if (r.top < b.top - 1 || r.bottom > b.bottom + 1 || r.left < b.left - 1 || r.right > b.right + 1)
				return (e.id || e.className) + ' leaves ' + (box.id || box.className) + ': ' + Math.round(r.top) + '–' + Math.round(r.bottom) + ' in ' + Math.round(b.top) + '–' + Math.round(b.bottom);
		}
		return '';
	})(document.querySelector(` + js(box) + `))`
}

// fits resizes the page to w×h and fails the test when something under sel leaves it.
func fits(t *testing.T, page context.Context, what string, w, h int64, sel string, vertical bool) {
	t.Helper()
	if err := chromedp.Do(page, chromedp.EmulateViewport(w, h)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, page, what+" laid out at "+strconv.FormatInt(w, 10)+" px", `innerWidth === `+strconv.FormatInt(w, 10))
	if bad := eval[string](t, page, overflowJS(sel, vertical)); bad != "" {
		screenshot(t, page, "FAILED-"+strings.ReplaceAll(t.Name(), "/", "-")+"-"+strconv.FormatInt(w, 10))
		t.Errorf("%s at %d×%d: %s", what, w, h, bad)
	}
}

// TestBrowserCounterAtMPPScale: a counter serving three services of a 24-service MPP, on
// a 1366×768 PC and a 10" tablet: its waiting by service, its tickets past standard
// after a reload, a call by number, an unprinted ticket flagged, a no-show put back, an
// officer signing in, a pause with a reason, closing; the transfer list grouped by
// agency. Each press is checked in the store.
func TestBrowserCounterAtMPPScale(t *testing.T) {
	cfg := queuetest.Office(t, "mpp", func(c *queue.Config) {
		c.Counters[0].Services = []string{"A", "D", "K"}
		c.Services[0].WaitStandard = "1s" // A's tickets are past standard at once
	})
	o := newOfficeWith(t, cfg, nil)
	tok := cfg.Counters[0].Token
	for _, s := range []string{"A", "A", "A", "D", "D", "K", "B"} {
		o.issue(s)
	}
	ctx := context.Background()
	k1, _ := o.q.TicketByNumber(ctx, "K-001", "")
	if _, err := o.q.Do(ctx, queue.PrintResult{TicketID: k1.ID, Problem: "kertas habis"}); err != nil {
		t.Fatal(err)
	}
	// A's tickets are past their 1 s standard before the page opens: only the list read
	// at load (GET …/breaches) can show them, no live notice will.
	queuetest.Eventually(t, "A-001 past standard", func() bool {
		bs, _ := o.q.Breaches(ctx)
		return len(bs) >= 3
	})

	b := browsertest.New(t)
	page := tab(t, b, o.url("/counter/1"), 1366, 768)
	waitJS(t, page, "the lock", `!document.getElementById("unlock").hidden`)
	typeInto(t, page, "#token", tok)
	click(t, page, `#unlock button[type="submit"]`)
	waitJS(t, page, "the waiting of its three services, by service",
		`[...document.querySelectorAll("#waiting .c-group")].map(g => g.dataset.service + g.querySelectorAll("li[data-number]").length).join(" ") === "A3 D2 K1"`)
	waitJS(t, page, "the tickets past standard, read at load", `!!document.querySelector('#breaches li[data-breach="A-001:wait"]') && !!document.querySelector('#breaches li[data-breach="A-003:wait"]')`)
	if eval[bool](t, page, `!!document.querySelector('#breaches li[data-breach^="B-"]')`) {
		t.Error("counter 1 lists a breach of service B, which it does not serve")
	}
	waitJS(t, page, "the unprinted K-001 tagged", `document.querySelector('#waiting li[data-number="K-001"]').innerText.includes("belum tercetak")`)
	// Forty services of a dozen agencies: the transfer list is grouped by agency.
	units := map[string]bool{}
	for _, s := range cfg.Services {
		units[s.Unit] = true
	}
	if got := eval[int](t, page, `document.querySelectorAll("#tr-service optgroup").length`); got != len(units) {
		t.Errorf("the transfer list has %d agency groups, want %d", got, len(units))
	}
	if got := eval[int](t, page, `document.querySelectorAll("#tr-service optgroup option").length`); got != len(cfg.Services) {
		t.Errorf("the transfer list offers %d services, want %d", got, len(cfg.Services))
	}
	screenshot(t, page, "counter-mpp-1366")
	fits(t, page, "the counter page", 1366, 768, "header *, #desk *", false)

	// Call a given number from its row.
	click(t, page, `#waiting li[data-number="D-002"] .c-callthis`)
	waitJS(t, page, "D-002 called out of turn", textOf("current-number")+` === "D-002"`)
	if tk, _ := o.q.TicketByNumber(ctx, "D-002", ""); tk.Stage != queue.StageCalled || tk.Counter != "1" {
		t.Fatalf("D-002 in the store: %+v", tk)
	}
	click(t, page, "#act-done")
	waitJS(t, page, "the counter free", `!document.getElementById("current-number")`)

	// Call the unprinted ticket by typing its number: the page says to say it aloud.
	typeInto(t, page, "#call-number", "k-001")
	click(t, page, "#call-number-do")
	waitJS(t, page, "K-001 flagged as not printed", textOf("current-number")+` === "K-001" && `+textOf("current-unprinted")+`.includes("belum tercetak")`)
	screenshot(t, page, "counter-unprinted")

	// The citizen is not there; then comes back and takes back the old place.
	click(t, page, "#act-noshow")
	waitJS(t, page, "K-001 among today's no-shows", `!!document.querySelector('#noshows li[data-number="K-001"]')`)
	click(t, page, `#noshows li[data-number="K-001"] button`)
	waitJS(t, page, "K-001 waiting again, tagged as returned",
		`document.querySelector('#waiting li[data-number="K-001"]')?.innerText.includes("kembali") && !document.querySelector('#noshows li[data-number="K-001"]')`)
	if tk, _ := o.q.TicketByNumber(ctx, "K-001", ""); tk.Stage != queue.StageIssued || tk.Returns != 1 || tk.CalledAt == nil {
		t.Fatalf("K-001 after the return: %+v", tk)
	}

	// The officer signs in for the shift; the next call carries their name and NIP.
	typeInto(t, page, "#officer-name", "Siti Rahmawati")
	typeInto(t, page, "#officer-nip", "19800101 200501 2 001")
	click(t, page, `#signin button[type="submit"]`)
	waitJS(t, page, "the officer signed in", textOf("officer-chip")+` === "Petugas: Siti Rahmawati" && `+textOf("officer")+`.includes("19800101 200501 2 001")`)
	click(t, page, "#act-call")
	waitJS(t, page, "A-001 called", textOf("current-number")+` === "A-001"`)
	evs, err := o.q.Store().EventsAfter(ctx, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	var cd queue.CallData
	if last := evs[len(evs)-1]; last.Type != queue.EventCalled || last.Ticket.Officer != "Siti Rahmawati" ||
		json.Unmarshal(last.Data, &cd) != nil || cd.OfficerNIP != "198001012005012001" {
		t.Fatalf("A-001's call: %+v %s", last.Ticket, last.Data)
	}
	waitJS(t, page, "A-001's wait warning gone once called", `!document.querySelector('#breaches li[data-breach="A-001:wait"]')`)
	click(t, page, "#act-done")
	waitJS(t, page, "free again", `!document.getElementById("current-number")`)

	// A pause for the midday break: the counter calls nobody and says why.
	click(t, page, `#pause-reasons button[data-reason="ishoma"]`)
	waitJS(t, page, "paused for ishoma", textOf("status-chip")+`.startsWith("Jeda: Ishoma") && !document.getElementById("status-banner").hidden && document.getElementById("act-call").disabled`)
	if st, _ := o.q.CounterState(ctx, "1"); st.Status != queue.CounterPaused || st.PauseReason != "ishoma" {
		t.Fatalf("counter 1 in the store: %+v", st)
	}
	screenshot(t, page, "counter-paused")
	click(t, page, "#act-resume")
	waitJS(t, page, "open again", textOf("status-chip")+` === "Buka" && !document.getElementById("act-call").disabled`)

	// The end of the shift: closing signs the officer out.
	click(t, page, "#act-close")
	waitJS(t, page, "closed, nobody signed in", textOf("status-chip")+` === "Tutup" && document.getElementById("officer-chip").hidden && `+textOf("act-resume")+` === "Buka loket"`)
	if st, _ := o.q.CounterState(ctx, "1"); st.Status != queue.CounterClosed || st.Officer != nil {
		t.Fatalf("counter 1 after closing: %+v", st)
	}
	click(t, page, "#act-resume")
	waitJS(t, page, "reopened", textOf("status-chip")+` === "Buka"`)

	// A 10" tablet, upright and on its side.
	fits(t, page, "the counter page on an upright tablet", 800, 1280, "header *, #desk *", false)
	screenshot(t, page, "counter-mpp-tablet")
	fits(t, page, "the counter page on a tablet on its side", 1280, 800, "header *, #desk *", false)
}

// TestBrowserCounterScreen: the small screen above a counter, at 1024×600 and 800×480:
// free, calling (flashing), paused with its reason, closed — always all on screen, and
// nothing of another counter.
func TestBrowserCounterScreen(t *testing.T) {
	cfg := queuetest.Office(t, "pages", func(c *queue.Config) { c.Counters[0].Name = "Loket 1 Informasi dan Pengaduan" })
	o := newOfficeWith(t, cfg, nil)
	o.issue("A")
	o.issue("B")
	b := browsertest.New(t)
	sizes := []struct {
		w, h int64
		name string
	}{{1024, 600, "1024x600"}, {800, 480, "800x480"}}
	var pages []context.Context
	for _, s := range sizes {
		pages = append(pages, tab(t, b, o.url("/display/counter/1"), s.w, s.h))
	}
	check := func(state, cond string) {
		t.Helper()
		for i, s := range sizes {
			waitJS(t, pages[i], state+" at "+s.name, cond)
			if bad := eval[string](t, pages[i], overflowJS("body *", true)); bad != "" {
				t.Errorf("%s at %s: %s", state, s.name, bad)
			}
			if bad := eval[string](t, pages[i], insideJS("#cd-main")); bad != "" {
				t.Errorf("%s at %s: %s", state, s.name, bad)
			}
			screenshot(t, pages[i], "counterdisplay-"+state+"-"+s.name)
		}
	}
	check("free", textOf("cd-name")+` === "Loket 1 Informasi dan Pengaduan" && `+textOf("cd-state")+` === "Silakan menunggu panggilan" && `+textOf("cd-clock")+` !== ""`)
	o.act("1", "call", nil)
	check("called", textOf("cd-number")+` === "A-001" && document.getElementById("cd-main").classList.contains("flash")`)
	o.act("2", "call", nil) // B-001 at counter 2: not this screen's
	o.act("1", "finish", nil)
	o.call("POST", "/api/counters/1/pause", "token-1", map[string]string{"reason": "ishoma"}, nil)
	check("paused", textOf("cd-state")+` === "Sedang jeda" && `+textOf("cd-reason")+` === "Ishoma (istirahat, salat, makan)" && document.body.dataset.status === "paused"`)
	for i := range sizes {
		if eval[bool](t, pages[i], `document.body.innerText.includes("B-001")`) {
			t.Error("counter 1's screen shows counter 2's call")
		}
	}
	o.call("POST", "/api/counters/1/close", "token-1", nil, nil)
	check("closed", textOf("cd-state")+` === "Loket tutup" && document.body.dataset.status === "closed"`)
}

// TestBrowserPairedCounterDevice: the admin pairs a tablet for counter 2 from /admin;
// opened once from its link, the counter page is signed in, and stays so after a
// reload, with no token typed and no Kunci button; revoked from /admin, it locks at once
// and forgets the token.
func TestBrowserPairedCounterDevice(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	admin := tab(t, b, o.url("/admin"), 1400, 1200)
	waitJS(t, admin, "the lock", `!document.getElementById("unlock").hidden`)
	typeInto(t, admin, "#token", "rahasia-admin")
	click(t, admin, `#unlock button[type="submit"]`)
	waitJS(t, admin, "the devices section with the counters", `!!document.querySelector('#pair-counter option[value="2"]') && !!document.querySelector('#devices')`)
	setValue(t, admin, "#pair-kind", "counter")
	setValue(t, admin, "#pair-counter", "2")
	typeInto(t, admin, "#pair-name", "Tablet Loket 2")
	click(t, admin, `#pair button[type="submit"]`)
	waitJS(t, admin, "the pairing link and its QR code, once",
		textOf("pair-url")+`.startsWith(`+js(o.url("/counter/2#counter-token="))+`) && document.getElementById("pair-qr").src.startsWith("data:image/png")`)
	link := eval[string](t, admin, textOf("pair-url"))
	waitJS(t, admin, "the tablet listed as active", `document.querySelector("#devices tr[data-device]")?.innerText.includes("Tablet Loket 2")`)
	screenshot(t, admin, "admin-devices")

	o.issue("B")
	tablet := tab(t, b, link, 1280, 800)
	waitJS(t, tablet, "signed in by its link", `!document.getElementById("desk").hidden && !document.getElementById("paired-chip").hidden && document.getElementById("lock").hidden && location.hash === ""`)
	if err := chromedp.Do(tablet, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tablet, "still signed in after a reload", `!document.getElementById("desk").hidden && !!document.querySelector('#waiting li[data-number="B-001"]')`)
	click(t, tablet, "#act-call")
	waitJS(t, tablet, "B-001 called from the tablet", textOf("current-number")+` === "B-001"`)
	if tk, _ := o.q.TicketByNumber(context.Background(), "B-001", ""); tk.Counter != "2" || tk.Stage != queue.StageCalled {
		t.Fatalf("B-001 in the store: %+v", tk)
	}
	screenshot(t, tablet, "counter-paired")

	click(t, admin, `#devices tr[data-device] button`)
	waitJS(t, admin, "the tablet revoked", `document.querySelector("#devices tr[data-device]")?.innerText.includes("dicabut")`)
	waitJS(t, tablet, "the tablet locked at once, saying why",
		`!document.getElementById("unlock").hidden && document.getElementById("desk").hidden && `+textOf("unlock-msg")+`.includes("dicabut admin")`)
	if eval[bool](t, tablet, `localStorage.getItem("antri.counterToken.2") !== null`) {
		t.Error("the revoked tablet keeps its token")
	}
	screenshot(t, tablet, "counter-revoked")
}
