package display

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// surgeOffice is the "pages" office open 08:00–15:00, with A served at counter 1 in six
// minutes a citizen, at 14:30 with twelve waiting for A and twelve for B (counter 2, no
// quota), B refusing what its counter cannot serve before closing. Half an hour holds
// five calls: a new A ticket is warned about, a new B ticket refused.
func surgeOffice(t *testing.T) (*office, *queue.FakeClock) {
	t.Helper()
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	cfg := queuetest.Office(t, "pages", func(c *queue.Config) {
		c.Office.Open, c.Office.Close = "08:00", "15:00"
		c.Services[1].DailyQuota = 0
		c.Services[1].StopWhenUnservable = true
		c.Services[1].OtherChannel = "aplikasi Identitas Kependudukan Digital"
	})
	clk := queue.NewFakeClock(time.Date(2026, 11, 2, 8, 0, 0, 0, jkt))
	o := newOfficeWith(t, cfg, clk)
	ctx := context.Background()
	do := func(c queue.Command) {
		t.Helper()
		if _, err := o.q.Do(ctx, c); err != nil {
			t.Fatalf("%T%+v: %v", c, c, err)
		}
	}
	for _, svc := range []string{"A", "B"} {
		k := map[string]string{"A": "1", "B": "2"}[svc]
		for range 6 {
			do(queue.Issue{Service: svc})
			do(queue.Call{Counter: k})
			clk.Advance(6 * time.Minute)
			do(queue.Finish{Counter: k, Outcome: queue.OutcomeDone})
		}
	}
	clk.Advance(time.Date(2026, 11, 2, 14, 30, 0, 0, jkt).Sub(clk.Now().Wall))
	for range 12 {
		do(queue.Issue{Service: "A"})
		if _, err := o.q.Do(ctx, queue.Issue{Service: "B"}); err != nil && queue.KindOf(err) != queue.KindCapacity {
			t.Fatal(err)
		}
	}
	return o, clk
}

// TestCrisisAPI: /api/state carries each service's forecast; POST /api/tickets answers a
// ticket B cannot serve with 409 {"reason":"capacity"} and what to do; the backfill and
// incident routes need the admin token and answer as docs/API.md says.
func TestCrisisAPI(t *testing.T) {
	o, _ := surgeOffice(t)
	var st struct {
		Services []struct {
			Code     string          `json:"code"`
			Waiting  int             `json:"waiting"`
			Forecast *queue.Forecast `json:"forecast"`
		} `json:"services"`
	}
	if code := o.call("GET", "/api/state", "", nil, &st); code != 200 {
		t.Fatalf("GET /api/state: %d", code)
	}
	a, b := st.Services[0], st.Services[1]
	if a.Forecast == nil || a.Waiting != 12 || a.Forecast.ServableByClose != 5 || a.Forecast.AtRisk != 7 || a.Forecast.NextServable || a.Forecast.ExtraCountersNeeded < 1 {
		t.Fatalf("A's forecast: %+v (waiting %d)", a.Forecast, a.Waiting)
	}
	// B took only the tickets it could serve: five of the twelve asked for.
	if b.Waiting != 5 || b.Forecast == nil || b.Forecast.NextServable {
		t.Fatalf("B: %d waiting, forecast %+v", b.Waiting, b.Forecast)
	}
	var refusal struct{ Error, Code, Reason string }
	if code := o.call("POST", "/api/tickets", "", map[string]any{"service": "B"}, &refusal); code != http.StatusConflict || refusal.Reason != "capacity" ||
		!strings.Contains(refusal.Error, "datang kembali besok mulai pukul 08.00") || !strings.Contains(refusal.Error, "Identitas Kependudukan Digital") {
		t.Fatalf("a B ticket past capacity: HTTP %d %+v", code, refusal)
	}
	// A warns only: the ticket is given.
	o.issue("A")

	// Backfill: admin only; 201 with the tickets, each manual.
	body := map[string]any{"tickets": []map[string]any{{"number": "A-M01", "service": "A", "issued": "2026-11-02T07:58:00+07:00",
		"called": "2026-11-02T08:10:00+07:00", "finished": "2026-11-02T08:16:00+07:00", "outcome": "done", "counter": "1"}}}
	if code := o.call("POST", "/api/admin/backfill", "token-1", body, nil); code != http.StatusUnauthorized {
		t.Fatalf("backfill with a counter's token: %d", code)
	}
	var got BackfillAnswer
	if code := o.call("POST", "/api/admin/backfill", "rahasia-admin", body, &got); code != http.StatusCreated || len(got.Tickets) != 1 || !got.Tickets[0].Manual {
		t.Fatalf("backfill: %d %+v", code, got)
	}
	var bad struct{ Error string }
	if code := o.call("POST", "/api/admin/backfill", "rahasia-admin", body, &bad); code != http.StatusConflict || !strings.Contains(bad.Error, "sudah dicatat") {
		t.Fatalf("the same log twice: %d %+v", code, bad)
	}
	// Incidents: open manual mode, list, end.
	var inc queue.Incident
	if code := o.call("POST", "/api/admin/incidents", "rahasia-admin", map[string]any{"type": "outage", "start": "2026-11-02T07:30:00+07:00",
		"end": "2026-11-02T07:55:00+07:00", "note": "Listrik padam"}, &inc); code != http.StatusCreated || inc.End == nil || inc.Type != "outage" {
		t.Fatalf("recording an outage: %d %+v", code, inc)
	}
	var open queue.Incident
	if code := o.call("POST", "/api/admin/incidents", "rahasia-admin", map[string]any{"type": "manual"}, &open); code != http.StatusCreated || open.End != nil {
		t.Fatalf("manual mode: %d %+v", code, open)
	}
	var list []queue.Incident
	if code := o.call("GET", "/api/admin/incidents", "rahasia-admin", nil, &list); code != 200 || len(list) != 3 {
		t.Fatalf("incidents: %d %+v", code, list)
	}
	var ended queue.Incident
	if code := o.call("POST", "/api/admin/incidents/"+strconv.FormatInt(open.ID, 10)+"/end", "rahasia-admin", map[string]any{"note": "printer diganti"}, &ended); code != 200 || ended.End == nil {
		t.Fatalf("ending manual mode: %d %+v", code, ended)
	}
	if code := o.call("POST", "/api/admin/incidents/999/end", "rahasia-admin", nil, nil); code != http.StatusNotFound {
		t.Fatalf("ending an incident that is not there: %d", code)
	}
	if code := o.call("GET", "/api/admin/incidents", "", nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("incidents without a token: %d", code)
	}
}

