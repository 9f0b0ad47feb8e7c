package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// record is a ticket row with its current segment, as stored.
type record struct {
	ID       int64
	Day      string
	Number   string
	Service  string
	Priority bool
	Stage    Stage
	Counter  string
	Segment  int
	QueueSeq int64
	Issued   Instant
	Seg      Segment
	Prev     *Segment // the segment before, when this one came from a transfer
	Code     string   // secret code (ticketcode.go)
	// PrintFailed: the ticket's last print failed (the prints table), read with it.
	PrintFailed bool
}

// querier is what both *sql.DB and *sql.Tx offer, so lookups work inside and
// outside the event path.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const recordCols = `id, day, number, service, priority, stage, counter, segment, queue_seq, issued, code,
	coalesce((SELECT p.ok = 0 FROM prints p WHERE p.ticket_id = tickets.id), 0)`

func scanRecord(sc interface{ Scan(...any) error }) (*record, error) {
	var r record
	var issued string
	if err := sc.Scan(&r.ID, &r.Day, &r.Number, &r.Service, &r.Priority, &r.Stage, &r.Counter, &r.Segment, &r.QueueSeq, &issued, &r.Code, &r.PrintFailed); err != nil {
		return nil, err
	}
	var err error
	r.Issued, err = ParseInstant(issued)
	return &r, err
}

const segmentCols = `ticket_id, idx, service, counter, queued, first_call, last_call, started, ended, calls, end_stage, outcome, wait_std, service_std, note, unit, transfer_to, queue_seq, officer, officer_nip, returned, returns`

func scanSegment(sc interface{ Scan(...any) error }) (*Segment, error) {
	var s Segment
	var queued, first, last, started, ended, returned string
	var wait, svc int64
	if err := sc.Scan(&s.TicketID, &s.Index, &s.Service, &s.Counter, &queued, &first, &last, &started, &ended,
		&s.Calls, &s.End, &s.Outcome, &wait, &svc, &s.Note, &s.Unit, &s.TransferTo, &s.QueueSeq, &s.Officer, &s.OfficerNIP, &returned, &s.Returns); err != nil {
		return nil, err
	}
	s.WaitStandard, s.ServiceStandard = time.Duration(wait), time.Duration(svc)
	for _, p := range []struct {
		dst *Instant
		src string
	}{{&s.Queued, queued}, {&s.FirstCall, first}, {&s.LastCall, last}, {&s.Started, started}, {&s.Ended, ended}, {&s.Returned, returned}} {
		in, err := ParseInstant(p.src)
		if err != nil {
			return nil, err
		}
		*p.dst = in
	}
	return &s, nil
}

// loadRecord reads one ticket and its current (and previous) segment.
func loadRecord(ctx context.Context, db querier, where string, args ...any) (*record, error) {
	r, err := scanRecord(db.QueryRowContext(ctx, `SELECT `+recordCols+` FROM tickets WHERE `+where, args...))
	if err != nil {
		return nil, err
	}
	if err := r.loadSegments(ctx, db); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *record) loadSegments(ctx context.Context, db querier) error {
	rows, err := db.QueryContext(ctx, `SELECT `+segmentCols+` FROM segments WHERE ticket_id = ? AND idx >= ? ORDER BY idx`, r.ID, r.Segment-1)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		s, err := scanSegment(rows)
		if err != nil {
			return err
		}
		if s.Index == r.Segment {
			r.Seg = *s
		} else {
			r.Prev = s
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if r.Seg.Index != r.Segment {
		return fmt.Errorf("tiket %d: segmen %d hilang", r.ID, r.Segment)
	}
	return nil
}

// save writes the ticket row and its current segment.
func (t *txn) save(r *record) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE tickets SET service = ?, stage = ?, counter = ?, segment = ?, queue_seq = ? WHERE id = ?`,
		r.Service, r.Stage, r.Counter, r.Segment, r.QueueSeq, r.ID)
	if err != nil {
		return fmt.Errorf("menyimpan tiket %s: %w", r.Number, err)
	}
	return t.saveSegment(&r.Seg)
}

