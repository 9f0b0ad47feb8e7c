package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// CounterStatus is whether a counter (loket) takes citizens now. The names are the
// contract of DOMAIN.md ("MPP scale"): /api/state gives each counter its status and
// pause_reason.
type CounterStatus string

// The statuses of a counter. A counter is open unless its officer paused it (with a
// reason: a break, a meeting) or closed it (the end of the shift). A paused or closed
// counter calls nobody, and the estimates of its services leave it out.
const (
	CounterOpen   CounterStatus = "open"
	CounterPaused CounterStatus = "paused"
	CounterClosed CounterStatus = "closed"
)

// PauseReasons are the reasons a counter may pause for, as stored and sent; pages
// show them in words ("Istirahat", "Ishoma", "Rapat", "Gangguan sistem"):
//
//   - istirahat: a short break;
//   - ishoma: istirahat, salat, makan — the midday break, Friday prayers;
//   - rapat: the officer is called to a meeting or briefing;
//   - gangguan: the agency's system, the network or the counter's equipment is down.
var PauseReasons = []string{"istirahat", "ishoma", "rapat", "gangguan"}

// EventCounterStatus records a counter opening, pausing or closing. Its Counter is the
// counter and its Data a CounterStatusData; it is public (the waiting room sees that a
// counter is paused and why).
const EventCounterStatus = "counter_status"

// CounterStatusData is the Data of a counter_status event: the status after it.
type CounterStatusData struct {
	Status      CounterStatus `json:"status"`
	PauseReason string        `json:"pause_reason,omitempty"`
}

// counterState is a counter's row of counter_state, or its defaults.
type counterState struct {
	status       CounterStatus
	reason       string
	since        Instant
	officer      Officer
	officerDay   string
	officerSince Instant
}

// loadCounterStates reads every counter's state; counters without a row are open with
// nobody signed in and have no entry.
func loadCounterStates(ctx context.Context, db querier) (map[string]counterState, error) {
	rows, err := db.QueryContext(ctx, `SELECT counter, status, pause_reason, since, officer, officer_nip, officer_day, officer_since FROM counter_state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]counterState{}
	for rows.Next() {
		var id, since, officerSince string
		var cs counterState
		if err := rows.Scan(&id, &cs.status, &cs.reason, &since, &cs.officer.Name, &cs.officer.NIP, &cs.officerDay, &officerSince); err != nil {
			return nil, err
		}
		if cs.since, err = ParseInstant(since); err != nil {
			return nil, err
		}
		if cs.officerSince, err = ParseInstant(officerSince); err != nil {
			return nil, err
		}
		out[id] = cs
	}
	return out, rows.Err()
}

// view is the counter as pages and the API show it, with current, the ticket at it.
// The officer must already be today's (signedIn).
func (cs counterState) view(k CounterConfig, current *Ticket, loc *time.Location) CounterState {
	out := CounterState{ID: k.ID, Name: k.Name, Services: k.Services, Current: current,
		Status: cs.status, PauseReason: cs.reason, StatusSince: timeOf(cs.since, loc)}
	if out.Status == "" {
		out.Status = CounterOpen
	}
	if o := cs.officer; o.Name != "" {
		out.Officer = &o
	}
	return out
}

// CounterState reads one counter as it is now: its status, officer and ticket.
func (q *Queue) CounterState(ctx context.Context, id string) (CounterState, error) {
	k, ok := q.cfg.Counter(id)
	if !ok {
		return CounterState{}, refuse(KindNotFound, "loket %q tidak ada", id)
	}
	states, err := loadCounterStates(ctx, q.store.r)
	if err != nil {
		return CounterState{}, err
	}
	cs, ok := states[k.ID]
	if !ok {
		cs.status = CounterOpen
	}
	cs.officer = cs.signedIn(q.Today())
	var current *Ticket
	r, err := loadRecord(ctx, q.store.r, `counter = ? AND stage IN ('called', 'started')`, k.ID)
	switch {
	case err == nil:
		current = r.view(q.cfg.Location)
	case !errors.Is(err, sql.ErrNoRows):
		return CounterState{}, err
	}
	return cs.view(k, current, q.cfg.Location), nil
}

// counterWithState finds a counter of the config and reads its state, or refuses an
// unknown counter.
func (t *txn) counterWithState(id string) (CounterConfig, counterState, error) {
	k, ok := t.q.cfg.Counter(id)
	if !ok {
		return k, counterState{}, refuse(KindNotFound, "loket %q tidak ada", id)
	}
	cs, err := t.counterStateOf(k.ID)
	return k, cs, err
}

// counterStateOf reads one counter's state inside a command.
func (t *txn) counterStateOf(id string) (counterState, error) {
	var since, officerSince string
	cs := counterState{status: CounterOpen}
	err := t.tx.QueryRowContext(t.ctx, `SELECT status, pause_reason, since, officer, officer_nip, officer_day, officer_since
		FROM counter_state WHERE counter = ?`, id).Scan(&cs.status, &cs.reason, &since, &cs.officer.Name, &cs.officer.NIP, &cs.officerDay, &officerSince)
	if errors.Is(err, sql.ErrNoRows) {
		return cs, nil
	}
	if err != nil {
		return cs, err
	}
	if cs.since, err = ParseInstant(since); err != nil {
		return cs, err
	}
	cs.officerSince, err = ParseInstant(officerSince)
	return cs, err
}

// saveCounterState writes a counter's state.
func (t *txn) saveCounterState(id string, cs counterState) error {
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO counter_state (counter, status, pause_reason, since, officer, officer_nip, officer_day, officer_since)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (counter) DO UPDATE SET status = excluded.status, pause_reason = excluded.pause_reason,
		since = excluded.since, officer = excluded.officer, officer_nip = excluded.officer_nip, officer_day = excluded.officer_day,
		officer_since = excluded.officer_since`,
		id, cs.status, cs.reason, cs.since.String(), cs.officer.Name, cs.officer.NIP, cs.officerDay, cs.officerSince.String())
	if err != nil {
		return fmt.Errorf("menyimpan keadaan loket %s: %w", id, err)
	}
	return nil
}

