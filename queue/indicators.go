package queue

import (
	"sort"
	"time"
)

// Indicators are the queue indicators of DOMAIN.md for one service or the
// whole office (or a counter, an officer, a day, a revision window) over a
// report's period. Durations are in seconds and rates in percent (0–100),
// unrounded; nil (JSON null) when there is nothing to count. The fields after NoShowPct are additions documented in
// docs/INDICATORS.md; the fixed ones keep their DOMAIN.md names.
type Indicators struct {
	Issued           int      `json:"issued"`      // tickets issued for it (not transfers in)
	Done             int      `json:"done"`        // segments finished done
	Incomplete       int      `json:"incomplete"`  // segments finished incomplete
	NoShow           int      `json:"no_show"`     // segments ended no-show
	Transferred      int      `json:"transferred"` // segments transferred out (referrals)
	Expired          int      `json:"expired"`     // segments still waiting at day close
	WaitMeanS        *float64 `json:"wait_mean_s"`
	WaitP90S         *float64 `json:"wait_p90_s"`
	WalkMeanS        *float64 `json:"walk_mean_s"`
	ServiceMeanS     *float64 `json:"service_mean_s"`
	ServiceP90S      *float64 `json:"service_p90_s"`
	OnTimePct        *float64 `json:"on_time_pct"`
	WaitOnTimePct    *float64 `json:"wait_on_time_pct"`
	ServiceOnTimePct *float64 `json:"service_on_time_pct"`
	FirstVisitPct    *float64 `json:"first_visit_pct"`
	NoShowPct        *float64 `json:"no_show_pct"`

	// Additions.
	TransferredIn int `json:"transferred_in"` // segments that began by a transfer into it (rujukan masuk)
	Called        int `json:"called"`         // segments called at least once: the no-show denominator
	Finished      int `json:"finished"`       // done + incomplete: the on-time denominator
	Open          int `json:"open"`           // segments not ended when the report was made
	Priority      int `json:"priority"`       // priority tickets among Issued
	Recalls       int `json:"recalls"`        // recalls (calls after the first) of its segments
	// Breaches per stage: called segments that waited longer than their wait
	// standard (expired ones included: they waited until the day closed), and
	// finished ones served longer than their service standard.
	WaitBreaches    int `json:"wait_breaches"`
	ServiceBreaches int `json:"service_breaches"`
	// Manual counts the segments entered from a paper log among these (issue 15): they
	// count as tickets, never in the durations, on-time rates and breaches above.
	Manual int `json:"manual"`
}

// Satisfaction is the quick score (1–4 after service) of a period.
type Satisfaction struct {
	Responses    int      `json:"responses"`
	Mean         *float64 `json:"mean"`
	SatisfiedPct *float64 `json:"satisfied_pct"` // share of scores ≥ 3
}

// durStats collects durations for a mean and a nearest-rank percentile.
type durStats struct {
	ns  []int64
	sum int64
}

func (d *durStats) add(v time.Duration) { d.ns = append(d.ns, int64(v)); d.sum += int64(v) }

func (d *durStats) mean() *float64 {
	if len(d.ns) == 0 {
		return nil
	}
	v := float64(d.sum) / float64(len(d.ns)) / 1e9
	return &v
}

// p90 is the 90th percentile by nearest rank: the value at rank ⌈0.9 n⌉ of
// the sorted values, computed in integers ((9n+9)/10) so no rounding of 0.9
// can move it.
func (d *durStats) p90() *float64 {
	n := len(d.ns)
	if n == 0 {
		return nil
	}
	sort.Slice(d.ns, func(i, j int) bool { return d.ns[i] < d.ns[j] })
	v := float64(d.ns[(9*n+9)/10-1]) / 1e9
	return &v
}

func pct(k, n int) *float64 {
	if n == 0 {
		return nil
	}
	v := float64(k) * 100 / float64(n)
	return &v
}

// acc accumulates one service's (or the office's) indicators.
type acc struct {
	ind                  Indicators
	wait, walk, service  durStats
	onTime, waitOK, svOK int
	measured             int // finished segments with measured times: the on-time denominator
}

func (a *acc) addSegment(s *segState) {
	ind := &a.ind
	if s.idx == 1 { // the ticket's issue
		ind.Issued++
		if s.priority {
			ind.Priority++
		}
	}
	if s.transferredFrom != "" {
		ind.TransferredIn++
	}
	if s.calls > 1 {
		ind.Recalls += s.calls - 1
	}
	if s.manual {
		ind.Manual++
	}
	if !s.firstCall.IsZero() {
		ind.Called++
	}
	w, measured := s.waitTime()
	if measured {
		a.wait.add(w)
		if w > s.waitStd {
			ind.WaitBreaches++
		}
	}
	switch s.end {
	case StageFinished:
		ind.Finished++
		if s.outcome == OutcomeIncomplete {
			ind.Incomplete++
		} else {
			ind.Done++
		}
		walk, ok := s.walkTime()
		sv, _ := s.serviceTime()
		if !ok {
			break // a manual ticket: counted, not timed
		}
		a.measured++
		a.walk.add(walk)
		a.service.add(sv)
		wok, sok := w <= s.waitStd, sv <= s.serviceStd
		if wok {
			a.waitOK++
		}
		if sok {
			a.svOK++
		} else {
			ind.ServiceBreaches++
		}
		if wok && sok {
			a.onTime++
		}
	case StageNoShow:
		ind.NoShow++
	case StageTransferred:
		ind.Transferred++
	case StageExpired:
		ind.Expired++
		if s.firstCall.IsZero() && !s.manual && Elapsed(s.queued, s.ended) > s.waitStd {
			ind.WaitBreaches++
		}
	default:
		ind.Open++
	}
}

func (a *acc) result() *Indicators {
	ind := a.ind
	ind.WaitMeanS, ind.WaitP90S = a.wait.mean(), a.wait.p90()
	ind.WalkMeanS = a.walk.mean()
	ind.ServiceMeanS, ind.ServiceP90S = a.service.mean(), a.service.p90()
	ind.OnTimePct = pct(a.onTime, a.measured)
	ind.WaitOnTimePct = pct(a.waitOK, a.measured)
	ind.ServiceOnTimePct = pct(a.svOK, a.measured)
	ind.FirstVisitPct = pct(ind.Done, ind.Done+ind.Incomplete)
	ind.NoShowPct = pct(ind.NoShow, ind.Called)
	return &ind
}
