package queue

import (
	"context"
	"encoding/json"
	"log/slog"
	"sort"
	"time"
)

// Live breach notices (Seq 0, not stored): a waiting ticket past its wait
// standard, or a service running past its service standard. Their Data is a
// Breach.
const (
	EventBreach        = "breach"
	EventBreachCleared = "breach_cleared"
)

// Breach kinds.
const (
	BreachWait    = "wait"    // waiting longer than the wait standard
	BreachService = "service" // at the counter longer than the service standard
)

// Breach is a standard being exceeded now by one segment of a ticket.
type Breach struct {
	Kind      string    `json:"kind"` // "wait" or "service"
	TicketID  int64     `json:"ticket_id"`
	Number    string    `json:"number"`
	Segment   int       `json:"segment"`
	Service   string    `json:"service"`
	Counter   string    `json:"counter,omitempty"`
	Priority  bool      `json:"priority"`
	StandardS int64     `json:"standard_s"`
	ElapsedS  int64     `json:"elapsed_s"` // so far
	Since     time.Time `json:"since"`     // when the standard was passed
}

func (b Breach) key() breachKey { return breachKey{b.TicketID, b.Segment, b.Kind} }

type breachKey struct {
	ticket  int64
	segment int
	kind    string
}

// Breaches lists the standards exceeded now, longest first: waiting tickets
// past the wait standard their segment was queued under, and services past
// theirs. A service runs from its start, or from the last call where the
// counter has no start button, as the report counts it. Durations are
// monotonic (Elapsed), so a clock step does not make or clear a breach.
func (q *Queue) Breaches(ctx context.Context) ([]Breach, error) {
	now := q.clock.Now()
	live, err := loadRecords(ctx, q.store.r, `stage IN ('issued', 'transferred', 'called', 'started') ORDER BY queue_seq`)
	if err != nil {
		return nil, err
	}
	out := []Breach{}
	for _, r := range live {
		s := &r.Seg
		b := Breach{TicketID: r.ID, Number: r.Number, Segment: s.Index, Service: s.Service, Counter: s.Counter, Priority: r.Priority}
		var from Instant
		var std time.Duration
		if r.Stage.Waiting() {
			b.Kind, from, std = BreachWait, s.Queued, s.WaitStandard
			// A no-show put back in the queue waits again from its return, for any
			// counter of its service.
			if !s.Returned.IsZero() {
				from, b.Counter = s.Returned, ""
			}
		} else {
			from = s.Started
			if from.IsZero() {
				from = s.LastCall
			}
			b.Kind, std = BreachService, s.ServiceStandard
		}
		el := Elapsed(from, now)
		if std <= 0 || el <= std {
			continue
		}
		b.StandardS, b.ElapsedS = int64(std/time.Second), int64(el/time.Second)
		b.Since = now.Wall.Add(std - el).In(q.cfg.Location)
		out = append(out, b)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ElapsedS-out[i].StandardS > out[j].ElapsedS-out[j].StandardS })
	return out, nil
}

// breachWatch remembers which breaches have been announced.
type breachWatch struct {
	q      *Queue
	active map[breachKey]Breach
}

// check announces new breaches and the end of those that are over. Each
// ticket segment gets at most one "breach" per kind, and one "breach_cleared"
// when it is called (wait) or leaves the counter (service).
func (w *breachWatch) check(ctx context.Context) error {
	now, err := w.q.Breaches(ctx)
	if err != nil {
		return err
	}
	seen := map[breachKey]bool{}
	for _, b := range now {
		k := b.key()
		seen[k] = true
		if _, ok := w.active[k]; ok {
			continue
		}
		w.active[k] = b
		w.q.publishBreach(EventBreach, b)
	}
	keys := make([]breachKey, 0)
	for k := range w.active {
		if !seen[k] {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].ticket != keys[j].ticket {
			return keys[i].ticket < keys[j].ticket
		}
		return keys[i].kind < keys[j].kind
	})
	for _, k := range keys {
		b := w.active[k]
		delete(w.active, k)
		w.q.publishBreach(EventBreachCleared, b)
	}
	return nil
}

func (q *Queue) publishBreach(typ string, b Breach) {
	data, _ := json.Marshal(b)
	_ = q.Publish(Event{Type: typ, Service: b.Service, Counter: b.Counter, Data: data}) // typ is a breach notice
}

// RunBreachWatch checks the standards every interval until ctx ends, and
// publishes a "breach" notice when a waiting ticket passes its wait standard
// or a service passes its service standard, and "breach_cleared" when that
// ends. Counter and admin pages listen on /ws and read GET /api/breaches.
func (q *Queue) RunBreachWatch(ctx context.Context, every time.Duration) {
	w := &breachWatch{q: q, active: map[breachKey]Breach{}}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := w.check(ctx); err != nil && ctx.Err() == nil {
			slog.Warn("pemeriksaan standar pelayanan gagal; dicoba lagi", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