// TestPublicSocketsGetTheSurgeNotNotes: the waiting room hears a surge begin (the public
// surge notice, with the services' forecasts in every snapshot) but never an incident's
// note nor a paper log's tickets: those are the staff's.
func TestPublicSocketsGetTheSurgeNotNotes(t *testing.T) {
	o, _ := surgeOffice(t)
	display := openView(t, o.addr, "", "")
	admin := openView(t, o.addr, "view=admin", "rahasia-admin")
	snap := display.waitMessage(t, "the snapshot", `"type":"snapshot"`)
	if !strings.Contains(snap[0], `"forecast":{"servable_by_close":5,"at_risk":7`) {
		t.Fatalf("the display's snapshot without A's forecast: %s", snap[0])
	}
	admin.waitMessage(t, "the admin's snapshot", `"type":"snapshot"`)
	const secret = "Kepala seksi Budi sakit, loket 2 kosong"
	if _, err := o.q.Do(context.Background(), queue.OpenIncident{Type: queue.IncidentOutage, Note: secret}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.q.Backfill(context.Background(), queue.BackfillRequest{Note: secret, Tickets: []queue.BackfillTicket{
		{Number: "A-M01", Issued: time.Date(2026, 11, 2, 8, 1, 0, 0, o.q.Config().Location), Outcome: "expired"}}}); err != nil {
		t.Fatal(err)
	}
	w := queue.NewIncidentWatch(o.q)
	if err := w.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	msgs := display.waitMessage(t, "the surge notice", `"type":"surge"`)
	assertNone(t, "the display", msgs, []string{"Budi", "A-M01"}, []string{`"incident_`, `"backfilled"`, `"note"`})
	all := strings.Join(admin.waitMessage(t, "the admin: the surge incident", `"type":"surge"`), "\n")
	for _, want := range []string{secret, `"type":"backfilled"`, `"type":"incident_opened"`} {
		if !strings.Contains(all, want) {
			t.Errorf("the admin's socket lacks %q", want)
		}
	}
}
