package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// The office day (hari layanan) on a Pi without a real-time clock.
//
// Ticket numbers restart each office day, and the day close expires the tickets of
// earlier days. A Pi boots with a guessed wall clock and jumps when NTP steps it, so the
// office day cannot simply be the wall clock's date: a 14 h step at 08:10 would expire
// everyone waiting and hand out a second A-001 the same morning. The rules (also in
// docs/ARCHITECTURE.md, "Time"):
//
//  1. The time is known when a time server keeps the clock (Synchronized), or when one
//     did, or the admin set the clock, earlier in this boot: then it is that reading
//     carried forward on the boot clock, which never steps. Otherwise it is unknown.
//  2. While the time is unknown the office day stays the last known good day: numbers go
//     on, nothing expires, and opening hours are not enforced (a stale clock must not shut
//     the kiosk). A brand-new database starts at the wall clock's date.
//  3. When the known date is later than the office day, the day changes, unless the
//     latest ticket of the office day may have been issued on the known date (placed on
//     true time through its boot's clock; before the clock was known, or in an earlier
//     boot that never knew it), or the wall clock stepped since that ticket and the boot
//     clock shows less than dayQuiet since it: then the office has already served people
//     today under the old day, and keeps it until the next midnight. The day never goes
//     back.
//  4. The day close expires waiting tickets of earlier office days; a ticket of this boot
//     whose wall clock stepped since it was queued only once it has waited dayQuiet on
//     the boot clock: no step of the wall clock can make that long.

// dayQuiet is how long, after a step of the wall clock, the boot clock must show since the
// office's last ticket before its day may change, and since a ticket was queued before
// the day close may expire it. Longer than a gap in a working day's tickets, shorter than
// any night: a step cannot fake it, because the boot clock does not step.
const dayQuiet = 6 * time.Hour

// Where a known time came from, as clock_anchors.source and ClockStatus.Source say it.
const (
	SourceNTP   = "ntp"   // a time server synchronised the clock
	SourceAdmin = "admin" // the admin set the clock from the admin page
)

// anchorRefresh and anchorDrift decide when a synchronised reading is stored again for
// the boot: every hour, or at once when the wall clock moved against the boot clock.
const (
	anchorRefresh = time.Hour
	anchorDrift   = time.Second
)

// anchor is a reading of the clock known to be right.
type anchor struct {
	At     Instant
	Source string
}

// dayState is what the office day is decided from.
type dayState struct {
	day       string            // the office day, YYYY-MM-DD; "" before the first decision
	lastIssue Instant           // the latest ticket issued under day; zero if none
	anchors   map[string]anchor // by boot: this boot's, and lastIssue's
}

func (s dayState) clone() dayState {
	c := s
	c.anchors = make(map[string]anchor, len(s.anchors))
	for k, v := range s.anchors {
		c.anchors[k] = v
	}
	return c
}

// placed is the true time of an instant, from its boot's anchor through the boot clock.
func (s *dayState) placed(i Instant) (time.Time, bool) {
	if i.Boot == "" {
		return time.Time{}, false
	}
	a, ok := s.anchors[i.Boot]
	if !ok {
		return time.Time{}, false
	}
	return a.At.Wall.Add(i.Mono - a.At.Mono), true
}

// known is the time now is known to be (rule 1).
func (s *dayState) known(now Instant, synced bool) (time.Time, bool) {
	if synced {
		return now.Wall, true
	}
	return s.placed(now)
}

// decide is the office day at now (rules 2 and 3).
func (s *dayState) decide(now Instant, synced bool, loc *time.Location) string {
	known, ok := s.known(now, synced)
	if s.day == "" {
		if ok {
			return localDate(known, loc)
		}
		return localDate(now.Wall, loc)
	}
	if !ok {
		return s.day
	}
	if d := localDate(known, loc); d > s.day && !s.holds(now, known, loc) {
		return d
	}
	return s.day
}

// holds reports whether the latest ticket of the office day may have been issued on the
// known date, or too recently on the boot clock, for the day to change (rule 3).
func (s *dayState) holds(now Instant, known time.Time, loc *time.Location) bool {
	li := s.lastIssue
	if li.IsZero() {
		return false
	}
	midnight := localMidnight(known, loc)
	switch {
	case li.Boot != "" && li.Boot == now.Boot:
		age := now.Mono - li.Mono
		if stepped(li, now) && age < dayQuiet {
			return true // the wall clock jumped since: only the boot clock's quiet counts
		}
		return !known.Add(-age).Before(midnight)
	case li.Boot == "" || now.Boot == "":
		return !li.Wall.Before(midnight) // no boot clock to go by: the wall as recorded
	}
	if at, ok := s.placed(li); ok {
		return !at.Before(midnight)
	}
	// Issued in an earlier boot whose clock was never known: before this boot began.
	return !known.Add(-now.Mono).Before(midnight)
}

