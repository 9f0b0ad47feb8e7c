package queue

import (
	"math/big"
	"sort"
	"time"
)

// Indicators are the queue indicators of DOMAIN.md for one service or the
// whole office over one local calendar month. Durations are in seconds and
// rates in percent (0–100), unrounded; nil (JSON null) when there is
// nothing to count. The fields after NoShowPct are additions documented in
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
}

// ComplaintIndicators are the complaint (pengaduan) indicators of a month.
type ComplaintIndicators struct {
	Received                int      `json:"received"`
	Closed                  int      `json:"closed"`
	Open                    int      `json:"open"` // received before the month's end and not closed by then
	ClosedWithinStandardPct *float64 `json:"closed_within_standard_pct"`
}

// Satisfaction is the quick score (1–4 after service) of a month.
type Satisfaction struct {
	Responses    int      `json:"responses"`
	Mean         *float64 `json:"mean"`
	SatisfiedPct *float64 `json:"satisfied_pct"` // share of scores ≥ 3
}

// SKM is the citizen satisfaction survey of a month (PermenPAN-RB 14/2017).
type SKM struct {
	Responses  int          `json:"responses"`
	NRR        [9]*float64  `json:"nrr"`   // per element: sum of answers / respondents who answered it
	IKM        *float64     `json:"ikm"`   // (Σ NRR_i × 1/9) × 25, unrounded
	Grade      *string      `json:"grade"` // A, B, C or D, graded on the exact value
	GradeLabel *string      `json:"grade_label"`
	ikmExact   *big.Rat     // the exact IKM, for grading and tests
	elements   [9]skmCounts // sums and counts per element
}

type skmCounts struct{ sum, n int64 }

// Grade boundaries of the IKM (PermenPAN-RB 14/2017), exact.
var (
	ikmD = big.NewRat(6500, 100)
	ikmC = big.NewRat(7661, 100)
	ikmB = big.NewRat(8831, 100)
)

// IKMGrade grades an exact IKM: < 65.00 D (tidak baik), < 76.61 C (kurang
// baik), < 88.31 B (baik), else A (sangat baik).
func IKMGrade(ikm *big.Rat) (grade, label string) {
	switch {
	case ikm.Cmp(ikmD) < 0:
		return "D", "tidak baik"
	case ikm.Cmp(ikmC) < 0:
		return "C", "kurang baik"
	case ikm.Cmp(ikmB) < 0:
		return "B", "baik"
	}
	return "A", "sangat baik"
}

// IKMExact is the unrounded IKM as an exact fraction (nil when there is none).
func (s *SKM) IKMExact() *big.Rat { return s.ikmExact }

// computeSKM fills NRR, IKM and grade from the element sums. IKM is computed
// as an exact fraction, 25/9 × Σ sum_i/n_i, so that a response set exactly on
// a grade boundary is graded as the regulation says, not as float rounding
// falls.
func (s *SKM) compute() {
	total := new(big.Rat)
	complete := s.Responses > 0
	for i, e := range s.elements {
		if e.n == 0 {
			complete = false
			continue
		}
		v := float64(e.sum) / float64(e.n)
		s.NRR[i] = &v
		total.Add(total, big.NewRat(e.sum, e.n))
	}
	if !complete {
		return
	}
	ikm := total.Mul(total, big.NewRat(25, 9))
	s.ikmExact = ikm
	f, _ := ikm.Float64()
	g, l := IKMGrade(ikm)
	s.IKM, s.Grade, s.GradeLabel = &f, &g, &l
}

// durStats collects durations for a mean and a nearest-rank percentile.
type durStats struct {
	ns  []int64
	sum int64
}

func (d *durStats) add(v time.Duration) { d.ns = append(d.ns, int64(v)); d.sum += int64(v) }

func (d *durStats) merge(o *durStats) { d.ns = append(d.ns, o.ns...); d.sum += o.sum }

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
}

func (a *acc) addSegment(s *segState) {
	ind := &a.ind
	if s.transferredFrom != "" {
		ind.TransferredIn++
	}
	if s.calls > 1 {
		ind.Recalls += s.calls - 1
	}
	if !s.firstCall.IsZero() {
		ind.Called++
		a.wait.add(Elapsed(s.queued, s.firstCall))
	}
	switch s.end {
	case StageFinished:
		ind.Finished++
		if s.outcome == OutcomeIncomplete {
			ind.Incomplete++
		} else {
			ind.Done++
		}
		w, sv := Elapsed(s.queued, s.firstCall), Elapsed(s.started, s.ended)
		a.walk.add(Elapsed(s.lastCall, s.started))
		a.service.add(sv)
		wok, sok := w <= s.waitStd, sv <= s.serviceStd
		if wok {
			a.waitOK++
		}
		if sok {
			a.svOK++
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
	default:
		ind.Open++
	}
}

func (a *acc) merge(o *acc) {
	i, j := &a.ind, &o.ind
	i.Issued += j.Issued
	i.Priority += j.Priority
	i.Done += j.Done
	i.Incomplete += j.Incomplete
	i.NoShow += j.NoShow
	i.Transferred += j.Transferred
	i.Expired += j.Expired
	i.TransferredIn += j.TransferredIn
	i.Called += j.Called
	i.Finished += j.Finished
	i.Open += j.Open
	i.Recalls += j.Recalls
	a.wait.merge(&o.wait)
	a.walk.merge(&o.walk)
	a.service.merge(&o.service)
	a.onTime += o.onTime
	a.waitOK += o.waitOK
	a.svOK += o.svOK
}

func (a *acc) result() *Indicators {
	ind := a.ind
	ind.WaitMeanS, ind.WaitP90S = a.wait.mean(), a.wait.p90()
	ind.WalkMeanS = a.walk.mean()
	ind.ServiceMeanS, ind.ServiceP90S = a.service.mean(), a.service.p90()
	ind.OnTimePct = pct(a.onTime, ind.Finished)
	ind.WaitOnTimePct = pct(a.waitOK, ind.Finished)
	ind.ServiceOnTimePct = pct(a.svOK, ind.Finished)
	ind.FirstVisitPct = pct(ind.Done, ind.Done+ind.Incomplete)
	ind.NoShowPct = pct(ind.NoShow, ind.Called)
	return &ind
}
