package queue_test

import (
	"reflect"
	"testing"

	"github.com/antri-id/antri/queue"
)

// Three offices ranked by hand: higher is better for rates and the IKM,
// lower for durations; equal values share a place (1, 2, 2), an office with
// nothing to count comes last with place 0.
func TestCompareRanksOffices(t *testing.T) {
	p, _ := queue.ParsePeriod(queue.PeriodQuarter, "2026-Q4", jakarta)
	rep := func(id string, onTime, wait, ikm *float64) *queue.Report {
		return &queue.Report{Office: id, Period: p, Overall: &queue.Indicators{OnTimePct: onTime, WaitMeanS: wait}, SKM: queue.SKM{IKM: ikm}}
	}
	c := queue.Compare([]*queue.Report{
		rep("mpp-c", f(80), f(200), nil),
		rep("mpp-a", f(80), f(300), f(88)),
		rep("mpp-b", f(90), nil, f(70)),
	}, map[string]string{"mpp-a": "MPP A"})
	if c.Kind != queue.PeriodQuarter || c.Key != "2026-Q4" || len(c.Offices) != 3 || c.Offices[0].Office != "mpp-a" || c.Offices[0].Name != "MPP A" {
		t.Fatalf("comparison %+v", c)
	}
	want := map[string][]queue.Place{
		"on_time_pct": {{Place: 1, Office: "mpp-b", Value: f(90)}, {Place: 2, Office: "mpp-a", Value: f(80)}, {Place: 2, Office: "mpp-c", Value: f(80)}},
		"wait_mean_s": {{Place: 1, Office: "mpp-c", Value: f(200)}, {Place: 2, Office: "mpp-a", Value: f(300)}, {Place: 0, Office: "mpp-b"}},
		"ikm":         {{Place: 1, Office: "mpp-a", Value: f(88)}, {Place: 2, Office: "mpp-b", Value: f(70)}, {Place: 0, Office: "mpp-c"}},
	}
	for key, w := range want {
		if got := c.Rankings[key]; !reflect.DeepEqual(got, w) {
			t.Errorf("%s: %+v, want %+v", key, got, w)
		}
	}
	if len(c.Rankings) != len(queue.RankedIndicators) {
		t.Errorf("%d rankings, want one per ranked indicator (%d)", len(c.Rankings), len(queue.RankedIndicators))
	}
}
