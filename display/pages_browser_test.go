package display

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/antri-id/antri/display/browsertest"
	"github.com/antri-id/antri/display/voice"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// The browser tests drive Debian's chromium with chromedp against a real server and
// store. Each writes screenshots to display/testdata/screenshots/ (gitignored) for a
// person to look at.

// pageWait bounds how long a page may take to show what a test waits for. It is a
// failure deadline, not a measurement: pages update within a second or so, but
// CI runs the browser beside other packages' tests on two cores.
const pageWait = 45 * time.Second

// tab opens a page in a new tab with the given viewport, after the before steps (a time
// zone to emulate, say).
func tab(t *testing.T, browser context.Context, url string, w, h int64, before ...chromedp.Action[chromedp.Void]) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	steps := append(append([]chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(w, h)}, before...), chromedp.Navigate(url))
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	return ctx
}

// waitJS waits until the JavaScript expression is true on the page; on failure it
// saves a screenshot and reports the page's text.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, pageWait)
	defer cancel()
	_, err := chromedp.Run(tctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(pageWait)))
	if err != nil {
		name := "FAILED-" + strings.ReplaceAll(t.Name(), "/", "-")
		screenshot(t, ctx, name)
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("page never showed %s (%s): %v\npage text:\n%s", what, expr, err, text)
	}
}

// eval returns the value of a JavaScript expression on the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, pageWait)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("clicking %s: %v", sel, err)
	}
}

func typeInto(t *testing.T, ctx context.Context, sel, text string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, pageWait)
	defer cancel()
	setValue(t, ctx, sel, "")
	if err := chromedp.Do(tctx, chromedp.SendKeys(chromedp.CSS(sel), text)); err != nil {
		t.Fatalf("typing into %s: %v", sel, err)
	}
}

// setValue sets a form field's value as a choice from a list would.
func setValue(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	expr := `(e => { e.value = ` + js(value) + `; e.dispatchEvent(new Event("input")); e.dispatchEvent(new Event("change")); return true; })(document.querySelector(` + js(sel) + `))`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err != nil {
		t.Fatalf("setting %s: %v", sel, err)
	}
}

// screenshot writes the visible page to testdata/screenshots/NAME.png.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	dir := filepath.Join("testdata", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(path)
	t.Logf("screenshot: %s", abs)
}

// js quotes a Go string as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func textOf(id string) string {
	return fmt.Sprintf(`((document.getElementById(%s)||{}).textContent||"")`, js(id))
}

func TestBrowserDisplayShowsCallsAndAnnouncesThem(t *testing.T) {
	o := newOfficeOf(t, queuetest.Office(t, "pages"), &voice.FakeSynth{})
	b := browsertest.New(t)
	for range 4 {
		o.issue("A")
	}
	o.issue("B")
	o.act("1", "call", nil) // A-001 to Loket 1, before the page opens
	o.call("POST", "/api/admin/running-text", "rahasia-admin", map[string]string{"text": "Selamat datang. Loket 2 istirahat pukul 12.00–13.00."}, nil)

	page := tab(t, b, o.url("/display"), 1920, 1080)
	waitJS(t, page, "the office name and the call made before it opened",
		textOf("office")+` === "MPP Kota Uji" && `+textOf("now-number")+` === "A-001"`)
	waitJS(t, page, "the running text", textOf("running-text")+`.includes("Loket 2 istirahat")`)

	// Calls made through the API while the page is open.
	o.act("1", "finish", nil)
	o.act("1", "call", nil)
	o.act("2", "call", nil)                                                 // B-001
	waitJS(t, page, "B-001 called to Loket 2 as the newest call, flashing", // within pageWait
		textOf("now-number")+` === "B-001" && `+textOf("now-counter")+` === "Loket 2" && document.getElementById("now").classList.contains("flash")`)
	waitJS(t, page, "the previous calls", `document.getElementById("recent").innerText.includes("A-002")`)
	waitJS(t, page, "waiting counts per service", `document.getElementById("svc-cards").innerText.includes("Perizinan Berusaha") && document.querySelector('[data-service="A"] .tv-service-count')?.textContent === "2"`)
	screenshot(t, page, "display")

	// Announcements: one per call, in order, never overlapping, each from the clip
	// list of package voice.
	waitJS(t, page, "two announcements played", `window.antriVoice.length >= 2 && window.antriVoice[1].played === window.antriVoice[1].clips.length`)
	phrases := eval[[]string](t, page, `window.antriVoice.map(v => v.phrase)`)
	want := []string{"Nomor antrean, A, dua, perizinan berusaha, silakan menuju loket satu", "Nomor antrean, B, satu, administrasi kependudukan, silakan menuju loket dua"}
	if strings.Join(phrases, "|") != strings.Join(want, "|") {
		t.Errorf("announced %q, want %q", phrases, want)
	}
	if clips := eval[[]string](t, page, `window.antriVoice[0].clips`); strings.Join(clips, " ") !=
		"/voice/chime.ogg /voice/nomor-antrean.ogg /voice/a.ogg /voice/dua.ogg /voice/perizinan.wav /voice/berusaha.wav /voice/silakan-menuju-loket.ogg /voice/satu.ogg" {
		t.Errorf("first announcement clips = %v", clips)
	}
	if played := eval[int](t, page, `window.antriVoice[0].played`); played != 8 {
		t.Errorf("first announcement played %d of its 8 clips to the end", played)
	}
}

