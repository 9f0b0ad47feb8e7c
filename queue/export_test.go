package queue

import (
	"context"
	"encoding/json"
	"testing"
)

// The tests of package queue are in package queue_test, so that they open
// their offices from the fixture folder of package queuetest (which imports
// queue) like every other package's tests. What they must reach inside the
// package is exported to them here, and only to them.

// NewBreachCheck returns one pass of a fresh breach watch over q: the
// notices RunBreachWatch would publish at this instant.
func (q *Queue) NewBreachCheck() func(context.Context) error {
	w := &breachWatch{q: q, active: map[breachKey]Breach{}}
	return w.check
}

// ReadSegment reads segment idx of ticket id as stored.
func (s *Store) ReadSegment(id int64, idx int) (*Segment, error) {
	return scanSegment(s.r.QueryRow(`SELECT `+segmentCols+` FROM segments WHERE ticket_id = ? AND idx = ?`, id, idx))
}

// Seed writes the rows the event path would have written for evs, in one
// transaction (issuing them one by one, durably, would take minutes): the
// events, and the tickets and segments folded from them by the builder.
func (q *Queue) Seed(tb testing.TB, evs []Event) {
	tb.Helper()
	rb, err := NewReport(q.cfg.Office.ID, evs[0].At.In(q.cfg.Location).Format("2006-01"), q.cfg.Location)
	if err != nil {
		tb.Fatal(err)
	}
	for _, ev := range evs {
		rb.Add(ev)
	}
	tx, err := q.store.w.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	for _, ev := range evs {
		body, _ := json.Marshal(ev)
		if _, err := tx.Exec(`INSERT INTO events (seq, type, body) VALUES (?, ?, ?)`, ev.Seq, ev.Type, body); err != nil {
			tb.Fatal(err)
		}
	}
	t := &txn{q: q, tx: writerTx{Tx: tx}, ctx: context.Background()}
	for i, s := range rb.order {
		if _, err := tx.Exec(`INSERT INTO tickets (id, day, number, service, priority, stage, segment, queue_seq, issued)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.ticketID, s.day, s.number, s.service, s.priority, s.end, s.idx, i+1, s.queued.String()); err != nil {
			tb.Fatal(err)
		}
		if err := t.saveSegment(&Segment{TicketID: s.ticketID, Index: s.idx, Service: s.service, Counter: s.counter,
			Queued: s.queued, FirstCall: s.firstCall, LastCall: s.lastCall, Started: s.started, Ended: s.ended,
			Calls: s.calls, End: s.end, Outcome: s.outcome, WaitStandard: s.waitStd, ServiceStandard: s.serviceStd,
			QueueSeq: int64(i + 1)}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// RunBatch runs cmds as the writer runs a batch of commands that arrived together: one
// transaction, one savepoint each. The writer must be idle (no Do in flight).
func (q *Queue) RunBatch(cmds ...Command) ([]*Ticket, []error) {
	batch := make([]request, len(cmds))
	for i, c := range cmds {
		batch[i] = request{cmd: c, done: make(chan result, 1)}
	}
	q.run(batch)
	tks, errs := make([]*Ticket, len(cmds)), make([]error, len(cmds))
	for i, r := range batch {
		res := <-r.done
		tks[i], errs[i] = res.tk, res.err
	}
	return tks, errs
}
