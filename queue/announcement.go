package queue

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"
)

// EventRunningText records a new running text: the line that scrolls along the
// bottom of the waiting-room display. Its Data is RunningTextData; it names no
// ticket, service or counter.
const EventRunningText = "running_text"

// MaxRunningText is the longest running text, in characters. A line read from
// 5 m while it scrolls past is a sentence or two; more is never read to the end.
const MaxRunningText = 500

// metaRunningText is the key of the running text in the meta table.
const metaRunningText = "running_text"

// RunningTextData is the Data of a running_text event.
type RunningTextData struct {
	Text string `json:"text"`
}

// SetRunningText replaces the running text the admin shows on every display.
// An empty Text removes it. Surrounding spaces are dropped and line breaks
// become spaces (it is one scrolling line).
type SetRunningText struct {
	Text string
}

func (c SetRunningText) apply(t *txn) (*Ticket, error) {
	text := strings.Join(strings.Fields(c.Text), " ")
	if n := utf8.RuneCountInString(text); n > MaxRunningText {
		return nil, refuse(KindInvalid, "teks berjalan terlalu panjang (%d karakter); paling banyak %d", n, MaxRunningText)
	}
	if !utf8.ValidString(text) {
		return nil, refuse(KindInvalid, "teks berjalan bukan UTF-8 yang sah")
	}
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, metaRunningText, text); err != nil {
		return nil, err
	}
	return nil, t.emit(EventRunningText, nil, "", "", RunningTextData{Text: text})
}

// RunningText returns the running text set by SetRunningText, "" when none.
func (q *Queue) RunningText(ctx context.Context) (string, error) {
	var text string
	err := q.store.r.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaRunningText).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return text, err
}
