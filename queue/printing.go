package queue

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Events of the ticket printer. They go through the one event path like every
// other change, so headquarters sees how often printing fails.
const (
	EventPrinted     = "printed"
	EventPrintFailed = "print_failed"
)

// PrintData is the Data of a printed or print_failed event.
type PrintData struct {
	Attempt int    `json:"attempt"`           // 1 for the first print, then each reprint
	Problem string `json:"problem,omitempty"` // why it failed, in Indonesian
}

// PrintResult records how printing a ticket went. The ticket itself was
// committed before it was printed; this only tells whether the citizen got
// the paper, so that failed tickets can be listed and reprinted.
type PrintResult struct {
	TicketID int64
	OK       bool
	Problem  string // why not, when !OK
}

func (c PrintResult) apply(t *txn) (*Ticket, error) {
	r, err := loadRecord(t.ctx, t.tx, `id = ?`, c.TicketID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, refuse(KindNotFound, "tiket %d tidak ditemukan", c.TicketID)
	}
	if err != nil {
		return nil, err
	}
	problem := c.Problem
	if c.OK {
		problem = ""
	} else if problem == "" {
		problem = "printer gagal mencetak"
	}
	var attempt int
	err = t.tx.QueryRowContext(t.ctx, `INSERT INTO prints (ticket_id, ok, problem, attempts, at) VALUES (?, ?, ?, 1, ?)
		ON CONFLICT (ticket_id) DO UPDATE SET ok = excluded.ok, problem = excluded.problem,
		attempts = prints.attempts + 1, at = excluded.at
		RETURNING attempts`, r.ID, c.OK, problem, t.now.String()).Scan(&attempt)
	if err != nil {
		return nil, err
	}
	typ := EventPrinted
	if !c.OK {
		typ = EventPrintFailed
	}
	r.PrintFailed = !c.OK // the ticket as it is after this attempt
	tk := r.view(t.q.cfg.Location)
	return tk, t.emit(typ, tk, r.Seg.Service, "", PrintData{Attempt: attempt, Problem: problem})
}

// PrintFailure is a ticket whose last print failed.
type PrintFailure struct {
	Ticket   *Ticket   `json:"ticket"`
	Problem  string    `json:"problem"`
	Attempts int       `json:"attempts"`
	At       time.Time `json:"at"` // the last attempt
}

// PrintFailures lists the tickets of a local day (YYYY-MM-DD; "" is today)
// whose last print failed, oldest first.
func (q *Queue) PrintFailures(ctx context.Context, day string) ([]PrintFailure, error) {
	if day == "" {
		day = q.Today()
	}
	rows, err := q.store.r.QueryContext(ctx, `SELECT p.ticket_id, p.problem, p.attempts, p.at FROM prints p
		JOIN tickets t ON t.id = p.ticket_id WHERE p.ok = 0 AND t.day = ? ORDER BY t.id`, day)
	if err != nil {
		return nil, err
	}
	type row struct {
		id       int64
		problem  string
		attempts int
		at       string
	}
	var found []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.problem, &r.attempts, &r.at); err != nil {
			rows.Close()
			return nil, err
		}
		found = append(found, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []PrintFailure{}
	for _, r := range found {
		rec, err := loadRecord(ctx, q.store.r, `id = ?`, r.id)
		if err != nil {
			return nil, err
		}
		at, err := ParseInstant(r.at)
		if err != nil {
			return nil, err
		}
		out = append(out, PrintFailure{Ticket: rec.view(q.cfg.Location), Problem: r.problem, Attempts: r.attempts, At: at.Wall})
	}
	return out, nil
}