// mustBeOpen refuses a call at a counter that is paused or closed, saying what to press.
func (cs counterState) mustBeOpen(k CounterConfig) error {
	switch cs.status {
	case CounterPaused:
		return refuse(KindConflict, "%s sedang jeda (%s); tekan Lanjutkan dulu untuk memanggil lagi", k.Name, cs.reason)
	case CounterClosed:
		return refuse(KindConflict, "%s sudah tutup; tekan Buka loket dulu untuk memanggil lagi", k.Name)
	}
	return nil
}

// counterFree loads the counter's config and refuses while a ticket is at it: a counter
// pauses or closes only between citizens.
func (t *txn) counterFree(id, doing string) (CounterConfig, error) {
	k, ok := t.q.cfg.Counter(id)
	if !ok {
		return k, refuse(KindNotFound, "loket %q tidak ada", id)
	}
	cur, err := t.counterRecord(k.ID)
	if err != nil {
		return k, err
	}
	if cur != nil {
		return k, refuse(KindConflict, "%s masih melayani %s; selesaikan, tandai tidak hadir, atau alihkan dulu, lalu %s", k.Name, cur.Number, doing)
	}
	return k, nil
}

// setStatus stores a counter's new status and emits its event.
func (t *txn) setStatus(k CounterConfig, cs counterState, status CounterStatus, reason string) error {
	cs.status, cs.reason, cs.since = status, reason, t.now
	if err := t.saveCounterState(k.ID, cs); err != nil {
		return err
	}
	return t.emit(EventCounterStatus, nil, "", k.ID, CounterStatusData{Status: status, PauseReason: reason})
}

// Pause stops a free counter for a while, with one of PauseReasons: it calls nobody
// until Resume, the displays say why, and estimates leave it out. A paused counter may
// pause again with another reason (a break that turns into a meeting).
type Pause struct {
	Counter string
	Reason  string
}

func (c Pause) apply(t *txn) (*Ticket, error) {
	reason := strings.ToLower(strings.TrimSpace(c.Reason))
	if !slices.Contains(PauseReasons, reason) {
		return nil, refuse(KindInvalid, "alasan jeda %q tidak dikenal; pilih salah satu: %s", c.Reason, strings.Join(PauseReasons, ", "))
	}
	k, err := t.counterFree(c.Counter, "jeda")
	if err != nil {
		return nil, err
	}
	cs, err := t.counterStateOf(k.ID)
	if err != nil {
		return nil, err
	}
	switch {
	case cs.status == CounterClosed:
		return nil, refuse(KindConflict, "%s sudah tutup; tekan Buka loket bila loket melayani lagi", k.Name)
	case cs.status == CounterPaused && cs.reason == reason:
		return nil, refuse(KindConflict, "%s sudah jeda (%s); tekan Lanjutkan bila loket melayani lagi", k.Name, reason)
	}
	return nil, t.setStatus(k, cs, CounterPaused, reason)
}

// Resume opens a paused or closed counter again.
type Resume struct{ Counter string }

func (c Resume) apply(t *txn) (*Ticket, error) {
	k, cs, err := t.counterWithState(c.Counter)
	if err != nil {
		return nil, err
	}
	if cs.status == CounterOpen {
		return nil, refuse(KindConflict, "%s sudah buka; tekan Panggil berikutnya untuk memanggil", k.Name)
	}
	return nil, t.setStatus(k, cs, CounterOpen, "")
}

// Close ends a free counter's shift: it calls nobody until Resume, and the officer
// signed in there is signed out (officer_signed_out follows counter_status).
type Close struct{ Counter string }

func (c Close) apply(t *txn) (*Ticket, error) {
	k, err := t.counterFree(c.Counter, "tutup loket")
	if err != nil {
		return nil, err
	}
	cs, err := t.counterStateOf(k.ID)
	if err != nil {
		return nil, err
	}
	if cs.status == CounterClosed {
		return nil, refuse(KindConflict, "%s sudah tutup", k.Name)
	}
	left := cs.officer
	cs.officer, cs.officerDay, cs.officerSince = Officer{}, "", Instant{}
	if err := t.setStatus(k, cs, CounterClosed, ""); err != nil {
		return nil, err
	}
	if left.Name != "" {
		return nil, t.emit(EventOfficerSignedOut, nil, "", k.ID, left)
	}
	return nil, nil
}

// openCountersServing is how many counters serving service are open now: the counters
// an estimate shares the waiting over.
func openCountersServing(ctx context.Context, db querier, cfg *Config, service string) (int, error) {
	states, err := loadCounterStates(ctx, db)
	if err != nil {
		return 0, err
	}
	return countOpenServing(cfg, states, service), nil
}

func countOpenServing(cfg *Config, states map[string]counterState, service string) int {
	n := 0
	for _, k := range cfg.Counters {
		if cs, ok := states[k.ID]; ok && cs.status != CounterOpen {
			continue
		}
		if slices.Contains(k.Services, service) {
			n++
		}
	}
	return n
}

// timeOf is an Instant's wall time in loc, nil when zero.
func timeOf(i Instant, loc *time.Location) *time.Time {
	if i.IsZero() {
		return nil
	}
	t := i.Wall.In(loc)
	return &t
}