// stepTolerance is how far the wall clock may drift from the boot clock between two
// instants of one boot before it counts as a step (NTP slews far less than this).
const stepTolerance = time.Minute

// stepped reports whether the wall clock stepped between a and b, two instants of one
// boot: the wall difference is not the boot clock's.
func stepped(a, b Instant) bool {
	d := b.Wall.Sub(a.Wall) - (b.Mono - a.Mono)
	return d > stepTolerance || d < -stepTolerance
}

// mayExpire reports whether the day close may expire a ticket queued at queued (rule 4):
// when the wall clock stepped since, only after dayQuiet on the boot clock. Across boots
// the boot clock says nothing, and the office day, which moved past the ticket's day by
// rule 3, decides alone.
func mayExpire(queued, now Instant) bool {
	if queued.Boot == "" || queued.Boot != now.Boot || !stepped(queued, now) {
		return true
	}
	return now.Mono-queued.Mono >= dayQuiet
}

func localDate(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02") }

func localMidnight(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

// dayKeeper holds the office day for a queue. The writer decides it at the start of every
// batch and stores any change in the batch's transaction; readers (Today, State) apply the
// same rules to the last committed state.
type dayKeeper struct {
	loc *time.Location

	mu      sync.Mutex
	st      dayState
	loaded  bool
	held    string // the "held" notice last logged, so it is logged once
	wasOK   bool   // whether the time was known at the last decision, to log changes
	decided bool   // whether the writer decided once already
}

// load reads the persisted state for the boot now running.
func loadDayState(ctx context.Context, db querier, boot string) (dayState, error) {
	st := dayState{anchors: map[string]anchor{}}
	err := db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'office_day'`).Scan(&st.day)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("membaca hari layanan: %w", err)
	}
	if st.day != "" {
		if st.lastIssue, err = lastIssued(ctx, db, st.day); err != nil {
			return st, err
		}
	}
	for _, b := range []string{boot, st.lastIssue.Boot} {
		if err := loadAnchor(ctx, db, b, st.anchors); err != nil {
			return st, err
		}
	}
	return st, nil
}

// lastIssued is when the latest ticket of day was issued (zero if none).
func lastIssued(ctx context.Context, db querier, day string) (Instant, error) {
	var s string
	err := db.QueryRowContext(ctx, `SELECT issued FROM tickets WHERE day = ? ORDER BY id DESC LIMIT 1`, day).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return Instant{}, nil
	}
	if err != nil {
		return Instant{}, fmt.Errorf("membaca tiket terakhir hari %s: %w", day, err)
	}
	return ParseInstant(s)
}

// loadAnchor adds boot's anchor, if it has one, to into.
func loadAnchor(ctx context.Context, db querier, boot string, into map[string]anchor) error {
	if boot == "" {
		return nil
	}
	if _, ok := into[boot]; ok {
		return nil
	}
	var wall, source string
	var mono int64
	err := db.QueryRowContext(ctx, `SELECT wall, mono, source FROM clock_anchors WHERE boot = ?`, boot).Scan(&wall, &mono, &source)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("membaca jam boot %s: %w", boot, err)
	}
	w, err := time.Parse(time.RFC3339Nano, wall)
	if err != nil {
		return fmt.Errorf("jam boot %s: %w", boot, err)
	}
	into[boot] = anchor{At: Instant{Wall: w, Boot: boot, Mono: time.Duration(mono)}, Source: source}
	return nil
}

// issued records a ticket issued under day at at, once committed.
func (k *dayKeeper) issued(day string, at Instant) {
	k.mu.Lock()
	if k.st.day == day {
		k.st.lastIssue = at
	}
	k.mu.Unlock()
}

// snapshot is the committed state, loaded from db on first use.
func (k *dayKeeper) snapshot(ctx context.Context, db querier, boot string) (dayState, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.loaded && db != nil {
		st, err := loadDayState(ctx, db, boot)
		if err != nil {
			return dayState{}, false
		}
		k.st, k.loaded = st, true
	}
	return k.st.clone(), k.loaded
}

// officeDay is the office day at now, and the time known now (ok false when unknown),
// from the committed state: what readers see.
func (q *Queue) officeDay(now Instant) (day string, known time.Time, ok bool) {
	synced := q.synchronized()
	st, loaded := q.days.snapshot(context.Background(), q.store.r, now.Boot)
	if !loaded {
		return localDate(now.Wall, q.cfg.Location), time.Time{}, false
	}
	known, ok = st.known(now, synced)
	return st.decide(now, synced, q.cfg.Location), known, ok
}

// openAt reports whether the office takes tickets at now: by its opening hours on the known
// time, and always while the time is unknown (rule 2).
func (q *Queue) openAt(now Instant) bool {
	_, known, ok := q.officeDay(now)
	return !ok || q.cfg.OpenAt(known)
}

// synchronized reports whether the clock is kept by a time server (a Clock that cannot
// tell is taken as synchronised).
func (q *Queue) synchronized() bool {
	if c, ok := q.clock.(SyncedClock); ok {
		return c.Synchronized()
	}
	return true
}

// dayAtBatch is the day decision of the writer at the start of a batch: the office day
// and known time for the batch's commands, written in tx when they change (the office
// day; this boot's anchor while synchronised). commit publishes the new state to readers
// once tx has committed.
type dayAtBatch struct {
	day     string
	known   time.Time
	knownOK bool
	commit  func()
}

func (q *Queue) beginDay(ctx context.Context, tx *sql.Tx, now Instant) (dayAtBatch, error) {
	k := &q.days
	synced := q.synchronized()
	st, loaded := k.snapshot(ctx, nil, now.Boot)
	if !loaded {
		var err error
		if st, err = loadDayState(ctx, tx, now.Boot); err != nil {
			return dayAtBatch{}, err
		}
	}
	if err := loadAnchor(ctx, tx, now.Boot, st.anchors); err != nil {
		return dayAtBatch{}, err
	}
	if synced && needsAnchor(st.anchors, now) {
		a := anchor{At: now, Source: SourceNTP}
		if err := saveAnchor(ctx, tx, a); err != nil {
			return dayAtBatch{}, err
		}
		st.anchors[now.Boot] = a
	}
	known, ok := st.known(now, synced)
	day := st.decide(now, synced, q.cfg.Location)
	old := st.day
	if day != old {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('office_day', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, day); err != nil {
			return dayAtBatch{}, fmt.Errorf("menyimpan hari layanan: %w", err)
		}
		li, err := lastIssued(ctx, tx, day)
		if err != nil {
			return dayAtBatch{}, err
		}
		st.day, st.lastIssue = day, li
	}
	held := ""
	if ok && localDate(known, q.cfg.Location) > day {
		held = day + ">" + localDate(known, q.cfg.Location)
	}
	return dayAtBatch{day: day, known: known, knownOK: ok, commit: func() {
		k.mu.Lock()
		k.st, k.loaded = st, true
		logHeld := held != "" && held != k.held
		k.held = held
		logKnown := ok != k.wasOK || !k.decided
		k.wasOK, k.decided = ok, true
		k.mu.Unlock()
		switch {
		case day != old && old != "":
			slog.Info("hari layanan berganti; nomor mulai dari 001", "dari", old, "ke", day)
		case logHeld:
			slog.Warn("hari layanan ditahan sampai tengah malam berikutnya: nomor sudah diberikan hari ini sebelum jam pasti",
				"hari_layanan", day, "tanggal_jam", localDate(known, q.cfg.Location))
		}
		if logKnown && !ok {
			slog.Warn("jam belum pasti (tidak tersinkron dengan server waktu sejak perangkat menyala); hari layanan tetap, tidak ada yang kedaluwarsa",
				"hari_layanan", day)
		} else if logKnown {
			slog.Info("jam pasti", "jam", known)
		}
	}}, nil
}

// needsAnchor reports whether a synchronised reading at now should be stored for its boot.
func needsAnchor(anchors map[string]anchor, now Instant) bool {
	if now.Boot == "" {
		return false
	}
	a, ok := anchors[now.Boot]
	if !ok || a.Source != SourceNTP || now.Mono-a.At.Mono >= anchorRefresh {
		return true
	}
	drift := now.Wall.Sub(a.At.Wall.Add(now.Mono - a.At.Mono))
	return drift > anchorDrift || drift < -anchorDrift
}

func saveAnchor(ctx context.Context, tx *sql.Tx, a anchor) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO clock_anchors (boot, wall, mono, source) VALUES (?, ?, ?, ?)
		ON CONFLICT (boot) DO UPDATE SET wall = excluded.wall, mono = excluded.mono, source = excluded.source`,
		a.At.Boot, a.At.Wall.UTC().Format(time.RFC3339Nano), int64(a.At.Mono), a.Source)
	if err != nil {
		return fmt.Errorf("menyimpan jam boot: %w", err)
	}
	return nil
}
