package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Complaint events. Their Data carry what headquarters needs to compute the
// complaint indicators from the events alone: the complaint standard travels
// in complaint_received.
const (
	EventComplaintReceived = "complaint_received"
	EventComplaintUpdated  = "complaint_updated"
)

// ComplaintStatus is where a complaint (pengaduan) is in its handling:
// received, recorded, followed up, closed.
type ComplaintStatus string

// The steps of a complaint, in order.
const (
	ComplaintReceived   ComplaintStatus = "received"
	ComplaintRecorded   ComplaintStatus = "recorded"
	ComplaintFollowedUp ComplaintStatus = "followed_up"
	ComplaintClosed     ComplaintStatus = "closed"
)

func (s ComplaintStatus) rank() int {
	switch s {
	case ComplaintReceived:
		return 0
	case ComplaintRecorded:
		return 1
	case ComplaintFollowedUp:
		return 2
	case ComplaintClosed:
		return 3
	}
	return -1
}

// Complaint is one pengaduan with its steps.
type Complaint struct {
	ID         int64           `json:"id"`
	Channel    string          `json:"channel"` // kiosk, counter, api, web, phone, ...
	Topic      string          `json:"topic"`
	Text       string          `json:"text"`
	Ticket     string          `json:"ticket,omitempty"` // related ticket number, if any
	Unit       string          `json:"unit,omitempty"`   // responsible unit
	Status     ComplaintStatus `json:"status"`
	ReceivedAt time.Time       `json:"received_at"`
	StandardS  int64           `json:"standard_s"` // the office's complaint standard when received
	DueAt      time.Time       `json:"due_at"`     // received + standard
	ClosedAt   *time.Time      `json:"closed_at"`
	Resolution string          `json:"resolution,omitempty"`
	Steps      []ComplaintStep `json:"steps,omitempty"`
}

// ComplaintStep is one timestamped step of a complaint.
type ComplaintStep struct {
	At     time.Time       `json:"at"`
	Status ComplaintStatus `json:"status"`
	Note   string          `json:"note,omitempty"`
}

// ComplaintUpdate is the Data of a complaint_updated event.
type ComplaintUpdate struct {
	ID         int64           `json:"id"`
	Status     ComplaintStatus `json:"status"`
	Note       string          `json:"note,omitempty"`
	Resolution string          `json:"resolution,omitempty"`
}

// ReceiveComplaint records a new complaint. Pass a pointer to Do: after Do
// returns, ID holds the complaint's number (Queue.ReceiveComplaint does this).
type ReceiveComplaint struct {
	Channel string
	Topic   string
	Text    string
	Ticket  string // related ticket number, optional
	Unit    string // responsible unit, optional

	ID int64 // set by Do
}

const maxComplaintText = 4000

