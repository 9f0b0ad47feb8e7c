package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Outage mode (docs/CRISIS.md): when the appliance or its printer is down, officers hand
// out numbers from a printed book of manual numbers — a range of its own per service,
// "A-M01", "A-M02", … — and write each citizen's times on a log sheet. Afterwards the log
// is entered (POST /api/admin/backfill): each line becomes a ticket marked manual, with its
// own event, so the day's indicators count it, and headquarters too, without mixing the
// times written by hand with the times the appliance measured.

// EventBackfilled records a ticket entered from a paper log: its Ticket has every stage
// time as written and "manual": true; its Data a BackfillData.
const EventBackfilled = "backfilled"

// BackfillData is the Data of a backfilled event.
type BackfillData struct {
	Note string `json:"note,omitempty"` // the admin's note on the log (e.g. "buku nomor manual, lampu padam")
}

// manualNumberRE is a manual number: the service's prefix, "-M", and at least two digits.
// A number the appliance gives never has the M, so the two never meet.
var manualNumberRE = regexp.MustCompile(`^([A-Z]{1,2})-M([0-9]{2,4})$`)

// IsManualNumber reports whether number is from a book of manual numbers ("A-M01").
func IsManualNumber(number string) bool { return manualNumberRE.MatchString(number) }

// ManualNumber is the n-th manual number of a service: ManualNumber("A", 1) = "A-M01".
func ManualNumber(prefix string, n int) string { return fmt.Sprintf("%s-M%02d", prefix, n) }

// MaxBackfill is how many tickets one backfill may carry: a day's book of a busy service.
const MaxBackfill = 2000

// BackfillTicket is one line of a paper log. Times are RFC 3339 with the office's offset,
// as written on paper (to the minute is enough); called, started and finished may be
// absent where the stage was not reached.
type BackfillTicket struct {
	Number   string     `json:"number"`
	Service  string     `json:"service"`
	Issued   time.Time  `json:"issued"`
	Called   *time.Time `json:"called"`
	Started  *time.Time `json:"started"`
	Finished *time.Time `json:"finished"`
	// Outcome: done, incomplete (both need called and finished), no_show (needs called;
	// finished, when given, is when the officer gave up) or expired (never called).
	Outcome  string `json:"outcome"`
	Counter  string `json:"counter,omitempty"`
	Priority bool   `json:"priority,omitempty"`
}

// BackfillRequest is the body of POST /api/admin/backfill.
type BackfillRequest struct {
	Tickets []BackfillTicket `json:"tickets"`
	Note    string           `json:"note,omitempty"`
}

// Backfill enters a paper log: all its lines or, when one is wrong, none (the refusal
// names the line). Each becomes a ticket with "manual": true and a backfilled event; a
// manual-numbers incident covering the log's times is recorded unless one already does.
func (q *Queue) Backfill(ctx context.Context, req BackfillRequest) ([]*Ticket, error) {
	cmd := &backfill{req: req}
	if _, err := q.Do(ctx, cmd); err != nil {
		return nil, err
	}
	return cmd.out, nil
}

type backfill struct {
	req BackfillRequest
	out []*Ticket
}

func (c *backfill) apply(t *txn) (*Ticket, error) {
	c.out = nil
	req := c.req
	if len(req.Tickets) == 0 {
		return nil, refuse(KindInvalid, `"tickets" kosong; isi minimal satu baris dari lembar catatan`)
	}
	if len(req.Tickets) > MaxBackfill {
		return nil, refuse(KindInvalid, "paling banyak %d tiket sekali kirim; bagi lembar catatannya", MaxBackfill)
	}
	if err := checkText("catatan", req.Note, MaxNoteRunes); err != nil {
		return nil, err
	}
	seen := map[string]int{}
	var first, last time.Time
	for i, line := range req.Tickets {
		tk, err := t.backfillOne(i+1, line, seen, req.Note)
		if err != nil {
			return nil, err
		}
		c.out = append(c.out, tk)
		end := tk.IssuedAt
		// A ticket never called ended at closing, not while numbers were handed out.
		for _, at := range []*time.Time{tk.CalledAt, tk.StartedAt, tk.FinishedAt, tk.NoShowAt} {
			if at != nil && at.After(end) {
				end = *at
			}
		}
		if first.IsZero() || tk.IssuedAt.Before(first) {
			first = tk.IssuedAt
		}
		if end.After(last) {
			last = end
		}
	}
	covered, err := t.manualIncidentCovers(first, last)
	if err != nil || covered {
		return nil, err
	}
	numbers := make([]string, len(c.out))
	for i, tk := range c.out {
		numbers[i] = tk.Number
	}
	slices.Sort(numbers)
	note := fmt.Sprintf("Nomor manual dicatat kemudian: %d tiket (%s)", len(numbers), summarizeNumbers(numbers))
	if n := strings.TrimSpace(req.Note); n != "" {
		note += " — " + n
	}
	if len([]rune(note)) > MaxNoteRunes {
		note = string([]rune(note)[:MaxNoteRunes-1]) + "…"
	}
	_, err = OpenIncident{Type: IncidentManual, Start: first, End: last, Note: note, Source: SourceAdmin}.apply(t)
	return nil, err
}

