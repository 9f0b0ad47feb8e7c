package display

import (
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/display/browsertest"
	"github.com/antri-id/antri/queue"
)

// The admin page's pictures and report, as an office head opens them: on a
// laptop, the on-time tile says it counts only the tickets served to the
// end while others are past their standard right now; today's arrivals, the
// queue now and the breaches now are drawn; a revision shows before and
// after; the print link opens the A4 report, signed in already. On a phone
// the pictures fit the screen.
func TestBrowserAdminPicturesAndReport(t *testing.T) {
	o := newOffice(t) // A: wait standard 1 s, so a ticket left waiting is soon past it
	b := browsertest.New(t)
	o.issue("A")
	o.act("1", "call", nil)
	o.act("1", "finish", map[string]string{"outcome": "done"})
	var rev queue.Revision
	if code := o.call("POST", "/api/services/A/standards", "rahasia-admin",
		map[string]string{"wait_standard": "1s", "service_standard": "9m", "reason": "Uji sebelum dan sesudah"}, &rev); code != 201 {
		t.Fatalf("revision: HTTP %d", code)
	}
	o.issue("A")
	o.act("1", "call", nil)
	o.act("1", "finish", map[string]string{"outcome": "incomplete"})
	o.issue("A") // these two wait past A's 1-second standard
	o.issue("A")
	o.issue("B")
	time.Sleep(1500 * time.Millisecond)

	page := unlockAdmin(t, o, b)
	waitJS(t, page, "the on-time tile and its two notes",
		`document.querySelector('.tile[data-key="on_time_pct"] b')?.textContent === "100 %" && `+
			textOf("ontime-of")+`.includes("dari 2 tiket yang selesai") && `+textOf("ontime-now")+`.includes("2 tiket melewati standar sekarang")`)
	waitJS(t, page, "today's arrivals by hour drawn", `document.querySelectorAll('#chart-hours svg rect').length >= 2`)
	waitJS(t, page, "the queue now drawn, by service", `[...document.querySelectorAll('#chart-waiting svg text')].some(e => e.textContent === "Perizinan Berusaha")`)
	waitJS(t, page, "the breaches now drawn", `[...document.querySelectorAll('#chart-breaches svg rect title')].some(e => e.textContent.includes("Perizinan Berusaha · menunggu: 2"))`)
	waitJS(t, page, "the month's trend and where the time goes", `!!document.querySelector('#chart-trend svg path') && document.querySelectorAll('#chart-where svg rect').length >= 2`)
	waitJS(t, page, "the revision before and after", `document.querySelector('#report-revisions tr[data-revision="1"]')?.innerText.includes("Uji sebelum dan sesudah")`)
	if got := eval[string](t, page, `document.querySelector('#report-revisions tr[data-revision="1"]').innerText`); !strings.Contains(got, "100 % → 0 %") {
		t.Errorf("revision row %q: first-visit completion went from 100 %% (done) to 0 %% (incomplete)", got)
	}
	scrollTo(t, page, "pictures-card")
	screenshot(t, page, "admin-pictures")
	scrollTo(t, page, "report-card")
	screenshot(t, page, "admin-report-pictures")

	// The quarter, then the printable report of it.
	quarter := queue.PeriodOf(queue.PeriodQuarter, time.Now().In(o.q.Config().Location)).Key
	setValue(t, page, "#report-kind", "quarter")
	setValue(t, page, "#report-period", quarter)
	click(t, page, `#report-form button[type="submit"]`)
	waitJS(t, page, "the quarter's print link", `document.getElementById("report-print").getAttribute("href") === "/admin/laporan?quarter=`+quarter+`"`)
	click(t, page, "#report-print")
	waitNavigated(t, page, "/admin/laporan")
	waitJS(t, page, "the printable quarter, signed in already", `document.body.dataset.ready === "quarter:`+quarter+`"`)
	text := eval[string](t, page, `document.getElementById("laporan").innerText`)
	for _, s := range []string{"MPP KOTA UJI", "LAPORAN TRIWULANAN PELAYANAN", "Triwulan", "Tabel 1.", "Mengetahui,", "Uji sebelum dan sesudah"} {
		if !strings.Contains(text, s) {
			t.Errorf("the printable report lacks %q", s)
		}
	}
	if n := eval[int](t, page, `document.querySelectorAll('#laporan svg.chart').length`); n < 3 {
		t.Errorf("%d charts on the printable report, want the daily trend, the hours and the services", n)
	}
	screenshot(t, page, "laporan-triwulan")

	// A phone: the pictures are drawn to its width.
	phone := tab(t, b, o.url("/admin"), 390, 844)
	waitJS(t, phone, "the lock", `!document.getElementById("unlock").hidden`)
	typeInto(t, phone, "#token", "rahasia-admin")
	click(t, phone, `#unlock button[type="submit"]`)
	waitJS(t, phone, "today's pictures on the phone", `document.querySelectorAll('#chart-hours svg rect').length >= 2 && !!document.querySelector('#chart-where svg') && `+
		`[...document.querySelectorAll('#chart-breaches svg rect title')].some(e => e.textContent.includes("menunggu: 2"))`)
	for _, id := range []string{"chart-hours", "chart-waiting", "chart-breaches", "chart-trend", "chart-where"} {
		w := eval[float64](t, phone, `document.querySelector('#`+id+` svg').getBoundingClientRect().width`)
		box := eval[float64](t, phone, `document.getElementById('`+id+`').clientWidth`)
		if w > box+1 || w > 390 || w < 250 {
			t.Errorf("%s is %.0f px wide in a %.0f px box on a 390 px phone", id, w, box)
		}
	}
	// Text drawn at the box's own width keeps its size: no 6-pixel labels.
	if px := eval[float64](t, phone, `Math.min(...[...document.querySelectorAll('#pictures-card svg text')].map(e => e.getBoundingClientRect().height))`); px < 9 {
		t.Errorf("chart labels %.1f px tall on a phone, want readable", px)
	}
	if over := eval[bool](t, phone, `document.getElementById("pictures-card").scrollWidth > document.getElementById("pictures-card").clientWidth + 1`); over {
		t.Error("the pictures spill out of their card on a phone")
	}
	scrollTo(t, phone, "pictures-card")
	screenshot(t, phone, "admin-pictures-phone")
}
