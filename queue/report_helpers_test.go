package queue_test

import (
	"math"
	"testing"

	"github.com/antri-id/antri/queue"
)

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
func checkIndicators(t *testing.T, name string, got, want *queue.Indicators) {
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
