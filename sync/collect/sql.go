package collect

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/antri-id/antri/sync/wire"
)

// sqlStore is Store over database/sql; w writes, r reads (the same pool on
// PostgreSQL, separate ones on SQLite so reports read beside the writer).
// Its queries are written once, with ? placeholders and portable SQL.
type sqlStore struct {
	w, r    *sql.DB
	d       *dialect
	rowsPer int // events per INSERT statement, under the database's parameter limit
}

// q adapts a query written with ? placeholders to the database.
func (s *sqlStore) q(query string) string {
	if s.d.dollar {
		return dollarPlaceholders(query)
	}
	return query
}

// open migrates the database and makes it ready; on error it closes it.
func (s *sqlStore) open(ctx context.Context) (Store, error) {
	if err := s.migrate(ctx, migrationFS); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func (s *sqlStore) Ingest(ctx context.Context, b Batch) (acked int64, stored int, err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	// The office row first: on PostgreSQL the upsert locks it, so two batches
	// of one office are applied one after the other.
	labels := ""
	if b.Labels != nil {
		j, err := json.Marshal(b.Labels)
		if err != nil {
			return 0, 0, err
		}
		labels = string(j)
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO offices (id, name, timezone, last_seen, health, labels) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone, last_seen = excluded.last_seen,
		health = CASE WHEN excluded.health = '' THEN offices.health ELSE excluded.health END,
		labels = CASE WHEN excluded.labels = '' THEN offices.labels ELSE excluded.labels END`),
		b.Office, b.Name, b.Timezone, ms(b.At), string(b.Health), labels); err != nil {
		return 0, 0, err
	}
	if err := s.useNonce(ctx, tx, b.Office, b.Nonce, b.At); err != nil {
		return 0, 0, err
	}
	for i := 0; i < len(b.Events); i += s.rowsPer {
		chunk := b.Events[i:min(i+s.rowsPer, len(b.Events))]
		var sb strings.Builder
		sb.WriteString(`INSERT INTO events (office, seq, at_ms, type, body) VALUES `)
		args := make([]any, 0, 5*len(chunk))
		for j, ev := range chunk {
			if j > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString("(?, ?, ?, ?, ?)")
			args = append(args, b.Office, ev.Seq, ms(ev.At), ev.Type, string(ev.Body))
		}
		sb.WriteString(` ON CONFLICT DO NOTHING`)
		res, err := tx.ExecContext(ctx, s.q(sb.String()), args...)
		if err != nil {
			return 0, 0, fmt.Errorf("menyimpan event: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, 0, err
		}
		stored += int(n)
	}
	if err := tx.QueryRowContext(ctx, s.q(`SELECT acked_seq FROM offices WHERE id = ?`), b.Office).Scan(&acked); err != nil {
		return 0, 0, err
	}
	if acked, err = s.advance(ctx, tx, b.Office, acked); err != nil {
		return 0, 0, err
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE offices SET acked_seq = ?, events = events + ? WHERE id = ?`), acked, stored, b.Office); err != nil {
		return 0, 0, err
	}
	return acked, stored, tx.Commit()
}

// useNonce stores a request's nonce, or refuses a nonce already seen (wire.ErrReplay).
func (s *sqlStore) useNonce(ctx context.Context, tx *sql.Tx, office, nonce string, at time.Time) error {
	res, err := tx.ExecContext(ctx, s.q(`INSERT INTO nonces (office, nonce, at_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`), office, nonce, ms(at))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return wire.ErrReplay
	}
	// Nonces older than twice the window can never be replayed: the
	// timestamp check refuses their requests first.
	_, err = tx.ExecContext(ctx, s.q(`DELETE FROM nonces WHERE at_ms < ?`), ms(at.Add(-2*wire.Window)))
	return err
}

func (s *sqlStore) UseNonce(ctx context.Context, office, nonce string, at time.Time) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.useNonce(ctx, tx, office, nonce, at); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *sqlStore) EventsFrom(ctx context.Context, office string, after, upTo int64, fn func(Event) error) error {
	return s.scanEvents(ctx, `SELECT seq, at_ms, type, body FROM events WHERE office = ? AND seq > ? AND seq <= ? ORDER BY seq`,
		[]any{office, after, upTo}, fn)
}

