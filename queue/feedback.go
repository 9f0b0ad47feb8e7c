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
//
// A score from an untrusted client (a citizen's phone: Untrusted) must carry the
// ticket's secret Code, printed in its QR link, so that nobody rates another person's
// service by guessing its number. Buttons, counters and the kiosk are trusted.
type Feedback struct {
	Number    string
	TicketID  int64
	Counter   string
	Within    time.Duration
	Score     int
	Code      string
	Untrusted bool
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
		return nil, refuse(KindNotFound, "nomor antrean %s hari ini tidak ditemukan", c.Number)
	}
	if err != nil {
		return nil, err
	}
	if c.Untrusted && !codeMatches(r.Code, c.Code) {
		return nil, refuse(KindForbidden, "kode tiket %s salah atau tidak ada; nilai layanan lewat tautan di kode QR tiket Anda, atau dengan tombol di loket / the ticket's code is missing or wrong: rate through the QR link on your ticket", r.Number)
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
