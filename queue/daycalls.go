package queue

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// The latest calls of the office day (State.Called) in the order they were made: by the
// sequence of their called or recalled event, which only grows, never by the wall clock,
// which a Pi without a real-time clock may step backwards between two calls.

// markCall records, on the segment just called or recalled, the sequence of that event
// (the last one t emitted). Every command that calls a ticket ends with it.
func (t *txn) markCall(r *record) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE segments SET call_seq = ? WHERE ticket_id = ? AND idx = ?`, t.seq, r.ID, r.Seg.Index)
	if err != nil {
		return fmt.Errorf("menyimpan urutan panggilan: %w", err)
	}
	return nil
}

// latestCalls are the office day's n most recently called tickets, newest call first.
func latestCalls(ctx context.Context, db querier, day string, n int) ([]*record, error) {
	rows, err := db.QueryContext(ctx, `SELECT s.ticket_id, max(s.call_seq) AS seq FROM segments s JOIN tickets t ON t.id = s.ticket_id
		WHERE t.day = ? AND s.last_call != '' GROUP BY s.ticket_id ORDER BY seq DESC, max(s.last_call) DESC LIMIT ?`, day, n)
	if err != nil {
		return nil, err
	}
	rank := map[int64]int{}
	var ids []string
	var args []any
	for rows.Next() {
		var id, seq int64
		if err := rows.Scan(&id, &seq); err != nil {
			rows.Close()
			return nil, err
		}
		rank[id] = len(ids)
		ids = append(ids, "?")
		args = append(args, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return nil, err
	}
	called, err := loadRecords(ctx, db, `id IN (`+strings.Join(ids, ",")+`)`, args...)
	if err != nil {
		return nil, err
	}
	sort.Slice(called, func(i, j int) bool { return rank[called[i].ID] < rank[called[j].ID] })
	return called, nil
}
