package queue_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

func at(loc *time.Location, day string, hm string) *time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hm, loc)
	if err != nil {
		panic(err)
	}
	return &t
}

// TestBackfilledTicketsInTheReport: an outage morning. The appliance was down from 08:00
// to 10:00 and officers handed out manual numbers; at 10:30 the log is entered. The
// day's report counts the manual tickets as tickets (issued, done, no-show, first
// visit), marks them manual, keeps them out of every measured duration and on-time rate,
// gives their written times in a block of their own, lists the manual-numbers incident
// and the outage — and is byte for byte the report headquarters computes from the events.
func TestBackfilledTicketsInTheReport(t *testing.T) {
	wita := time.FixedZone("WITA", 8*3600)
	day := "2026-11-05"
	q, clk := queuetest.Open(t, "reports", *at(wita, day, "07:55"))
	loc := q.Config().Location
	// After the outage: one measured ticket of A (wait 10 min, service 5: on time).
	run(t, q, clk, *at(loc, day, "10:05"), queue.Issue{Service: "A"})
	run(t, q, clk, *at(loc, day, "10:15"), queue.Call{Counter: "1"}, queue.Start{Counter: "1"})
	run(t, q, clk, *at(loc, day, "10:20"), queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	clk.Advance(10 * time.Minute)

	log := queue.BackfillRequest{Note: "listrik padam, buku nomor manual", Tickets: []queue.BackfillTicket{
		// A-M01: a 50-minute wait and a 20-minute service, as written: both far past
		// A's standards (10 and 5 minutes), which must not turn into breaches.
		{Number: "A-M01", Service: "A", Issued: *at(loc, day, "08:00"), Called: at(loc, day, "08:50"), Started: at(loc, day, "08:52"),
			Finished: at(loc, day, "09:12"), Outcome: "done", Counter: "1"},
		{Number: "a-m02", Issued: *at(loc, day, "08:05"), Called: at(loc, day, "09:15"), Finished: at(loc, day, "09:30"), Outcome: "incomplete", Counter: "1"},
		{Number: "A-M03", Issued: *at(loc, day, "08:10"), Called: at(loc, day, "09:31"), Outcome: "no_show", Counter: "1"},
		{Number: "B-M01", Service: "B", Issued: *at(loc, day, "08:20"), Outcome: "expired", Priority: true},
	}}
	tks, err := q.Backfill(ctx, log)
	if err != nil {
		t.Fatal(err)
	}
	if len(tks) != 4 || !tks[0].Manual || tks[1].Number != "A-M02" || tks[1].Stage != queue.StageFinished || tks[3].Stage != queue.StageExpired {
		t.Fatalf("backfilled: %s", jsonOf(t, tks))
	}
	// The appliance's own outage, written down once it is back.
	run(t, q, clk, clk.Now().Wall, queue.OpenIncident{Type: queue.IncidentOutage, Start: *at(loc, day, "07:58"), End: *at(loc, day, "10:02"),
		Note: "Listrik padam; genset tidak menyala"})

	// Entering the same log again stores nothing and says which line.
	if _, err := q.Backfill(ctx, log); queue.KindOf(err) != queue.KindConflict || !strings.Contains(err.Error(), "A-M01") {
		t.Fatalf("the same log again: %v", err)
	}
	// A wrong line refuses the whole log, naming the line.
	bad := queue.BackfillRequest{Tickets: []queue.BackfillTicket{
		{Number: "A-M10", Issued: *at(loc, day, "08:00"), Called: at(loc, day, "08:30"), Finished: at(loc, day, "08:40"), Outcome: "done"},
		{Number: "A-M11", Issued: *at(loc, day, "09:00"), Called: at(loc, day, "08:30"), Finished: at(loc, day, "09:40"), Outcome: "done"},
	}}
	if _, err := q.Backfill(ctx, bad); queue.KindOf(err) != queue.KindInvalid || !strings.Contains(err.Error(), "baris 2 (A-M11)") {
		t.Fatalf("a call before the issue: %v", err)
	}
	for _, wrong := range []queue.BackfillTicket{
		{Number: "A-010", Issued: *at(loc, day, "08:00"), Outcome: "expired"},                                              // not a manual number
		{Number: "B-M02", Service: "A", Issued: *at(loc, day, "08:00"), Outcome: "expired"},                                // prefix of another service
		{Number: "A-M12", Issued: *at(loc, day, "08:00"), Called: at(loc, day, "08:10"), Outcome: "done"},                  // done without a finish
		{Number: "A-M13", Issued: *at(loc, "2026-11-06", "08:00"), Outcome: "expired"},                                     // tomorrow
		{Number: "A-M14", Issued: *at(loc, day, "08:00"), Called: at(loc, day, "08:10"), Outcome: "selesai"},               // unknown outcome
		{Number: "A-M15", Issued: *at(loc, day, "08:00"), Called: at(loc, day, "08:10"), Outcome: "no_show", Counter: "9"}, // no counter 9
	} {
		if _, err := q.Backfill(ctx, queue.BackfillRequest{Tickets: []queue.BackfillTicket{wrong}}); queue.KindOf(err) != queue.KindInvalid {
			t.Errorf("%+v: %v, want a refusal", wrong, err)
		}
	}

	rep := periodReport(t, q, queue.PeriodDay, day)
	a := rep.Services["A"]
	// Tickets: one measured and three manual for A.
	if a.Issued != 4 || a.Done != 2 || a.Incomplete != 1 || a.NoShow != 1 || a.Called != 4 || a.Manual != 3 {
		t.Fatalf("A counts: %s", jsonOf(t, a))
	}
	if *a.FirstVisitPct != 200.0/3 || *a.NoShowPct != 25 {
		t.Fatalf("A first visit %v, no-show %v; want 66.7 and 25 (manual tickets counted)", *a.FirstVisitPct, *a.NoShowPct)
	}
	// Durations and on time: only the measured ticket.
	if *a.WaitMeanS != 600 || *a.ServiceMeanS != 300 || *a.OnTimePct != 100 || a.WaitBreaches != 0 || a.ServiceBreaches != 0 {
		t.Fatalf("A measured figures mixed with the paper's: %s", jsonOf(t, a))
	}
	if b := rep.Services["B"]; b.Issued != 1 || b.Expired != 1 || b.Priority != 1 || b.Manual != 1 || b.WaitBreaches != 0 {
		t.Fatalf("B: %s", jsonOf(t, b))
	}
	// The written times, on their own.
	m := rep.Manual
	if m == nil || m.Manual != 4 || m.Issued != 4 || m.Done != 1 || *m.WaitMeanS != (50*60+70*60+81*60)/3.0 || *m.ServiceMeanS != (20*60+15*60)/2.0 {
		t.Fatalf("manual block: %s", jsonOf(t, m))
	}
	if rep.Overall.Manual != 4 || rep.Overall.Issued != 5 {
		t.Fatalf("overall: %s", jsonOf(t, rep.Overall))
	}
	manualRows := 0
	for _, r := range rep.Segments {
		if r.Manual {
			manualRows++
			if r.WaitS != nil {
				t.Fatalf("manual row %s has a measured wait", r.Number)
			}
		}
	}
	if manualRows != 4 {
		t.Fatalf("%d manual ticket rows", manualRows)
	}
	// Incidents: the outage and the manual numbers (08:00–09:31), by start.
	if len(rep.Incidents) != 2 || rep.Incidents[0].Type != queue.IncidentOutage || rep.Incidents[1].Type != queue.IncidentManual {
		t.Fatalf("incidents: %s", jsonOf(t, rep.Incidents))
	}
	man := rep.Incidents[1]
	if man.Start.Format("15:04") != "08:00" || man.End == nil || man.End.Format("15:04") != "09:31" ||
		!strings.Contains(man.Note, "4 tiket") || !strings.Contains(man.Note, "listrik padam") {
		t.Fatalf("manual incident: %s", jsonOf(t, man))
	}
	// The report JSON keeps the contract: incidents as [{type, start, end, note}].
	var shape struct {
		Incidents []map[string]json.RawMessage `json:"incidents"`
	}
	b, _ := json.Marshal(rep)
	if err := json.Unmarshal(b, &shape); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"type", "start", "end", "note"} {
		if _, ok := shape.Incidents[0][k]; !ok {
			t.Fatalf("incident without %q: %s", k, b)
		}
	}
	// A month report holds them too, and headquarters' equals it.
	if mo := periodReport(t, q, queue.PeriodMonth, "2026-11"); len(mo.Incidents) != 2 || mo.Overall.Manual != 4 {
		t.Fatalf("month: incidents %d, manual %d", len(mo.Incidents), mo.Overall.Manual)
	}
}

