package queue_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// serveA issues an A ticket at when, calls it wait later and finishes it
// (no start pressed: the service runs from the call) service after the call.
func serveA(t *testing.T, q *queue.Queue, clk *queue.FakeClock, when time.Time, wait, service time.Duration, out queue.Outcome) {
	t.Helper()
	run(t, q, clk, when, queue.Issue{Service: "A"})
	run(t, q, clk, when.Add(wait), queue.Call{Counter: "1"})
	run(t, q, clk, when.Add(wait+service), queue.Finish{Counter: "1", Outcome: out})
}

// Two revisions of A in November: the first (5 min wait, 4 min service)
// from Monday 9 November 08:00, the second (7 and 4) from Friday 20
// November 08:00. Each window is as long as the period and the neighbouring
// revision allow:
//
//	rev 1: 11 days (up to rev 2): before [29 Oct 08:00, 9 Nov 08:00), after [9 Nov 08:00, 20 Nov 08:00)
//	rev 2: 10 days 16 h (up to 1 Dec 00:00): before [9 Nov 16:00, 20 Nov 08:00), after [20 Nov 08:00, 1 Dec)
//
// so rev 1's "before" reaches into October, which the office reads too.
func TestRevisionBeforeAndAfter(t *testing.T) {
	q, clk := queuetest.Open(t, "reports", wib(2026, 10, 26, 9, 0, 0))
	revise := func(when time.Time, wait, svc time.Duration, reason string, eff time.Time) {
		t.Helper()
		run(t, q, clk, when, queue.ReviseStandard{Service: "A", Wait: wait, ServiceTime: svc, Reason: reason, Effective: eff})
	}
	revise(wib(2026, 10, 26, 9, 0, 0), 5*time.Minute, 4*time.Minute, "SK Kepala Dinas 12/2026", wib(2026, 11, 9, 8, 0, 0))
	serveA(t, q, clk, wib(2026, 10, 26, 10, 0, 0), 8*time.Minute, 6*time.Minute, queue.OutcomeDone)       // before rev 1's window
	complain(t, q, clk, wib(2026, 10, 27, 10, 0, 0), "Waktu tunggu", "A-001")                             // before the window too
	serveA(t, q, clk, wib(2026, 10, 30, 10, 0, 0), 4*time.Minute, 2*time.Minute, queue.OutcomeIncomplete) // T2: rev 1 before
	serveA(t, q, clk, wib(2026, 11, 2, 10, 0, 0), 8*time.Minute, 6*time.Minute, queue.OutcomeDone)        // T3: rev 1 before
	complain(t, q, clk, wib(2026, 11, 3, 10, 0, 0), "Waktu tunggu", "A-001")                              // rev 1 before
	serveA(t, q, clk, wib(2026, 11, 9, 9, 0, 0), 3*time.Minute, 3*time.Minute, queue.OutcomeDone)         // T4: rev 1 after
	serveA(t, q, clk, wib(2026, 11, 10, 10, 0, 0), 6*time.Minute, 2*time.Minute, queue.OutcomeDone)       // T5: rev 1 after, rev 2 before
	run(t, q, clk, wib(2026, 11, 10, 11, 0, 0), queue.Issue{Service: "B"}, queue.Call{Counter: "2"})      // B: in no window of A
	run(t, q, clk, wib(2026, 11, 10, 11, 5, 0), queue.Finish{Counter: "2", Outcome: queue.OutcomeDone})
	revise(wib(2026, 11, 12, 9, 0, 0), 7*time.Minute, 4*time.Minute, "Tambah petugas", wib(2026, 11, 20, 8, 0, 0))
	complain(t, q, clk, wib(2026, 11, 12, 10, 0, 0), "Waktu tunggu", "A-001")                       // rev 1 after, rev 2 before
	complain(t, q, clk, wib(2026, 11, 12, 10, 5, 0), "Waktu tunggu", "B-001")                       // about B
	serveA(t, q, clk, wib(2026, 11, 23, 10, 0, 0), 2*time.Minute, 5*time.Minute, queue.OutcomeDone) // T6: rev 2 after
	complain(t, q, clk, wib(2026, 11, 25, 10, 0, 0), "Pelayanan petugas", "A-001")                  // rev 2 after

	rep := periodReport(t, q, queue.PeriodMonth, "2026-11")
	if len(rep.Revisions) != 2 {
		t.Fatalf("revisions %+v, want 2", rep.Revisions)
	}
	r1, r2 := rep.Revisions[0], rep.Revisions[1]
	if r1.ID != 1 || r1.Service != "A" || !r1.Effective.Equal(wib(2026, 11, 9, 8, 0, 0)) || r1.Reason != "SK Kepala Dinas 12/2026" ||
		r1.WaitStandardS != 300 || r1.ServiceStandardS != 240 ||
		!r1.WindowStart.Equal(wib(2026, 10, 29, 8, 0, 0)) || !r1.WindowEnd.Equal(wib(2026, 11, 20, 8, 0, 0)) {
		t.Errorf("revision 1: %+v", r1)
	}
	if !r2.WindowStart.Equal(wib(2026, 11, 9, 16, 0, 0)) || !r2.WindowEnd.Equal(wib(2026, 12, 1, 0, 0, 0)) {
		t.Errorf("revision 2 windows [%v, %v)", r2.WindowStart, r2.WindowEnd)
	}
	// Rev 1 before: T2 (wait 240, service 120, incomplete) and T3 (480,
	// 360, done) under the config's 10 and 5 min: T3's service is over.
	wantIndicators(t, "rev1.before", r1.Before, &queue.Indicators{Issued: 2, Done: 1, Incomplete: 1, Called: 2, Finished: 2,
		WaitMeanS: f(360), WaitP90S: f(480), WalkMeanS: f(0), ServiceMeanS: f(240), ServiceP90S: f(360),
		OnTimePct: f(50), WaitOnTimePct: f(100), ServiceOnTimePct: f(50), FirstVisitPct: f(50), NoShowPct: f(0),
		ServiceBreaches: 1})
	// Rev 1 after: T4 (180, 180) and T5 (360, 120) under 5 and 4 min: T5 waited too long.
	wantIndicators(t, "rev1.after", r1.After, &queue.Indicators{Issued: 2, Done: 2, Called: 2, Finished: 2,
		WaitMeanS: f(270), WaitP90S: f(360), WalkMeanS: f(0), ServiceMeanS: f(150), ServiceP90S: f(180),
		OnTimePct: f(50), WaitOnTimePct: f(50), ServiceOnTimePct: f(100), FirstVisitPct: f(100), NoShowPct: f(0),
		WaitBreaches: 1})
	// Rev 2 before: T5 only (T4 was queued at 09:00, before 16:00). After: T6
	// (120, 300) under 7 and 4 min: its service is over.
	wantIndicators(t, "rev2.before", r2.Before, &queue.Indicators{Issued: 1, Done: 1, Called: 1, Finished: 1,
		WaitMeanS: f(360), WaitP90S: f(360), WalkMeanS: f(0), ServiceMeanS: f(120), ServiceP90S: f(120),
		OnTimePct: f(0), WaitOnTimePct: f(0), ServiceOnTimePct: f(100), FirstVisitPct: f(100), NoShowPct: f(0),
		WaitBreaches: 1})
	wantIndicators(t, "rev2.after", r2.After, &queue.Indicators{Issued: 1, Done: 1, Called: 1, Finished: 1,
		WaitMeanS: f(120), WaitP90S: f(120), WalkMeanS: f(0), ServiceMeanS: f(300), ServiceP90S: f(300),
		OnTimePct: f(0), WaitOnTimePct: f(100), ServiceOnTimePct: f(0), FirstVisitPct: f(100), NoShowPct: f(0),
		ServiceBreaches: 1})
	// Complaints naming an A ticket: 3 Nov (rev 1 before), 12 Nov (rev 1
	// after, rev 2 before), 25 Nov (rev 2 after); 27 Oct is before rev 1's window.
	if r1.ComplaintsBefore != 1 || r1.ComplaintsAfter != 1 || r2.ComplaintsBefore != 1 || r2.ComplaintsAfter != 1 {
		t.Errorf("complaints before/after: rev 1 %d/%d, rev 2 %d/%d; want 1/1 and 1/1",
			r1.ComplaintsBefore, r1.ComplaintsAfter, r2.ComplaintsBefore, r2.ComplaintsAfter)
	}
	b, _ := json.Marshal(r1)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for _, k := range []string{"service", "effective", "reason", "before", "after", "complaints_before", "complaints_after"} {
		if _, ok := m[k]; !ok {
			t.Errorf("revision JSON lacks %q (DOMAIN.md \"Reports\"): %s", k, b)
		}
	}
	// October's report lists neither revision (they take effect in November).
	// The fourth quarter's lists both; there rev 2's windows are 11 days (back
	// to rev 1), so its "after" window ends on 1 December at 08:00.
	if oct := periodReport(t, q, queue.PeriodMonth, "2026-10"); len(oct.Revisions) != 0 {
		t.Errorf("October lists revisions %+v", oct.Revisions)
	}
	q4 := periodReport(t, q, queue.PeriodQuarter, "2026-Q4")
	if len(q4.Revisions) != 2 || !q4.Revisions[0].WindowStart.Equal(wib(2026, 10, 29, 8, 0, 0)) ||
		!q4.Revisions[1].WindowEnd.Equal(wib(2026, 12, 1, 8, 0, 0)) {
		t.Errorf("Q4 revisions %+v", q4.Revisions)
	}
}
