package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/printer"
	"github.com/antri-id/antri/queue"
)

// trainingSim plays a scenario in a training office: the citizens arriving (each takes a
// number as at the kiosk; some will not answer their call), the counters the scenario
// gives the simulator, and its timed events. It runs on one goroutine, taking the
// earliest of its due actions in turn, so the same seed plays the same morning; the
// trainees act beside it on the real pages.
type trainingSim struct {
	sc       *scenario
	q        *queue.Queue
	clock    *trainingClock
	midnight time.Time        // the training day's local midnight
	printer  *printer.Virtual // the training office's printer; nil when it has none
	console  io.Writer        // the facilitator's console
	rng      *rand.Rand

	agenda    []simAction
	added     int                        // actions added so far: ties keep this order
	absent    map[string]bool            // ticket numbers whose citizens left before their call
	referrals map[string][]scenarioEvent // per simulated counter, referrals still to make
	tally     simTally
}

// simAction is one thing the simulator does at a simulated time.
type simAction struct {
	at  time.Time
	seq int // ties keep the order they were added in
	do  func(ctx context.Context, at time.Time)
}

// simTally counts what the simulated citizens met, for the after-action summary.
type simTally struct {
	Arrived   int            `json:"arrived"`
	Given     int            `json:"given"`
	Refused   map[string]int `json:"refused"` // by reason: capacity, quota, closed, …
	Referred  int            `json:"referred"`
	Complaint int            `json:"complaints_filed"`
}

func newTrainingSim(sc *scenario, q *queue.Queue, clock *trainingClock, midnight time.Time, console io.Writer) *trainingSim {
	return &trainingSim{sc: sc, q: q, clock: clock, midnight: midnight, console: console,
		rng:    rand.New(rand.NewPCG(sc.Seed, 15)),
		absent: map[string]bool{}, referrals: map[string][]scenarioEvent{},
		tally: simTally{Refused: map[string]int{}}}
}

func (s *trainingSim) add(at time.Time, do func(ctx context.Context, at time.Time)) {
	s.added++
	s.agenda = append(s.agenda, simAction{at: at, seq: s.added, do: do})
}

// plan puts the scenario's arrivals, counters and events on the agenda.
func (s *trainingSim) plan() {
	for _, a := range s.sc.Arrivals {
		// A Poisson process: exponential gaps at per_hour.
		mean := float64(time.Hour) / a.PerHour
		t := s.midnight.Add(a.from)
		for {
			t = t.Add(time.Duration(s.rng.ExpFloat64() * mean))
			if !t.Before(s.midnight.Add(a.to)) {
				break
			}
			priority, absent := s.rng.Float64() < a.Priority, s.rng.Float64() < a.NoShow
			s.add(t, func(ctx context.Context, at time.Time) { s.arrive(ctx, a.Service, priority, absent) })
		}
	}
	for _, k := range s.sc.Counters {
		s.add(s.midnight.Add(s.sc.startAt), func(ctx context.Context, at time.Time) { s.callNext(ctx, k, at) })
	}
	for _, e := range s.sc.Events {
		s.add(s.midnight.Add(e.at), func(ctx context.Context, at time.Time) { s.event(ctx, e) })
	}
}

// run plays the agenda until the scenario's end or until ctx ends.
func (s *trainingSim) run(ctx context.Context) {
	end := s.midnight.Add(s.sc.endAt)
	for len(s.agenda) > 0 {
		i := 0
		for j, a := range s.agenda {
			if a.at.Before(s.agenda[i].at) || a.at.Equal(s.agenda[i].at) && a.seq < s.agenda[i].seq {
				i = j
			}
		}
		next := s.agenda[i]
		if !next.at.Before(end) {
			break
		}
		if !s.clock.sleepUntil(ctx.Done(), next.at) {
			return
		}
		s.agenda = slices.Delete(s.agenda, i, i+1)
		next.do(ctx, next.at)
	}
	s.clock.sleepUntil(ctx.Done(), end)
}

// say writes one line on the facilitator's console, at the simulated time.
func (s *trainingSim) say(format string, args ...any) {
	fmt.Fprintf(s.console, "[%s] %s\n", s.clock.Now().Wall.In(s.q.Config().Location).Format("15.04"), fmt.Sprintf(format, args...))
}

func (s *trainingSim) arrive(ctx context.Context, service string, priority, absent bool) {
	s.tally.Arrived++
	tk, err := s.q.Do(ctx, queue.Issue{Service: service, Priority: priority})
	if err != nil {
		reason := queue.ReasonOf(err)
		if reason == "" {
			reason = string(queue.KindOf(err))
		}
		s.tally.Refused[reason]++
		return
	}
	s.tally.Given++
	if absent {
		s.absent[tk.Number] = true
	}
}

