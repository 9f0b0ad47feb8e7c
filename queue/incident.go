package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Incidents (gangguan layanan, docs/CRISIS.md): what kept the office from serving as its
// standards say — a surge the counters cannot serve before closing, the appliance down,
// numbers handed out on paper, the ticket printer down. Each is an event with its start,
// end and a note, listed in the reports ("incidents", DOMAIN.md "Crisis") and synced to
// headquarters like every event.

// Incident types.
const (
	IncidentSurge   = "surge"   // lonjakan: someone waiting will not be called before closing (antrid notices)
	IncidentOutage  = "outage"  // gangguan sistem: the appliance or its network down (the admin records it)
	IncidentManual  = "manual"  // nomor manual: numbers handed out on paper (the admin, or a backfill)
	IncidentPrinter = "printer" // printer mati: the ticket printer down longer than [crisis] printer_incident_after
)

// IncidentTypes are the incident types, in the order pages list them.
var IncidentTypes = []string{IncidentSurge, IncidentOutage, IncidentManual, IncidentPrinter}

// Who recorded an incident: SourceAdmin (the admin page or API, "admin") or antrid itself.
const SourceAuto = "auto" // antrid noticed it (a surge, the printer)

// Events of incidents: their Data is the Incident after the change.
const (
	EventIncidentOpened = "incident_opened" // started (with End set: recorded after it was over)
	EventIncidentClosed = "incident_closed" // ended
)

// Incident is one disruption of service.
type Incident struct {
	ID      int64      `json:"id"`
	Type    string     `json:"type"`
	Service string     `json:"service,omitempty"` // a surge's service
	Start   time.Time  `json:"start"`
	End     *time.Time `json:"end"` // null while it lasts
	Note    string     `json:"note"`
	Source  string     `json:"source"`
}

// OpenIncident records that an incident began: at Start (now when zero; never in the
// future), and, when End is set, that it is already over — an outage written down once
// the appliance is back. Only one incident of a type (and service) is open at a time.
type OpenIncident struct {
	Type    string
	Service string
	Start   time.Time
	End     time.Time
	Note    string
	Source  string // SourceAdmin when empty
}

// CloseIncident ends an open incident: the one with ID, or the open one of Type and
// Service. End is now when zero; Note, when set, is added to the incident's note.
type CloseIncident struct {
	ID      int64
	Type    string
	Service string
	End     time.Time
	Note    string
}

// futureSlack is how far ahead of the appliance's clock a time written on paper or in a
// form may be: a wall clock or a watch a minute fast.
const futureSlack = 2 * time.Minute