func (t *txn) saveSegment(s *Segment) error {
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO segments (`+segmentCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (ticket_id, idx) DO UPDATE SET service = excluded.service, counter = excluded.counter,
		queued = excluded.queued, first_call = excluded.first_call, last_call = excluded.last_call,
		started = excluded.started, ended = excluded.ended, calls = excluded.calls, end_stage = excluded.end_stage,
		outcome = excluded.outcome, note = excluded.note, unit = excluded.unit, transfer_to = excluded.transfer_to,
		officer = excluded.officer, officer_nip = excluded.officer_nip, returned = excluded.returned, returns = excluded.returns`,
		s.TicketID, s.Index, s.Service, s.Counter, s.Queued.String(), s.FirstCall.String(), s.LastCall.String(),
		s.Started.String(), s.Ended.String(), s.Calls, s.End, s.Outcome, int64(s.WaitStandard), int64(s.ServiceStandard),
		s.Note, s.Unit, s.TransferTo, s.QueueSeq, s.Officer, s.OfficerNIP, s.Returned.String(), s.Returns)
	if err != nil {
		return fmt.Errorf("menyimpan segmen: %w", err)
	}
	return nil
}

// view is the ticket as the outside world sees it, its times in the
// office's time zone.
func (r *record) view(loc *time.Location) *Ticket {
	s := &r.Seg
	timePtr := func(i Instant) *time.Time {
		if i.IsZero() {
			return nil
		}
		t := i.Wall.In(loc)
		return &t
	}
	tk := &Ticket{
		ID: r.ID, Number: r.Number, Day: r.Day, Service: r.Service, Priority: r.Priority, Stage: r.Stage,
		Counter: s.Counter, Officer: s.Officer, Segment: r.Segment, Calls: s.Calls,
		IssuedAt: r.Issued.Wall.In(loc), QueuedAt: s.Queued.Wall.In(loc),
		CalledAt: timePtr(s.FirstCall), LastCalledAt: timePtr(s.LastCall), StartedAt: timePtr(s.Started),
		Outcome: s.Outcome, WaitStandardS: int64(s.WaitStandard / time.Second), ServiceStandardS: int64(s.ServiceStandard / time.Second),
		Code: r.Code, ReturnedAt: timePtr(s.Returned), Returns: s.Returns, PrintFailed: r.PrintFailed,
		Manual: IsManualNumber(r.Number),
	}
	if r.Stage.Waiting() {
		tk.Counter = "" // a returned no-show waits for any counter again
	}
	switch s.End {
	case StageFinished:
		tk.FinishedAt = timePtr(s.Ended)
	case StageNoShow:
		tk.NoShowAt = timePtr(s.Ended)
	case StageExpired:
		tk.ExpiredAt = timePtr(s.Ended)
	}
	if r.Prev != nil {
		tk.TransferredAt = timePtr(s.Queued)
		tk.TransferredFrom = r.Prev.Service
		tk.Referral, tk.ReferralUnit = r.Prev.Note, r.Prev.Unit
	}
	return tk
}

// counterRecord is the ticket a counter is serving now, or nil.
func (t *txn) counterRecord(counter string) (*record, error) {
	r, err := loadRecord(t.ctx, t.tx, `counter = ? AND stage IN ('called', 'started')`, counter)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// currentAt loads the counter's current ticket or refuses with what to do.
func (t *txn) currentAt(counter string) (*record, error) {
	if _, ok := t.q.cfg.Counter(counter); !ok {
		return nil, refuse(KindNotFound, "loket %q tidak ada", counter)
	}
	r, err := t.counterRecord(counter)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, refuse(KindConflict, "loket %s belum memanggil antrean; tekan Panggil dulu", counter)
	}
	return r, nil
}
