package queue

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Issue gives a citizen a new ticket for a service. It is refused outside
// opening hours and once the service's daily quota is reached.
type Issue struct {
	Service  string
	Priority bool
}

func (c Issue) apply(t *txn) (*Ticket, error) {
	cfg := t.q.cfg
	svc, ok := cfg.Service(c.Service)
	if !ok {
		return nil, refuse(KindInvalid, "layanan %q tidak ada; pilih salah satu: %s", c.Service, serviceCodes(cfg))
	}
	// Opening hours are judged on the known time; while the clock is not known (a Pi
	// that booted without a time server) they are not enforced: a stale clock must not
	// shut the kiosk in a citizen's face (day.go).
	if t.knownOK && !cfg.OpenAt(t.known) {
		// PUEBI writes the time with a point: 08.00–15.00.
		return nil, refuse(KindClosed, "Maaf, nomor antrean hanya dapat diambil pukul %s–%s. Silakan datang kembali pada jam tersebut.",
			strings.Replace(cfg.Office.Open, ":", ".", 1), strings.Replace(cfg.Office.Close, ":", ".", 1))
	}
	day := t.day
	var last int
	err := t.tx.QueryRowContext(t.ctx, `SELECT last FROM day_numbers WHERE day = ? AND service = ?`, day, svc.Code).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if svc.DailyQuota > 0 && last >= svc.DailyQuota {
		return nil, refuse(KindQuota, "Maaf, kuota harian layanan %s (%d nomor) sudah habis. Silakan datang kembali besok.", svc.Name, svc.DailyQuota)
	}
	if err := t.mayServeToday(svc, c.Priority); err != nil {
		return nil, err
	}
	n := last + 1
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO day_numbers (day, service, last) VALUES (?, ?, ?)
		ON CONFLICT (day, service) DO UPDATE SET last = excluded.last`, day, svc.Code, n); err != nil {
		return nil, err
	}
	seq, err := t.nextSeq()
	if err != nil {
		return nil, err
	}
	r := &record{Day: day, Number: FormatNumber(svc.Code, n), Service: svc.Code, Priority: c.Priority,
		Stage: StageIssued, Segment: 1, QueueSeq: seq, Issued: t.now, Code: newTicketCode()}
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO tickets (day, number, service, priority, stage, segment, queue_seq, issued, code)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Day, r.Number, r.Service, r.Priority, r.Stage, r.Segment, r.QueueSeq, r.Issued.String(), r.Code)
	if err != nil {
		return nil, fmt.Errorf("menyimpan tiket: %w", err)
	}
	if r.ID, err = res.LastInsertId(); err != nil {
		return nil, err
	}
	wait, service, err := t.standardsAt(svc.Code, t.now)
	if err != nil {
		return nil, err
	}
	r.Seg = Segment{TicketID: r.ID, Index: 1, Service: svc.Code, Priority: c.Priority, Queued: t.now,
		WaitStandard: wait, ServiceStandard: service, QueueSeq: seq}
	if err := t.saveSegment(&r.Seg); err != nil {
		return nil, err
	}
	tk := r.view(t.q.cfg.Location)
	if err := t.estimateIssued(tk); err != nil {
		return nil, err
	}
	issued := t.now
	t.after = append(t.after, func() { t.q.days.issued(day, issued) })
	return tk, t.emit(EventIssued, tk, svc.Code, "", nil)
}

func serviceCodes(cfg *Config) string {
	var codes []string
	for _, s := range cfg.Services {
		codes = append(codes, s.Code)
	}
	return strings.Join(codes, ", ")
}

// Call calls the next waiting ticket to a counter: priority tickets first,
// then in the order they were queued, over every service the counter serves.
// Officer names the officer signed in at the counter ("" when officers do not
// sign in): the segment carries it, and the reports have a part per officer.
// With Number, the counter calls that ticket instead (call.go); a paused or
// closed counter calls nobody (counter_status.go).
type Call struct {
	Counter string
	Officer string
	Number  string // a waiting ticket of today of a service the counter serves; "" for the next
}

func (c Call) apply(t *txn) (*Ticket, error) {
	k, ok := t.q.cfg.Counter(c.Counter)
	if !ok {
		return nil, refuse(KindNotFound, "loket %q tidak ada", c.Counter)
	}
	cur, err := t.counterRecord(k.ID)
	if err != nil {
		return nil, err
	}
	if cur != nil {
		return nil, refuse(KindConflict, "%s masih melayani %s; selesaikan, tandai tidak hadir, atau alihkan dulu", k.Name, cur.Number)
	}
	cs, err := t.counterStateOf(k.ID)
	if err != nil {
		return nil, err
	}
	if err := cs.mustBeOpen(k); err != nil {
		return nil, err
	}
	r, err := t.toCall(k, c.Number)
	if err != nil {
		return nil, err
	}
	officer := cs.signedIn(t.day)
	if c.Officer != "" {
		officer = Officer{Name: c.Officer}
	}
	r.Stage, r.Counter = StageCalled, k.ID
	r.Seg.Counter = k.ID
	// A no-show put back in the queue keeps its first call: its wait ended there
	// (DOMAIN.md: wait = first call − queued). This call is a later one.
	if r.Seg.FirstCall.IsZero() {
		r.Seg.FirstCall = t.now
	}
	r.Seg.LastCall = t.now
	r.Seg.Calls++
	r.Seg.Officer, r.Seg.OfficerNIP = strings.TrimSpace(officer.Name), officer.NIP
	var data any
	if officer.NIP != "" {
		// The NIP is personal (it holds a birth date): it travels in the event's data,
		// which the staff's pages and headquarters get, never in the ticket that
		// /api/state and the public pages show.
		data = CallData{OfficerNIP: officer.NIP}
	}
	return t.finish(r, EventCalled, data)
}

// finish saves r and emits its event.
func (t *txn) finish(r *record, typ string, data any) (*Ticket, error) {
	if err := t.save(r); err != nil {
		return nil, err
	}
	tk := r.view(t.q.cfg.Location)
	return tk, t.emit(typ, tk, r.Seg.Service, r.Seg.Counter, data)
}

// Recall repeats the call of the ticket at a counter (the citizen has not come yet).
type Recall struct{ Counter string }

func (c Recall) apply(t *txn) (*Ticket, error) {
	r, err := t.currentAt(c.Counter)
	if err != nil {
		return nil, err
	}
	if r.Stage != StageCalled {
		return nil, refuse(KindConflict, "%s sudah mulai dilayani; panggilan ulang hanya sebelum pelayanan dimulai", r.Number)
	}
	r.Seg.Calls++
	r.Seg.LastCall = t.now
	return t.finish(r, EventRecalled, nil)
}

// Start marks that service of the called ticket begins.
type Start struct{ Counter string }

func (c Start) apply(t *txn) (*Ticket, error) {
	r, err := t.currentAt(c.Counter)
	if err != nil {
		return nil, err
	}
	if r.Stage != StageCalled {
		return nil, refuse(KindConflict, "%s sudah mulai dilayani", r.Number)
	}
	r.Stage, r.Seg.Started = StageStarted, t.now
	return t.finish(r, EventStarted, nil)
}

// Finish ends the service of a counter's ticket, done on this visit or
// incomplete (the citizen must come back). Where the counter never pressed
// start, the last call counts as the start.
type Finish struct {
	Counter string
	Outcome Outcome
}

func (c Finish) apply(t *txn) (*Ticket, error) {
	if !c.Outcome.Valid() {
		return nil, refuse(KindInvalid, `hasil %q tidak dikenal; pakai "done" (selesai) atau "incomplete" (berkas belum lengkap)`, c.Outcome)
	}
	r, err := t.currentAt(c.Counter)
	if err != nil {
		return nil, err
	}
	if r.Seg.Started.IsZero() {
		r.Seg.Started = r.Seg.LastCall
	}
	r.Stage, r.Seg.End, r.Seg.Ended, r.Seg.Outcome = StageFinished, StageFinished, t.now, c.Outcome
	return t.finish(r, EventFinished, FinishData{Outcome: c.Outcome})
}

// NoShow ends a called ticket whose citizen did not come.
type NoShow struct{ Counter string }

func (c NoShow) apply(t *txn) (*Ticket, error) {
	r, err := t.currentAt(c.Counter)
	if err != nil {
		return nil, err
	}
	if r.Stage != StageCalled {
		return nil, refuse(KindConflict, "%s sudah dilayani; akhiri dengan Selesai, bukan Tidak Hadir", r.Number)
	}
	r.Stage, r.Seg.End, r.Seg.Ended = StageNoShow, StageNoShow, t.now
	return t.finish(r, EventNoShow, nil)
}

// Transfer refers a counter's ticket to another service (rujukan): the ticket
// keeps its number and waits again, from now, in the target service.
type Transfer struct {
	Counter string
	Service string
	Note    string // referral note for the receiving service
	Unit    string // receiving unit or agency
}

func (c Transfer) apply(t *txn) (*Ticket, error) {
	if err := checkText("catatan rujukan", c.Note, MaxNoteRunes); err != nil {
		return nil, err
	}
	if err := checkText("unit tujuan", c.Unit, MaxNameRunes); err != nil {
		return nil, err
	}
	target, ok := t.q.cfg.Service(c.Service)
	if !ok {
		return nil, refuse(KindInvalid, "layanan tujuan %q tidak ada; pilih salah satu: %s", c.Service, serviceCodes(t.q.cfg))
	}
	r, err := t.currentAt(c.Counter)
	if err != nil {
		return nil, err
	}
	if r.Service == target.Code {
		return nil, refuse(KindInvalid, "%s sudah di layanan %s; pilih layanan lain untuk dialihkan", r.Number, target.Code)
	}
	from := r.Seg
	from.End, from.Ended, from.TransferTo, from.Note, from.Unit = StageTransferred, t.now, target.Code, c.Note, c.Unit
	if err := t.saveSegment(&from); err != nil {
		return nil, err
	}
	wait, svc, err := t.standardsAt(target.Code, r.Issued)
	if err != nil {
		return nil, err
	}
	seq, err := t.nextSeq()
	if err != nil {
		return nil, err
	}
	r.Prev = &from
	r.Segment++
	r.Service, r.Stage, r.Counter, r.QueueSeq = target.Code, StageTransferred, "", seq
	r.Seg = Segment{TicketID: r.ID, Index: r.Segment, Service: target.Code, Priority: r.Priority, Queued: t.now,
		WaitStandard: wait, ServiceStandard: svc, QueueSeq: seq}
	if err := t.save(r); err != nil {
		return nil, err
	}
	tk := r.view(t.q.cfg.Location)
	if err := estimate(t.ctx, t.tx, t.q.cfg, tk, r.QueueSeq); err != nil {
		return nil, err
	}
	return tk, t.emit(EventTransferred, tk, from.Service, c.Counter,
		TransferData{From: from.Service, To: target.Code, Note: c.Note, Unit: c.Unit})
}

// Expire closes the day: every ticket still waiting from an office day before Before
// (YYYY-MM-DD; never later than the office day now, which an empty Before means) ends as
// expired, except one that has waited less than dayQuiet on this boot's clock, which no
// step of the wall clock can fake (day.go). It acts on many tickets and returns nil.
type Expire struct{ Before string }

func (c Expire) apply(t *txn) (*Ticket, error) {
	before := c.Before
	if before == "" || before > t.day {
		before = t.day
	}
	waiting, err := loadRecords(t.ctx, t.tx, `stage IN ('issued', 'transferred') AND day < ? ORDER BY queue_seq`, before)
	if err != nil {
		return nil, err
	}
	for _, r := range waiting {
		if !mayExpire(r.Seg.Queued, t.now) {
			continue
		}
		r.Stage, r.Seg.End, r.Seg.Ended = StageExpired, StageExpired, t.now
		if _, err := t.finish(r, EventExpired, nil); err != nil {
			return nil, err
		}
	}
	return nil, nil
}
