package queue

import (
	"path/filepath"
	"testing"
	"time"
)

func calledNumbers(t *testing.T, q *Queue) []string {
	t.Helper()
	st, err := q.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tk := range st.Called {
		out = append(out, tk.Number)
	}
	return out
}

// The wall clock steps back an hour between two calls (NTP correcting a clock that ran
// ahead): the display still shows the later call as the latest.
func TestBackwardStepDoesNotReorderTheLatestCall(t *testing.T) {
	q, clk, _ := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
	do(t, q, Issue{Service: "B"}, Issue{Service: "B"}, Issue{Service: "B"})
	do(t, q, Call{Counter: "1"}) // B-001
	clk.Advance(time.Minute)
	clk.Step(-time.Hour)
	do(t, q, Call{Counter: "2"}) // B-002, an hour "earlier" on the wall clock
	if got := calledNumbers(t, q); len(got) != 2 || got[0] != "B-002" {
		t.Fatalf("latest calls after a backward step: %v, want B-002 first", got)
	}
	clk.Step(-time.Hour)
	do(t, q, Recall{Counter: "1"}) // B-001 again, later still
	if got := calledNumbers(t, q); got[0] != "B-001" || got[1] != "B-002" {
		t.Fatalf("latest calls after a recall: %v, want B-001 then B-002", got)
	}
}

// Migration 0008 gives the calls of the latest office day their event's sequence, so the
// list is right on the day of the upgrade.
func TestMigrationOrdersTodaysExistingCalls(t *testing.T) {
	path := filepath.Join(t.TempDir(), "antri.db")
	db, err := OpenSQLite(path, "foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{w: db.W, r: db.R, path: path}
	defer s.Close()
	if err := s.migrateTo(7); err != nil {
		t.Fatal(err)
	}
	// Two tickets of the latest day called in the order 2, 1 (event seqs 3 and 4), one
	// of the day before.
	for _, stmt := range []string{
		`INSERT INTO tickets (id, day, number, service, stage, queue_seq, issued) VALUES
			(1, '2026-11-02', 'A-001', 'A', 'called', 1, 'x'), (2, '2026-11-02', 'A-002', 'A', 'called', 2, 'x'),
			(3, '2026-11-01', 'A-001', 'A', 'called', 0, 'x')`,
		`INSERT INTO segments (ticket_id, idx, service, queued, last_call, wait_std, service_std, queue_seq) VALUES
			(1, 1, 'A', 'x', 'z', 0, 0, 1), (2, 1, 'A', 'x', 'y', 0, 0, 2), (3, 1, 'A', 'x', 'w', 0, 0, 0)`,
		`INSERT INTO events (seq, type, body) VALUES (1, 'issued', '{}'), (2, 'issued', '{}'),
			(3, 'called', '{"ticket":{"id":2,"segment":1}}'), (4, 'called', '{"ticket":{"id":1,"segment":1}}')`,
	} {
		if _, err := s.w.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.migrateTo(8); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[int]int64{1: 4, 2: 3, 3: 0} {
		var got int64
		s.r.QueryRow(`SELECT call_seq FROM segments WHERE ticket_id = ?`, id).Scan(&got)
		if got != want {
			t.Errorf("ticket %d: call_seq %d, want %d", id, got, want)
		}
	}
}
