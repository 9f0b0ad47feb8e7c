package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rebuild writes an office's database back from its events: headquarters' copy of them
// after the SD card died (antrid restore), or the events after a backup. The events table
// is the office's history; every other table is what the event path folded the events
// into, and each event carries what its command wrote (docs/FLEET.md, "Restore a dead
// card"). Rebuild folds them the same way, in sequence order, so the restored office's
// reports equal those before the loss and its numbering goes on where it stopped.
//
// The office day is set to the day of the latest ticket (day.go keeps it in meta, not in
// an event); the clock's anchors are readings of the lost Pi's boots, of no use to the
// new one. What the events do not carry is left as a new office has it: a ticket's secret code
// (never in an event, so never at headquarters: a restored ticket has none, as one
// issued before codes existed, and its printed QR link no longer takes feedback from a
// phone; buttons, counters and the kiosk still do), the printer's and uploader's
// working state. TestRebuildEqualsTheLostDatabase compares every
// table of a restored database with the original, so a new table or column that is not
// rebuilt fails it.
type Rebuild struct {
	st   *Store
	cfg  *Config
	ctx  context.Context
	tx   *sql.Tx
	t    *txn
	last int64 // sequence of the last event folded
	n    int   // events folded in the open transaction

	Summary RebuildSummary
}

// RebuildSummary is what a rebuild restored, for the technician's screen.
type RebuildSummary struct {
	Events     int64     `json:"events"`
	LastSeq    int64     `json:"last_seq"`
	LastAt     time.Time `json:"last_at"` // when the last event happened
	Tickets    int64     `json:"tickets"`
	Complaints int64     `json:"complaints"`
	Surveys    int64     `json:"surveys"`
	// LastNumbers is the last number given per service on the latest day with tickets:
	// the next ticket follows it.
	LastDay     string            `json:"last_day,omitempty"`
	LastNumbers map[string]string `json:"last_numbers,omitempty"`
}

// rebuildChunk is how many events share one transaction: a restore of years of events
// commits as it goes instead of growing one WAL the size of the database (the data
// partition is 1 GiB). The restore writes a file of its own and renames it only when
// complete, so a half-done rebuild is never opened as the office's database.
const rebuildChunk = 5000

// Rebuild starts folding events into the store, after the events it already holds (none
// for a new store; the newest event of a backup otherwise). cfg is the office's config:
// every event must be of its office.
func (s *Store) Rebuild(ctx context.Context, cfg *Config) (*Rebuild, error) {
	if s.w == nil {
		return nil, errors.New("database dibuka hanya-baca; pemulihan butuh database yang bisa ditulis")
	}
	last, err := s.LastSeq(ctx)
	if err != nil {
		return nil, err
	}
	return &Rebuild{st: s, cfg: cfg, ctx: ctx, last: last, Summary: RebuildSummary{LastSeq: last}}, nil
}

// After is the sequence of the last event the store holds: the next one added must
// follow it.
func (r *Rebuild) After() int64 { return r.last }

// Add folds one event, the JSON exactly as the office stored it (and headquarters kept
// it), which is written to the events table unchanged.
func (r *Rebuild) Add(raw json.RawMessage) error {
	var ev Event
	if err := json.Unmarshal(raw, &ev); err != nil {
		return fmt.Errorf("event sesudah urutan %d tidak terbaca: %w", r.last, err)
	}
	if ev.Seq != r.last+1 {
		return fmt.Errorf("event berurutan %d datang sesudah %d: riwayat harus lengkap tanpa celah", ev.Seq, r.last)
	}
	if ev.Office != r.cfg.Office.ID {
		return fmt.Errorf("event %d milik kantor %q, bukan %q ([office] id konfigurasi ini): pulihkan dengan konfigurasi kantor itu sendiri", ev.Seq, ev.Office, r.cfg.Office.ID)
	}
	if r.tx == nil {
		tx, err := r.st.w.BeginTx(r.ctx, nil)
		if err != nil {
			return err
		}
		r.tx, r.t = tx, &txn{tx: writerTx{Tx: tx}, ctx: r.ctx}
	}
	if err := r.fold(ev); err != nil {
		return fmt.Errorf("event %d (%s): %w", ev.Seq, ev.Type, err)
	}
	if _, err := r.tx.ExecContext(r.ctx, `INSERT INTO events (seq, type, body) VALUES (?, ?, ?)`, ev.Seq, ev.Type, []byte(raw)); err != nil {
		return fmt.Errorf("menyimpan event %d: %w", ev.Seq, err)
	}
	r.last = ev.Seq
	r.Summary.Events++
	r.Summary.LastSeq, r.Summary.LastAt = ev.Seq, ev.At
	r.n++
	if r.n >= rebuildChunk {
		return r.commit()
	}
	return nil
}

