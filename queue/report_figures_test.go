package queue_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// whereTimeGoes is two days of the report tests' office (standards: A waits
// 10 min and is served in 5; B 20 and 10), with officers signed in at the
// counters. Its six segments, each worked out by hand:
//
//	S1 A-001 Mon 08:00 A  loket 1 Siti  wait 1200 walk 120 service 480 done        (wait and service breached)
//	S2 A-002 Mon 08:10 A  loket 1 Siti  wait 1200, referred to B at 08:34           (wait breached)
//	S3 A-002 Mon 08:34 B  loket 2 Budi  wait 360  walk 60  service 480 incomplete   (referred in)
//	S4 B-001 Mon 09:05 B  loket 2 —     wait 60, no-show at 09:08
//	S5 A-003 Mon 09:30 A  never called, expired when the day closed (Tue 00:30)      (wait breached)
//	S6 A-001 Tue 10:00 A  loket 1 Siti  wait 300  walk 0 (no start) service 60 done
//
// and three complaints: Mon 08:45 "Waktu tunggu" about A-002, Tue 10:10
// "Waktu tunggu" naming no ticket, Tue 10:15 "Pelayanan petugas" about B-001.
func whereTimeGoes(t *testing.T) *queue.Queue {
	q, clk := queuetest.Open(t, "reports", wib(2026, 11, 2, 8, 0, 0)) // Monday
	run(t, q, clk, wib(2026, 11, 2, 8, 0, 0), queue.Issue{Service: "A"})
	run(t, q, clk, wib(2026, 11, 2, 8, 10, 0), queue.Issue{Service: "A"})
	run(t, q, clk, wib(2026, 11, 2, 8, 20, 0), queue.Call{Counter: "1", Officer: "Siti"})
	run(t, q, clk, wib(2026, 11, 2, 8, 22, 0), queue.Start{Counter: "1"})
	run(t, q, clk, wib(2026, 11, 2, 8, 30, 0), queue.Finish{Counter: "1", Outcome: queue.OutcomeDone}, queue.Call{Counter: "1", Officer: "Siti"})
	run(t, q, clk, wib(2026, 11, 2, 8, 31, 0), queue.Start{Counter: "1"})
	run(t, q, clk, wib(2026, 11, 2, 8, 34, 0), queue.Transfer{Counter: "1", Service: "B", Unit: "Disdukcapil"})
	run(t, q, clk, wib(2026, 11, 2, 8, 40, 0), queue.Call{Counter: "2", Officer: "Budi"})
	run(t, q, clk, wib(2026, 11, 2, 8, 41, 0), queue.Start{Counter: "2"})
	complain(t, q, clk, wib(2026, 11, 2, 8, 45, 0), "Waktu tunggu", "A-002")
	run(t, q, clk, wib(2026, 11, 2, 8, 49, 0), queue.Finish{Counter: "2", Outcome: queue.OutcomeIncomplete})
	run(t, q, clk, wib(2026, 11, 2, 9, 5, 0), queue.Issue{Service: "B"})
	run(t, q, clk, wib(2026, 11, 2, 9, 6, 0), queue.Call{Counter: "2"})
	run(t, q, clk, wib(2026, 11, 2, 9, 8, 0), queue.NoShow{Counter: "2"})
	run(t, q, clk, wib(2026, 11, 2, 9, 30, 0), queue.Issue{Service: "A"})
	run(t, q, clk, wib(2026, 11, 3, 0, 30, 0))
	if err := q.CloseDay(ctx); err != nil {
		t.Fatal(err)
	}
	run(t, q, clk, wib(2026, 11, 3, 10, 0, 0), queue.Issue{Service: "A"})
	run(t, q, clk, wib(2026, 11, 3, 10, 5, 0), queue.Call{Counter: "1", Officer: "Siti"})
	run(t, q, clk, wib(2026, 11, 3, 10, 6, 0), queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	complain(t, q, clk, wib(2026, 11, 3, 10, 10, 0), "Waktu tunggu", "")
	complain(t, q, clk, wib(2026, 11, 3, 10, 15, 0), "Pelayanan petugas", "B-001")
	return q
}

func complain(t *testing.T, q *queue.Queue, clk *queue.FakeClock, when time.Time, topic, ticket string) {
	t.Helper()
	run(t, q, clk, when)
	if _, err := q.ReceiveComplaint(ctx, queue.ReceiveComplaint{Channel: "kiosk", Topic: topic, Text: "…", Ticket: ticket}); err != nil {
		t.Fatal(err)
	}
}

// Services, overall, counters and officers of whereTimeGoes, worked out from
// its table (p90: rank ⌈0.9 n⌉ of the sorted values).
var (
	timeA = &queue.Indicators{Issued: 4, Done: 2, Transferred: 1, Expired: 1, Called: 3, Finished: 2,
		WaitMeanS: f(900), WaitP90S: f(1200), // [300 1200 1200]: rank 3
		WalkMeanS: f(60), ServiceMeanS: f(270), ServiceP90S: f(480), // walk [120 0]; service [60 480]: rank 2
		OnTimePct: f(50), WaitOnTimePct: f(50), ServiceOnTimePct: f(50), // S6 on time, S1 neither
		FirstVisitPct: f(100), NoShowPct: f(0), WaitBreaches: 3, ServiceBreaches: 1} // S1 S2 S5; S1
	timeB = &queue.Indicators{Issued: 1, Incomplete: 1, NoShow: 1, TransferredIn: 1, Called: 2, Finished: 1,
		WaitMeanS: f(210), WaitP90S: f(360), WalkMeanS: f(60), ServiceMeanS: f(480), ServiceP90S: f(480),
		OnTimePct: f(100), WaitOnTimePct: f(100), ServiceOnTimePct: f(100), FirstVisitPct: f(0), NoShowPct: f(50)}
	timeAll = &queue.Indicators{Issued: 5, Done: 2, Incomplete: 1, NoShow: 1, Transferred: 1, Expired: 1, TransferredIn: 1,
		Called: 5, Finished: 3,
		WaitMeanS: f(3120.0 / 5), WaitP90S: f(1200), // [60 300 360 1200 1200]: rank 5
		WalkMeanS: f(60), ServiceMeanS: f(1020.0 / 3), ServiceP90S: f(480), // [0 60 120]; [60 480 480]: rank 3
		OnTimePct: f(200.0 / 3), WaitOnTimePct: f(200.0 / 3), ServiceOnTimePct: f(200.0 / 3), // S3, S6 of S1 S3 S6
		FirstVisitPct: f(200.0 / 3), NoShowPct: f(20), WaitBreaches: 3, ServiceBreaches: 1}
	// Counters and officers: issued is 0 (tickets are issued for services).
	timeCounter1 = &queue.Indicators{Done: 2, Transferred: 1, Called: 3, Finished: 2, WaitMeanS: f(900), WaitP90S: f(1200),
		WalkMeanS: f(60), ServiceMeanS: f(270), ServiceP90S: f(480), OnTimePct: f(50), WaitOnTimePct: f(50),
		ServiceOnTimePct: f(50), FirstVisitPct: f(100), NoShowPct: f(0), WaitBreaches: 2, ServiceBreaches: 1}
	timeCounter2 = &queue.Indicators{Incomplete: 1, NoShow: 1, TransferredIn: 1, Called: 2, Finished: 1, WaitMeanS: f(210),
		WaitP90S: f(360), WalkMeanS: f(60), ServiceMeanS: f(480), ServiceP90S: f(480), OnTimePct: f(100),
		WaitOnTimePct: f(100), ServiceOnTimePct: f(100), FirstVisitPct: f(0), NoShowPct: f(50)}
	timeBudi = &queue.Indicators{Incomplete: 1, TransferredIn: 1, Called: 1, Finished: 1, WaitMeanS: f(360), WaitP90S: f(360),
		WalkMeanS: f(60), ServiceMeanS: f(480), ServiceP90S: f(480), OnTimePct: f(100), WaitOnTimePct: f(100),
		ServiceOnTimePct: f(100), FirstVisitPct: f(0), NoShowPct: f(0)}
)

func TestReportServicesCountersOfficersAndBreaches(t *testing.T) {
	rep := periodReport(t, whereTimeGoes(t), queue.PeriodMonth, "2026-11")
	wantIndicators(t, "overall", rep.Overall, timeAll)
	wantIndicators(t, "services.A", rep.Services["A"], timeA)
	wantIndicators(t, "services.B", rep.Services["B"], timeB)
	if len(rep.Counters) != 2 || len(rep.Officers) != 2 {
		t.Errorf("counters %d, officers %d; want 2 and 2 (Siti, Budi: the no-show at loket 2 had no officer)", len(rep.Counters), len(rep.Officers))
	}
	wantIndicators(t, "counters.1", rep.Counters["1"], timeCounter1)
	wantIndicators(t, "counters.2", rep.Counters["2"], timeCounter2)
	wantIndicators(t, "officers.Siti", rep.Officers["Siti"], timeCounter1) // Siti called everything loket 1 called
	wantIndicators(t, "officers.Budi", rep.Officers["Budi"], timeBudi)
	if want := []queue.Referral{{From: "A", To: "B", Unit: "Disdukcapil", Count: 1}}; !reflect.DeepEqual(rep.Referrals, want) {
		t.Errorf("referrals %+v, want %+v", rep.Referrals, want)
	}
	c := rep.Complaints
	if c.Received != 3 || c.Open != 3 || c.Closed != 0 || c.ClosedWithinStandardPct != nil ||
		!reflect.DeepEqual(c.ByTopic, map[string]int{"Waktu tunggu": 2, "Pelayanan petugas": 1}) ||
		!reflect.DeepEqual(c.ByService, map[string]int{"A": 1, "B": 1, "": 1}) {
		t.Errorf("complaints %+v", c)
	}
	if len(rep.ComplaintRows) != 3 || rep.ComplaintRows[0].Service != "A" || rep.ComplaintRows[0].Closed != nil {
		t.Errorf("complaint rows %+v", rep.ComplaintRows)
	}
}

func TestReportByHourServiceHoursAndHeatmap(t *testing.T) {
	rep := periodReport(t, whereTimeGoes(t), queue.PeriodMonth, "2026-11")
	// Arrivals are issues by hour: 08 S1 S2, 09 S4 S5, 10 S6. Served are
	// finishes by hour: 08:30 S1, 08:49 S3, 10:06 S6. Means are over the
	// segments queued in the hour: 08 waits S1 S2 S3 (1200 1200 360), walks
	// S1 S3 (120 60), services S1 S3 (480 480); 09 the wait of S4 (60).
	want := map[int]queue.HourFigures{
		8:  {Hour: 8, Arrivals: 2, Served: 2, WaitMeanS: f(2760.0 / 3), WalkMeanS: f(90), ServiceMeanS: f(480)},
		9:  {Hour: 9, Arrivals: 2, WaitMeanS: f(60)},
		10: {Hour: 10, Arrivals: 1, Served: 1, WaitMeanS: f(300), WalkMeanS: f(0), ServiceMeanS: f(60)},
	}
	checkHours(t, "by_hour", rep.ByHour, want)
	checkHours(t, "service_hours.A", rep.ServiceHours["A"], map[int]queue.HourFigures{
		8:  {Hour: 8, Arrivals: 2, Served: 1, WaitMeanS: f(1200), WalkMeanS: f(120), ServiceMeanS: f(480)},
		9:  {Hour: 9, Arrivals: 1},
		10: {Hour: 10, Arrivals: 1, Served: 1, WaitMeanS: f(300), WalkMeanS: f(0), ServiceMeanS: f(60)},
	})
	checkHours(t, "service_hours.B", rep.ServiceHours["B"], map[int]queue.HourFigures{
		8: {Hour: 8, Served: 1, WaitMeanS: f(360), WalkMeanS: f(60), ServiceMeanS: f(480)}, // S3, referred in
		9: {Hour: 9, Arrivals: 1, WaitMeanS: f(60)},
	})
	// Monday is weekday 0, Tuesday 1.
	h := rep.Heatmap
	for wd := range 7 {
		for hr := range 24 {
			wantN, wantWait := 0, (*float64)(nil)
			switch {
			case wd == 0 && hr == 8:
				wantN, wantWait = 2, f(2760.0/3)
			case wd == 0 && hr == 9:
				wantN, wantWait = 2, f(60)
			case wd == 1 && hr == 10:
				wantN, wantWait = 1, f(300)
			}
			if h.Arrivals[wd][hr] != wantN || !sameFloat(h.WaitMeanS[wd][hr], wantWait) {
				t.Errorf("heatmap[%d][%d] = %d, %v; want %d, %v", wd, hr, h.Arrivals[wd][hr], fmtF(h.WaitMeanS[wd][hr]), wantN, fmtF(wantWait))
			}
		}
	}
	b, _ := json.Marshal(rep)
	if !strings.Contains(string(b), `"by_hour":[{"hour":0,"arrivals":0,"served":0,"wait_mean_s":null,"walk_mean_s":null,"service_mean_s":null},`) {
		t.Errorf("by_hour JSON does not start with hour 0 as DOMAIN.md names it: %.300s", b[strings.Index(string(b), `"by_hour"`):])
	}
}

func checkHours(t *testing.T, name string, got []queue.HourFigures, want map[int]queue.HourFigures) {
	t.Helper()
	if len(got) != 24 {
		t.Fatalf("%s has %d hours, want 24", name, len(got))
	}
	for h, g := range got {
		w := want[h]
		w.Hour = h
		if g.Hour != w.Hour || g.Arrivals != w.Arrivals || g.Served != w.Served || !sameFloat(g.WaitMeanS, w.WaitMeanS) ||
			!sameFloat(g.WalkMeanS, w.WalkMeanS) || !sameFloat(g.ServiceMeanS, w.ServiceMeanS) {
			t.Errorf("%s[%d] = {%d %d %v %v %v}, want {%d %d %v %v %v}", name, h, g.Arrivals, g.Served, fmtF(g.WaitMeanS),
				fmtF(g.WalkMeanS), fmtF(g.ServiceMeanS), w.Arrivals, w.Served, fmtF(w.WaitMeanS), fmtF(w.WalkMeanS), fmtF(w.ServiceMeanS))
		}
	}
}

func TestReportByDay(t *testing.T) {
	rep := periodReport(t, whereTimeGoes(t), queue.PeriodMonth, "2026-11")
	if len(rep.ByDay) != 2 || rep.ByDay[0].Day != "2026-11-02" || rep.ByDay[1].Day != "2026-11-03" {
		t.Fatalf("by_day %+v, want Monday 2 and Tuesday 3 November", rep.ByDay)
	}
	// Monday: S1–S5. Waits [60 360 1200 1200] (rank ⌈3.6⌉=4); walks [60 120];
	// services [480 480]; on time S3 of S1 S3.
	wantIndicators(t, "by_day[0]", rep.ByDay[0].Indicators, &queue.Indicators{Issued: 4, Done: 1, Incomplete: 1, NoShow: 1,
		Transferred: 1, Expired: 1, TransferredIn: 1, Called: 4, Finished: 2, WaitMeanS: f(705), WaitP90S: f(1200),
		WalkMeanS: f(90), ServiceMeanS: f(480), ServiceP90S: f(480), OnTimePct: f(50), WaitOnTimePct: f(50),
		ServiceOnTimePct: f(50), FirstVisitPct: f(50), NoShowPct: f(25), WaitBreaches: 3, ServiceBreaches: 1})
	wantIndicators(t, "by_day[1]", rep.ByDay[1].Indicators, &queue.Indicators{Issued: 1, Done: 1, Called: 1, Finished: 1,
		WaitMeanS: f(300), WaitP90S: f(300), WalkMeanS: f(0), ServiceMeanS: f(60), ServiceP90S: f(60),
		OnTimePct: f(100), WaitOnTimePct: f(100), ServiceOnTimePct: f(100), FirstVisitPct: f(100), NoShowPct: f(0)})
	b, _ := json.Marshal(rep.ByDay[1])
	if !strings.HasPrefix(string(b), `{"day":"2026-11-03","issued":1,`) {
		t.Errorf("a day's JSON is the day then its indicators, flat: %s", b)
	}
}

// A quarter and a year holding only November give November's figures, under
// their own key.
func TestQuarterlyAndYearlyReports(t *testing.T) {
	q := whereTimeGoes(t)
	month := periodReport(t, q, queue.PeriodMonth, "2026-11")
	for _, p := range []struct {
		kind queue.PeriodKind
		key  string
		json string
	}{{queue.PeriodQuarter, "2026-Q4", `{"office":"mpp-uji","quarter":"2026-Q4","overall":`},
		{queue.PeriodYear, "2026", `{"office":"mpp-uji","year":"2026","overall":`}} {
		rep := periodReport(t, q, p.kind, p.key)
		wantIndicators(t, p.key+" overall", rep.Overall, timeAll)
		wantIndicators(t, p.key+" counters.1", rep.Counters["1"], timeCounter1)
		b, _ := json.Marshal(rep)
		if !strings.HasPrefix(string(b), p.json) || strings.Contains(string(b), `"month":`) {
			t.Errorf("%s JSON starts %.60s, want %s and no month", p.key, b, p.json)
		}
		if !reflect.DeepEqual(rep.ByHour, month.ByHour) || !reflect.DeepEqual(rep.Heatmap, month.Heatmap) {
			t.Errorf("%s: hours differ from November's", p.key)
		}
	}
	// The third quarter and 2025 hold nothing.
	for _, p := range [][2]string{{"quarter", "2026-Q3"}, {"year", "2025"}} {
		rep := periodReport(t, q, queue.PeriodKind(p[0]), p[1])
		if rep.Overall.Issued != 0 || rep.Overall.WaitMeanS != nil || len(rep.ByDay) != 0 || rep.Complaints.Received != 0 {
			t.Errorf("%s: %+v, want an empty report", p[1], rep.Overall)
		}
	}
}

// With no officer signed in, the report has no "officers" at all.
func TestReportWithoutOfficersHasNoOfficerPart(t *testing.T) {
	q, clk := queuetest.Open(t, "reports", wib(2026, 11, 2, 8, 0, 0))
	run(t, q, clk, wib(2026, 11, 2, 8, 0, 0), queue.Issue{Service: "A"}, queue.Call{Counter: "1"})
	run(t, q, clk, wib(2026, 11, 2, 8, 3, 0), queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	rep := periodReport(t, q, queue.PeriodMonth, "2026-11")
	if b, _ := json.Marshal(rep); strings.Contains(string(b), `"officers"`) || rep.Officers != nil {
		t.Errorf("officers in a report of an office without sign-in: %v", rep.Officers)
	}
	if rep.Segments[0].Officer != "" || rep.Counters["1"].Done != 1 {
		t.Errorf("segment %+v, counter 1 %+v", rep.Segments[0], rep.Counters["1"])
	}
}

func TestParsePeriod(t *testing.T) {
	good := []struct {
		kind       queue.PeriodKind
		key        string
		start, end time.Time
	}{
		{queue.PeriodDay, "2026-11-05", wib(2026, 11, 5, 0, 0, 0), wib(2026, 11, 6, 0, 0, 0)},
		{queue.PeriodMonth, "2026-12", wib(2026, 12, 1, 0, 0, 0), wib(2027, 1, 1, 0, 0, 0)},
		{queue.PeriodQuarter, "2026-Q1", wib(2026, 1, 1, 0, 0, 0), wib(2026, 4, 1, 0, 0, 0)},
		{queue.PeriodQuarter, "2026-Q4", wib(2026, 10, 1, 0, 0, 0), wib(2027, 1, 1, 0, 0, 0)},
		{queue.PeriodYear, "2026", wib(2026, 1, 1, 0, 0, 0), wib(2027, 1, 1, 0, 0, 0)},
	}
	for _, g := range good {
		p, err := queue.ParsePeriod(g.kind, g.key, jakarta)
		if err != nil || !p.Start.Equal(g.start) || !p.End.Equal(g.end) {
			t.Errorf("%s %s = [%v, %v) %v, want [%v, %v)", g.kind, g.key, p.Start, p.End, err, g.start, g.end)
		}
		if back := queue.PeriodOf(g.kind, g.start.Add(time.Hour)); back.Key != g.key {
			t.Errorf("PeriodOf(%s, %v) = %s, want %s", g.kind, g.start, back.Key, g.key)
		}
	}
	bad := map[queue.PeriodKind][]string{
		queue.PeriodQuarter: {"2026-Q0", "2026-Q5", "2026-Q12", "2026-4", "2026Q4", "Q4-2026", ""},
		queue.PeriodYear:    {"26", "2026-01", "tahun"},
		queue.PeriodMonth:   {"2026-13", "2026"},
		queue.PeriodDay:     {"2026-11-31"},
		"week":              {"2026-W45"},
	}
	for kind, keys := range bad {
		for _, k := range keys {
			if _, err := queue.ParsePeriod(kind, k, jakarta); queue.KindOf(err) != queue.KindInvalid {
				t.Errorf("%s %q: %v, want a refusal", kind, k, err)
			}
		}
	}
}
