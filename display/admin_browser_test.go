package display

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/antri-id/antri/display/browsertest"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/httpjson"
	"github.com/antri-id/antri/queue/queuetest"
	"github.com/antri-id/antri/sync/upload"
	"github.com/antri-id/antri/sync/wire"
)

// Browser tests of the admin's standards, breaches, complaints, report and
// sync sections, and of the kiosk's complaint form and survey link. They use
// the helpers of pages_browser_test.go and write screenshots beside theirs.

// unlockAdmin opens /admin and unlocks it with the admin token.
func unlockAdmin(t *testing.T, o *office, b context.Context) context.Context {
	t.Helper()
	page := tab(t, b, o.url("/admin"), 1400, 1200)
	waitJS(t, page, "the lock", `!document.getElementById("unlock").hidden`)
	typeInto(t, page, "#token", "rahasia-admin")
	click(t, page, `#unlock button[type="submit"]`)
	waitJS(t, page, "the unlocked desk, live on the admin's socket", `!document.getElementById("desk").hidden && document.documentElement.dataset.live === "admin"`)
	return page
}

// waitNavigated waits until the tab shows path: a link was followed. The
// evaluation fails while the old page goes away, so failures are retried.
func waitNavigated(t *testing.T, page context.Context, path string) {
	t.Helper()
	queuetest.Eventually(t, "the tab to reach "+path, func() bool {
		ready, err := chromedp.Run(page, chromedp.Evaluate[bool](`location.pathname === `+js(path)+` && document.readyState === "complete"`))
		return err == nil && ready
	})
}

// scrollTo brings a section into view before a screenshot of it.
func scrollTo(t *testing.T, page context.Context, id string) {
	t.Helper()
	eval[bool](t, page, `(document.getElementById(`+js(id)+`).scrollIntoView({block: "start"}), true)`)
}

func TestBrowserAdminRevisesAStandard(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	page := unlockAdmin(t, o, b)
	waitJS(t, page, "service A's config revision listed", `!!document.querySelector('#revisions tr[data-revision="0"]') && document.getElementById("std-service").value === "A"`)
	waitJS(t, page, "the components of the standard in force in the form", `document.getElementById("std-requirements").value === "KTP-el pemohon\nNPWP"`)

	typeInto(t, page, "#std-wait", "20") // minutes, as an office says them
	typeInto(t, page, "#std-svc", "12")
	typeInto(t, page, "#std-reason", "Tambah petugas verifikasi")
	click(t, page, "#std-components summary")
	typeInto(t, page, "#std-fee", "Rp 0 (gratis)")
	click(t, page, `#revise button[type="submit"]`)
	waitJS(t, page, "the saved revision listed and in force",
		`document.querySelector('#revisions tr[data-revision="1"]')?.innerText.includes("Tambah petugas verifikasi") && document.querySelector('#revisions tr[data-revision="1"]').classList.contains("current")`)
	if !eval[bool](t, page, `document.getElementById("std-msg").classList.contains("ok")`) {
		t.Errorf("the page did not confirm the revision: %s", eval[string](t, page, textOf("std-msg")))
	}
	var svcs []queue.ServiceInfo
	o.call("GET", "/api/services", "", nil, &svcs)
	if len(svcs) == 0 || svcs[0].Code != "A" || svcs[0].WaitStandardS != 1200 || svcs[0].ServiceStandardS != 720 ||
		svcs[0].RevisionID != 1 || svcs[0].Fee != "Rp 0 (gratis)" || strings.Join(svcs[0].Requirements, "|") != "KTP-el pemohon|NPWP" {
		t.Errorf("/api/services after the revision: %+v", svcs)
	}
	scrollTo(t, page, "standards-card")
	screenshot(t, page, "admin-standards")

	// A refused revision: the API's own words on the page, nothing stored.
	typeInto(t, page, "#std-wait", "lima belas")
	typeInto(t, page, "#std-reason", "salah ketik")
	click(t, page, `#revise button[type="submit"]`)
	waitJS(t, page, "the refusal", `document.getElementById("std-msg").classList.contains("err") && `+textOf("std-msg")+`.includes("menit dengan angka")`)
	if revs, _ := o.q.Revisions(context.Background(), "A"); len(revs) != 2 {
		t.Errorf("%d revisions of A after a refused one, want 2", len(revs))
	}
}