func (s *sqlStore) NonceSeen(ctx context.Context, office, nonce string) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM nonces WHERE office = ? AND nonce = ?`), office, nonce).Scan(&n)
	return n > 0, err
}

// advance moves acked over the events held right after it.
func (s *sqlStore) advance(ctx context.Context, tx *sql.Tx, office string, acked int64) (int64, error) {
	const page = 5000
	for {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT seq FROM events WHERE office = ? AND seq > ? ORDER BY seq LIMIT ?`), office, acked, page)
		if err != nil {
			return 0, err
		}
		n, gap := 0, false
		for rows.Next() {
			var seq int64
			if err := rows.Scan(&seq); err != nil {
				rows.Close()
				return 0, err
			}
			n++
			if gap || seq != acked+1 {
				gap = true
				continue
			}
			acked = seq
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
		if gap || n < page {
			return acked, nil
		}
	}
}

func (s *sqlStore) Offices(ctx context.Context) ([]Office, error) {
	return s.offices(ctx, `SELECT id, name, timezone, acked_seq, events, last_seen, health, labels FROM offices ORDER BY id`)
}

func (s *sqlStore) Office(ctx context.Context, id string) (Office, bool, error) {
	os, err := s.offices(ctx, `SELECT id, name, timezone, acked_seq, events, last_seen, health, labels FROM offices WHERE id = ?`, id)
	if err != nil || len(os) == 0 {
		return Office{}, false, err
	}
	return os[0], true, nil
}

func (s *sqlStore) offices(ctx context.Context, query string, args ...any) ([]Office, error) {
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Office{}
	for rows.Next() {
		var o Office
		var seen int64
		var health, labels string
		if err := rows.Scan(&o.ID, &o.Name, &o.Timezone, &o.AckedSeq, &o.Events, &seen, &health, &labels); err != nil {
			return nil, err
		}
		if labels != "" {
			if err := json.Unmarshal([]byte(labels), &o.Labels); err != nil {
				return nil, fmt.Errorf("nama layanan kantor %s rusak: %w", o.ID, err)
			}
		}
		if health != "" {
			o.Health = json.RawMessage(health)
		}
		if seen != 0 {
			o.LastSeen = time.UnixMilli(seen).UTC()
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (s *sqlStore) Events(ctx context.Context, office string, from, to time.Time, fn func(Event) error) error {
	query := `SELECT seq, at_ms, type, body FROM events WHERE office = ?`
	args := []any{office}
	if !from.IsZero() {
		query += ` AND at_ms >= ?`
		args = append(args, ms(from))
	}
	if !to.IsZero() {
		query += ` AND at_ms < ?`
		args = append(args, ms(to))
	}
	return s.scanEvents(ctx, query+` ORDER BY seq`, args, fn)
}

func (s *sqlStore) EventsSince(ctx context.Context, office string, from time.Time, anyTime []string, fn func(Event) error) error {
	query := `SELECT seq, at_ms, type, body FROM events WHERE office = ? AND (at_ms >= ?`
	args := []any{office, ms(from)}
	if len(anyTime) > 0 {
		query += ` OR type IN (?` + strings.Repeat(`, ?`, len(anyTime)-1) + `)`
		for _, t := range anyTime {
			args = append(args, t)
		}
	}
	return s.scanEvents(ctx, query+`) ORDER BY seq`, args, fn)
}

func (s *sqlStore) scanEvents(ctx context.Context, query string, args []any, fn func(Event) error) error {
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ev Event
		var at int64
		var body string
		if err := rows.Scan(&ev.Seq, &at, &ev.Type, &body); err != nil {
			return err
		}
		ev.At, ev.Body = time.UnixMilli(at).UTC(), []byte(body)
		if err := fn(ev); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *sqlStore) Close() error {
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}
