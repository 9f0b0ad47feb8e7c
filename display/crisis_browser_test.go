package display

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/antri-id/antri/display/browsertest"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestBrowserKioskWarnsAndStopsPastCapacity: at 14:30 with twelve waiting for A and B
// and half an hour of counter time left (surgeOffice), the kiosk — in real Chromium —
// warns before an A ticket that it will probably not be served today; "Tidak jadi"
// takes no ticket, "Tetap ambil nomor" takes it. B stops: the kiosk says so with what to
// do instead (tomorrow at opening, the other channel) and no ticket is taken. The
// waiting-room display shows the surge notice; the counter page its services' forecast.
func TestBrowserKioskWarnsAndStopsPastCapacity(t *testing.T) {
	o, _ := surgeOffice(t)
	ctx := context.Background()
	waitingOf := func(svc string) int {
		t.Helper()
		st, err := o.q.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range st.Services {
			if s.Code == svc {
				return s.Waiting
			}
		}
		return -1
	}
	a0, b0 := waitingOf("A"), waitingOf("B")
	b := browsertest.New(t)
	page := tab(t, b, o.url("/kiosk"), 1080, 1920)
	waitJS(t, page, "a button per service", `document.querySelectorAll("button[data-service]").length === 2`)

	// A: the warning, then "not now".
	click(t, page, `button[data-service="A"]`)
	waitJS(t, page, "the warning", textOf("crisis-warn")+` !== ""`)
	warn := eval[string](t, page, `document.getElementById("card").innerText`)
	for _, want := range []string{"kemungkinan tidak terlayani hari ini", "12 orang menunggu", "pukul 15.00", "besok mulai pukul 08.00"} {
		if !strings.Contains(warn, want) {
			t.Errorf("the warning does not say %q:\n%s", want, warn)
		}
	}
	if strings.Contains(warn, "null") || strings.Contains(warn, "undefined") {
		t.Errorf("the warning shows a bare value:\n%s", warn)
	}
	screenshot(t, page, "crisis-kiosk-warning")
	click(t, page, "#crisis-cancel")
	waitJS(t, page, "the card closed", `document.getElementById("overlay").hidden`)
	if n := waitingOf("A"); n != a0 {
		t.Fatalf("'Tidak jadi' took a ticket: %d waiting, was %d", n, a0)
	}
	// A again, taken anyway: the number is on screen and in the store.
	click(t, page, `button[data-service="A"]`)
	waitJS(t, page, "the warning again", textOf("crisis-warn")+` !== ""`)
	click(t, page, "#crisis-take")
	waitJS(t, page, "the number", textOf("kiosk-number")+` === "A-019"`)
	if n := waitingOf("A"); n != a0+1 {
		t.Fatalf("'Tetap ambil nomor' left %d waiting, want %d", n, a0+1)
	}
	click(t, page, ".k-ok")

	// B stops, and says what to do instead; nothing is taken.
	click(t, page, `button[data-service="B"]`)
	waitJS(t, page, "the stop", textOf("crisis-stop")+` !== ""`)
	stop := eval[string](t, page, `document.getElementById("card").innerText`)
	for _, want := range []string{"dihentikan hari ini", "besok mulai pukul 08.00", "Identitas Kependudukan Digital"} {
		if !strings.Contains(stop, want) {
			t.Errorf("the stop does not say %q:\n%s", want, stop)
		}
	}
	if eval[bool](t, page, `!!document.getElementById("crisis-take")`) {
		t.Error("a stopped service offers to take the number anyway")
	}
	screenshot(t, page, "crisis-kiosk-stop")
	click(t, page, "#crisis-close")
	if n := waitingOf("B"); n != b0 {
		t.Fatalf("a stopped service took a ticket: %d waiting, was %d", n, b0)
	}

	// The same refusal reaches the kiosk from the server when its forecast was not yet
	// seen (a phone, a stale page): the API's 409 words are shown.
	if _, err := o.q.Do(ctx, queue.Issue{Service: "B"}); err == nil {
		t.Fatal("the queue itself took a B ticket past capacity")
	}

	// The waiting room: the notice names both services.
	tv := tab(t, b, o.url("/display"), 1920, 1080)
	waitJS(t, tv, "the surge notice", textOf("crisis-notice")+` !== ""`)
	notice := eval[string](t, tv, textOf("crisis-notice"))
	for _, want := range []string{"Pemberitahuan", "pukul 15.00", "dihentikan untuk hari ini"} {
		if !strings.Contains(notice, want) {
			t.Errorf("the display's notice does not say %q: %s", want, notice)
		}
	}
	screenshot(t, tv, "crisis-display-notice")

	// A counter: its service's forecast.
	ctr := tab(t, b, o.url("/counter/1"), 1280, 800)
	waitJS(t, ctr, "the token form", `!!document.getElementById("token")`)
	typeInto(t, ctr, "#token", "token-1")
	click(t, ctr, `#unlock button[type="submit"]`)
	waitJS(t, ctr, "the forecast of A", textOf("crisis-forecast")+`.includes("berisiko")`)
	screenshot(t, ctr, "crisis-counter-forecast")
}