func TestBrowserKioskIssuesTicketsAndSaysWhyNot(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	page := tab(t, b, o.url("/kiosk"), 1920, 1080)
	waitJS(t, page, "a button per service", `document.querySelectorAll("button[data-service]").length === 2`)
	screenshot(t, page, "kiosk")

	click(t, page, `button[data-service="A"]`)
	waitJS(t, page, "the new number on screen", textOf("kiosk-number")+` === "A-001"`)
	tk, err := o.q.TicketByNumber(context.Background(), "A-001", "")
	if err != nil || tk.Stage != queue.StageIssued || tk.Priority {
		t.Fatalf("after the press, A-001 in the store = %+v, %v", tk, err)
	}
	screenshot(t, page, "kiosk-ticket")
	click(t, page, ".k-ok")

	// The printer is out of paper: the number stays on screen with a warning.
	o.srv.SetCheck("printer", func(context.Context) Health { return Health{Error: "kertas habis"} })
	click(t, page, `button[data-priority="B"]`)
	waitJS(t, page, "the printer warning with the number", textOf("kiosk-number")+` === "B-001" && !!document.getElementById("kiosk-printer")`)
	if tk, _ := o.q.TicketByNumber(context.Background(), "B-001", ""); tk == nil || !tk.Priority {
		t.Errorf("the priority button issued %+v, want a priority ticket", tk)
	}
	screenshot(t, page, "kiosk-printer")
	click(t, page, ".k-ok")

	// B's quota is 2: the third press is refused with the API's words.
	o.issue("B")
	click(t, page, `button[data-service="B"]`)
	waitJS(t, page, "the quota refusal", textOf("kiosk-error")+`.toLowerCase().includes("kuota harian")`)
	screenshot(t, page, "kiosk-refused")
}

