package queue

import (
	"slices"
	"strings"
)

// EventRequeued records a no-show put back in the queue. Its Ticket is waiting again,
// with the same number and segment; its Counter is the counter that put it back and its
// Data a RequeueData.
const EventRequeued = "requeued"

// RequeueData is the Data of a requeued event.
type RequeueData struct {
	// QueueSeq is the ticket's place in the call order: the seq of the event that first
	// queued its segment (the issue or the transfer in), unchanged by the return.
	QueueSeq int64 `json:"queue_seq"`
	Returns  int   `json:"returns"` // how often this segment came back, this time included
}

// Requeue puts today's no-show back in its queue: the citizen missed the call (at the
// toilet, outside) and is back. The ticket keeps its number and its segment, which
// records the return, and so:
//
//   - it is counted once: not a no-show (its segment no longer ends in one) and not a
//     new ticket (nothing is issued);
//   - its wait stays first call − queued, the office's answer time: the time the
//     citizen was away is not the office's. The next call is a later call of the
//     segment (calls, last_called_at), and the walk is measured from it;
//   - it takes back its place in the line (its queue order is unchanged): it is called
//     before every ticket queued after it, after the priority ones. The officer who
//     puts it back can also call it at once by number (Call.Number).
//
// Any counter serving the ticket's service may put it back; the live warning of a
// returned ticket counts its waiting from the return (Breaches).
type Requeue struct {
	Counter string
	Number  string
}

func (c Requeue) apply(t *txn) (*Ticket, error) {
	k, ok := t.q.cfg.Counter(c.Counter)
	if !ok {
		return nil, refuse(KindNotFound, "loket %q tidak ada", c.Counter)
	}
	number := strings.ToUpper(strings.TrimSpace(c.Number))
	if number == "" {
		return nil, refuse(KindInvalid, `nomor antrean wajib diisi, contoh {"number":"A-005"}`)
	}
	r, err := t.todaysTicket(number)
	if err != nil {
		return nil, err
	}
	if r.Stage != StageNoShow {
		return nil, refuse(KindConflict, "hanya nomor yang tercatat tidak hadir yang bisa dikembalikan ke antrean; %s %s", r.Number, stageWords(r))
	}
	if !slices.Contains(k.Services, r.Service) {
		return nil, refuse(KindConflict, "%s adalah antrean layanan %s, yang tidak dilayani %s; kembalikan dari loket layanan itu", r.Number, r.Service, k.Name)
	}
	r.Stage, r.Counter = StageIssued, ""
	if r.Segment > 1 {
		r.Stage = StageTransferred // waiting again in the service it was referred to
	}
	s := &r.Seg
	s.End, s.Ended = "", Instant{} // its counter stays the one that called it, as the events tell
	s.Returned = t.now
	s.Returns++
	if err := t.save(r); err != nil {
		return nil, err
	}
	tk := r.view(t.q.cfg.Location)
	if err := estimate(t.ctx, t.tx, t.q.cfg, tk, r.QueueSeq); err != nil {
		return nil, err
	}
	return tk, t.emit(EventRequeued, tk, r.Service, k.ID, RequeueData{QueueSeq: r.QueueSeq, Returns: s.Returns})
}
