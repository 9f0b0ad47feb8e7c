package queue_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// counterAt brings counter 1 of the test office into a state: "open" (free, two A
// tickets waiting), "serving" (one called), "paused" (for istirahat) or "closed".
func counterAt(t *testing.T, q *queue.Queue, state string) {
	t.Helper()
	do(t, q, queue.Issue{Service: "A"}, queue.Issue{Service: "A"})
	switch state {
	case "open":
	case "serving":
		do(t, q, queue.Call{Counter: "1"})
	case "paused":
		do(t, q, queue.Pause{Counter: "1", Reason: "istirahat"})
	case "closed":
		do(t, q, queue.Close{Counter: "1"})
	default:
		t.Fatal(state)
	}
}

// TestCounterStatusTransitions: every change of a counter's status, allowed or not; a
// refused one stores no event, an allowed one exactly its counter_status event.
func TestCounterStatusTransitions(t *testing.T) {
	cases := []struct {
		state  string
		cmd    queue.Command
		kind   queue.ErrorKind // "" = allowed
		status queue.CounterStatus
		reason string
	}{
		{"open", queue.Pause{Counter: "1", Reason: "ishoma"}, "", queue.CounterPaused, "ishoma"},
		{"open", queue.Pause{Counter: "1", Reason: " Rapat "}, "", queue.CounterPaused, "rapat"},
		{"open", queue.Pause{Counter: "1", Reason: "tidur"}, queue.KindInvalid, "", ""},
		{"open", queue.Pause{Counter: "1", Reason: ""}, queue.KindInvalid, "", ""},
		{"open", queue.Pause{Counter: "9", Reason: "rapat"}, queue.KindNotFound, "", ""},
		{"serving", queue.Pause{Counter: "1", Reason: "istirahat"}, queue.KindConflict, "", ""},
		{"paused", queue.Pause{Counter: "1", Reason: "istirahat"}, queue.KindConflict, "", ""},
		{"paused", queue.Pause{Counter: "1", Reason: "gangguan"}, "", queue.CounterPaused, "gangguan"},
		{"closed", queue.Pause{Counter: "1", Reason: "istirahat"}, queue.KindConflict, "", ""},
		{"open", queue.Resume{Counter: "1"}, queue.KindConflict, "", ""},
		{"serving", queue.Resume{Counter: "1"}, queue.KindConflict, "", ""},
		{"paused", queue.Resume{Counter: "1"}, "", queue.CounterOpen, ""},
		{"closed", queue.Resume{Counter: "1"}, "", queue.CounterOpen, ""},
		{"open", queue.Close{Counter: "1"}, "", queue.CounterClosed, ""},
		{"paused", queue.Close{Counter: "1"}, "", queue.CounterClosed, ""},
		{"serving", queue.Close{Counter: "1"}, queue.KindConflict, "", ""},
		{"closed", queue.Close{Counter: "1"}, queue.KindConflict, "", ""},
		{"paused", queue.Call{Counter: "1"}, queue.KindConflict, "", ""},
		{"closed", queue.Call{Counter: "1"}, queue.KindConflict, "", ""},
		{"paused", queue.Call{Counter: "1", Number: "A-001"}, queue.KindConflict, "", ""},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%T%v", c.state, c.cmd, c.cmd), func(t *testing.T) {
			q, _ := queuetest.Open(t, "office", jakartaNoon)
			counterAt(t, q, c.state)
			before := len(allEvents(t, q))
			_, err := q.Do(ctx, c.cmd)
			evs := allEvents(t, q)
			if c.kind != "" {
				wantKind(t, err, c.kind)
				if len(evs) != before {
					t.Fatalf("a refused command stored %d events", len(evs)-before)
				}
				if msg := err.Error(); msg == "" {
					t.Fatal("a refusal without words")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != before+1 {
				t.Fatalf("%d events stored, want 1", len(evs)-before)
			}
			ev := evs[len(evs)-1]
			var d queue.CounterStatusData
			if ev.Type != queue.EventCounterStatus || ev.Counter != "1" || json.Unmarshal(ev.Data, &d) != nil ||
				d.Status != c.status || d.PauseReason != c.reason {
				t.Fatalf("event %s counter %q data %s; want counter_status %s %q", ev.Type, ev.Counter, ev.Data, c.status, c.reason)
			}
			st, err := q.CounterState(ctx, "1")
			if err != nil || st.Status != c.status || st.PauseReason != c.reason || st.StatusSince == nil {
				t.Fatalf("counter 1 now %+v, %v", st, err)
			}
		})
	}
}

