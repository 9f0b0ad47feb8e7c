package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The appliance's own downtime as an outage incident (docs/CRISIS.md): antrid cannot
// record its outage while it is down, so it leaves signs of life — the time, in the meta
// table, every aliveEvery while its clock is synchronised — and, once its clock is
// synchronised again after it starts, compares the last sign (or the latest event, when
// later) with when it started. A gap
// of outageAfter or more that overlaps the office's opening hours is an outage: from the
// last sign of life (antrid died at most aliveEvery after it) to the start, cut to the
// opening hours of the day it came back (and of the day it went down, when that differs).
// A restart of a few seconds (an update, a crash restarted by systemd) is no outage.

// metaAlive is the meta key of the latest sign of life: a wall time, RFC 3339.
const metaAlive = "alive_at"

// aliveEvery is how often the sign of life is written: a write every five minutes is
// little for an SD card, and the outage's start is known to within as much.
const aliveEvery = 5 * time.Minute

// outageAfter is the shortest gap recorded as an outage: shorter is a restart or a
// power blip the officers barely noticed.
const outageAfter = 10 * time.Minute

// aliveMark writes a sign of life and, the first time (Started set), records the outage
// that ended when antrid started, if there was one. It does nothing on an unsynchronised
// clock: neither the sign nor the gap would be true.
type aliveMark struct {
	Started *Instant // when this antrid started; nil after the first mark
}

func (c *aliveMark) apply(t *txn) (*Ticket, error) {
	if !t.q.synchronized() {
		return nil, nil
	}
	now := t.now.Wall
	if c.Started != nil {
		var prev string
		err := t.tx.QueryRowContext(t.ctx, `SELECT value FROM meta WHERE key = ?`, metaAlive).Scan(&prev)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		if last, perr := time.Parse(time.RFC3339Nano, prev); err == nil && perr == nil {
			started := now.Add(-Elapsed(*c.Started, t.now)) // this boot's clock: Mono
			// The latest event is a sign of life too: it may be later than the last
			// sign written (a database restored from a backup and topped up from
			// headquarters).
			var body []byte
			if err := t.tx.QueryRowContext(t.ctx, `SELECT body FROM events ORDER BY seq DESC LIMIT 1`).Scan(&body); err == nil {
				var ev Event
				if json.Unmarshal(body, &ev) == nil && ev.At.After(last) && ev.At.Before(started) {
					last = ev.At
				}
			}
			if err := c.recordOutage(t, last, started); err != nil {
				return nil, err
			}
		}
	}
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, metaAlive, now.UTC().Format(time.RFC3339Nano))
	return nil, err
}

// recordOutage records the gap [last, started] where it overlaps opening hours.
func (c *aliveMark) recordOutage(t *txn, last, started time.Time) error {
	if started.Sub(last) < outageAfter {
		return nil
	}
	cfg := t.q.cfg
	spans := [][2]time.Time{{last, started}}
	if o := cfg.Office; o.OpenAt != 0 || o.CloseAt != 0 {
		spans = nil
		for _, day := range []time.Time{started, last} {
			mid := localMidnight(day, cfg.Location)
			from, to := mid.Add(o.OpenAt), mid.Add(o.CloseAt)
			if last.After(from) {
				from = last
			}
			if started.Before(to) {
				to = started
			}
			if to.Sub(from) > 0 && (len(spans) == 0 || !spans[0][0].Equal(from)) {
				spans = append(spans, [2]time.Time{from, to})
			}
		}
	}
	for i := len(spans) - 1; i >= 0; i-- { // the earlier day first
		s := spans[i]
		note := fmt.Sprintf("Otomatis: antrid tidak berjalan sejak sekitar pukul %s sampai %s (listrik padam, perangkat mati atau dimulai ulang); tanda hidup terakhir %s.",
			clockText(s[0].In(cfg.Location)), clockText(s[1].In(cfg.Location)), last.In(cfg.Location).Format("02-01-2006 15.04"))
		if _, err := (OpenIncident{Type: IncidentOutage, Start: s[0], End: s[1], Note: note, Source: SourceAuto}).apply(t); err != nil {
			return err
		}
	}
	return nil
}

// checkAlive writes the sign of life every aliveEvery, the first time with the outage
// check. Nothing happens until the clock is synchronised.
func (w *IncidentWatch) checkAlive(ctx context.Context) error {
	now := w.q.clock.Now()
	if w.aliveDone && Elapsed(w.alive, now) < aliveEvery || !w.q.synchronized() {
		return nil
	}
	cmd := &aliveMark{}
	if !w.aliveDone {
		started := w.started
		cmd.Started = &started
	}
	if _, err := w.q.Do(ctx, cmd); err != nil {
		return err
	}
	w.aliveDone, w.alive = true, now
	return nil
}

// lastSign writes a last sign of life as antrid stops, so that a planned stop's outage
// starts when it stopped; never before the first check, which would erase the previous
// run's sign before it was compared.
func (w *IncidentWatch) lastSign(ctx context.Context) {
	if w.aliveDone && w.q.synchronized() {
		_, _ = w.q.Do(ctx, &aliveMark{})
	}
}