func TestBrowserDisplayReconnectsAfterRestart(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	page := tab(t, b, o.url("/display"), 1920, 1080)
	waitJS(t, page, "online with the state", `document.getElementById("offline").hidden && `+textOf("office")+` === "MPP Kota Uji"`)

	o.stop()
	waitJS(t, page, "the offline mark", `!document.getElementById("offline").hidden`)
	screenshot(t, page, "display-offline")

	// While the page is cut off, the queue moves on (a button at the counter, say).
	ctx := context.Background()
	if _, err := o.q.Do(ctx, queue.Issue{Service: "A"}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.q.Do(ctx, queue.Call{Counter: "1"}); err != nil {
		t.Fatal(err)
	}
	o.boot() // the same address, a new hub: like antrid restarting
	waitJS(t, page, "back online, resynchronised with the call made while away",
		`document.getElementById("offline").hidden && `+textOf("now-number")+` === "A-001" && `+textOf("now-counter")+` === "Loket 1"`)

	// And live again: a call after the restart arrives as an event.
	o.issue("A")
	o.act("1", "finish", nil)
	o.act("1", "call", nil)
	waitJS(t, page, "a call made after the reconnection", textOf("now-number")+` === "A-002"`)
	screenshot(t, page, "display-reconnected")
}

func TestBrowserCounterServesTickets(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	o.issue("A")
	o.issue("A")
	o.issue("B") // B-001, to be referred from counter 2 to service A
	o.act("2", "call", nil)
	o.act("2", "transfer", map[string]string{"service": "A", "note": "Perlu NIB sebelum KTP", "unit": "DPMPTSP"})

	page := tab(t, b, o.url("/counter/1"), 1600, 1000)
	waitJS(t, page, "the lock", `!document.getElementById("unlock").hidden`)
	typeInto(t, page, "#token", "token-2")
	click(t, page, `#unlock button[type="submit"]`)
	waitJS(t, page, "the wrong token refused", `!document.getElementById("unlock-msg").hidden && document.getElementById("desk").hidden`)
	typeInto(t, page, "#token", "token-1")
	click(t, page, `#unlock button[type="submit"]`)
	waitJS(t, page, "the desk with three waiting", `!document.getElementById("desk").hidden && document.querySelectorAll("#waiting li[data-number]").length === 3`)
	waitJS(t, page, "the referral note on the transferred ticket",
		`document.querySelector('#waiting li[data-number="B-001"]')?.innerText.includes("Perlu NIB sebelum KTP")`)
	waitJS(t, page, "tickets past the 1 s wait standard marked", `!!document.querySelector('#waiting li.late[data-number="A-001"]')`)

	click(t, page, "#act-call")
	waitJS(t, page, "A-001 called at this counter", textOf("current-number")+` === "A-001"`)
	if tk, _ := o.q.TicketByNumber(context.Background(), "A-001", ""); tk == nil || tk.Stage != queue.StageCalled || tk.Counter != "1" {
		t.Fatalf("after Call, A-001 in the store = %+v", tk)
	}
	click(t, page, "#act-start")
	waitJS(t, page, "the service timer against the standard", `document.querySelector(".c-current")?.innerText.includes("10 mnt")`)

	// A live notice for this counter (a breach warning) shows at once.
	// A wait breach of service B concerns counter 2 only; a service breach at this
	// counter shows here.
	o.q.Publish(queue.Event{Type: queue.EventBreach, Service: "B", Data: json.RawMessage(`{"kind":"wait","number":"B-009","service":"B","standard_s":1800,"elapsed_s":1900}`)})
	o.q.Publish(queue.Event{Type: queue.EventBreach, Service: "A", Counter: "1",
		Data: json.RawMessage(`{"kind":"service","number":"A-001","service":"A","counter":"1","standard_s":600,"elapsed_s":660}`)})
	waitJS(t, page, "the breach notice", `document.getElementById("notices").innerText.includes("A-001 dilayani melewati standar (11 mnt, standar 10 mnt)")`)
	if eval[bool](t, page, `document.getElementById("notices").innerText.includes("B-009")`) {
		t.Error("counter 1 shows a wait breach of service B, which it does not serve")
	}
	screenshot(t, page, "counter")

	click(t, page, "#act-done")
	waitJS(t, page, "an idle counter", `!document.getElementById("current-number") && !document.getElementById("act-call").disabled`)
	click(t, page, "#act-call")
	waitJS(t, page, "A-002 called", textOf("current-number")+` === "A-002"`)
	click(t, page, "#act-noshow")
	waitJS(t, page, "idle again", `!document.getElementById("current-number")`)
	click(t, page, "#act-call")
	waitJS(t, page, "the referred ticket with its note", textOf("current-number")+` === "B-001" && document.querySelector(".c-referral")?.innerText.includes("DPMPTSP")`)
	screenshot(t, page, "counter-referral")

	// Transfer from the page, with a note and a unit.
	click(t, page, "#act-transfer")
	setValue(t, page, "#tr-service", "B")
	typeInto(t, page, "#tr-note", "Kembali ke Dukcapil")
	typeInto(t, page, "#tr-unit", "Disdukcapil")
	click(t, page, `#transfer button[type="submit"]`)
	waitJS(t, page, "the transfer confirmed", textOf("msg")+` === "B-001 dialihkan"`)
	tk, _ := o.q.TicketByNumber(context.Background(), "B-001", "")
	if tk == nil || tk.Service != "B" || tk.Referral != "Kembali ke Dukcapil" || tk.ReferralUnit != "Disdukcapil" {
		t.Errorf("after the transfer, B-001 = %+v", tk)
	}
}

func TestBrowserLayananShowsTheStandards(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	page := tab(t, b, o.url("/layanan"), 1280, 1000)
	waitJS(t, page, "service A's requirements", textOf("layanan-A")+`.includes("KTP-el pemohon")`)
	for _, want := range []string{"Persyaratan", "Sistem, mekanisme dan prosedur", "Jangka waktu pelayanan", "Biaya / tarif",
		"Produk pelayanan", "Penanganan pengaduan, saran dan masukan", "Verifikasi berkas", "1 hari kerja", "Nomor Induk Berusaha", "WA 0812-0000-0001"} {
		if !eval[bool](t, page, textOf("layanan-A")+`.includes(`+js(want)+`)`) {
			t.Errorf("/layanan does not show %q for service A", want)
		}
	}
	screenshot(t, page, "layanan")
	click(t, page, ".lang-toggle")
	waitJS(t, page, "English headings", textOf("layanan-A")+`.includes("Requirements")`)
	screenshot(t, page, "layanan-en")
}

func TestBrowserTicketPageFollowsTheTicket(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	o.issue("A")
	num := o.issue("A") // A-002, one ahead
	page := tab(t, b, o.url("/t/"+num), 412, 900)
	waitJS(t, page, "waiting with one ahead", `document.getElementById("ticket").innerText.includes("1 orang menunggu di depan Anda")`)
	screenshot(t, page, "ticket-waiting")
	o.act("1", "call", nil)
	waitJS(t, page, "next once A-001 is called", `document.getElementById("ticket").innerText.includes("Anda berikutnya") && !document.getElementById("ticket").innerText.includes("0 orang")`)
	o.act("1", "finish", nil)
	o.act("1", "call", nil)
	waitJS(t, page, "the counter once called", textOf("ticket-counter")+`.includes("Loket 1") && `+textOf("ticket-stage")+` === "Dipanggil"`)
	screenshot(t, page, "ticket-called")

	unknown := tab(t, b, o.url("/t/Z-999"), 412, 900)
	waitJS(t, unknown, "the API's message for an unknown number", `document.getElementById("ticket").innerText.includes("tidak ditemukan")`)
}

func TestBrowserAdminPage(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	o.issue("A")
	o.issue("B")
	page := tab(t, b, o.url("/admin"), 1400, 1200)
	waitJS(t, page, "the lock", `!document.getElementById("unlock").hidden`)
	typeInto(t, page, "#token", "rahasia-admin")
	click(t, page, `#unlock button[type="submit"]`)
	waitJS(t, page, "health of every part", `["database","printer","buttons","hq"].every(p => !!document.querySelector('#health tr[data-part="'+p+'"]'))`)
	waitJS(t, page, "today's numbers", `document.querySelector('#today tr[data-service="A"]')?.innerText.includes("1")`)
	waitJS(t, page, "a clear message while reprint is not there", `!!document.getElementById("reprint-missing")`)

	typeInto(t, page, "#running-text", "Pelayanan KTP-el hari ini sampai pukul 14.00")
	click(t, page, `#running button[type="submit"]`)
	waitJS(t, page, "the save confirmed", `!document.getElementById("running-msg").hidden && document.getElementById("running-msg").classList.contains("ok")`)
	if text, _ := o.q.RunningText(context.Background()); text != "Pelayanan KTP-el hari ini sampai pukul 14.00" {
		t.Errorf("running text stored = %q", text)
	}
	screenshot(t, page, "admin")
}
