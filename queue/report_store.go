package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// reportMargin widens the stored-text window of the segment query; the exact
// period test is done on the parsed instant (a stored wall time is UTC text
// whose fractional seconds make string order differ from time order).
const reportMargin = 48 * time.Hour

// MonthlyReport computes the office's report for a local month (YYYY-MM).
func (q *Queue) MonthlyReport(ctx context.Context, month string) (*Report, error) {
	p, err := ParsePeriod(PeriodMonth, month, q.cfg.Location)
	if err != nil {
		return nil, err
	}
	return q.Report(ctx, p)
}

// Report computes the office's report for a period (ParsePeriod in the
// office's time zone).
//
// It gives the same Report as feeding the office's whole event stream to a
// ReportBuilder, which is what headquarters does — but reads the segments
// table, the per-segment projection the event path keeps in the same
// transaction as each event, instead of decoding every event's JSON: a month
// of a busy office is ~100 000 segments but ~500 000 events. Only the few
// events that are not about tickets (feedback, surveys, complaints,
// revisions) are decoded; the revisions say how far before the period the
// segments must be read. TestMonthlyReportHistories holds the two paths
// together.
func (q *Queue) Report(ctx context.Context, p Period) (*Report, error) {
	b := NewPeriodReport(q.cfg.Office.ID, p)
	db, err := q.store.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // one consistent snapshot
	if err != nil {
		return nil, err
	}
	defer db.Rollback()
	evRows, err := db.QueryContext(ctx, `SELECT body FROM events WHERE type IN (?, ?, ?, ?, ?, ?, ?) ORDER BY seq`,
		EventFeedback, EventSurvey, EventComplaintReceived, EventComplaintUpdated, EventStandardRevised,
		EventIncidentOpened, EventIncidentClosed)
	if err != nil {
		return nil, err
	}
	for evRows.Next() {
		var body []byte
		if err := evRows.Scan(&body); err != nil {
			evRows.Close()
			return nil, err
		}
		var ev Event
		if err := json.Unmarshal(body, &ev); err != nil {
			evRows.Close()
			return nil, fmt.Errorf("event rusak: %w", err)
		}
		b.Add(ev)
	}
	evRows.Close()
	if err := evRows.Err(); err != nil {
		return nil, err
	}
	from := b.earliestWindow().Add(-reportMargin).UTC().Format(time.RFC3339Nano)
	to := p.End.Add(reportMargin).UTC().Format(time.RFC3339Nano)
	rows, err := db.QueryContext(ctx, `SELECT t.number, t.day, t.priority, s.`+strings.ReplaceAll(segmentCols, ", ", ", s.")+`,
		CASE WHEN s.idx > 1 THEN (SELECT p.service FROM segments p WHERE p.ticket_id = s.ticket_id AND p.idx = s.idx - 1) ELSE '' END
		FROM segments s JOIN tickets t ON t.id = s.ticket_id
		WHERE s.queued >= ? AND s.queued < ?`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var number, day, prev string
		var priority bool
		seg, err := scanSegment(rowScanner{rows, []any{&number, &day, &priority}, []any{&prev}})
		if err != nil {
			return nil, err
		}
		seg.Priority = priority
		b.addStoredSegment(seg, number, day, prev)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The event stream meets segments in the order they were queued.
	sort.Slice(b.order, func(i, j int) bool { return b.order[i].queueSeq < b.order[j].queueSeq })
	return b.Report(), nil
}

// rowScanner scans extra columns before and after the segment's own.
type rowScanner struct {
	rows        *sql.Rows
	before, aft []any
}

func (r rowScanner) Scan(dest ...any) error {
	all := append(append(append([]any{}, r.before...), dest...), r.aft...)
	return r.rows.Scan(all...)
}
