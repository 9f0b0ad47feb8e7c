package queue

import (
	"context"
	"encoding/json"
)

// EventsAfter reads up to limit stored events with a sequence greater than
// after, in order. The events table is the outbox: the headquarters uploader
// and the indicators read it.
func (s *Store) EventsAfter(ctx context.Context, after int64, limit int) ([]Event, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT body FROM events WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var ev Event
		if err := json.Unmarshal(body, &ev); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// RawEventsAfter is EventsAfter without decoding: the stored JSON of each
// event, for sending on as it is.
func (s *Store) RawEventsAfter(ctx context.Context, after int64, limit int) (seqs []int64, bodies []json.RawMessage, err error) {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var body []byte
		if err := rows.Scan(&seq, &body); err != nil {
			return nil, nil, err
		}
		seqs, bodies = append(seqs, seq), append(bodies, body)
	}
	return seqs, bodies, rows.Err()
}

// LastSeq is the sequence of the newest stored event (0 if none).
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := s.r.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&seq)
	return seq, err
}
