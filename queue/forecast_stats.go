package queue

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// What the surge forecast learns from today (docs/CRISIS.md, "Inputs"): when each
// service's citizens arrive, how long a call keeps a counter (from the call to the end of
// the citizen's segment: service, walk, a no-show's recalls, a referral), and how long
// officers take between one citizen and the next call. A Board keeps it moved by events;
// a command reads it from today's segments (loadDayStats): both feed the same methods in
// the same order, so both give the same forecast.

// statsKeep is how many of the latest counter times (per service) and turnarounds the
// forecast draws from: the office as it works today, not last month.
const statsKeep = 30

// maxTurnaround is the longest pause between an end and the next call at a counter that
// still counts as the officer's turnaround; a longer one is an empty queue or a break.
const maxTurnaround = 2 * time.Minute

// rateWindow is how far back today's arrivals are counted for the rate of the rest of
// the day; minRateWindow is the shortest stretch a rate is computed over. It is the
// whole hour: the crowd that queued outside before opening takes its numbers in the
// first minutes, and that burst taken as a rate for the rest of the day made priority
// arrivals alone fill every counter (seen in the training office's surge morning: 16
// waiting, three counters, "6 served by closing" at 08.05).
const (
	rateWindow    = time.Hour
	minRateWindow = time.Hour
)

// statsMark is one sample with the key that orders it: when it happened, then which
// ticket segment (or counter) it was, so that the latest statsKeep are the same whatever
// order the samples came in.
type statsMark struct {
	at     time.Time
	ticket int64
	idx    int
	d      time.Duration
}

func (a statsMark) compare(b statsMark) int {
	if c := a.at.Compare(b.at); c != 0 {
		return c
	}
	if c := cmp.Compare(a.ticket, b.ticket); c != 0 {
		return c
	}
	return cmp.Compare(a.idx, b.idx)
}

// latest keeps the statsKeep latest marks, in key order.
func latest(ms []statsMark) []statsMark {
	slices.SortFunc(ms, statsMark.compare)
	if len(ms) > statsKeep {
		ms = slices.Delete(ms, 0, len(ms)-statsKeep)
	}
	return ms
}

type arrivalMark struct {
	at       time.Time
	priority bool
}

// dayStats is what today says about arrivals and counter times.
type dayStats struct {
	start    time.Time // the office day's local midnight: marks before it are not today's
	arrivals map[string][]arrivalMark
	calls    map[string][]statsMark // per service: counter time per call
	turns    []statsMark            // officers' turnaround between citizens
	// lastEnds are each counter's two latest ends today: a call's turnaround is from the
	// latest end of another segment (a call and its own end can share an instant).
	lastEnds map[string][]statsMark
}

func newDayStats(start time.Time) *dayStats {
	return &dayStats{start: start, arrivals: map[string][]arrivalMark{}, calls: map[string][]statsMark{},
		lastEnds: map[string][]statsMark{}}
}

// arrive notes a citizen queued for service at (an issue or a referral in).
func (d *dayStats) arrive(service string, priority bool, at time.Time) {
	if at.Before(d.start) {
		return
	}
	d.arrivals[service] = append(d.arrivals[service], arrivalMark{at, priority})
}

// called notes a first call at counter: the time since the counter's last end is the
// officer's turnaround, when short enough to be one.
func (d *dayStats) called(counter string, ticket int64, idx int, at time.Time) {
	if at.Before(d.start) {
		return
	}
	ends := d.lastEnds[counter]
	if len(ends) > 0 && ends[len(ends)-1].ticket == ticket && ends[len(ends)-1].idx == idx {
		ends = ends[:len(ends)-1]
	}
	if len(ends) == 0 {
		return
	}
	last := ends[len(ends)-1]
	if gap := at.Sub(last.at); gap >= 0 && gap <= maxTurnaround {
		d.turns = append(d.turns, statsMark{at: at, ticket: ticket, idx: idx, d: gap})
		if len(d.turns) > 2*statsKeep {
			d.turns = latest(d.turns)
		}
	}
}

// ended notes the end of a segment at counter (finished, no-show or referred on): its
// counter time from the first call.
func (d *dayStats) ended(service, counter string, ticket int64, idx int, firstCall, at time.Time) {
	if firstCall.IsZero() || firstCall.Before(d.start) {
		return
	}
	m := statsMark{at: at, ticket: ticket, idx: idx, d: max(at.Sub(firstCall), 0)}
	d.calls[service] = append(d.calls[service], m)
	if len(d.calls[service]) > 2*statsKeep {
		d.calls[service] = latest(d.calls[service])
	}
	ends := append(d.lastEnds[counter], m)
	slices.SortFunc(ends, statsMark.compare)
	if len(ends) > 2 {
		ends = ends[len(ends)-2:]
	}
	d.lastEnds[counter] = ends
}