// TestPausedCounterLeftOutOfEstimates: service B is served by counters 1 and 2; while
// one of them is paused or closed, B's waiting is shared over one counter only — in
// /api/state, on the live board, for a ticket's place and in the issue's answer.
func TestPausedCounterLeftOutOfEstimates(t *testing.T) {
	q, _ := queuetest.Open(t, "office", jakartaNoon)
	for range 4 {
		do(t, q, queue.Issue{Service: "B"})
	}
	board, err := q.LoadBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan queue.Event, 100)
	q.Subscribe(func(ev queue.Event) { events <- ev })
	// Four waiting, no service finished yet (20 min standard), two counters: 40 min.
	wantB := func(what string, open int, est time.Duration, ticketEst time.Duration) {
		t.Helper()
		for len(events) > 0 {
			board.Apply(ctx, <-events)
		}
		st, err := q.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b := st.Services[1]
		if b.Code != "B" || b.CountersOpen != open || b.EstimatedWaitS != int64(est/time.Second) {
			t.Fatalf("%s: /api/state B = %+v; want %d counters open, estimate %v", what, b, open, est)
		}
		if got, _ := board.Service("B"); got != b {
			t.Fatalf("%s: the live board has %+v, a fresh load %+v", what, got, b)
		}
		tk, ok := board.Ticket("", "B-004")
		if !ok || *tk.EstimatedWaitS != int64(ticketEst/time.Second) {
			t.Fatalf("%s: B-004 on the board %+v, want estimate %v", what, tk, ticketEst)
		}
		look, err := q.TicketByNumber(ctx, "B-004", "")
		if err != nil || *look.EstimatedWaitS != int64(ticketEst/time.Second) {
			t.Fatalf("%s: B-004 looked up %+v, %v; want estimate %v", what, look, err, ticketEst)
		}
	}
	wantB("both open", 2, 40*time.Minute, 30*time.Minute)
	do(t, q, queue.Pause{Counter: "2", Reason: "ishoma"})
	wantB("counter 2 paused", 1, 80*time.Minute, 60*time.Minute)
	issued := do(t, q, queue.Issue{Service: "B"})
	if *issued.EstimatedWaitS != int64((80 * time.Minute).Seconds()) {
		t.Errorf("B-005 issued with counter 2 paused: estimate %ds, want 80 min", *issued.EstimatedWaitS)
	}
	do(t, q, queue.Close{Counter: "1"})
	// None open: the estimate is the wait once one counter opens, and says none is open.
	wantB("both out", 0, 100*time.Minute, 60*time.Minute)
	do(t, q, queue.Resume{Counter: "1"}, queue.Resume{Counter: "2"})
	wantB("both back", 2, 50*time.Minute, 30*time.Minute)
}

// TestCallByNumber: a counter may call a given ticket, only one waiting today in a
// service it serves; any other call stores nothing.
func TestCallByNumber(t *testing.T) {
	q, clk := queuetest.Open(t, "office", jakartaNoon)
	do(t, q, queue.Issue{Service: "A"}, queue.Issue{Service: "A"}, queue.Issue{Service: "A"}, queue.Issue{Service: "B"})
	tk := do(t, q, queue.Call{Counter: "1", Number: " a-003 "})
	if tk.Number != "A-003" || tk.Stage != queue.StageCalled || tk.Counter != "1" {
		t.Fatalf("called %+v, want A-003 at counter 1", tk)
	}
	refused := []struct {
		cmd  queue.Command
		kind queue.ErrorKind
		says string
	}{
		{queue.Call{Counter: "2", Number: "A-001"}, queue.KindConflict, "tidak dilayani Loket 2"},
		{queue.Call{Counter: "2", Number: "A-003"}, queue.KindConflict, "sedang dipanggil ke loket 1"},
		{queue.Call{Counter: "2", Number: "B-009"}, queue.KindNotFound, "tidak ada hari ini"},
		{queue.Call{Counter: "1", Number: "A-001"}, queue.KindConflict, "masih melayani A-003"},
	}
	for _, c := range refused {
		before := len(allEvents(t, q))
		_, err := q.Do(ctx, c.cmd)
		wantKind(t, err, c.kind)
		if !strings.Contains(err.Error(), c.says) || len(allEvents(t, q)) != before {
			t.Errorf("%+v: %v (%d events); want %q and none", c.cmd, err, len(allEvents(t, q))-before, c.says)
		}
	}
	do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	// The next call in order is still A-001: a call by number takes no one's place.
	if tk := do(t, q, queue.Call{Counter: "1"}); tk.Number != "A-001" {
		t.Fatalf("next call %s, want A-001", tk.Number)
	}
	// Yesterday's numbers are not today's.
	clk.Advance(24 * time.Hour)
	do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	_, err := q.Do(ctx, queue.Call{Counter: "1", Number: "A-002"})
	wantKind(t, err, queue.KindNotFound)
}
