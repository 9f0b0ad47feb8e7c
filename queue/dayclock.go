package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// ClockStatus is the appliance's clock as the admin page shows it (GET /api/admin/clock):
// whether the time is known, from where, and the office day it gives.
type ClockStatus struct {
	Now          time.Time  `json:"now"`                 // the wall clock, in the office's time zone
	Synchronized bool       `json:"synchronized"`        // a time server keeps the clock (NTP)
	Known        bool       `json:"known"`               // the time is known (day.go, rule 1)
	Source       string     `json:"source,omitempty"`    // "ntp" or "admin": who made it known in this boot
	KnownNow     *time.Time `json:"known_now,omitempty"` // the known time, when the wall clock stepped away from it
	OfficeDay    string     `json:"office_day"`          // the day tickets are numbered in
	Settable     bool       `json:"settable"`            // the admin page may set the clock now
	Problem      string     `json:"problem,omitempty"`   // what the admin should know and do, in Indonesian
}

// ClockStatus reads the clock and the office day now.
func (q *Queue) ClockStatus(ctx context.Context) ClockStatus {
	now := q.clock.Now()
	loc := q.cfg.Location
	synced := q.synchronized()
	day, known, ok := q.officeDay(now)
	st := ClockStatus{Now: now.Wall.In(loc), Synchronized: synced, Known: ok, OfficeDay: day}
	if snap, loaded := q.days.snapshot(ctx, q.store.r, now.Boot); loaded {
		if a, has := snap.anchors[now.Boot]; has {
			st.Source = a.Source
		}
	}
	if synced {
		st.Source = SourceNTP
	}
	if ok && (known.Sub(now.Wall) > stepTolerance || now.Wall.Sub(known) > stepTolerance) {
		k := known.In(loc)
		st.KnownNow = &k
	}
	_, setter := q.clock.(WallSetter)
	st.Settable = setter && !synced && st.Source != SourceNTP
	switch {
	case !ok:
		st.Problem = fmt.Sprintf("Jam belum pasti: perangkat belum tersinkron dengan server waktu sejak menyala. "+
			"Hari layanan tetap %s (nomor berlanjut, tidak ada antrean yang kedaluwarsa) sampai jam pasti. "+
			"Bila kantor tidak punya server waktu, setel jam dari perangkat ini.", day)
	case localDate(known, loc) > day:
		st.Problem = fmt.Sprintf("Hari layanan %s ditahan sampai tengah malam berikutnya, karena nomor sudah diberikan hari ini sebelum jam pasti; "+
			"tidak ada nomor ganda dan tidak ada antrean yang kedaluwarsa karenanya.", day)
	case st.KnownNow != nil:
		st.Problem = "Jam sistem melompat dari waktu yang pasti; hari layanan dan lama layanan mengikuti waktu yang pasti."
	}
	return st
}

// clockSetSlack is how far before the latest time-server reading a time set by the admin
// may lie: the admin's device rounds, the request takes a moment.
const clockSetSlack = 2 * time.Minute

// SetClock sets the appliance's clock to wall, the time of the admin's own device which
// the admin confirmed on the admin page, for an office without a time server. It refuses
// while a time server keeps the clock (or did in this boot), and a time earlier than the
// latest reading a time server ever gave (a device with a wrong clock must not take the
// office back in time). The time it sets is known from then on in this boot (day.go).
func (q *Queue) SetClock(ctx context.Context, wall time.Time) (ClockStatus, error) {
	setter, ok := q.clock.(WallSetter)
	if !ok {
		return ClockStatus{}, refuse(KindConflict, "jam perangkat ini tidak dapat disetel dari antrid")
	}
	if wall.IsZero() {
		return ClockStatus{}, refuse(KindInvalid, `"time" wajib diisi: waktu sekarang menurut perangkat Anda (RFC 3339)`)
	}
	st := q.ClockStatus(ctx)
	if !st.Settable {
		return st, refuse(KindConflict, "Jam sudah tersinkron dengan server waktu (NTP) sejak perangkat menyala; tidak perlu disetel.")
	}
	var latest string
	err := q.store.r.QueryRowContext(ctx, `SELECT coalesce(max(wall), '') FROM clock_anchors WHERE source = ?`, SourceNTP).Scan(&latest)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return st, err
	}
	if latest != "" {
		if lt, err := time.Parse(time.RFC3339Nano, latest); err == nil && wall.Before(lt.Add(-clockSetSlack)) {
			return st, refuse(KindInvalid, "Waktu %s lebih awal dari waktu terakhir yang pasti dari server waktu (%s). Periksa jam perangkat Anda.",
				wall.In(q.cfg.Location).Format("02-01-2006 15.04"), lt.In(q.cfg.Location).Format("02-01-2006 15.04"))
		}
	}
	before := q.clock.Now().Wall
	if err := setter.SetWall(wall); err != nil {
		return st, refuse(KindConflict, "Jam tidak dapat disetel: %v", err)
	}
	if _, err := q.Do(ctx, clockSet{}); err != nil {
		return st, err
	}
	slog.Warn("jam disetel dari halaman admin", "sebelum", before, "sesudah", wall)
	// The known time may begin a new office day: close the old one now, not at the next look.
	if err := q.CloseDay(ctx); err != nil {
		return q.ClockStatus(ctx), err
	}
	return q.ClockStatus(ctx), nil
}

// clockSet stores the instant just after the admin set the clock as this boot's anchor.
type clockSet struct{}

func (clockSet) apply(t *txn) (*Ticket, error) {
	a := anchor{At: t.now, Source: SourceAdmin}
	if err := saveAnchor(t.ctx, t.tx.Tx, a); err != nil {
		return nil, err
	}
	t.after = append(t.after, func() {
		k := &t.q.days
		k.mu.Lock()
		if k.st.anchors == nil {
			k.st.anchors = map[string]anchor{}
		}
		k.st.anchors[a.At.Boot] = a
		k.mu.Unlock()
	})
	return nil, nil
}