func TestBrowserKioskComplaintIsClosedInAdmin(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	kiosk := tab(t, b, o.url("/kiosk"), 1920, 1080)
	waitJS(t, kiosk, "the kiosk with its complaint and survey entries", `document.querySelectorAll("button[data-service]").length === 2 && !!document.getElementById("complain") && !!document.getElementById("survey")`)
	screenshot(t, kiosk, "kiosk-entries")
	click(t, kiosk, "#complain")
	waitJS(t, kiosk, "the complaint form", `!!document.getElementById("complaint-form")`)
	click(t, kiosk, "#complaint-send")
	waitJS(t, kiosk, "a topic asked for first", textOf("complaint-error")+`.includes("Pilih dulu")`)
	click(t, kiosk, `button[data-topic="Pelayanan petugas"]`)
	typeInto(t, kiosk, "#complaint-text", "Petugas loket 1 meninggalkan loket 30 menit.")
	typeInto(t, kiosk, "#complaint-ticket", "a-003")
	screenshot(t, kiosk, "kiosk-complaint-form")
	click(t, kiosk, "#complaint-send")
	waitJS(t, kiosk, "the complaint number, large", `/^[0-9]+$/.test(`+textOf("complaint-number")+`)`)
	screenshot(t, kiosk, "kiosk-complaint-number")
	var id int64
	fmt.Sscan(eval[string](t, kiosk, textOf("complaint-number")), &id)
	ctx := context.Background()
	c, err := o.q.Complaint(ctx, id)
	if err != nil || c.Channel != "kiosk" || c.Topic != "Pelayanan petugas" || c.Ticket != "A-003" || c.Status != queue.ComplaintReceived ||
		!strings.Contains(c.Text, "30 menit") {
		t.Fatalf("complaint %d in the store: %+v, %v", id, c, err)
	}

	page := unlockAdmin(t, o, b)
	sel := fmt.Sprintf(`[data-complaint="%d"]`, id)
	waitJS(t, page, "the kiosk's complaint among the open ones, with its due time",
		`document.querySelector('`+sel+`')?.innerText.includes("Petugas loket 1") && document.querySelector('`+sel+`').innerText.includes("sisa")`)
	// Receipt printing needs antrid's printer route (cmd/antrid); without it the page says so.
	click(t, page, sel+` [data-act="print"]`)
	waitJS(t, page, "no printer route here, said plainly", textOf("complaint-msg")+`.includes("/api/admin/complaints/`+fmt.Sprint(id)+`/print")`)

	click(t, page, sel+` [data-act="follow"]`)
	setValue(t, page, sel+` select[name="status"]`, "followed_up")
	typeInto(t, page, sel+` textarea[name="note"]`, "Diteruskan ke kepala seksi")
	click(t, page, sel+` .complaint-form button[type="submit"]`)
	waitJS(t, page, "the follow-up step", `document.querySelector('`+sel+`')?.innerText.includes("Diteruskan ke kepala seksi")`)

	click(t, page, sel+` [data-act="follow"]`)
	setValue(t, page, sel+` select[name="status"]`, "closed")
	typeInto(t, page, sel+` textarea[name="note"]`, "Petugas ditegur")
	typeInto(t, page, sel+` textarea[name="resolution"]`, "Petugas cadangan disiapkan untuk jam istirahat")
	scrollTo(t, page, "complaints-card")
	screenshot(t, page, "admin-complaint-closing")
	click(t, page, sel+` .complaint-form button[type="submit"]`)
	waitJS(t, page, "closed: gone from the open list", `!document.querySelector('`+sel+`') && document.getElementById("complaint-msg").classList.contains("ok")`)
	c, err = o.q.Complaint(ctx, id)
	if err != nil || c.Status != queue.ComplaintClosed || c.Resolution != "Petugas cadangan disiapkan untuk jam istirahat" || c.ClosedAt == nil || len(c.Steps) != 3 {
		t.Fatalf("after closing on /admin, complaint %d = %+v, %v", id, c, err)
	}
	setValue(t, page, "#complaint-filter", "closed")
	waitJS(t, page, "the closed complaint with its resolution", `document.querySelector('`+sel+`')?.innerText.includes("Petugas cadangan")`)
	screenshot(t, page, "admin-complaint-closed")
}