func (c OpenIncident) apply(t *txn) (*Ticket, error) {
	if !slices.Contains(IncidentTypes, c.Type) {
		return nil, refuse(KindInvalid, "jenis gangguan %q tidak dikenal; pakai salah satu: %s", c.Type, strings.Join(IncidentTypes, ", "))
	}
	if c.Service != "" {
		if _, ok := t.q.cfg.Service(c.Service); !ok {
			return nil, refuse(KindInvalid, "layanan %q tidak ada; pilih salah satu: %s", c.Service, serviceCodes(t.q.cfg))
		}
	}
	if err := checkText("catatan gangguan", c.Note, MaxNoteRunes); err != nil {
		return nil, err
	}
	source := c.Source
	if source == "" {
		source = SourceAdmin
	}
	start := t.now
	if !c.Start.IsZero() {
		if c.Start.After(t.now.Wall.Add(futureSlack)) {
			return nil, refuse(KindInvalid, "waktu mulai %s belum terjadi; isi waktu yang sudah lewat", c.Start.In(t.q.cfg.Location).Format("02-01-2006 15.04"))
		}
		start = Instant{Wall: c.Start}
	}
	var end Instant
	if !c.End.IsZero() {
		if c.End.Before(start.Wall) {
			return nil, refuse(KindInvalid, "waktu selesai sebelum waktu mulai; periksa kedua jam")
		}
		if c.End.After(t.now.Wall.Add(futureSlack)) {
			return nil, refuse(KindInvalid, "waktu selesai %s belum terjadi; kosongkan bila gangguan masih berlangsung", c.End.In(t.q.cfg.Location).Format("02-01-2006 15.04"))
		}
		end = Instant{Wall: c.End}
	} else {
		var open int64
		err := t.tx.QueryRowContext(t.ctx, `SELECT id FROM incidents WHERE type = ? AND service = ? AND ended = ''`, c.Type, c.Service).Scan(&open)
		if err == nil {
			return nil, refuse(KindConflict, "gangguan %s%s masih tercatat berlangsung (nomor %d); akhiri dulu yang itu", incidentWords(c.Type), forService(c.Service), open)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO incidents (type, service, started, ended, note, source) VALUES (?, ?, ?, ?, ?, ?)`,
		c.Type, c.Service, start.String(), end.String(), strings.TrimSpace(c.Note), source)
	if err != nil {
		return nil, fmt.Errorf("menyimpan gangguan: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, err
	}
	inc, err := t.incident(id)
	if err != nil {
		return nil, err
	}
	return nil, t.emit(EventIncidentOpened, nil, c.Service, "", inc)
}

func (c CloseIncident) apply(t *txn) (*Ticket, error) {
	if err := checkText("catatan gangguan", c.Note, MaxNoteRunes); err != nil {
		return nil, err
	}
	id := c.ID
	if id == 0 {
		err := t.tx.QueryRowContext(t.ctx, `SELECT id FROM incidents WHERE type = ? AND service = ? AND ended = ''`, c.Type, c.Service).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, refuse(KindNotFound, "tidak ada gangguan %s%s yang sedang berlangsung", incidentWords(c.Type), forService(c.Service))
		}
		if err != nil {
			return nil, err
		}
	}
	inc, err := t.incident(id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, refuse(KindNotFound, "gangguan nomor %d tidak ada", id)
	}
	if err != nil {
		return nil, err
	}
	if inc.End != nil {
		return nil, refuse(KindConflict, "gangguan nomor %d sudah berakhir pukul %s", id, clockText(*inc.End))
	}
	end := t.now
	if !c.End.IsZero() {
		if c.End.Before(inc.Start) {
			return nil, refuse(KindInvalid, "waktu selesai sebelum gangguan mulai (%s)", inc.Start.Format("02-01-2006 15.04"))
		}
		if c.End.After(t.now.Wall.Add(futureSlack)) {
			return nil, refuse(KindInvalid, "waktu selesai belum terjadi")
		}
		end = Instant{Wall: c.End}
	}
	note := inc.Note
	if n := strings.TrimSpace(c.Note); n != "" {
		if note != "" {
			note += " — "
		}
		note += n
	}
	if err := checkText("catatan gangguan", note, 2*MaxNoteRunes); err != nil {
		return nil, err
	}
	if _, err := t.tx.ExecContext(t.ctx, `UPDATE incidents SET ended = ?, note = ? WHERE id = ?`, end.String(), note, id); err != nil {
		return nil, fmt.Errorf("menyimpan gangguan: %w", err)
	}
	if inc, err = t.incident(id); err != nil {
		return nil, err
	}
	return nil, t.emit(EventIncidentClosed, nil, inc.Service, "", inc)
}

// incidentWords names an incident type in Indonesian.
func incidentWords(typ string) string {
	switch typ {
	case IncidentSurge:
		return "lonjakan antrean"
	case IncidentOutage:
		return "sistem mati"
	case IncidentManual:
		return "nomor manual"
	case IncidentPrinter:
		return "printer mati"
	}
	return typ
}

func forService(code string) string {
	if code == "" {
		return ""
	}
	return " layanan " + code
}

const incidentCols = `id, type, service, started, ended, note, source`

func scanIncident(sc interface{ Scan(...any) error }, loc *time.Location) (Incident, error) {
	var inc Incident
	var started, ended string
	if err := sc.Scan(&inc.ID, &inc.Type, &inc.Service, &started, &ended, &inc.Note, &inc.Source); err != nil {
		return inc, err
	}
	s, err := ParseInstant(started)
	if err != nil {
		return inc, err
	}
	e, err := ParseInstant(ended)
	if err != nil {
		return inc, err
	}
	inc.Start = s.Wall.In(loc)
	if !e.IsZero() {
		w := e.Wall.In(loc)
		inc.End = &w
	}
	return inc, nil
}

func (t *txn) incident(id int64) (Incident, error) {
	return scanIncident(t.tx.QueryRowContext(t.ctx, `SELECT `+incidentCols+` FROM incidents WHERE id = ?`, id), t.q.cfg.Location)
}

// Incidents lists the incidents that overlap [from, to) (all when both are zero), newest
// first, the open ones among them.
func (q *Queue) Incidents(ctx context.Context, from, to time.Time) ([]Incident, error) {
	rows, err := q.store.r.QueryContext(ctx, `SELECT `+incidentCols+` FROM incidents ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Incident{}
	for rows.Next() {
		inc, err := scanIncident(rows, q.cfg.Location)
		if err != nil {
			return nil, err
		}
		if !to.IsZero() && !inc.Start.Before(to) || !from.IsZero() && inc.End != nil && inc.End.Before(from) {
			continue
		}
		out = append(out, inc)
	}
	return out, rows.Err()
}

// RecordIncident runs an OpenIncident or CloseIncident and returns the incident as it is
// after it.
func (q *Queue) RecordIncident(ctx context.Context, cmd Command) (Incident, error) {
	switch cmd.(type) {
	case OpenIncident, CloseIncident:
	default:
		return Incident{}, fmt.Errorf("queue: RecordIncident takes OpenIncident or CloseIncident, not %T", cmd)
	}
	c := &incidentCmd{cmd: cmd}
	_, err := q.Do(ctx, c)
	return c.out, err
}

type incidentCmd struct {
	cmd Command
	out Incident
}

func (c *incidentCmd) apply(t *txn) (*Ticket, error) {
	if _, err := c.cmd.apply(t); err != nil {
		return nil, err
	}
	if n := len(t.events); n > 0 {
		_ = json.Unmarshal(t.events[n-1].Data, &c.out)
	}
	return nil, nil
}