func (r *Rebuild) commit() error {
	if r.tx == nil {
		return nil
	}
	err := r.tx.Commit()
	r.tx, r.t, r.n = nil, nil, 0
	return err
}

// Abort drops the events folded since the last commit.
func (r *Rebuild) Abort() {
	if r.tx != nil {
		r.tx.Rollback()
		r.tx, r.t, r.n = nil, nil, 0
	}
}

// Finish commits what is left and fills the summary from the rebuilt tables. hqHolds is
// the highest sequence headquarters holds without a gap when the office syncs, negative
// when it does not: the uploader's progress is set to it, so that nothing headquarters
// holds is sent again, and what a backup held beyond it is still sent.
func (r *Rebuild) Finish(hqHolds int64, at time.Time) (RebuildSummary, error) {
	if err := r.commit(); err != nil {
		return r.Summary, err
	}
	// The office day (day.go) is not an event: it is the day of the latest ticket, as
	// migration 0007 set it for offices that had tickets, never earlier than a backup's.
	if _, err := r.st.w.ExecContext(r.ctx, `INSERT INTO meta (key, value)
		SELECT 'office_day', max(day) FROM tickets WHERE true HAVING max(day) IS NOT NULL
		ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)`); err != nil {
		return r.Summary, fmt.Errorf("menyimpan hari layanan: %w", err)
	}
	if hqHolds >= 0 {
		if err := r.st.SetSyncAcked(r.ctx, min(hqHolds, r.last), at); err != nil {
			return r.Summary, err
		}
	}
	return r.Summary, r.summarise()
}

func (r *Rebuild) summarise() error {
	db := r.st.r
	for _, c := range []struct {
		dst   *int64
		query string
	}{{&r.Summary.Tickets, `SELECT count(*) FROM tickets`}, {&r.Summary.Complaints, `SELECT count(*) FROM complaints`},
		{&r.Summary.Surveys, `SELECT count(*) FROM surveys`}} {
		if err := db.QueryRowContext(r.ctx, c.query).Scan(c.dst); err != nil {
			return err
		}
	}
	err := db.QueryRowContext(r.ctx, `SELECT coalesce(max(day), '') FROM day_numbers`).Scan(&r.Summary.LastDay)
	if err != nil || r.Summary.LastDay == "" {
		return err
	}
	rows, err := db.QueryContext(r.ctx, `SELECT service, last FROM day_numbers WHERE day = ? ORDER BY service`, r.Summary.LastDay)
	if err != nil {
		return err
	}
	defer rows.Close()
	r.Summary.LastNumbers = map[string]string{}
	for rows.Next() {
		var svc string
		var n int
		if err := rows.Scan(&svc, &n); err != nil {
			return err
		}
		r.Summary.LastNumbers[svc] = FormatNumber(svc, n)
	}
	return rows.Err()
}