// TestIncidentsOpenAndClose: one open incident of a kind at a time; closing appends the
// note; a past incident is recorded whole; times never in the future.
func TestIncidentsOpenAndClose(t *testing.T) {
	q, clk := queuetest.Open(t, "office", time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC))
	run(t, q, clk, clk.Now().Wall, queue.OpenIncident{Type: queue.IncidentManual, Note: "printer rusak, pakai buku nomor"})
	if _, err := q.Do(ctx, queue.OpenIncident{Type: queue.IncidentManual}); queue.KindOf(err) != queue.KindConflict {
		t.Fatalf("a second manual incident while one is open: %v", err)
	}
	for _, c := range []queue.Command{
		queue.OpenIncident{Type: "banjir"},
		queue.OpenIncident{Type: queue.IncidentOutage, Start: clk.Now().Wall.Add(time.Hour)},
		queue.OpenIncident{Type: queue.IncidentOutage, Start: clk.Now().Wall.Add(-time.Hour), End: clk.Now().Wall.Add(-2 * time.Hour)},
		queue.OpenIncident{Type: queue.IncidentSurge, Service: "Z"},
	} {
		if _, err := q.Do(ctx, c); queue.KindOf(err) != queue.KindInvalid {
			t.Errorf("%+v: %v, want invalid", c, err)
		}
	}
	clk.Advance(40 * time.Minute)
	run(t, q, clk, clk.Now().Wall, queue.CloseIncident{Type: queue.IncidentManual, Note: "printer diganti"})
	if _, err := q.Do(ctx, queue.CloseIncident{Type: queue.IncidentManual}); queue.KindOf(err) != queue.KindNotFound {
		t.Fatalf("closing again: %v", err)
	}
	incs, err := q.Incidents(ctx, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != 1 || incs[0].End == nil || incs[0].End.Sub(incs[0].Start) != 40*time.Minute ||
		incs[0].Note != "printer rusak, pakai buku nomor — printer diganti" || incs[0].Source != "admin" {
		t.Fatalf("incidents: %s", jsonOf(t, incs))
	}
}
