package queue

import (
	"database/sql"
	"errors"
	"time"
)

// EventFeedback records a quick satisfaction score.
const EventFeedback = "feedback"

// FeedbackData is the Data of a feedback event.
type FeedbackData struct {
	Score int `json:"score"`
}

// Feedback records a citizen's quick score (1–4) of a finished service, once
// per ticket segment. Name the ticket by Number (today's) or by TicketID;
// or by Counter, for the buttons at a counter: the counter's last finished
// ticket, if it finished within Within.
type Feedback struct {
	Number   string
	TicketID int64
	Counter  string
	Within   time.Duration
	Score    int
}

func (c Feedback) apply(t *txn) (*Ticket, error) {
	if c.Score < 1 || c.Score > 4 {
		return nil, refuse(KindInvalid, "nilai harus 1 sampai 4")
	}
	var r *record
	var err error
	switch {
	case c.Counter != "":
		r, err = loadRecord(t.ctx, t.tx, `counter = ? AND stage = 'finished' ORDER BY queue_seq DESC LIMIT 1`, c.Counter)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, refuse(KindNotFound, "loket %s belum menyelesaikan layanan yang bisa dinilai", c.Counter)
		}
	case c.TicketID != 0:
		r, err = loadRecord(t.ctx, t.tx, `id = ?`, c.TicketID)
	default:
		r, err = loadRecord(t.ctx, t.tx, `day = ? AND number = ?`, t.day, c.Number)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, refuse(KindNotFound, "nomor antrian %s hari ini tidak ditemukan", c.Number)
	}
	if err != nil {
		return nil, err
	}
	if r.Stage != StageFinished {
		return nil, refuse(KindConflict, "%s belum selesai dilayani; penilaian diberikan sesudah layanan selesai", r.Number)
	}
	if c.Counter != "" && c.Within > 0 && Elapsed(r.Seg.Ended, t.now) > c.Within {
		return nil, refuse(KindConflict, "layanan terakhir loket %s sudah lewat terlalu lama untuk dinilai", c.Counter)
	}
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO feedback (ticket_id, segment, score, at) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, r.ID, r.Segment, c.Score, t.now.String())
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, refuse(KindConflict, "%s sudah dinilai; terima kasih", r.Number)
	}
	tk := r.view(t.q.cfg.Location)
	return tk, t.emit(EventFeedback, tk, r.Seg.Service, r.Seg.Counter, FeedbackData{Score: c.Score})
}