// summarizeNumbers lists a few numbers: "A-M01, A-M02 … B-M07".
func summarizeNumbers(ns []string) string {
	if len(ns) <= 4 {
		return strings.Join(ns, ", ")
	}
	return strings.Join(ns[:2], ", ") + " … " + ns[len(ns)-1]
}

// backfillOne checks and stores line n of a log.
func (t *txn) backfillOne(n int, line BackfillTicket, seen map[string]int, note string) (*Ticket, error) {
	cfg := t.q.cfg
	bad := func(format string, args ...any) error {
		return refuse(KindInvalid, "baris %d (%s): %s", n, line.Number, fmt.Sprintf(format, args...))
	}
	number := strings.ToUpper(strings.TrimSpace(line.Number))
	line.Number = number
	m := manualNumberRE.FindStringSubmatch(number)
	if m == nil {
		return nil, bad(`nomor manual ditulis seperti "A-M01": huruf layanan, "-M", lalu dua angka atau lebih`)
	}
	code := strings.ToUpper(strings.TrimSpace(line.Service))
	if code == "" {
		code = m[1]
	}
	svc, ok := cfg.Service(code)
	if !ok {
		return nil, bad("layanan %q tidak ada; pilih salah satu: %s", code, serviceCodes(cfg))
	}
	if m[1] != svc.Code {
		return nil, bad("nomor %s bukan nomor layanan %s (awalannya %s)", number, svc.Code, m[1])
	}
	if line.Issued.IsZero() {
		return nil, bad(`jam ambil nomor ("issued") wajib diisi`)
	}
	day := localDate(line.Issued, cfg.Location)
	if prev, dup := seen[day+"/"+number]; dup {
		return nil, bad("nomor %s tanggal %s sudah ada di baris %d", number, day, prev)
	}
	seen[day+"/"+number] = n
	counter := strings.TrimSpace(line.Counter)
	if counter != "" {
		if _, ok := cfg.Counter(counter); !ok {
			return nil, bad("loket %q tidak ada", counter)
		}
	}
	limit := t.now.Wall.Add(futureSlack)
	times := []struct {
		name string
		at   *time.Time
	}{{"ambil nomor", &line.Issued}, {"panggil", line.Called}, {"mulai", line.Started}, {"selesai", line.Finished}}
	prev := time.Time{}
	for _, s := range times {
		if s.at == nil || s.at.IsZero() {
			continue
		}
		if s.at.After(limit) {
			return nil, bad("jam %s %s belum terjadi", s.name, s.at.In(cfg.Location).Format("15.04"))
		}
		if s.at.Before(prev) {
			return nil, bad("jam %s %s lebih awal dari jam sebelumnya; urutannya ambil nomor, panggil, mulai, selesai", s.name, s.at.In(cfg.Location).Format("15.04"))
		}
		prev = *s.at
	}
	called := line.Called != nil && !line.Called.IsZero()
	finished := line.Finished != nil && !line.Finished.IsZero()
	started := line.Started != nil && !line.Started.IsZero()
	at := func(p *time.Time) Instant { return Instant{Wall: *p} }

	wait, serviceStd, err := t.standardsAt(svc.Code, Instant{Wall: line.Issued})
	if err != nil {
		return nil, err
	}
	r := &record{Day: day, Number: number, Service: svc.Code, Priority: line.Priority, Segment: 1,
		Issued: Instant{Wall: line.Issued}, Code: newTicketCode()}
	seg := Segment{Index: 1, Service: svc.Code, Priority: line.Priority, Queued: r.Issued, WaitStandard: wait, ServiceStandard: serviceStd}
	if called {
		seg.Counter, seg.FirstCall, seg.LastCall, seg.Calls = counter, at(line.Called), at(line.Called), 1
	}
	switch Outcome(line.Outcome) {
	case OutcomeDone, OutcomeIncomplete:
		if !called || !finished {
			return nil, bad("hasil %q perlu jam panggil dan jam selesai", line.Outcome)
		}
		seg.Started = seg.LastCall
		if started {
			seg.Started = at(line.Started)
		}
		r.Stage, seg.End, seg.Ended, seg.Outcome = StageFinished, StageFinished, at(line.Finished), Outcome(line.Outcome)
	default:
		switch Stage(line.Outcome) {
		case StageNoShow:
			if !called || started {
				return nil, bad(`hasil "no_show" perlu jam panggil, tanpa jam mulai`)
			}
			r.Stage, seg.End, seg.Ended = StageNoShow, StageNoShow, seg.LastCall
			if finished {
				seg.Ended = at(line.Finished)
			}
		case StageExpired:
			if called || started {
				return nil, bad(`hasil "expired" (tidak terlayani) berarti tidak pernah dipanggil; hapus jam panggil dan mulai`)
			}
			r.Stage, seg.End, seg.Ended = StageExpired, StageExpired, t.manualDayEnd(line.Issued)
			if finished {
				seg.Ended = at(line.Finished)
			}
		default:
			return nil, bad(`hasil %q tidak dikenal; pakai "done" (selesai), "incomplete" (belum lengkap), "no_show" (tidak hadir) atau "expired" (tidak terlayani)`, line.Outcome)
		}
	}
	var exists int64
	err = t.tx.QueryRowContext(t.ctx, `SELECT id FROM tickets WHERE day = ? AND number = ?`, day, number).Scan(&exists)
	if err == nil {
		return nil, refuse(KindConflict, "baris %d: %s tanggal %s sudah dicatat; hapus baris itu dari kiriman (tidak ada yang disimpan)", n, number, day)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	seq, err := t.nextSeq()
	if err != nil {
		return nil, err
	}
	r.QueueSeq, seg.QueueSeq = seq, seq
	r.Counter = seg.Counter
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO tickets (day, number, service, priority, stage, counter, segment, queue_seq, issued, code)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Day, r.Number, r.Service, r.Priority, r.Stage, r.Counter, r.Segment, r.QueueSeq, r.Issued.String(), r.Code)
	if err != nil {
		return nil, fmt.Errorf("menyimpan tiket manual %s: %w", number, err)
	}
	if r.ID, err = res.LastInsertId(); err != nil {
		return nil, err
	}
	seg.TicketID = r.ID
	r.Seg = seg
	if err := t.saveSegment(&r.Seg); err != nil {
		return nil, err
	}
	tk := r.view(cfg.Location)
	return tk, t.emit(EventBackfilled, tk, svc.Code, seg.Counter, BackfillData{Note: strings.TrimSpace(note)})
}

// manualDayEnd is when a manual ticket never called ended: the closing time of its day,
// or the end of the day for an office always open — or now, when that is still to come.
func (t *txn) manualDayEnd(issued time.Time) Instant {
	_, closeAt, ok := t.q.cfg.closingTimes(issued)
	if !ok || closeAt.Before(issued) {
		l := issued.In(t.q.cfg.Location)
		closeAt = time.Date(l.Year(), l.Month(), l.Day(), 23, 59, 0, 0, t.q.cfg.Location)
	}
	if closeAt.After(t.now.Wall) {
		closeAt = t.now.Wall
	}
	return Instant{Wall: closeAt}
}

// manualIncidentCovers reports whether a manual-numbers incident already spans [from, to].
func (t *txn) manualIncidentCovers(from, to time.Time) (bool, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+incidentCols+` FROM incidents WHERE type = ?`, IncidentManual)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		inc, err := scanIncident(rows, t.q.cfg.Location)
		if err != nil {
			return false, err
		}
		if !inc.Start.After(from) && (inc.End == nil || !inc.End.Before(to)) {
			return true, nil
		}
	}
	return false, rows.Err()
}
