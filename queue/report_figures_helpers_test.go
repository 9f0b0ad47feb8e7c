package queue_test

// Helpers of the report-figure tests (report_figures_test.go). The office is
// the report tests' office: A waits 10 minutes and is served in 5, B 20 and
// 10; counter 1 serves A, counter 2 serves B; complaints within 48 hours.

import (
	"context"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

const reportOfficeTOML = `
[office]
id = "mpp-uji"
name = "MPP Uji"
timezone = "Asia/Jakarta"
admin_token = "admin"
complaint_standard = "48h"

[[service]]
code = "A"
name = "Perizinan"
wait_standard = "10m"
service_standard = "5m"

[[service]]
code = "B"
name = "Kependudukan"
wait_standard = "20m"
service_standard = "10m"

[[counter]]
id = "1"
name = "Loket 1"
services = ["A"]
token = "t1"

[[counter]]
id = "2"
name = "Loket 2"
services = ["B"]
token = "t2"
`

var wibZone = func() *time.Location {
	l, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		panic(err)
	}
	return l
}()

// figuresOffice opens the report tests' office with its clock at start.
func figuresOffice(t *testing.T, start time.Time) (*queue.Queue, *queue.FakeClock) {
	t.Helper()
	return queuetest.OpenConfig(t, queuetest.Config(t, reportOfficeTOML), start)
}

// at is a wall time in the office's zone (WIB).
func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, wibZone)
}

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
		if tk, err = q.Do(context.Background(), c); err != nil {
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
	rep, err := q.Report(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := q.Store().EventsAfter(context.Background(), 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	b := queue.NewPeriodReport(q.Config().Office.ID, p)
	for _, ev := range evs {
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

// secs is a pointer to a number of seconds (or a percentage): an expected value.
func secs(v float64) *float64 { return &v }

func near(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(*a-*b) <= 1e-9*math.Max(1, math.Abs(*b))
}

func show(p *float64) any {
	if p == nil {
		return "null"
	}
	return *p
}

// wantIndicators compares every field of got with want, naming each that differs.
func wantIndicators(t *testing.T, name string, got, want *queue.Indicators) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: missing", name)
		return
	}
	gm, wm := fieldsOf(got), fieldsOf(want)
	for k, w := range wm {
		if g := gm[k]; !near(g, w) {
			t.Errorf("%s.%s = %v, want %v", name, k, show(g), show(w))
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
