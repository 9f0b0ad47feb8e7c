package queue_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

type monthWant struct {
	month    string
	overall  *queue.Indicators
	services map[string]*queue.Indicators
	refs     []queue.Referral
}

func TestMonthlyReportHistories(t *testing.T) {
	cases := []struct {
		name    string
		start   time.Time
		history func(t *testing.T, q *queue.Queue, c *queue.FakeClock)
		want    []monthWant
	}{{
		// Recalls, priority, an incomplete service, a no-show, a transfer
		// (referral) served without pressing start, and a ticket expired at
		// day close. Standards: A wait 10m service 5m; B wait 20m service 10m.
		name:  "recalls priority transfer noshow incomplete expired",
		start: wib(2024, 3, 5, 9, 0, 0),
		history: func(t *testing.T, q *queue.Queue, c *queue.FakeClock) {
			do(t, q, queue.Issue{Service: "A"}) // 09:00 A-001
			c.Advance(time.Minute)
			do(t, q, queue.Issue{Service: "A", Priority: true}) // 09:01 A-002 priority
			c.Advance(time.Minute)
			if tk := do(t, q, queue.Call{Counter: "1"}); tk.Number != "A-002" { // 09:02 priority first: wait 60
				t.Fatalf("called %s, want the priority ticket A-002", tk.Number)
			}
			c.Advance(time.Minute)
			do(t, q, queue.Recall{Counter: "1"}) // 09:03 last call
			c.Advance(time.Minute)
			do(t, q, queue.Start{Counter: "1"}) // 09:04 walk 60
			c.Advance(4 * time.Minute)
			do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone}) // 09:08 service 240
			do(t, q, queue.Feedback{Number: "A-002", Score: 4})
			do(t, q, queue.Call{Counter: "1"}) // 09:08 A-001: wait 480
			c.Advance(2 * time.Minute)
			do(t, q, queue.Start{Counter: "1"}) // 09:10 walk 120
			c.Advance(10 * time.Minute)
			do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeIncomplete}) // 09:20 service 600 > 300
			do(t, q, queue.Feedback{Number: "A-001", Score: 2})
			do(t, q, queue.Issue{Service: "A"}) // 09:20 A-003
			c.Advance(15 * time.Minute)
			do(t, q, queue.Call{Counter: "1"}) // 09:35 wait 900 > 600
			c.Advance(time.Minute)
			do(t, q, queue.NoShow{Counter: "1"}, queue.Issue{Service: "A"}) // 09:36 A-004
			c.Advance(time.Minute)
			do(t, q, queue.Call{Counter: "1"}) // 09:37 wait 60
			c.Advance(time.Minute)
			do(t, q, queue.Transfer{Counter: "1", Service: "B", Note: "berkas KK", Unit: "Disdukcapil"}) // 09:38 B segment queued
			c.Advance(2 * time.Minute)
			do(t, q, queue.Call{Counter: "2"}) // 09:40 wait 120 in B
			c.Advance(time.Minute)
			do(t, q, queue.Finish{Counter: "2", Outcome: queue.OutcomeDone}) // 09:41 no start: walk 0, service 60
			do(t, q, queue.Feedback{Number: "A-004", Score: 3}, queue.Issue{Service: "B"})
			c.Advance(15 * time.Hour) // 00:41 next day: B-001 never called
			if err := q.CloseDay(context.Background()); err != nil {
				t.Fatal(err)
			}
		},
		want: []monthWant{{
			month: "2024-03",
			services: map[string]*queue.Indicators{
				// Segments: A-002 done, A-001 incomplete, A-003 no-show, A-004 transferred.
				"A": {Issued: 4, Priority: 1, Done: 1, Incomplete: 1, NoShow: 1, Transferred: 1, Called: 4, Finished: 2, Recalls: 1,
					WaitMeanS: f((60 + 480 + 900 + 60) / 4.0), WaitP90S: f(900), // rank ⌈0.9×4⌉=4 of [60 60 480 900]
					WalkMeanS:    f((60 + 120) / 2.0),
					ServiceMeanS: f((240 + 600) / 2.0), ServiceP90S: f(600), // rank ⌈1.8⌉=2 of [240 600]
					OnTimePct: f(50), WaitOnTimePct: f(100), ServiceOnTimePct: f(50), // A-001's 600 s service > 300
					FirstVisitPct: f(50), NoShowPct: f(25)}, // 1 done / (1+1); 1 no-show / 4 called
				// Segments: A-004 (from A) done, B-001 expired.
				"B": {Issued: 1, Done: 1, Expired: 1, TransferredIn: 1, Called: 1, Finished: 1,
					WaitMeanS: f(120), WaitP90S: f(120), WalkMeanS: f(0), ServiceMeanS: f(60), ServiceP90S: f(60),
					OnTimePct: f(100), WaitOnTimePct: f(100), ServiceOnTimePct: f(100), FirstVisitPct: f(100), NoShowPct: f(0)},
			},
			overall: &queue.Indicators{Issued: 5, Priority: 1, Done: 2, Incomplete: 1, NoShow: 1, Transferred: 1, Expired: 1,
				TransferredIn: 1, Called: 5, Finished: 3, Recalls: 1,
				WaitMeanS: f((60 + 480 + 900 + 60 + 120) / 5.0), WaitP90S: f(900), // rank ⌈4.5⌉=5
				WalkMeanS:    f((60 + 120 + 0) / 3.0),
				ServiceMeanS: f((240 + 600 + 60) / 3.0), ServiceP90S: f(600), // rank ⌈2.7⌉=3 of [60 240 600]
				OnTimePct: f(200.0 / 3), WaitOnTimePct: f(100), ServiceOnTimePct: f(200.0 / 3),
				FirstVisitPct: f(200.0 / 3), NoShowPct: f(20)}, // 2/(2+1); 1/5
			refs: []queue.Referral{{From: "A", To: "B", Unit: "Disdukcapil", Count: 1}},
		}},
	}, {
		// Tickets spanning local midnight and the month boundary: a segment
		// counts in the month it was queued in (WIB), whatever happens after.
		name:  "midnight and month boundary",
		start: wib(2024, 3, 31, 23, 50, 0),
		history: func(t *testing.T, q *queue.Queue, c *queue.FakeClock) {
			do(t, q, queue.Issue{Service: "A"}) // 31 Mar 23:50 (16:50 UTC)
			c.Advance(5 * time.Minute)
			do(t, q, queue.Issue{Service: "A"}) // 23:55
			c.Advance(15 * time.Minute)
			do(t, q, queue.Call{Counter: "1"}) // 1 Apr 00:10: first ticket waited 20 min = 1200 > 600
			c.Advance(time.Minute)
			do(t, q, queue.Start{Counter: "1"}) // 00:11 walk 60
			c.Advance(4 * time.Minute)
			do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone}, queue.Call{Counter: "1"}) // 00:15 service 240; second waited 23:55→00:15 = 1200
			c.Advance(2 * time.Minute)
			do(t, q, queue.Transfer{Counter: "1", Service: "B"}) // 00:17: the B segment is April's
			c.Advance(3 * time.Minute)
			do(t, q, queue.Call{Counter: "2"}) // 00:20 B wait 180
			c.Advance(5 * time.Minute)
			do(t, q, queue.Finish{Counter: "2", Outcome: queue.OutcomeDone}, queue.Issue{Service: "A"}) // 00:25 service 300; new April ticket, never called
		},
		want: []monthWant{{
			month: "2024-03",
			services: map[string]*queue.Indicators{"A": {Issued: 2, Done: 1, Transferred: 1, Called: 2, Finished: 1,
				WaitMeanS: f(1200), WaitP90S: f(1200), WalkMeanS: f(60), ServiceMeanS: f(240), ServiceP90S: f(240),
				OnTimePct: f(0), WaitOnTimePct: f(0), ServiceOnTimePct: f(100), FirstVisitPct: f(100), NoShowPct: f(0)}},
			overall: &queue.Indicators{Issued: 2, Done: 1, Transferred: 1, Called: 2, Finished: 1,
				WaitMeanS: f(1200), WaitP90S: f(1200), WalkMeanS: f(60), ServiceMeanS: f(240), ServiceP90S: f(240),
				OnTimePct: f(0), WaitOnTimePct: f(0), ServiceOnTimePct: f(100), FirstVisitPct: f(100), NoShowPct: f(0)},
			refs: []queue.Referral{{From: "A", To: "B", Count: 1}},
		}, {
			month: "2024-04",
			services: map[string]*queue.Indicators{
				"A": {Issued: 1, Open: 1}, // waiting, never called: no rates
				"B": {TransferredIn: 1, Done: 1, Called: 1, Finished: 1, WaitMeanS: f(180), WaitP90S: f(180),
					WalkMeanS: f(0), ServiceMeanS: f(300), ServiceP90S: f(300), OnTimePct: f(100), WaitOnTimePct: f(100),
					ServiceOnTimePct: f(100), FirstVisitPct: f(100), NoShowPct: f(0)},
			},
			overall: &queue.Indicators{Issued: 1, Open: 1, TransferredIn: 1, Done: 1, Called: 1, Finished: 1, WaitMeanS: f(180), WaitP90S: f(180),
				WalkMeanS: f(0), ServiceMeanS: f(300), ServiceP90S: f(300), OnTimePct: f(100), WaitOnTimePct: f(100),
				ServiceOnTimePct: f(100), FirstVisitPct: f(100), NoShowPct: f(0)},
		}},
	}, {
		// NTP steps the wall clock 2 h forward across the month boundary
		// while a ticket waits, then the Pi reboots while another waits.
		// Durations within a boot come from the monotonic clock; across the
		// reboot from the wall clock. Months come from the wall clock.
		name:  "clock step and reboot",
		start: wib(2024, 3, 31, 23, 0, 0),
		history: func(t *testing.T, q *queue.Queue, c *queue.FakeClock) {
			do(t, q, queue.Issue{Service: "A"}) // 31 Mar 23:00 (wall)
			c.Advance(3 * time.Minute)
			c.Step(2 * time.Hour) // wall 1 Apr 01:03, no time passed
			c.Advance(3 * time.Minute)
			do(t, q, queue.Call{Counter: "1"}) // real wait 360, not 2h6m
			c.Advance(2 * time.Minute)
			do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone}) // service 120 from the call
			do(t, q, queue.Issue{Service: "A"})                              // 1 Apr 01:08 wall: April
			c.Advance(4 * time.Minute)
			c.Reboot("boot-2") // monotonic restarts near zero
			c.Advance(time.Minute)
			do(t, q, queue.Call{Counter: "1"}) // across boots: wall 5 min = 300
			c.Advance(30 * time.Second)
			do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeIncomplete}) // service 30 (same boot)
		},
		want: []monthWant{{
			month: "2024-03",
			services: map[string]*queue.Indicators{"A": {Issued: 1, Done: 1, Called: 1, Finished: 1, WaitMeanS: f(360), WaitP90S: f(360),
				WalkMeanS: f(0), ServiceMeanS: f(120), ServiceP90S: f(120), OnTimePct: f(100), WaitOnTimePct: f(100),
				ServiceOnTimePct: f(100), FirstVisitPct: f(100), NoShowPct: f(0)}},
			overall: &queue.Indicators{Issued: 1, Done: 1, Called: 1, Finished: 1, WaitMeanS: f(360), WaitP90S: f(360),
				WalkMeanS: f(0), ServiceMeanS: f(120), ServiceP90S: f(120), OnTimePct: f(100), WaitOnTimePct: f(100),
				ServiceOnTimePct: f(100), FirstVisitPct: f(100), NoShowPct: f(0)},
		}, {
			month: "2024-04",
			services: map[string]*queue.Indicators{"A": {Issued: 1, Incomplete: 1, Called: 1, Finished: 1, WaitMeanS: f(300), WaitP90S: f(300),
				WalkMeanS: f(0), ServiceMeanS: f(30), ServiceP90S: f(30), OnTimePct: f(100), WaitOnTimePct: f(100),
				ServiceOnTimePct: f(100), FirstVisitPct: f(0), NoShowPct: f(0)}},
			overall: &queue.Indicators{Issued: 1, Incomplete: 1, Called: 1, Finished: 1, WaitMeanS: f(300), WaitP90S: f(300),
				WalkMeanS: f(0), ServiceMeanS: f(30), ServiceP90S: f(30), OnTimePct: f(100), WaitOnTimePct: f(100),
				ServiceOnTimePct: f(100), FirstVisitPct: f(0), NoShowPct: f(0)},
		}},
	}, {
		// A revision mid-month tightens A's wait standard from 10m to 5m.
		// The ticket issued before it keeps 10m; the one after gets 5m.
		name:  "revision mid-month",
		start: wib(2024, 3, 10, 9, 0, 0),
		history: func(t *testing.T, q *queue.Queue, c *queue.FakeClock) {
			do(t, q, queue.Issue{Service: "A"}) // 09:00 under 10m
			c.Advance(time.Minute)
			do(t, q, queue.ReviseStandard{Service: "A", Wait: 5 * time.Minute, ServiceTime: 5 * time.Minute, Reason: "SK Kepala Dinas 12/2024"})
			do(t, q, queue.Issue{Service: "A"}) // 09:01 under 5m
			c.Advance(7 * time.Minute)
			do(t, q, queue.Call{Counter: "1"}) // 09:08 first: wait 480 ≤ 600
			c.Advance(2 * time.Minute)
			do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone}, queue.Call{Counter: "1"}) // 09:10 service 120; second: wait 540 > 300
			c.Advance(2 * time.Minute)
			do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone}) // service 120
		},
		want: []monthWant{{
			month: "2024-03",
			services: map[string]*queue.Indicators{"A": {Issued: 2, Done: 2, Called: 2, Finished: 2, WaitMeanS: f(510), WaitP90S: f(540),
				WalkMeanS: f(0), ServiceMeanS: f(120), ServiceP90S: f(120), OnTimePct: f(50), WaitOnTimePct: f(50),
				ServiceOnTimePct: f(100), FirstVisitPct: f(100), NoShowPct: f(0)}},
			overall: &queue.Indicators{Issued: 2, Done: 2, Called: 2, Finished: 2, WaitMeanS: f(510), WaitP90S: f(540),
				WalkMeanS: f(0), ServiceMeanS: f(120), ServiceP90S: f(120), OnTimePct: f(50), WaitOnTimePct: f(50),
				ServiceOnTimePct: f(100), FirstVisitPct: f(100), NoShowPct: f(0)},
		}},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q, clk := queuetest.Open(t, "reports", tc.start)
			tc.history(t, q, clk)
			evs := allEvents(t, q)
			for _, mw := range tc.want {
				rep, err := q.MonthlyReport(context.Background(), mw.month)
				if err != nil {
					t.Fatal(err)
				}
				checkIndicators(t, mw.month+" overall", rep.Overall, mw.overall)
				if len(rep.Services) != len(mw.services) {
					t.Errorf("%s: services %v, want %d of them", mw.month, keys(rep.Services), len(mw.services))
				}
				for code, w := range mw.services {
					checkIndicators(t, mw.month+" "+code, rep.Services[code], w)
				}
				if mw.refs == nil {
					mw.refs = []queue.Referral{}
				}
				if !reflect.DeepEqual(rep.Referrals, mw.refs) {
					t.Errorf("%s referrals = %+v, want %+v", mw.month, rep.Referrals, mw.refs)
				}
				// Headquarters' path: the same events through the builder.
				b, _ := queue.NewReport("mpp-uji", mw.month, jakarta)
				for _, ev := range evs {
					b.Add(ev)
					b.Add(ev) // a repeat must not count twice
				}
				a, _ := json.Marshal(rep)
				h, _ := json.Marshal(b.Report())
				if string(a) != string(h) {
					t.Errorf("%s: report from the event stream differs:\noffice %s\nstream %s", mw.month, a, h)
				}
			}
		})
	}
}