// TestBrowserAdminCrisisSection: the admin page's crisis section shows the forecast of
// every service, turns manual mode on and off, enters a paper log (the tickets are
// stored, manual, and the incidents list the manual numbers), and opens the printable
// book of manual numbers with its slips and log sheet.
func TestBrowserAdminCrisisSection(t *testing.T) {
	o, clk := surgeOffice(t)
	b := browsertest.New(t)
	page := unlockAdmin(t, o, b)
	waitJS(t, page, "the forecast table", `document.querySelectorAll("#crisis-forecast-rows tr[data-service]").length === 2`)
	row := eval[string](t, page, `document.querySelector('#crisis-forecast-rows tr[data-service="A"]').innerText`)
	if !strings.Contains(row, "5 (15.00)") || !strings.Contains(row, "tidak terlayani") {
		t.Errorf("A's forecast row: %q", row)
	}
	if !eval[bool](t, page, `document.querySelector('#crisis-forecast-rows tr[data-service="A"]').classList.contains("late")`) {
		t.Error("A's row with people at risk is not marked")
	}
	// Manual mode on: an open incident; off again.
	waitJS(t, page, "the manual-mode button", textOf("crisis-manual")+` === "Mulai pakai nomor manual"`)
	click(t, page, "#crisis-manual")
	waitJS(t, page, "manual mode on", textOf("crisis-manual")+` === "Selesai pakai nomor manual" && !!document.querySelector('#crisis-incident-rows tr[data-type="manual"].late')`)
	click(t, page, "#crisis-manual")
	waitJS(t, page, "manual mode off", textOf("crisis-manual")+` === "Mulai pakai nomor manual" && !document.querySelector('#crisis-incident-rows tr.late')`)

	// A log sheet of two lines, the day's times as written.
	eval[bool](t, page, `(document.getElementById("crisis-backfill-box").open = true, true)`)
	fill := func(row int, k, v string) {
		t.Helper()
		setValue(t, page, `#crisis-rows tr[data-row="`+strconv.Itoa(row)+`"] [data-k="`+k+`"]`, v)
	}
	fill(0, "number", "a-m01")
	fill(0, "issued", "07.40")
	fill(0, "called", "07.55")
	fill(0, "finished", "8.05")
	fill(0, "counter", "1")
	fill(1, "number", "B-M01")
	fill(1, "issued", "07.45")
	fill(1, "called", "08.10")
	fill(1, "outcome", "no_show")
	setValue(t, page, "#crisis-bf-note", "listrik padam pagi hari")
	scrollTo(t, page, "crisis-card")
	screenshot(t, page, "crisis-admin-backfill")
	click(t, page, "#crisis-send")
	waitJS(t, page, "the log saved", textOf("crisis-msg")+`.includes("2 tiket nomor manual")`)
	for _, n := range []string{"A-M01", "B-M01"} {
		tk, err := o.q.TicketByNumber(context.Background(), n, clk.Now().Wall.Format("2006-01-02"))
		if err != nil || !tk.Manual {
			t.Fatalf("%s after the form: %+v, %v", n, tk, err)
		}
	}
	waitJS(t, page, "the manual numbers incident", `document.querySelectorAll('#crisis-incident-rows tr[data-type="manual"]').length === 2`)
	screenshot(t, page, "crisis-admin")

	// The book of manual numbers, A only, 40 numbers: two sheets of slips, two log pages.
	setValue(t, page, "#crisis-book-count", "40")
	eval[bool](t, page, `(document.querySelectorAll("#crisis-book-services input").forEach(c => { c.checked = c.value === "A"; c.dispatchEvent(new Event("change")); }), true)`)
	href := eval[string](t, page, `document.getElementById("crisis-book-link").getAttribute("href")`)
	if href != "/admin/nomor-manual?layanan=A&jumlah=40" {
		t.Fatalf("book link %q", href)
	}
	book := tab(t, b, o.url(href), 900, 1200)
	waitJS(t, book, "the book", `document.body.dataset.ready === "40"`)
	if n := eval[int](t, book, `document.querySelectorAll(".book-slip").length`); n != 40 {
		t.Fatalf("%d slips, want 40", n)
	}
	first := eval[string](t, book, `document.querySelector(".book-slip .number").textContent`)
	last := eval[string](t, book, `[...document.querySelectorAll(".book-slip .number")].pop().textContent`)
	logs := eval[int](t, book, `document.querySelectorAll(".book-log tbody tr").length`)
	if first != "A-M01" || last != "A-M40" || logs != 40 {
		t.Fatalf("book: first %q, last %q, %d log lines", first, last, logs)
	}
	screenshot(t, book, "crisis-book")

	// Printed on A4: two sheets of 32 slips (40 numbers), then two log pages of 34 lines.
	for _, tool := range []string{"pdfinfo", "pdftotext"} {
		queuetest.NeedTool(t, tool, "poppler-utils")
	}
	out, err := chromedp.Run(book, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "buku.pdf")
	if err := os.WriteFile(file, out, 0o600); err != nil {
		t.Fatal(err)
	}
	info := runTool(t, "pdfinfo", file)
	if !regexp.MustCompile(`Pages:\s+4\n`).MatchString(info) || !regexp.MustCompile(`Page size:\s+59[45]\.\d+ x 84[12]\.\d+ pts \(A4\)`).MatchString(info) {
		t.Fatalf("the book on paper:\n%s", info)
	}
	for i, want := range []string{"A-M01", "A-M40", "Lembar Catatan Nomor Manual", "A-M40"} {
		if txt := runTool(t, "pdftotext", "-f", strconv.Itoa(i+1), "-l", strconv.Itoa(i+1), file, "-"); !strings.Contains(txt, want) {
			t.Errorf("page %d of the book without %q:\n%s", i+1, want, txt)
		}
	}
}

