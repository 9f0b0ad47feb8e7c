package queue

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// The surge forecast's model (docs/CRISIS.md): a small Monte Carlo simulation of the rest
// of the day, run on the state of the queue now.
//
// Erlang C answers a steady-state question — the long-run chance of waiting when c
// counters serve Poisson arrivals slower than they can — and has no answer when arrivals
// outrun the counters, which is exactly a surge. The question here is transient and has an
// end: of the citizens waiting now, how many reach a counter before closing time, given
// the counters open now, what each is doing, how long a call takes at this office today,
// and who else will arrive ahead of them (a priority ticket arriving later is called
// first; a counter shared by two services serves both in the order their tickets were
// queued). A simulation answers that directly, with the office's own call order, so it is
// what the forecast runs: forecastRuns replications with a fixed seed, so the same state
// always gives the same forecast, and the median of the replications is the answer.
//
// Only the arrivals that can go ahead of someone waiting now are played: priority
// tickets. A normal ticket arriving later is behind everyone waiting now (and behind the
// probe), in its own service and at a shared counter alike, so it cannot change whether
// they are called; a day is played until everyone waiting now and the probe have been
// called, or closing. That keeps a forecast to a few thousand steps however long the day.

// forecastRuns is how many days the simulation plays for one forecast; odd, so that the
// median is one of them.
const forecastRuns = 41

// forecastSeed fixes the simulation's random numbers: a forecast is a function of the
// state, not of the moment it is computed.
const forecastSeed = 0x15c415

// maxExtraCounters bounds the search for the counters a service lacks: past this an
// office has a different problem than a forecast can solve.
const maxExtraCounters = 40

// simTicket is one ticket of the simulation: an existing waiting ticket (origin), a future
// arrival, or the probe — a ticket taken at the kiosk now, behind everyone waiting.
type simTicket struct {
	seq      int64
	priority bool
	at       time.Duration // arrival, from now
	kind     int8          // simWaiting, simArrival or simProbe
}

const (
	simWaiting int8 = iota
	simArrival
	simProbe
)

// simService is one service of a group of services sharing counters.
type simService struct {
	code    string
	waiting []simTicket     // in call order: priority first, then queue order
	samples []time.Duration // counter time per call (call → end, plus the turnaround), sorted
	rate    float64         // arrivals per second until closing
	prio    float64         // share of priority tickets among the arrivals
}

// simCounter is one open counter of the group.
type simCounter struct {
	services []int         // indexes into the group's services
	current  int           // the service of the ticket at it now, -1 when free
	elapsed  time.Duration // how long that ticket has been at it
}

// simGroup is the services that share counters, and those counters, seen from now.
type simGroup struct {
	services []simService
	counters []simCounter
	start    time.Duration // when the counters start calling (opening), from now
	horizon  time.Duration // closing, from now: no call at or after it
	// probePriority makes the probe a priority ticket (the kiosk's priority button).
	probePriority bool
}

// simOutcome is what one played day gave each service of the group.
type simOutcome struct {
	servable []int  // waiting tickets called before closing
	probe    []bool // the probe was called before closing
}

// simQueue is a service's waiting line during one played day.
type simQueue struct {
	prio, normal []simTicket // each in queue order
	pi, ni       int         // heads
	arrivals     []simTicket // future arrivals, by time
	ai           int         // the next one not yet arrived
}

func (q *simQueue) admit(until time.Duration) {
	for q.ai < len(q.arrivals) && q.arrivals[q.ai].at <= until {
		a := q.arrivals[q.ai]
		if a.priority {
			q.prio = append(q.prio, a)
		} else {
			q.normal = append(q.normal, a)
		}
		q.ai++
	}
}

// nextArrival is when the next ticket arrives, or false.
func (q *simQueue) nextArrival() (time.Duration, bool) {
	if q.ai < len(q.arrivals) {
		return q.arrivals[q.ai].at, true
	}
	return 0, false
}

// draw is one counter time of the service.
func (s *simService) draw(r *rand.Rand) time.Duration {
	return s.samples[r.IntN(len(s.samples))]
}

// residual is how much longer a ticket that has been at the counter for elapsed stays: a
// counter time drawn among those longer than elapsed, less elapsed. A ticket already past
// all of them is about to end.
func (s *simService) residual(r *rand.Rand, elapsed time.Duration) time.Duration {
	i, _ := slices.BinarySearch(s.samples, elapsed+1)
	if i >= len(s.samples) {
		return min(s.samples[len(s.samples)-1]/4+time.Second, time.Minute)
	}
	return s.samples[i+r.IntN(len(s.samples)-i)] - elapsed
}

