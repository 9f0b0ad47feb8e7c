package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// EventStandardRevised records a revision of a service's standards; its Data
// is the full Revision, effective time included.
const EventStandardRevised = "standard_revised"

// Components are the six published components of a Standar Pelayanan
// (PermenPAN-RB 15/2014) that the office config holds per service.
type Components struct {
	Requirements   []string `json:"requirements"`    // persyaratan
	Procedure      []string `json:"procedure"`       // sistem, mekanisme dan prosedur
	CompletionTime string   `json:"completion_time"` // jangka waktu pelayanan
	Fee            string   `json:"fee"`             // biaya/tarif
	Product        string   `json:"product"`         // produk pelayanan
	Complaints     string   `json:"complaints"`      // penanganan pengaduan, saran dan masukan
}

// Revision is a service's standards from its effective time until the next
// revision. ID 0 is the config: what is in force before any revision.
type Revision struct {
	ID               int64      `json:"id"`
	Service          string     `json:"service"`
	WaitStandard     string     `json:"wait_standard"`    // Go duration, e.g. "15m0s"
	ServiceStandard  string     `json:"service_standard"` // Go duration
	WaitStandardS    int64      `json:"wait_standard_s"`
	ServiceStandardS int64      `json:"service_standard_s"`
	Components       Components `json:"components"`
	Reason           string     `json:"reason"`
	Effective        time.Time  `json:"effective"`             // in force from this wall time
	Recorded         *time.Time `json:"recorded_at,omitempty"` // when the admin made it; nil for the config

	Wait        time.Duration `json:"-"`
	ServiceTime time.Duration `json:"-"`
}

func newRevision(id int64, service string, wait, svc time.Duration, c Components, reason string, eff time.Time) Revision {
	c.Requirements, c.Procedure = nonNil(c.Requirements), nonNil(c.Procedure)
	return Revision{ID: id, Service: service, WaitStandard: wait.String(), ServiceStandard: svc.String(),
		WaitStandardS: int64(wait / time.Second), ServiceStandardS: int64(svc / time.Second), Components: c,
		Reason: reason, Effective: eff, Wait: wait, ServiceTime: svc}
}

// configRevision is the revision the config file stands for.
func configRevision(s ServiceConfig) Revision {
	return newRevision(0, s.Code, s.Wait, s.Service, Components{Requirements: s.Requirements, Procedure: s.Procedure,
		CompletionTime: s.CompletionTime, Fee: s.Fee, Product: s.Product, Complaints: s.Complaints},
		"konfigurasi kantor", time.Time{})
}

// ReviseStandard changes a service's standards from Effective on (now when
// zero; never in the past, because tickets already issued keep the standard
// they were issued under and history must not be rewritten). Components, when
// nil, stay as they are in force at Effective. Reason is required: the
// revision is published and kept forever. Do returns a nil ticket; the
// revision is the event's Data and Revisions lists it.
type ReviseStandard struct {
	Service     string
	Wait        time.Duration
	ServiceTime time.Duration
	Components  *Components
	Reason      string
	Effective   time.Time
}

func (c ReviseStandard) apply(t *txn) (*Ticket, error) {
	svc, ok := t.q.cfg.Service(c.Service)
	if !ok {
		return nil, refuse(KindNotFound, "layanan %q tidak ada; pilih salah satu: %s", c.Service, serviceCodes(t.q.cfg))
	}
	if c.Wait <= 0 || c.ServiceTime <= 0 {
		return nil, refuse(KindInvalid, `standar waktu tunggu dan waktu pelayanan wajib lebih dari nol, contoh "15m" dan "10m"`)
	}
	if c.Wait%time.Second != 0 || c.ServiceTime%time.Second != 0 {
		// The ticket events carry standards in whole seconds (headquarters' reports, restore).
		return nil, refuse(KindInvalid, `standar waktu ditulis dalam detik bulat, contoh "90s" atau "15m"`)
	}
	reason := strings.TrimSpace(c.Reason)
	if reason == "" {
		return nil, refuse(KindInvalid, "alasan perubahan standar wajib diisi; revisi dipublikasikan dan disimpan selamanya")
	}
	if err := checkText("alasan perubahan", reason, MaxNoteRunes); err != nil {
		return nil, err
	}
	if err := checkComponents(c.Components); err != nil {
		return nil, err
	}
	eff := c.Effective
	if eff.IsZero() {
		eff = t.now.Wall
	}
	if eff.Before(t.now.Wall) {
		return nil, refuse(KindInvalid, "waktu berlaku %s sudah lewat; pilih sekarang atau waktu yang akan datang (tiket yang sudah terbit tetap dinilai dengan standar lamanya)",
			eff.In(t.q.cfg.Location).Format("2006-01-02 15:04"))
	}
	var comp Components
	if c.Components != nil {
		comp = *c.Components
	} else {
		prev, err := t.q.revisionAt(t.ctx, t.tx, svc.Code, eff)
		if err != nil {
			return nil, err
		}
		comp = prev.Components
	}
	rev := newRevision(0, svc.Code, c.Wait, c.ServiceTime, comp, reason, eff)
	rec := t.now.Wall
	rev.Recorded = &rec
	body, err := json.Marshal(rev.Components)
	if err != nil {
		return nil, err
	}
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO standard_revisions (service, wait_ns, service_ns, components, reason, effective_ns, recorded)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, svc.Code, int64(c.Wait), int64(c.ServiceTime), string(body), reason, eff.UnixNano(), t.now.String())
	if err != nil {
		return nil, err
	}
	if rev.ID, err = res.LastInsertId(); err != nil {
		return nil, err
	}
	return nil, t.emit(EventStandardRevised, nil, svc.Code, "", rev)
}