func TestBrowserAdminShowsLiveBreaches(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	page := unlockAdmin(t, o, b)
	waitJS(t, page, "no breach yet", `!!document.getElementById("breaches-none")`)
	o.q.Publish(queue.Event{Type: queue.EventBreach, Service: "A", Counter: "1",
		Data: json.RawMessage(`{"kind":"service","ticket_id":7,"segment":0,"number":"A-007","service":"A","counter":"1","standard_s":600,"elapsed_s":660,"since":"2026-03-02T01:40:00Z"}`)})
	o.q.Publish(queue.Event{Type: queue.EventBreach, Service: "B",
		Data: json.RawMessage(`{"kind":"wait","ticket_id":9,"segment":0,"number":"B-002","service":"B","standard_s":1800,"elapsed_s":1800,"since":"2026-03-02T01:50:00Z"}`)})
	waitJS(t, page, "both breaches", `!!document.querySelector('#breaches [data-breach="A-007:service"]') && !!document.querySelector('#breaches [data-breach="B-002:wait"]')`)
	if !eval[bool](t, page, `document.querySelector('#breaches [data-breach="A-007:service"]').innerText.includes("Loket 1")`) {
		t.Error("the service breach does not name its counter")
	}
	scrollTo(t, page, "breaches-card")
	screenshot(t, page, "admin-breaches")
	o.q.Publish(queue.Event{Type: queue.EventBreachCleared, Service: "A", Counter: "1",
		Data: json.RawMessage(`{"kind":"service","ticket_id":7,"segment":0,"number":"A-007","service":"A","counter":"1","standard_s":600}`)})
	waitJS(t, page, "the cleared breach gone, the other still there", `!document.querySelector('#breaches [data-breach="A-007:service"]') && !!document.querySelector('#breaches [data-breach="B-002:wait"]')`)
}

func TestBrowserAdminReportAndSync(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	o.issue("A")
	o.issue("A")
	o.issue("B")
	o.act("1", "call", nil)
	o.act("1", "finish", map[string]string{"outcome": "done"})
	var rep queue.Report
	if code := o.call("GET", "/api/reports/monthly", "rahasia-admin", nil, &rep); code != http.StatusOK || rep.Overall.Issued != 3 {
		t.Fatalf("report: HTTP %d, %+v", code, rep.Overall)
	}
	page := unlockAdmin(t, o, b)
	waitJS(t, page, "this month's numbers", `document.querySelector('.tile[data-key="issued"] b')?.textContent === "3" && document.querySelector('.tile[data-key="done"] b')?.textContent === "1"`)
	if got := eval[string](t, page, `document.querySelector('#report-services tr[data-service="A"]').innerText`); !strings.Contains(got, "2\t1") {
		t.Errorf("service A's row %q lacks issued 2, done 1", got)
	}
	if got := eval[string](t, page, `document.querySelector('.tile[data-key="first_visit_pct"] b').textContent`); got != "100 %" {
		t.Errorf("first-visit completion tile %q, want 100 %%", got)
	}
	waitJS(t, page, "sync not configured, said so", textOf("sync-none")+` === "Sinkronisasi pusat tidak dipasang"`)

	click(t, page, "#report-xlsx")
	waitJS(t, page, "the spreadsheet fetched", `(window.antriDownloads || []).length === 1`)
	click(t, page, "#report-csv")
	waitJS(t, page, "the CSV fetched", `(window.antriDownloads || []).length === 2`)
	var dl []struct {
		Name string `json:"name"`
		Size int    `json:"size"`
	}
	raw := eval[string](t, page, `JSON.stringify(window.antriDownloads)`)
	if err := json.Unmarshal([]byte(raw), &dl); err != nil || len(dl) != 2 ||
		!strings.HasSuffix(dl[0].Name, ".xlsx") || dl[0].Size < 1000 || !strings.HasSuffix(dl[1].Name, ".csv") || dl[1].Size < 100 {
		t.Errorf("downloads %s", raw)
	}
	if eval[bool](t, page, `performance.getEntriesByType("resource").some(e => e.name.includes("token") || e.name.includes("rahasia"))`) {
		t.Error("the admin token went into an address")
	}
	scrollTo(t, page, "report-card")
	screenshot(t, page, "admin-report")

	// A past month with nothing in it.
	setValue(t, page, "#report-month", "2020-01")
	click(t, page, `#report-form button[type="submit"]`)
	waitJS(t, page, "an empty month", `document.querySelector('.tile[data-key="issued"] b')?.textContent === "0" && document.querySelector('.tile[data-key="on_time_pct"] b')?.textContent === "—"`)
}

