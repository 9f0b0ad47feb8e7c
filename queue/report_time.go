package queue

import (
	"sort"
	"time"
)

// HourFigures are where the time of one hour of the office's day goes
// (DOMAIN.md "Reports", by_hour). Arrivals are tickets issued in the hour;
// served are segments finished in it. The means are over the segments queued
// in the hour (issued, or referred in): the wait of those called, the walk
// (last call → start) and the service of those finished — what a citizen who
// joins the queue at that hour goes through. Nil when there is none.
type HourFigures struct {
	Hour         int      `json:"hour"`
	Arrivals     int      `json:"arrivals"`
	Served       int      `json:"served"`
	WaitMeanS    *float64 `json:"wait_mean_s"`
	WalkMeanS    *float64 `json:"walk_mean_s"`
	ServiceMeanS *float64 `json:"service_mean_s"`
}

// DayIndicators are the indicators of the segments queued on one local day.
type DayIndicators struct {
	Day string `json:"day"` // YYYY-MM-DD
	*Indicators
}

// Heatmap is the week of the period folded onto one: arrivals (tickets
// issued) and the mean wait of the segments queued, by weekday and hour.
// Weekday 0 is Monday (Senin), 6 Sunday (Minggu).
type Heatmap struct {
	Arrivals  [7][24]int      `json:"arrivals"`
	WaitMeanS [7][24]*float64 `json:"wait_mean_s"`
}

// meanAcc is a mean of durations kept as an integer sum, so that the order
// segments arrive in cannot change a bit of the result.
type meanAcc struct {
	sum time.Duration
	n   int
}

func (m *meanAcc) add(d time.Duration) { m.sum += d; m.n++ }

func (m meanAcc) mean() *float64 {
	if m.n == 0 {
		return nil
	}
	v := float64(m.sum) / float64(m.n) / 1e9
	return &v
}

type hourAcc struct {
	arrivals, served    int
	wait, walk, service meanAcc
}

func (h *hourAcc) result(hour int) HourFigures {
	return HourFigures{Hour: hour, Arrivals: h.arrivals, Served: h.served, WaitMeanS: h.wait.mean(),
		WalkMeanS: h.walk.mean(), ServiceMeanS: h.service.mean()}
}

// weekday counts from Monday, as an Indonesian week does.
func weekday(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }

// timeFigures fills the hour, day and weekday figures of the period's
// segments: ByHour, ServiceHours, ByDay and Heatmap.
func (b *ReportBuilder) timeFigures(r *Report, segs []*segState) {
	var all [24]hourAcc
	per := map[string]*[24]hourAcc{}
	var heatWait [7][24]meanAcc
	for _, s := range segs {
		ph := per[s.service]
		if ph == nil {
			ph = &[24]hourAcc{}
			per[s.service] = ph
		}
		q := s.queued.Wall.In(b.loc)
		h, wd := q.Hour(), weekday(q)
		for _, acc := range []*hourAcc{&all[h], &ph[h]} {
			if s.idx == 1 {
				acc.arrivals++
			}
			if w, ok := s.waitTime(); ok {
				acc.wait.add(w)
			}
			if w, ok := s.walkTime(); ok {
				acc.walk.add(w)
			}
			if sv, ok := s.serviceTime(); ok {
				acc.service.add(sv)
			}
		}
		if s.idx == 1 {
			r.Heatmap.Arrivals[wd][h]++
		}
		if w, ok := s.waitTime(); ok {
			heatWait[wd][h].add(w)
		}
		if s.end == StageFinished {
			eh := s.ended.Wall.In(b.loc).Hour()
			all[eh].served++
			ph[eh].served++
		}
	}
	r.ByHour = make([]HourFigures, 24)
	for h := range all {
		r.ByHour[h] = all[h].result(h)
	}
	r.ServiceHours = make(map[string][]HourFigures, len(per))
	for svc, ph := range per {
		hours := make([]HourFigures, 24)
		for h := range ph {
			hours[h] = ph[h].result(h)
		}
		r.ServiceHours[svc] = hours
	}
	for wd := range heatWait {
		for h := range heatWait[wd] {
			r.Heatmap.WaitMeanS[wd][h] = heatWait[wd][h].mean()
		}
	}
	days := group(segs, func(s *segState) string { return s.queued.Wall.In(b.loc).Format("2006-01-02") })
	r.ByDay = make([]DayIndicators, 0, len(days))
	for d, ind := range days {
		r.ByDay = append(r.ByDay, DayIndicators{Day: d, Indicators: ind})
	}
	sort.Slice(r.ByDay, func(i, j int) bool { return r.ByDay[i].Day < r.ByDay[j].Day })
}