// fold writes what the event's command wrote besides the event itself. Each case mirrors
// the command that emitted the event (commands.go, printing.go, feedback.go, ...): the
// event's own instant is the command's now.
func (r *Rebuild) fold(ev Event) error {
	now := ev.Instant()
	switch ev.Type {
	case EventIssued:
		return r.issued(ev, now)
	case EventTransferred:
		return r.transferred(ev, now)
	case EventCalled, EventRecalled, EventStarted, EventFinished, EventNoShow, EventExpired:
		return r.stage(ev, now)
	case EventPrinted, EventPrintFailed:
		var d PrintData
		if err := r.data(ev, &d); err != nil {
			return err
		}
		tk, err := r.ticket(ev)
		if err != nil {
			return err
		}
		_, err = r.tx.ExecContext(r.ctx, `INSERT INTO prints (ticket_id, ok, problem, attempts, at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (ticket_id) DO UPDATE SET ok = excluded.ok, problem = excluded.problem, attempts = excluded.attempts, at = excluded.at`,
			tk.ID, ev.Type == EventPrinted, d.Problem, d.Attempt, now.String())
		return err
	case EventFeedback:
		var d FeedbackData
		if err := r.data(ev, &d); err != nil {
			return err
		}
		tk, err := r.ticket(ev)
		if err != nil {
			return err
		}
		_, err = r.tx.ExecContext(r.ctx, `INSERT INTO feedback (ticket_id, segment, score, at) VALUES (?, ?, ?, ?)`,
			tk.ID, tk.Segment, d.Score, now.String())
		return err
	case EventStandardRevised:
		var rev Revision
		if err := r.data(ev, &rev); err != nil {
			return err
		}
		wait, err1 := time.ParseDuration(rev.WaitStandard)
		svc, err2 := time.ParseDuration(rev.ServiceStandard)
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		body, err := json.Marshal(rev.Components)
		if err != nil {
			return err
		}
		_, err = r.tx.ExecContext(r.ctx, `INSERT INTO standard_revisions (id, service, wait_ns, service_ns, components, reason, effective_ns, recorded)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, rev.ID, rev.Service, int64(wait), int64(svc), string(body), rev.Reason, rev.Effective.UnixNano(), now.String())
		return err
	case EventComplaintReceived:
		var c Complaint
		if err := r.data(ev, &c); err != nil {
			return err
		}
		_, err := r.tx.ExecContext(r.ctx, `INSERT INTO complaints (id, channel, topic, text, ticket, unit, status, received, standard_ns)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.Channel, c.Topic, c.Text, c.Ticket, c.Unit, ComplaintReceived, now.String(),
			c.StandardS*int64(time.Second))
		if err != nil {
			return err
		}
		_, err = r.tx.ExecContext(r.ctx, `INSERT INTO complaint_steps (complaint_id, at, status) VALUES (?, ?, ?)`, c.ID, now.String(), ComplaintReceived)
		return err
	case EventComplaintUpdated:
		var d ComplaintUpdate
		if err := r.data(ev, &d); err != nil {
			return err
		}
		var err error
		if d.Status == ComplaintClosed {
			_, err = r.tx.ExecContext(r.ctx, `UPDATE complaints SET status = ?, closed = ?, resolution = ? WHERE id = ?`, d.Status, now.String(), d.Resolution, d.ID)
		} else {
			_, err = r.tx.ExecContext(r.ctx, `UPDATE complaints SET status = ? WHERE id = ?`, d.Status, d.ID)
		}
		if err != nil {
			return err
		}
		_, err = r.tx.ExecContext(r.ctx, `INSERT INTO complaint_steps (complaint_id, at, status, note) VALUES (?, ?, ?, ?)`, d.ID, now.String(), d.Status, d.Note)
		return err
	case EventSurvey:
		var d SurveyData
		if err := r.data(ev, &d); err != nil {
			return err
		}
		a := d.Answers
		var p SurveyProfile
		if d.Profile != nil {
			p = *d.Profile
		}
		_, err := r.tx.ExecContext(r.ctx, `INSERT INTO surveys (id, at, u1, u2, u3, u4, u5, u6, u7, u8, u9, service, gender, age, education, occupation)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			d.ID, now.String(), a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], d.Service, p.Gender, p.Age, p.Education, p.Occupation)
		return err
	case EventCounterStatus:
		var d CounterStatusData
		if err := r.data(ev, &d); err != nil {
			return err
		}
		_, err := r.tx.ExecContext(r.ctx, `INSERT INTO counter_state (counter, status, pause_reason, since) VALUES (?, ?, ?, ?)
			ON CONFLICT (counter) DO UPDATE SET status = excluded.status, pause_reason = excluded.pause_reason, since = excluded.since`,
			ev.Counter, d.Status, d.PauseReason, now.String())
		return err
	case EventOfficerSignedIn:
		var d SignInData
		if err := r.data(ev, &d); err != nil {
			return err
		}
		if d.Day == "" { // an event from before the day travelled with it
			d.Day = ev.At.In(r.cfg.Location).Format("2006-01-02")
		}
		_, err := r.tx.ExecContext(r.ctx, `INSERT INTO counter_state (counter, officer, officer_nip, officer_day, officer_since) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (counter) DO UPDATE SET officer = excluded.officer, officer_nip = excluded.officer_nip,
			officer_day = excluded.officer_day, officer_since = excluded.officer_since`,
			ev.Counter, d.Name, d.NIP, d.Day, now.String())
		return err
	case EventOfficerSignedOut:
		_, err := r.tx.ExecContext(r.ctx, `UPDATE counter_state SET officer = '', officer_nip = '', officer_day = '', officer_since = '' WHERE counter = ?`, ev.Counter)
		return err
	case EventDevicePaired:
		var d Device
		if err := r.data(ev, &d); err != nil {
			return err
		}
		// The token's hash is not in the event (it stays on the office): the device is
		// listed again but must be paired anew; no token matches this placeholder.
		_, err := r.tx.ExecContext(r.ctx, `INSERT INTO devices (id, kind, counter, name, token_hash, paired) VALUES (?, ?, ?, ?, ?, ?)`,
			d.ID, d.Kind, d.Counter, d.Name, fmt.Sprintf("dipulihkan-%d-pasangkan-ulang", d.ID), now.String())
		return err
	case EventDeviceRevoked:
		var d Device
		if err := r.data(ev, &d); err != nil {
			return err
		}
		_, err := r.tx.ExecContext(r.ctx, `UPDATE devices SET revoked = ? WHERE id = ?`, now.String(), d.ID)
		return err
	case EventRequeued:
		return r.requeued(ev, now)
	case EventIncidentOpened, EventIncidentClosed:
		return r.incident(ev, now) // incident_restore.go
	case EventBackfilled:
		return r.backfilled(ev) // backfill_restore.go
	case EventRunningText:
		var d RunningTextData
		if err := r.data(ev, &d); err != nil {
			return err
		}
		_, err := r.tx.ExecContext(r.ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, metaRunningText, d.Text)
		return err
	}
	// A type this antrid does not know comes from a newer one: folding the rest without
	// it would restore a database that is silently wrong.
	return fmt.Errorf("jenis event %q tidak dikenal antrid versi ini; pulihkan dengan antrid versi yang sama atau lebih baru dari kantor yang hilang", ev.Type)
}

func (r *Rebuild) data(ev Event, v any) error {
	if len(ev.Data) == 0 {
		return errors.New("data event kosong")
	}
	return json.Unmarshal(ev.Data, v)
}

func (r *Rebuild) ticket(ev Event) (*Ticket, error) {
	if ev.Ticket == nil || ev.Ticket.ID == 0 {
		return nil, errors.New("event tanpa tiket")
	}
	return ev.Ticket, nil
}

// load reads a ticket the events made earlier.
func (r *Rebuild) load(id int64) (*record, error) {
	rec, err := loadRecord(r.ctx, r.tx, `id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("tiket %d belum diterbitkan oleh event sebelumnya", id)
	}
	return rec, err
}

// issued mirrors Issue: the ticket, its first segment, and the day's last number.
func (r *Rebuild) issued(ev Event, now Instant) error {
	tk, err := r.ticket(ev)
	if err != nil {
		return err
	}
	_, n, ok := cutNumber(tk.Number)
	if !ok {
		return fmt.Errorf("nomor tiket %q tidak terbaca", tk.Number)
	}
	if _, err := r.tx.ExecContext(r.ctx, `INSERT INTO day_numbers (day, service, last) VALUES (?, ?, ?)
		ON CONFLICT (day, service) DO UPDATE SET last = max(last, excluded.last)`, tk.Day, tk.Service, n); err != nil {
		return err
	}
	rec := &record{ID: tk.ID, Day: tk.Day, Number: tk.Number, Service: tk.Service, Priority: tk.Priority,
		Stage: StageIssued, Segment: 1, QueueSeq: ev.Seq, Issued: now}
	if _, err := r.tx.ExecContext(r.ctx, `INSERT INTO tickets (id, day, number, service, priority, stage, segment, queue_seq, issued)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, rec.ID, rec.Day, rec.Number, rec.Service, rec.Priority, rec.Stage, rec.Segment, rec.QueueSeq, now.String()); err != nil {
		return err
	}
	seg := Segment{TicketID: tk.ID, Index: 1, Service: tk.Service, Priority: tk.Priority, Queued: now,
		WaitStandard: time.Duration(tk.WaitStandardS) * time.Second, ServiceStandard: time.Duration(tk.ServiceStandardS) * time.Second, QueueSeq: ev.Seq}
	return r.t.saveSegment(&seg)
}

// requeued mirrors Requeue: a no-show waits again in its segment, keeping its number.
func (r *Rebuild) requeued(ev Event, now Instant) error {
	tk, err := r.ticket(ev)
	if err != nil {
		return err
	}
	var d RequeueData
	if err := r.data(ev, &d); err != nil {
		return err
	}
	rec, err := r.load(tk.ID)
	if err != nil {
		return err
	}
	rec.Stage, rec.Counter = StageIssued, ""
	if rec.Segment > 1 {
		rec.Stage = StageTransferred
	}
	s := &rec.Seg
	s.End, s.Ended, s.Returned, s.Returns = "", Instant{}, now, d.Returns
	if rec.Stage != tk.Stage {
		return fmt.Errorf("tiket %s: hasil pemulihan %s berbeda dengan event %s", rec.Number, rec.Stage, tk.Stage)
	}
	return r.t.save(rec)
}

// cutNumber splits "A-012" into its prefix and sequence.
func cutNumber(number string) (prefix string, n int, ok bool) {
	i := strings.LastIndexByte(number, '-')
	if i < 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(number[i+1:])
	return number[:i], n, err == nil
}

// transferred mirrors Transfer: the segment ends as transferred and a new one waits in
// the target service, from now.
func (r *Rebuild) transferred(ev Event, now Instant) error {
	tk, err := r.ticket(ev)
	if err != nil {
		return err
	}
	var d TransferData
	if err := r.data(ev, &d); err != nil {
		return err
	}
	rec, err := r.load(tk.ID)
	if err != nil {
		return err
	}
	from := rec.Seg
	from.End, from.Ended, from.TransferTo, from.Note, from.Unit = StageTransferred, now, d.To, d.Note, d.Unit
	if err := r.t.saveSegment(&from); err != nil {
		return err
	}
	rec.Prev = &from
	rec.Segment = tk.Segment
	rec.Service, rec.Stage, rec.Counter, rec.QueueSeq = tk.Service, StageTransferred, "", ev.Seq
	rec.Seg = Segment{TicketID: rec.ID, Index: rec.Segment, Service: tk.Service, Priority: rec.Priority, Queued: now,
		WaitStandard: time.Duration(tk.WaitStandardS) * time.Second, ServiceStandard: time.Duration(tk.ServiceStandardS) * time.Second, QueueSeq: ev.Seq}
	return r.t.save(rec)
}

// stage mirrors Call, Recall, Start, Finish, NoShow and Expire.
func (r *Rebuild) stage(ev Event, now Instant) error {
	tk, err := r.ticket(ev)
	if err != nil {
		return err
	}
	rec, err := r.load(tk.ID)
	if err != nil {
		return err
	}
	if rec.Segment != tk.Segment {
		return fmt.Errorf("tiket %s ada di segmen %d, event menyebut segmen %d", rec.Number, rec.Segment, tk.Segment)
	}
	s := &rec.Seg
	switch ev.Type {
	case EventCalled:
		var d CallData
		if len(ev.Data) > 0 {
			if err := r.data(ev, &d); err != nil {
				return err
			}
		}
		rec.Stage, rec.Counter = StageCalled, ev.Counter
		s.Counter = ev.Counter
		if s.FirstCall.IsZero() { // a no-show put back keeps its first call
			s.FirstCall = now
		}
		s.LastCall = now
		s.Calls++
		s.Officer, s.OfficerNIP = tk.Officer, d.OfficerNIP
	case EventRecalled:
		s.Calls++
		s.LastCall = now
	case EventStarted:
		rec.Stage, s.Started = StageStarted, now
	case EventFinished:
		var d FinishData
		if err := r.data(ev, &d); err != nil {
			return err
		}
		if s.Started.IsZero() {
			s.Started = s.LastCall
		}
		rec.Stage, s.End, s.Ended, s.Outcome = StageFinished, StageFinished, now, d.Outcome
	case EventNoShow:
		rec.Stage, s.End, s.Ended = StageNoShow, StageNoShow, now
	case EventExpired:
		rec.Stage, s.End, s.Ended = StageExpired, StageExpired, now
	}
	if rec.Stage != tk.Stage || s.Calls != tk.Calls {
		return fmt.Errorf("tiket %s: hasil pemulihan %s (%d panggilan) berbeda dengan event %s (%d panggilan)", rec.Number, rec.Stage, s.Calls, tk.Stage, tk.Calls)
	}
	return r.t.save(rec)
}