// TestBrowserPrintableReportListsIncidents: the printable report (/admin/laporan, and the
// file of `antrid report -o x.html`) has its "Gangguan layanan" section: each incident
// with start, end, length and note, and the manual tickets' written times apart.
func TestBrowserPrintableReportListsIncidents(t *testing.T) {
	o, clk := surgeOffice(t)
	ctx := context.Background()
	day := clk.Now().Wall
	hm := func(h, m int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, day.Location())
	}
	if _, err := o.q.Do(ctx, queue.OpenIncident{Type: queue.IncidentOutage, Start: hm(7, 0), End: hm(7, 50), Note: "Jaringan kantor putus"}); err != nil {
		t.Fatal(err)
	}
	called, finished := hm(7, 20), hm(7, 31)
	if _, err := o.q.Backfill(ctx, queue.BackfillRequest{Tickets: []queue.BackfillTicket{
		{Number: "A-M01", Issued: hm(7, 5), Called: &called, Finished: &finished, Outcome: "done", Counter: "1"}}}); err != nil {
		t.Fatal(err)
	}
	rep, err := o.q.MonthlyReport(ctx, day.Format("2006-01"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "laporan.html")
	var buf bytes.Buffer
	if err := WritePrintable(&buf, rep, LetterheadOf(o.q.Config())); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	page := tab(t, b, "file://"+file, 1000, 1400)
	waitJS(t, page, "the report", `!!document.body.dataset.ready`)
	rows := eval[[]string](t, page, `[...document.querySelectorAll('#l-gangguan table[data-table="gangguan"] tbody tr')].map(r => r.innerText)`)
	if len(rows) != 2 || !strings.Contains(rows[1], "Nomor manual") {
		t.Fatalf("incident rows %q, want the outage and the manual numbers", rows)
	}
	if !strings.Contains(rows[0], "Sistem antrean mati") || !strings.Contains(rows[0], "\t50:00\t") || !strings.Contains(rows[0], "Jaringan kantor putus") {
		t.Errorf("the outage row: %q", rows[0])
	}
	manual := eval[string](t, page, `document.querySelector('#l-gangguan table[data-table="manual"]').innerText`)
	if !strings.Contains(manual, "Tiket nomor manual\t1") || !strings.Contains(manual, "11:00") {
		t.Errorf("the manual tickets' table: %q", manual)
	}
	scrollTo(t, page, "l-gangguan")
	screenshot(t, page, "crisis-laporan")
}

