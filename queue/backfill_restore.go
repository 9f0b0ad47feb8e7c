package queue

import (
	"fmt"
	"time"
)

// backfilled mirrors a backfill's line in a rebuild: the manual ticket and its one
// segment, every time as written (no boot clock reading), from the event's ticket. Its
// secret code, like every ticket's, is not in the event.
func (r *Rebuild) backfilled(ev Event) error {
	tk, err := r.ticket(ev)
	if err != nil {
		return err
	}
	if !IsManualNumber(tk.Number) {
		return fmt.Errorf("tiket %s dari lembar catatan bukan nomor manual", tk.Number)
	}
	written := func(t *time.Time) Instant {
		if t == nil {
			return Instant{}
		}
		return Instant{Wall: *t}
	}
	seg := Segment{TicketID: tk.ID, Index: 1, Service: tk.Service, Priority: tk.Priority, Counter: tk.Counter,
		Queued: written(&tk.IssuedAt), FirstCall: written(tk.CalledAt), LastCall: written(tk.CalledAt), Calls: tk.Calls,
		Started: written(tk.StartedAt), Outcome: tk.Outcome, QueueSeq: ev.Seq,
		WaitStandard: time.Duration(tk.WaitStandardS) * time.Second, ServiceStandard: time.Duration(tk.ServiceStandardS) * time.Second}
	switch tk.Stage {
	case StageFinished:
		seg.End, seg.Ended = StageFinished, written(tk.FinishedAt)
	case StageNoShow:
		seg.End, seg.Ended = StageNoShow, written(tk.NoShowAt)
	case StageExpired:
		seg.End, seg.Ended = StageExpired, written(tk.ExpiredAt)
	}
	if _, err := r.tx.ExecContext(r.ctx, `INSERT INTO tickets (id, day, number, service, priority, stage, counter, segment, queue_seq, issued)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, tk.ID, tk.Day, tk.Number, tk.Service, tk.Priority, tk.Stage, tk.Counter, 1, ev.Seq,
		seg.Queued.String()); err != nil {
		return err
	}
	return r.t.saveSegment(&seg)
}