// callNext is a simulated counter's officer pressing Panggil: a citizen who comes is
// served about the counter's service_time (±50 %); one who left is recalled once, then
// marked absent. An empty queue, or a counter a trainee paused, is looked at again half a
// minute later.
func (s *trainingSim) callNext(ctx context.Context, k simCounter, at time.Time) {
	tk, err := s.q.Do(ctx, queue.Call{Counter: k.ID})
	if err != nil {
		s.add(at.Add(30*time.Second), func(ctx context.Context, at time.Time) { s.callNext(ctx, k, at) })
		return
	}
	if s.absent[tk.Number] {
		s.add(at.Add(time.Minute), func(ctx context.Context, at time.Time) { s.q.Do(ctx, queue.Recall{Counter: k.ID}) })
		s.add(at.Add(2*time.Minute), func(ctx context.Context, at time.Time) {
			s.q.Do(ctx, queue.NoShow{Counter: k.ID})
			s.next(k, at)
		})
		return
	}
	walk := time.Duration(20+s.rng.IntN(40)) * time.Second
	s.add(at.Add(walk), func(ctx context.Context, at time.Time) {
		s.q.Do(ctx, queue.Start{Counter: k.ID})
		serve := time.Duration(float64(k.mean) * (0.5 + s.rng.Float64()))
		s.add(at.Add(serve), func(ctx context.Context, at time.Time) { s.finish(ctx, k, at) })
	})
}

// finish ends a simulated counter's citizen: referred to another agency when the
// scenario has a referral waiting for this counter, else done.
func (s *trainingSim) finish(ctx context.Context, k simCounter, at time.Time) {
	if rs := s.referrals[k.ID]; len(rs) > 0 {
		e := rs[0]
		s.referrals[k.ID] = rs[1:]
		tk, err := s.q.Do(ctx, queue.Transfer{Counter: k.ID, Service: e.To, Note: e.Note, Unit: e.Unit})
		if err == nil {
			s.tally.Referred++
			s.say("Rujukan: %s dari loket %s ke layanan %s (%s): %s", tk.Number, k.ID, e.To, e.Unit, e.Note)
		} else {
			s.say("Rujukan dari loket %s gagal: %v", k.ID, err)
			s.q.Do(ctx, queue.Finish{Counter: k.ID, Outcome: queue.OutcomeDone})
		}
	} else {
		s.q.Do(ctx, queue.Finish{Counter: k.ID, Outcome: queue.OutcomeDone})
	}
	s.next(k, at)
}

// next schedules a simulated counter's next call after the officer's turnaround.
func (s *trainingSim) next(k simCounter, at time.Time) {
	turn := time.Duration(10+s.rng.IntN(30)) * time.Second
	s.add(at.Add(turn), func(ctx context.Context, at time.Time) { s.callNext(ctx, k, at) })
}

// event plays one of the scenario's timed events.
func (s *trainingSim) event(ctx context.Context, e scenarioEvent) {
	switch e.Do {
	case doTask:
		s.say("TUGAS: %s", e.Note)
	case doAnnounce:
		if _, err := s.q.Do(ctx, queue.SetRunningText{Text: e.Text}); err != nil {
			s.say("teks berjalan tidak dipasang: %v", err)
			return
		}
		s.say("Teks berjalan di layar: %s", e.Text)
	case doPrinterDown, doPrinterUp:
		if s.printer == nil {
			s.say("(printer latihan tidak ada; kejadian %s dilewati)", e.Do)
			return
		}
		st := escpos.Status{Known: true}
		if e.Do == doPrinterDown {
			st.PaperEnd = true
			s.say("PRINTER MATI: %s", e.Note)
		} else {
			s.say("Printer pulih: %s", e.Note)
		}
		s.printer.SetStatus(st)
	case doReferral:
		s.referrals[e.Counter] = append(s.referrals[e.Counter], e)
	case doComplaint:
		c := queue.ReceiveComplaint{Channel: "langsung", Topic: e.Topic, Text: e.Note}
		if _, err := s.q.ReceiveComplaint(ctx, c); err != nil {
			s.say("pengaduan latihan tidak tercatat: %v", err)
			return
		}
		s.tally.Complaint++
		s.say("Pengaduan masuk (%s): %s", e.Topic, e.Note)
	}
}