// play plays one day of the group from now to closing, with extra more counters that
// serve only service extraFor (opening now), and arrivals drawn from r.
func (g *simGroup) play(r *rand.Rand, extraFor, extra int, withProbe bool) simOutcome {
	n := len(g.services)
	out := simOutcome{servable: make([]int, n), probe: make([]bool, n)}
	queues := make([]simQueue, n)
	var maxSeq int64
	for i := range g.services {
		for _, tk := range g.services[i].waiting {
			maxSeq = max(maxSeq, tk.seq)
		}
	}
	seq := maxSeq + 1
	tracked := 0 // tickets waiting now, and probes, not called yet
	for i := range g.services {
		s := &g.services[i]
		q := &queues[i]
		for _, tk := range s.waiting {
			if tk.priority {
				q.prio = append(q.prio, tk)
			} else {
				q.normal = append(q.normal, tk)
			}
		}
		tracked += len(s.waiting)
		if withProbe {
			probe := simTicket{seq: seq, kind: simProbe, priority: g.probePriority}
			if probe.priority {
				q.prio = append(q.prio, probe)
			} else {
				q.normal = append(q.normal, probe)
			}
			seq++
			tracked++
		}
	}
	// Priority arrivals (a Poisson process of rate × priority share per service), each
	// numbered after everyone waiting: among themselves they keep their arrival order.
	for i := range g.services {
		s := &g.services[i]
		rate := s.rate * s.prio
		if rate <= 0 {
			continue
		}
		at := time.Duration(0)
		for {
			at += time.Duration(r.ExpFloat64() / rate * float64(time.Second))
			if at >= g.horizon {
				break
			}
			queues[i].arrivals = append(queues[i].arrivals, simTicket{at: at, priority: true, kind: simArrival, seq: seq + int64(at)})
		}
	}

	counters := slices.Clone(g.counters)
	for range extra {
		counters = append(counters, simCounter{services: []int{extraFor}, current: -1})
	}
	free := make([]time.Duration, len(counters))
	for j, k := range counters {
		free[j] = g.start
		if k.current >= 0 {
			free[j] = max(g.start, g.services[k.current].residual(r, k.elapsed))
		}
	}
	done := make([]bool, len(counters))
	for tracked > 0 {
		// The counter free soonest calls next (ties: the first in config order).
		j := -1
		for c := range counters {
			if !done[c] && (j < 0 || free[c] < free[j]) {
				j = c
			}
		}
		if j < 0 {
			break
		}
		at := free[j]
		if at >= g.horizon {
			done[j] = true
			continue
		}
		best, bestSvc := simTicket{}, -1
		for _, si := range counters[j].services {
			q := &queues[si]
			q.admit(at)
			var head simTicket
			switch {
			case q.pi < len(q.prio):
				head = q.prio[q.pi]
			case q.ni < len(q.normal):
				head = q.normal[q.ni]
			default:
				continue
			}
			if bestSvc < 0 || head.priority && !best.priority || head.priority == best.priority && head.seq < best.seq {
				best, bestSvc = head, si
			}
		}
		if bestSvc < 0 {
			// Nobody for this counter yet: it waits for the next arrival of its services.
			next, ok := time.Duration(math.MaxInt64), false
			for _, si := range counters[j].services {
				if t, has := queues[si].nextArrival(); has && t < next {
					next, ok = t, true
				}
			}
			if !ok {
				done[j] = true
				continue
			}
			free[j] = next
			continue
		}
		q := &queues[bestSvc]
		if best.priority {
			q.pi++
		} else {
			q.ni++
		}
		switch best.kind {
		case simWaiting:
			out.servable[bestSvc]++
			tracked--
		case simProbe:
			out.probe[bestSvc] = true
			tracked--
		}
		free[j] = at + g.services[bestSvc].draw(r)
	}
	return out
}

// groupForecast is the forecast of each service of a group.
type groupForecast struct {
	servable []int
	next     []bool
	extra    []int
}

// forecast plays the group's day forecastRuns times and takes, per service, the median
// of the waiting tickets called before closing, whether a ticket taken now would be
// called in at least half of the days, and, when the median leaves someone uncalled, the
// fewest extra counters with which everyone waiting now is called in at least half of
// the days.
func (g *simGroup) forecast() groupForecast {
	n := len(g.services)
	fc := groupForecast{servable: make([]int, n), next: make([]bool, n), extra: make([]int, n)}
	if g.horizon <= g.start {
		// Closed for today: nobody more is called; no counter changes that.
		return fc
	}
	runs := make([]simOutcome, forecastRuns)
	for i := range runs {
		runs[i] = g.play(rand.New(rand.NewPCG(forecastSeed, uint64(i))), -1, 0, true)
	}
	for s := range n {
		counts := make([]int, len(runs))
		probes := 0
		for i, o := range runs {
			counts[i] = o.servable[s]
			if o.probe[s] {
				probes++
			}
		}
		slices.Sort(counts)
		fc.servable[s] = counts[len(counts)/2]
		fc.next[s] = 2*probes >= len(runs)
		if fc.servable[s] < len(g.services[s].waiting) {
			fc.extra[s] = g.extraCounters(s, len(g.services[s].waiting)-fc.servable[s])
		}
	}
	return fc
}

// clearWith reports whether, with extra more counters for service s, everyone waiting in
// it now is called before closing in at least half of the played days.
func (g *simGroup) clearWith(s, extra int) bool {
	clears := 0
	for i := range forecastRuns {
		if g.play(rand.New(rand.NewPCG(forecastSeed, uint64(i))), s, extra, false).servable[s] == len(g.services[s].waiting) {
			clears++
		}
	}
	return 2*clears >= forecastRuns
}

// extraCounters is the fewest extra counters with which everyone waiting in service s now
// is called before closing (at most maxExtraCounters). It starts from the fluid guess —
// the work of the atRisk left uncalled over the time left — and walks from there, so that
// a surge costs a handful of simulations, not forty.
func (g *simGroup) extraCounters(s, atRisk int) int {
	svc := &g.services[s]
	left := (g.horizon - g.start).Seconds()
	guess := int(math.Ceil(float64(atRisk) * meanOf(svc.samples).Seconds() / left))
	k := min(max(guess, 1), maxExtraCounters)
	if g.clearWith(s, k) {
		for k > 1 && g.clearWith(s, k-1) {
			k--
		}
		return k
	}
	for k < maxExtraCounters {
		k++
		if g.clearWith(s, k) {
			return k
		}
	}
	return maxExtraCounters
}

func meanOf(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return sum / time.Duration(len(ds))
}