func (c *ReceiveComplaint) apply(t *txn) (*Ticket, error) {
	ch := strings.ToLower(strings.TrimSpace(c.Channel))
	if ch == "" {
		ch = "api"
	}
	topic, text := strings.TrimSpace(c.Topic), strings.TrimSpace(c.Text)
	switch {
	case topic == "":
		return nil, refuse(KindInvalid, `"topic" (pokok pengaduan) wajib diisi`)
	case text == "":
		return nil, refuse(KindInvalid, `"text" (isi pengaduan) wajib diisi`)
	case utf8.RuneCountInString(text) > maxComplaintText || len(topic) > 200 || len(ch) > 32 || len(c.Unit) > 200 || len(c.Ticket) > 16:
		return nil, refuse(KindInvalid, "pengaduan terlalu panjang: isi paling banyak %d huruf, pokok 200 huruf", maxComplaintText)
	}
	std := t.q.cfg.Office.ComplaintDuration
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO complaints (channel, topic, text, ticket, unit, status, received, standard_ns)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, ch, topic, text, strings.ToUpper(strings.TrimSpace(c.Ticket)), strings.TrimSpace(c.Unit),
		ComplaintReceived, t.now.String(), int64(std))
	if err != nil {
		return nil, fmt.Errorf("menyimpan pengaduan: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, err
	}
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO complaint_steps (complaint_id, at, status) VALUES (?, ?, ?)`,
		id, t.now.String(), ComplaintReceived); err != nil {
		return nil, err
	}
	cp, err := loadComplaint(t.ctx, t.tx, id, t.q.cfg.Location, false)
	if err != nil {
		return nil, err
	}
	c.ID = id
	return nil, t.emit(EventComplaintReceived, nil, "", "", cp)
}

// UpdateComplaint moves a complaint on: recorded, followed_up (as often as
// needed, each with its note) or closed, which needs a Resolution (the Note
// serves when Resolution is empty). A closed complaint stays closed.
type UpdateComplaint struct {
	ID         int64
	Status     ComplaintStatus
	Note       string
	Resolution string
}

func (c UpdateComplaint) apply(t *txn) (*Ticket, error) {
	if c.Status != ComplaintRecorded && c.Status != ComplaintFollowedUp && c.Status != ComplaintClosed {
		return nil, refuse(KindInvalid, `status %q tidak dikenal; pakai "recorded", "followed_up" atau "closed"`, c.Status)
	}
	cur, err := loadComplaint(t.ctx, t.tx, c.ID, t.q.cfg.Location, false)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, refuse(KindNotFound, "pengaduan nomor %d tidak ada", c.ID)
	}
	if err != nil {
		return nil, err
	}
	if cur.Status == ComplaintClosed {
		return nil, refuse(KindConflict, "pengaduan nomor %d sudah ditutup; catat pengaduan baru bila masalahnya berlanjut", c.ID)
	}
	if c.Status.rank() < cur.Status.rank() {
		return nil, refuse(KindConflict, "pengaduan nomor %d sudah %s; status tidak bisa mundur ke %s", c.ID, cur.Status, c.Status)
	}
	note, resolution := strings.TrimSpace(c.Note), strings.TrimSpace(c.Resolution)
	if len(note) > maxComplaintText || len(resolution) > maxComplaintText {
		return nil, refuse(KindInvalid, "catatan terlalu panjang: paling banyak %d huruf", maxComplaintText)
	}
	if c.Status == ComplaintClosed {
		if resolution == "" {
			resolution = note
		}
		if resolution == "" {
			return nil, refuse(KindInvalid, `pengaduan ditutup dengan penyelesaiannya: isi "resolution" atau "note"`)
		}
		_, err = t.tx.ExecContext(t.ctx, `UPDATE complaints SET status = ?, closed = ?, resolution = ? WHERE id = ?`,
			c.Status, t.now.String(), resolution, c.ID)
	} else {
		resolution = ""
		_, err = t.tx.ExecContext(t.ctx, `UPDATE complaints SET status = ? WHERE id = ?`, c.Status, c.ID)
	}
	if err != nil {
		return nil, err
	}
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO complaint_steps (complaint_id, at, status, note) VALUES (?, ?, ?, ?)`,
		c.ID, t.now.String(), c.Status, note); err != nil {
		return nil, err
	}
	return nil, t.emit(EventComplaintUpdated, nil, "", "", ComplaintUpdate{ID: c.ID, Status: c.Status, Note: note, Resolution: resolution})
}

const complaintCols = `id, channel, topic, text, ticket, unit, status, received, standard_ns, closed, resolution`

func scanComplaint(sc interface{ Scan(...any) error }, loc *time.Location) (*Complaint, error) {
	var c Complaint
	var received, closed string
	var std int64
	if err := sc.Scan(&c.ID, &c.Channel, &c.Topic, &c.Text, &c.Ticket, &c.Unit, &c.Status, &received, &std, &closed, &c.Resolution); err != nil {
		return nil, err
	}
	r, err := ParseInstant(received)
	if err != nil {
		return nil, err
	}
	cl, err := ParseInstant(closed)
	if err != nil {
		return nil, err
	}
	c.ReceivedAt = r.Wall.In(loc)
	c.StandardS = int64(time.Duration(std) / time.Second)
	c.DueAt = c.ReceivedAt.Add(time.Duration(std))
	if !cl.IsZero() {
		w := cl.Wall.In(loc)
		c.ClosedAt = &w
	}
	return &c, nil
}

func loadComplaint(ctx context.Context, db querier, id int64, loc *time.Location, steps bool) (*Complaint, error) {
	c, err := scanComplaint(db.QueryRowContext(ctx, `SELECT `+complaintCols+` FROM complaints WHERE id = ?`, id), loc)
	if err != nil || !steps {
		return c, err
	}
	return c, loadSteps(ctx, db, []*Complaint{c}, loc)
}