// turnaround is the median of the latest turnarounds, 0 before any.
func (d *dayStats) turnaround() time.Duration {
	ts := latest(slices.Clone(d.turns))
	if len(ts) == 0 {
		return 0
	}
	ds := make([]time.Duration, len(ts))
	for i, m := range ts {
		ds[i] = m.d
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// minSamples is how many counter times of its own a service needs before the forecast
// draws from them; before that, its recent mean service time (or its standard) stands in.
const minSamples = 5

// samples are the counter times per call the forecast draws from for service, sorted,
// each with the turnaround added. fallback is the service's recent mean service time,
// spread ±50 % when today has too few of its own.
func (d *dayStats) samples(service string, fallback time.Duration) []time.Duration {
	turn := d.turnaround()
	ms := latest(slices.Clone(d.calls[service]))
	out := make([]time.Duration, 0, max(len(ms), 5))
	if len(ms) >= minSamples {
		for _, m := range ms {
			out = append(out, m.d+turn)
		}
	} else {
		fallback = max(fallback, time.Minute)
		for _, f := range []int64{2, 3, 4, 5, 6} {
			out = append(out, time.Duration(int64(fallback)*f/4)+turn)
		}
	}
	slices.Sort(out)
	return out
}

// rate is service's arrivals per second for the rest of the day: those of the last hour,
// or of the time since opening when that is shorter (at least minRateWindow); and the
// share of priority tickets among today's.
func (d *dayStats) rate(service string, now, opened time.Time) (perSecond, priority float64) {
	window := min(rateWindow, now.Sub(opened))
	window = max(window, minRateWindow)
	from := now.Add(-window)
	n, prio, all := 0, 0, d.arrivals[service]
	for _, a := range all {
		if a.priority {
			prio++
		}
		if a.at.After(from) && !a.at.After(now) {
			n++
		}
	}
	if len(all) > 0 {
		priority = float64(prio) / float64(len(all))
	}
	return float64(n) / window.Seconds(), priority
}

// statsRow is one segment of today as loadDayStats reads it.
type statsRow struct {
	ticket             int64
	idx                int
	service, counter   string
	priority           bool
	end                Stage
	queued, call, endt Instant
}

// loadDayStats reads today's segments (those queued since start, less a margin for the
// few queued before midnight and served after) and feeds them to a dayStats in the order
// the events came: every arrival, call and end by time, an end before a call at the same
// instant (a counter ends one citizen before it calls the next).
func loadDayStats(ctx context.Context, db querier, start time.Time) (*dayStats, error) {
	from := start.Add(-reportMargin).UTC().Format(time.RFC3339Nano)
	rows, err := db.QueryContext(ctx, `SELECT s.ticket_id, s.idx, s.service, s.counter, t.priority, s.end_stage, s.queued, s.first_call, s.ended
		FROM segments s JOIN tickets t ON t.id = s.ticket_id WHERE s.queued >= ?`, from)
	if err != nil {
		return nil, err
	}
	var segs []statsRow
	for rows.Next() {
		var r statsRow
		var queued, call, ended string
		if err := rows.Scan(&r.ticket, &r.idx, &r.service, &r.counter, &r.priority, &r.end, &queued, &call, &ended); err != nil {
			rows.Close()
			return nil, err
		}
		var e1, e2, e3 error
		r.queued, e1 = ParseInstant(queued)
		r.call, e2 = ParseInstant(call)
		r.endt, e3 = ParseInstant(ended)
		if e1 != nil || e2 != nil || e3 != nil {
			continue
		}
		segs = append(segs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	type step struct {
		at   time.Time
		kind int // 0 end, 1 call, 2 arrival: an end before a call at one instant
		row  *statsRow
	}
	var steps []step
	for i := range segs {
		r := &segs[i]
		steps = append(steps, step{r.queued.Wall, 2, r})
		if !r.call.IsZero() && r.counter != "" {
			steps = append(steps, step{r.call.Wall, 1, r})
			if countsAtCounter(r.end) && !r.endt.IsZero() {
				steps = append(steps, step{r.endt.Wall, 0, r})
			}
		}
	}
	slices.SortStableFunc(steps, func(a, b step) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.kind, b.kind)
	})
	d := newDayStats(start)
	for _, s := range steps {
		r := s.row
		switch s.kind {
		case 2:
			d.arrive(r.service, r.priority, r.queued.Wall)
		case 1:
			d.called(r.counter, r.ticket, r.idx, r.call.Wall)
		case 0:
			d.ended(r.service, r.counter, r.ticket, r.idx, r.call.Wall, r.endt.Wall)
		}
	}
	return d, nil
}

// countsAtCounter reports whether a segment ending so kept a counter until its end.
func countsAtCounter(end Stage) bool {
	return end == StageFinished || end == StageNoShow || end == StageTransferred
}