func keys(m map[string]*queue.Indicators) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestSatisfactionFromFeedback(t *testing.T) {
	q, c := queuetest.Open(t, "reports", wib(2024, 3, 5, 9, 0, 0))
	for _, score := range []int{4, 2, 3} {
		do(t, q, queue.Issue{Service: "A"}, queue.Call{Counter: "1"})
		c.Advance(time.Minute)
		tk := do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
		do(t, q, queue.Feedback{Number: tk.Number, Score: score})
	}
	rep, err := q.MonthlyReport(context.Background(), "2024-03")
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Satisfaction
	// (4+2+3)/3 = 3; two of three scores are ≥ 3.
	if s.Responses != 3 || !sameFloat(s.Mean, f(3)) || !sameFloat(s.SatisfiedPct, f(200.0/3)) {
		t.Errorf("satisfaction = %d %v %v, want 3 responses, mean 3, 66.67%%", s.Responses, fmtF(s.Mean), fmtF(s.SatisfiedPct))
	}
	rep, _ = q.MonthlyReport(context.Background(), "2024-04")
	if rep.Satisfaction.Responses != 0 || rep.Satisfaction.Mean != nil || rep.Satisfaction.SatisfiedPct != nil {
		t.Errorf("April satisfaction = %+v, want none and nulls", rep.Satisfaction)
	}
	if b, _ := json.Marshal(rep.Overall); !contains(string(b), `"on_time_pct":null`) {
		t.Errorf("empty month overall JSON %s: rates must be null", b)
	}
}

func contains(s, sub string) bool { return len(s) >= len(sub) && (s == sub || indexOf(s, sub) >= 0) }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestReportRefusesBadMonth(t *testing.T) {
	q, _ := queuetest.Open(t, "reports", wib(2024, 3, 5, 9, 0, 0))
	for _, m := range []string{"", "2024-3", "2024-13", "maret"} {
		if _, err := q.MonthlyReport(context.Background(), m); queue.KindOf(err) != queue.KindInvalid {
			t.Errorf("month %q: err %v, want invalid", m, err)
		}
	}
}
