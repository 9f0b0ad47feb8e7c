package queue_test

// Helpers of the report-figure tests (report_figures_test.go,
// report_revisions_test.go, report_skm_test.go), on the "reports" fixture:
// A waits 10 minutes and is served in 5, B 20 and 10; counter 1 serves A,
// counter 2 serves B; complaints within 48 hours.

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
)

// run moves the clock to when (never back) and runs the commands there,
// failing the test on the first refusal; it returns the last ticket.
func run(t *testing.T, q *queue.Queue, clk *queue.FakeClock, when time.Time, cmds ...queue.Command) *queue.Ticket {
	t.Helper()
	if d := when.Sub(clk.Now().Wall); d > 0 {
		clk.Advance(d)
	} else if d < 0 {
		t.Fatalf("run at %v: the clock is already at %v", when, clk.Now().Wall)
	}
	var tk *queue.Ticket
	for _, c := range cmds {
		var err error
		if tk, err = q.Do(ctx, c); err != nil {
			t.Fatalf("%T%+v at %v: %v", c, c, when, err)
		}
	}
	return tk
}

// periodReport is the office's report of a period, checked to be byte for
// byte the report headquarters computes from the office's events (each fed
// twice: a resent event must not count again).
func periodReport(t *testing.T, q *queue.Queue, kind queue.PeriodKind, key string) *queue.Report {
	t.Helper()
	p, err := queue.ParsePeriod(kind, key, q.Config().Location)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := q.Report(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	b := queue.NewPeriodReport(q.Config().Office.ID, p)
	for _, ev := range allEvents(t, q) {
		b.Add(ev)
		b.Add(ev)
	}
	office, _ := json.Marshal(rep)
	hq, _ := json.Marshal(b.Report())
	if string(office) != string(hq) {
		t.Fatalf("%s %s: the office's report and the one from its event stream differ:\noffice %s\nstream %s", kind, key, office, hq)
	}
	return rep
}

// wantIndicators compares every field of got's JSON with want's (the
// additions included, unlike checkIndicators), naming each that differs.
func wantIndicators(t *testing.T, name string, got, want *queue.Indicators) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: missing", name)
		return
	}
	gm, wm := fieldsOf(got), fieldsOf(want)
	for k, w := range wm {
		if g := gm[k]; !sameFloat(g, w) {
			t.Errorf("%s.%s = %v, want %v", name, k, fmtF(g), fmtF(w))
		}
	}
}

// fieldsOf reads indicators as their JSON has them.
func fieldsOf(ind *queue.Indicators) map[string]*float64 {
	b, _ := json.Marshal(ind)
	m := map[string]*float64{}
	if err := json.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	return m
}
