package queue_test

import (
	"strconv"
	"testing"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestTicketsIssuedTogetherCountWhoIsAhead: tickets that arrive together share one
// transaction, where the people ahead are counted once per service and then moved by
// one per ticket. A call or a refused ticket in the same batch must not skew them.
// Expected places worked out by hand below.
func TestTicketsIssuedTogetherCountWhoIsAhead(t *testing.T) {
	cfg := queuetest.Office(t, "office", func(c *queue.Config) { c.Services[1].DailyQuota = 3 })
	q, _ := queuetest.OpenConfig(t, cfg, jakartaNoon)
	// Before: A waits A-001, A-002 (normal); B waits B-001.
	for _, svc := range []string{"A", "A", "B"} {
		if _, err := q.Do(ctx, queue.Issue{Service: svc}); err != nil {
			t.Fatal(err)
		}
	}
	cmds := []queue.Command{
		queue.Issue{Service: "A"},                 // 2 ahead
		queue.Issue{Service: "A", Priority: true}, // 0 ahead (first priority)
		queue.Issue{Service: "A"},                 // A-005: A-004, A-001..3 = 4
		queue.Issue{Service: "A", Priority: true}, // A-004 = 1
		queue.Issue{Service: "B"},                 // B-002: B-001 = 1
		queue.Call{Counter: "2"},                  // counter 2 (B only) calls B-001
		queue.Issue{Service: "B"},                 // B-003: B-002 = 1 (not 2: B-001 was called)
		queue.Issue{Service: "B"},                 // refused: B's quota of 3 is used up
		queue.Issue{Service: "A"},                 // 2 priority + 4 normal = 6
	}
	want := []struct {
		number string
		ahead  int
	}{{"A-003", 2}, {"A-004", 0}, {"A-005", 4}, {"A-006", 1}, {"B-002", 1}, {"B-001", -1}, {"B-003", 1}, {"", -1}, {"A-007", 6}}
	tks, errs := q.RunBatch(cmds...)
	for i, w := range want {
		switch {
		case w.number == "":
			if queue.KindOf(errs[i]) != queue.KindQuota {
				t.Errorf("command %d: %v, want the quota refusal", i, errs[i])
			}
		case errs[i] != nil:
			t.Fatalf("command %d: %v", i, errs[i])
		case tks[i].Number != w.number:
			t.Errorf("command %d gave %s, want %s", i, tks[i].Number, w.number)
		case w.ahead >= 0 && (tks[i].PeopleAhead == nil || *tks[i].PeopleAhead != w.ahead):
			t.Errorf("%s: %s ahead, want %d", w.number, placeOf(tks[i]), w.ahead)
		}
	}
	// The same places as a lookup counts them afterwards, for the last of each kind.
	for _, n := range []string{"A-007", "B-003"} {
		tk, err := q.TicketByNumber(ctx, n, "")
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]int{"A-007": 6, "B-003": 1}[n]; tk.PeopleAhead == nil || *tk.PeopleAhead != want {
			t.Errorf("looked up afterwards, %s has %s ahead, want %d", n, placeOf(tk), want)
		}
	}
}

// placeOf is a ticket's people ahead in words, "none" when not set.
func placeOf(tk *queue.Ticket) string {
	if tk.PeopleAhead == nil {
		return "none"
	}
	return strconv.Itoa(*tk.PeopleAhead)
}