// TestBrowserTrainingOfficeSaysSoAndRunsFast: in a training office (antrid -training) the
// waiting-room display and the kiosk, in real Chromium, say on screen that it is training
// and which scenario, and the display's clock runs at the scenario's speed from the
// office's simulated time — not the machine's.
func TestBrowserTrainingOfficeSaysSoAndRunsFast(t *testing.T) {
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	o := newOfficeOnClock(t, queue.NewFakeClock(time.Date(2026, 11, 2, 8, 0, 0, 0, jkt)))
	o.stop()
	o.training, o.addr = &Training{Scenario: "Lonjakan pagi di layanan KTP-el", Speed: 120}, "127.0.0.1:0"
	o.boot()
	b := browsertest.New(t)
	for _, path := range []string{"/display", "/kiosk"} {
		page := tab(t, b, o.url(path), 1920, 1080)
		waitJS(t, page, "the training banner on "+path, textOf("crisis-training")+` !== ""`)
		banner := eval[string](t, page, `document.getElementById("crisis-training").innerText`)
		for _, want := range []string{"MODE PELATIHAN", "Lonjakan pagi di layanan KTP-el", "120×"} {
			if !strings.Contains(banner, want) {
				t.Errorf("%s: the banner %q does not say %q", path, banner, want)
			}
		}
		if path != "/display" {
			screenshot(t, page, "crisis-training-kiosk")
			continue
		}
		// The office's clock says 08:00 (held: a fake clock); the page runs it at 120× from
		// there, so a real second is two minutes on the screen.
		simulated := func() float64 {
			return eval[float64](t, page, `(Antri.now() - Date.parse("2026-11-02T08:00:00+07:00")) / 1000`)
		}
		first := simulated()
		time.Sleep(time.Second)
		second := simulated()
		if first < 0 || second > 3600 || second-first < 100 || second-first > 600 {
			t.Errorf("the page's clock: %.0f s after 08:00, then %.0f s one real second later; want it from 08:00 at about 120×", first, second)
		}
		screenshot(t, page, "crisis-training-display")
	}
}

// TestBrowserTicketPageSaysWhenANumberIsAtRisk: a phone following a number the forecast
// says will not be called before closing (the 12th of 12 waiting, half an hour left) reads
// so on /t/ in Chromium, with the closing time; the first in line does not.
func TestBrowserTicketPageSaysWhenANumberIsAtRisk(t *testing.T) {
	o, clk := surgeOffice(t)
	day := clk.Now().Wall.Format("2006-01-02")
	b := browsertest.New(t)
	last := tab(t, b, o.url("/t/A-018?d="+day), 390, 844)
	waitJS(t, last, "the at-risk line", textOf("ticket-risk")+` !== ""`)
	risk := eval[string](t, last, `document.getElementById("ticket-risk").innerText`)
	if !strings.Contains(risk, "kemungkinan tidak terlayani") || !strings.Contains(risk, "15.00") {
		t.Errorf("the at-risk line: %q", risk)
	}
	screenshot(t, last, "crisis-ticket-at-risk")
	first := tab(t, b, o.url("/t/A-007?d="+day), 390, 844)
	waitJS(t, first, "the first in line's page", textOf("ticket-ahead")+` !== ""`)
	if eval[bool](t, first, `document.getElementById("ticket-risk") !== null`) {
		t.Error("the first in line is told it will not be served")
	}
}