// answerSurvey gives the survey's element i the value v. The button is centred
// first: the fixed footer with Kirim covers the bottom of the window, as it
// does for a citizen who scrolls on.
func answerSurvey(t *testing.T, page context.Context, i, v int) {
	t.Helper()
	sel := fmt.Sprintf(`button[data-unsur="%d"][data-nilai="%d"]`, i, v)
	eval[bool](t, page, `(document.querySelector(`+js(sel)+`).scrollIntoView({block: "center"}), true)`)
	click(t, page, sel)
}

// wantOneSurvey checks that the month's report holds one survey, with answers
// as each element's mean (NRR).
func wantOneSurvey(t *testing.T, o *office, answers []int) {
	t.Helper()
	var rep queue.Report
	o.call("GET", "/api/reports/monthly", "rahasia-admin", nil, &rep)
	if rep.SKM.Responses != 1 {
		t.Fatalf("skm.responses = %d after one survey, want 1", rep.SKM.Responses)
	}
	for i, v := range answers {
		if rep.SKM.NRR[i] == nil || *rep.SKM.NRR[i] != float64(v) {
			t.Errorf("NRR[%d] = %v, want %d", i, rep.SKM.NRR[i], v)
		}
	}
}

func TestBrowserSurveyFromKiosk(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	page := tab(t, b, o.url("/kiosk"), 1920, 1080)
	waitJS(t, page, "the survey entry", `!!document.getElementById("survey")`)
	click(t, page, "#survey")
	waitNavigated(t, page, "/survey")
	waitJS(t, page, "the nine questions", `location.pathname === "/survey" && document.querySelectorAll(".unsur").length === 9 && !document.getElementById("kembali").hidden`)
	answers := []int{4, 3, 3, 4, 2, 4, 4, 3, 1}
	for i, v := range answers {
		answerSurvey(t, page, i, v)
	}
	waitJS(t, page, "all answered", `!document.getElementById("kirim").disabled`)
	screenshot(t, page, "survey")
	click(t, page, "#kirim")
	waitJS(t, page, "the thanks", `getComputedStyle(document.getElementById("terimakasih")).display === "block"`)
	screenshot(t, page, "survey-thanks")
	wantOneSurvey(t, o, answers)
	click(t, page, "#kembali-selesai")
	waitNavigated(t, page, "/kiosk")
	waitJS(t, page, "back on the kiosk", `location.pathname === "/kiosk" && document.querySelectorAll("button[data-service]").length === 2`)
}

// TestBrowserAdminShowsSyncStatus runs antrid's real uploader, with its routes, against
// a headquarters that refuses every batch as wrongly signed: the admin page shows the
// backlog and the parked batch, and its retry button reaches the uploader, which sends
// the batch again.
func TestBrowserAdminShowsSyncStatus(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	var attempts atomic.Int32
	hq := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		w.Header().Set(wire.HeaderError, wire.ErrorSignature)
		httpjson.Error(w, http.StatusUnauthorized, "pusat menolak: tanda tangan salah")
	}))
	t.Cleanup(hq.Close)
	u, err := upload.New(upload.Options{Store: o.q.Store(), Office: "kantor-uji", OfficeName: "MPP Kota Uji",
		Timezone: "Asia/Jakarta", URL: hq.URL, Secret: "rahasia-kantor-uji-16", ParkedRetry: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	u.Routes(o.srv)
	for range 3 {
		o.issue("A")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); u.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	page := unlockAdmin(t, o, b)
	waitJS(t, page, "backlog and the parked batch", `document.getElementById("sync-status")?.innerText.includes("3") && document.getElementById("sync").innerText.includes("HTTP 401 · headquarters menjawab 401")`)
	scrollTo(t, page, "sync-card")
	screenshot(t, page, "admin-sync")
	before := attempts.Load()
	click(t, page, "#sync-retry")
	waitJS(t, page, "the retry confirmed", `document.getElementById("sync-msg").classList.contains("ok")`)
	queuetest.Eventually(t, "the retry button to make the uploader send again", func() bool { return attempts.Load() != before })
}
