package queue

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// The headquarters uploader (package sync/upload) keeps its progress in the
// office's database so that it resumes where headquarters left off after a
// crash or a pulled plug. This is the uploader's state, not the queue's:
// it is written outside Queue.Do and never changes a ticket.

// SyncDeadLetter is a batch headquarters refused for good (a 4xx other than
// 408 and 429): the uploader parks it with the reason until a later attempt
// gets through.
type SyncDeadLetter struct {
	ID       int64     `json:"id"`
	From     int64     `json:"from_seq"`
	To       int64     `json:"to_seq"`
	Status   int       `json:"status"`
	Reason   string    `json:"reason"`
	At       time.Time `json:"at"`
	Resolved time.Time `json:"resolved_at,omitzero"`
}

// SyncAcked is the highest sequence headquarters has acknowledged holding
// (every event up to it, without gaps), and when it last acknowledged.
func (s *Store) SyncAcked(ctx context.Context) (seq int64, lastSuccess time.Time, err error) {
	var at string
	err = s.r.QueryRowContext(ctx, `SELECT acked_seq, last_success FROM sync_state WHERE id = 1`).Scan(&seq, &at)
	if err != nil {
		return 0, time.Time{}, err
	}
	if at != "" {
		lastSuccess, _ = time.Parse(time.RFC3339Nano, at)
	}
	return seq, lastSuccess, nil
}

// SetSyncAcked records headquarters' acknowledgement of every event up to seq
// at time at, and resolves the open dead letters (the batch got through).
// Headquarters' answer is the truth even when it is lower than before (its
// database was restored from a backup): the uploader then resends from there.
func (s *Store) SetSyncAcked(ctx context.Context, seq int64, at time.Time) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ts := at.UTC().Format(time.RFC3339Nano)
	if _, err := tx.ExecContext(ctx, `UPDATE sync_state SET acked_seq = ?, last_success = ? WHERE id = 1`, seq, ts); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sync_dead_letters SET resolved_at = ? WHERE resolved_at = ''`, ts); err != nil {
		return err
	}
	return tx.Commit()
}

// AddSyncDeadLetter parks a refused batch with the reason.
func (s *Store) AddSyncDeadLetter(ctx context.Context, d SyncDeadLetter) (int64, error) {
	res, err := s.w.ExecContext(ctx, `INSERT INTO sync_dead_letters (from_seq, to_seq, status, reason, at) VALUES (?, ?, ?, ?, ?)`,
		d.From, d.To, d.Status, d.Reason, d.At.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// SyncDeadLetters lists the newest limit dead letters, open ones first.
func (s *Store) SyncDeadLetters(ctx context.Context, limit int) ([]SyncDeadLetter, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, from_seq, to_seq, status, reason, at, resolved_at
		FROM sync_dead_letters ORDER BY resolved_at != '', id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SyncDeadLetter
	for rows.Next() {
		var d SyncDeadLetter
		var at, res string
		if err := rows.Scan(&d.ID, &d.From, &d.To, &d.Status, &d.Reason, &at, &res); err != nil {
			return nil, err
		}
		d.At, _ = time.Parse(time.RFC3339Nano, at)
		if res != "" {
			d.Resolved, _ = time.Parse(time.RFC3339Nano, res)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// EventAt is when the stored event seq happened; ok is false when there is
// no such event. The uploader reports the age of the oldest unsent event.
func (s *Store) EventAt(ctx context.Context, seq int64) (at time.Time, ok bool, err error) {
	var raw string
	err = s.r.QueryRowContext(ctx, `SELECT json_extract(body, '$.at') FROM events WHERE seq = ?`, seq).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	at, err = time.Parse(time.RFC3339Nano, raw)
	return at, err == nil, err
}