const revisionCols = `id, service, wait_ns, service_ns, components, reason, effective_ns, recorded`

func scanRevision(sc interface{ Scan(...any) error }, loc *time.Location) (Revision, error) {
	var id, wait, svc, eff int64
	var service, comp, reason, recorded string
	if err := sc.Scan(&id, &service, &wait, &svc, &comp, &reason, &eff, &recorded); err != nil {
		return Revision{}, err
	}
	var c Components
	if err := json.Unmarshal([]byte(comp), &c); err != nil {
		return Revision{}, err
	}
	rev := newRevision(id, service, time.Duration(wait), time.Duration(svc), c, reason, time.Unix(0, eff).In(loc))
	if in, err := ParseInstant(recorded); err == nil && !in.IsZero() {
		w := in.Wall.In(loc)
		rev.Recorded = &w
	}
	return rev, nil
}

// revisionAt is the revision of a service in force at wall time at: the
// latest revision effective at or before it, else the config.
func (q *Queue) revisionAt(ctx context.Context, db querier, service string, at time.Time) (Revision, error) {
	s, _ := q.cfg.Service(service)
	rev, err := scanRevision(db.QueryRowContext(ctx, `SELECT `+revisionCols+` FROM standard_revisions
		WHERE service = ? AND effective_ns <= ? ORDER BY effective_ns DESC, id DESC LIMIT 1`, service, at.UnixNano()), q.cfg.Location)
	if errors.Is(err, sql.ErrNoRows) {
		return configRevision(s), nil
	}
	return rev, err
}

// standardsAt returns the wait and service standards of a service in force at
// instant at. A ticket is judged by the standard in force when it was issued.
func (q *Queue) standardsAt(ctx context.Context, db querier, service string, at Instant) (wait, svc time.Duration, err error) {
	rev, err := q.revisionAt(ctx, db, service, at.Wall)
	return rev.Wait, rev.ServiceTime, err
}

func (t *txn) standardsAt(service string, at Instant) (wait, svc time.Duration, err error) {
	return t.q.standardsAt(t.ctx, t.tx, service, at)
}

// StandardAt is the revision of a service's standards in force at wall time at.
func (q *Queue) StandardAt(ctx context.Context, service string, at time.Time) (Revision, error) {
	if _, ok := q.cfg.Service(service); !ok {
		return Revision{}, refuse(KindNotFound, "layanan %q tidak ada; pilih salah satu: %s", service, serviceCodes(q.cfg))
	}
	return q.revisionAt(ctx, q.store.r, service, at)
}

// Revisions lists every revision of a service's standards, oldest first,
// starting with the config (ID 0), future ones included.
func (q *Queue) Revisions(ctx context.Context, service string) ([]Revision, error) {
	s, ok := q.cfg.Service(service)
	if !ok {
		return nil, refuse(KindNotFound, "layanan %q tidak ada; pilih salah satu: %s", service, serviceCodes(q.cfg))
	}
	rows, err := q.store.r.QueryContext(ctx, `SELECT `+revisionCols+` FROM standard_revisions WHERE service = ?
		ORDER BY effective_ns, id`, service)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Revision{configRevision(s)}
	for rows.Next() {
		rev, err := scanRevision(rows, q.cfg.Location)
		if err != nil {
			return nil, err
		}
		out = append(out, rev)
	}
	return out, rows.Err()
}

// ServiceInfo is a service's published Standar Pelayanan: its six components
// and the two queue standards in force now.
type ServiceInfo struct {
	Code             string   `json:"code"`
	Name             string   `json:"name"`
	Unit             string   `json:"unit,omitempty"`
	Requirements     []string `json:"requirements"`
	Procedure        []string `json:"procedure"`
	CompletionTime   string   `json:"completion_time"`
	Fee              string   `json:"fee"`
	Product          string   `json:"product"`
	Complaints       string   `json:"complaints"`
	WaitStandardS    int64    `json:"wait_standard_s"`
	ServiceStandardS int64    `json:"service_standard_s"`
	DailyQuota       int      `json:"daily_quota,omitempty"`
	RevisionID       int64    `json:"revision_id"` // the revision in force (0: the config)
}

// Services lists every service's published standard as in force now.
func (q *Queue) Services(ctx context.Context) ([]ServiceInfo, error) {
	now := q.clock.Now()
	var out []ServiceInfo
	for _, s := range q.cfg.Services {
		rev, err := q.revisionAt(ctx, q.store.r, s.Code, now.Wall)
		if err != nil {
			return nil, err
		}
		c := rev.Components
		out = append(out, ServiceInfo{Code: s.Code, Name: s.Name, Unit: s.Unit, Requirements: nonNil(c.Requirements),
			Procedure: nonNil(c.Procedure), CompletionTime: c.CompletionTime, Fee: c.Fee, Product: c.Product,
			Complaints: c.Complaints, WaitStandardS: rev.WaitStandardS, ServiceStandardS: rev.ServiceStandardS,
			DailyQuota: s.DailyQuota, RevisionID: rev.ID})
	}
	return out, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
