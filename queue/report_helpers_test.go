package queue

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"
)

const reportTestConfig = `
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
requirements = ["KTP-el"]
procedure = ["Ambil nomor", "Verifikasi"]
completion_time = "1 hari kerja"
fee = "Gratis"
product = "NIB"
complaints = "Loket pengaduan"

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

var jakarta = func() *time.Location {
	l, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		panic(err)
	}
	return l
}()

// wib is a wall time in the office's zone (UTC+7).
func wib(y int, m time.Month, d, h, min, s int) time.Time {
	return time.Date(y, m, d, h, min, s, 0, jakarta)
}

// testQueue is a queue on a fresh database, its clock at start.
func testQueue(t testing.TB, start time.Time) (*Queue, *FakeClock) {
	t.Helper()
	cfg, err := ParseConfig("uji.toml", []byte(reportTestConfig))
	if err != nil {
		t.Fatal(err)
	}
	st, err := OpenStore(filepath.Join(t.TempDir(), "antri.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := NewFakeClock(start)
	return New(cfg, st, clk), clk
}

// do runs commands and fails the test on the first refusal.
func do(t testing.TB, q *Queue, cmds ...Command) *Ticket {
	t.Helper()
	var tk *Ticket
	for _, c := range cmds {
		var err error
		if tk, err = q.Do(context.Background(), c); err != nil {
			t.Fatalf("%T%+v: %v", c, c, err)
		}
	}
	return tk
}

// allEvents reads the whole outbox.
func allEvents(t testing.TB, q *Queue) []Event {
	t.Helper()
	evs, err := q.Store().EventsAfter(context.Background(), 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func f(v float64) *float64 { return &v }

func sameFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(*a-*b) <= 1e-9*math.Max(1, math.Abs(*b))
}

func fmtF(p *float64) any {
	if p == nil {
		return "null"
	}
	return *p
}

// checkIndicators compares every field of got with want.
func checkIndicators(t *testing.T, name string, got, want *Indicators) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: missing", name)
		return
	}
	ints := []struct {
		f         string
		got, want int
	}{
		{"issued", got.Issued, want.Issued}, {"done", got.Done, want.Done}, {"incomplete", got.Incomplete, want.Incomplete},
		{"no_show", got.NoShow, want.NoShow}, {"transferred", got.Transferred, want.Transferred}, {"expired", got.Expired, want.Expired},
		{"transferred_in", got.TransferredIn, want.TransferredIn}, {"called", got.Called, want.Called},
		{"finished", got.Finished, want.Finished}, {"open", got.Open, want.Open}, {"priority", got.Priority, want.Priority},
		{"recalls", got.Recalls, want.Recalls},
	}
	for _, c := range ints {
		if c.got != c.want {
			t.Errorf("%s.%s = %d, want %d", name, c.f, c.got, c.want)
		}
	}
	floats := []struct {
		f         string
		got, want *float64
	}{
		{"wait_mean_s", got.WaitMeanS, want.WaitMeanS}, {"wait_p90_s", got.WaitP90S, want.WaitP90S},
		{"walk_mean_s", got.WalkMeanS, want.WalkMeanS}, {"service_mean_s", got.ServiceMeanS, want.ServiceMeanS},
		{"service_p90_s", got.ServiceP90S, want.ServiceP90S}, {"on_time_pct", got.OnTimePct, want.OnTimePct},
		{"wait_on_time_pct", got.WaitOnTimePct, want.WaitOnTimePct},
		{"service_on_time_pct", got.ServiceOnTimePct, want.ServiceOnTimePct},
		{"first_visit_pct", got.FirstVisitPct, want.FirstVisitPct}, {"no_show_pct", got.NoShowPct, want.NoShowPct},
	}
	for _, c := range floats {
		if !sameFloat(c.got, c.want) {
			t.Errorf("%s.%s = %v, want %v", name, c.f, fmtF(c.got), fmtF(c.want))
		}
	}
}