func loadSteps(ctx context.Context, db querier, cs []*Complaint, loc *time.Location) error {
	for _, c := range cs {
		rows, err := db.QueryContext(ctx, `SELECT at, status, note FROM complaint_steps WHERE complaint_id = ? ORDER BY rowid`, c.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var at, note string
			var st ComplaintStatus
			if err := rows.Scan(&at, &st, &note); err != nil {
				rows.Close()
				return err
			}
			in, err := ParseInstant(at)
			if err != nil {
				rows.Close()
				return err
			}
			c.Steps = append(c.Steps, ComplaintStep{At: in.Wall.In(loc), Status: st, Note: note})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// ReceiveComplaint records a complaint and returns it as stored.
func (q *Queue) ReceiveComplaint(ctx context.Context, c ReceiveComplaint) (*Complaint, error) {
	cmd := &c
	if _, err := q.Do(ctx, cmd); err != nil {
		return nil, err
	}
	return q.Complaint(ctx, cmd.ID)
}

// Complaint reads one complaint with its steps.
func (q *Queue) Complaint(ctx context.Context, id int64) (*Complaint, error) {
	c, err := loadComplaint(ctx, q.store.r, id, q.cfg.Location, true)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, refuse(KindNotFound, "pengaduan nomor %d tidak ada", id)
	}
	return c, err
}

// Complaints lists complaints, newest first, with their steps; status ""
// lists all, "open" every one not closed.
func (q *Queue) Complaints(ctx context.Context, status string) ([]*Complaint, error) {
	where, args := "1", []any{}
	switch status {
	case "":
	case "open":
		where = "status != 'closed'"
	default:
		if ComplaintStatus(status).rank() < 0 {
			return nil, refuse(KindInvalid, `status %q tidak dikenal; pakai received, recorded, followed_up, closed atau open`, status)
		}
		where, args = "status = ?", append(args, status)
	}
	rows, err := q.store.r.QueryContext(ctx, `SELECT `+complaintCols+` FROM complaints WHERE `+where+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, err
	}
	out := []*Complaint{}
	for rows.Next() {
		c, err := scanComplaint(rows, q.cfg.Location)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, loadSteps(ctx, q.store.r, out, q.cfg.Location)
}

// ComplaintReceipt is the printable receipt of a complaint, one line each,
// at most 32 characters wide so that it fits 58 mm paper (the printer
// centres or pads them for 80 mm). The first line is the office name.
func (q *Queue) ComplaintReceipt(ctx context.Context, id int64) ([]string, error) {
	c, err := q.Complaint(ctx, id)
	if err != nil {
		return nil, err
	}
	return ReceiptLines(c, q.cfg.Office.Name, q.cfg.Location), nil
}

// ReceiptLines lays out a complaint receipt (tanda terima pengaduan).
func ReceiptLines(c *Complaint, office string, loc *time.Location) []string {
	const width = 32
	var out []string
	add := func(s string) { out = append(out, wrap(s, width)...) }
	add(office)
	out = append(out, strings.Repeat("=", width), "TANDA TERIMA PENGADUAN")
	add(fmt.Sprintf("Nomor pengaduan: %d", c.ID))
	add("Diterima: " + DateText(c.ReceivedAt.In(loc)) + " pukul " + ClockText(c.ReceivedAt.In(loc)))
	add("Saluran: " + c.Channel)
	add("Pokok: " + c.Topic)
	if c.Ticket != "" {
		add("Nomor antrean: " + c.Ticket)
	}
	if c.Unit != "" {
		add("Unit: " + c.Unit)
	}
	add("Batas selesai: " + DateText(c.DueAt.In(loc)) + " pukul " + ClockText(c.DueAt.In(loc)))
	out = append(out, strings.Repeat("-", width))
	add("Simpan tanda terima ini. Sebutkan nomor pengaduan saat menanyakan tindak lanjutnya.")
	return out
}

// wrap breaks s into lines of at most width runes, at spaces where it can.
func wrap(s string, width int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		for utf8.RuneCountInString(w) > width {
			if line != "" {
				out, line = append(out, line), ""
			}
			r := []rune(w)
			out, w = append(out, string(r[:width])), string(r[width:])
		}
		switch {
		case line == "":
			line = w
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) <= width:
			line += " " + w
		default:
			out, line = append(out, line), w
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}
