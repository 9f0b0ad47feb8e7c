package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestEstimateNeverBelowWhatTheWaitingNeed is issue 11's "with 4–6 waiting the TV says
// perkiraan < 1 mnt": officers finishing services within seconds made the recent mean a
// few seconds long, and the estimates with it. Service A (standard 10 minutes) is
// served by counter 1 alone in the "office" fixture.
func TestEstimateNeverBelowWhatTheWaitingNeed(t *testing.T) {
	ctx := context.Background()
	cfg := queuetest.Office(t, "office", func(c *queue.Config) { c.Services[1].ServiceStandard = "30s" })
	q, clk := queuetest.OpenConfig(t, cfg, time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC))
	do := func(c queue.Command) *queue.Ticket { t.Helper(); return queuetest.Do(t, q, c) }
	serve := func(service, counter string, took time.Duration) {
		t.Helper()
		do(queue.Issue{Service: service})
		do(queue.Call{Counter: counter})
		do(queue.Start{Counter: counter})
		clk.Advance(took)
		do(queue.Finish{Counter: counter, Outcome: queue.OutcomeDone})
	}
	for range 3 {
		serve("A", "1", 2*time.Second) // pressed Selesai at once
	}
	var issued []*queue.Ticket
	for range 6 {
		issued = append(issued, do(queue.Issue{Service: "A"}))
	}
	const floor = 150 // a quarter of the 10-minute standard, in seconds
	for i, tk := range issued {
		if *tk.PeopleAhead != i {
			t.Fatalf("%s has %d ahead, want %d", tk.Number, *tk.PeopleAhead, i)
		}
		if want := int64(i * floor); *tk.EstimatedWaitS != want {
			t.Errorf("%s with %d ahead: estimate %d s at issue, want %d (%d × a quarter of the standard)", tk.Number, i, *tk.EstimatedWaitS, want, i)
		}
	}
	b, err := q.LoadBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := b.Service("A"); s.EstimatedWaitS != 6*floor {
		t.Errorf("the board's estimate for the next arrival in A = %d s, want %d", s.EstimatedWaitS, 6*floor)
	}
	if tk, _ := b.Ticket("", issued[5].Number); *tk.EstimatedWaitS != 5*floor {
		t.Errorf("the board's estimate for %s = %d s, want %d", tk.Number, *tk.EstimatedWaitS, 5*floor)
	}
	if tk, _ := b.Ticket("", issued[0].Number); *tk.EstimatedWaitS != 0 {
		t.Errorf("nobody ahead of %s, but the estimate is %d s", tk.Number, *tk.EstimatedWaitS)
	}

	// Slower real services count as they are: B's standard is 30 s, its services at
	// counter 2 took 40 s; one ahead still waits at least a minute.
	for range 2 {
		serve("B", "2", 40*time.Second)
	}
	b1, b2 := do(queue.Issue{Service: "B"}), do(queue.Issue{Service: "B"})
	if *b1.EstimatedWaitS != 0 || *b2.EstimatedWaitS != 60 {
		t.Errorf("B: estimates %d s and %d s, want 0 and 60 (one ahead: at least a minute)", *b1.EstimatedWaitS, *b2.EstimatedWaitS)
	}
	for range 2 {
		do(queue.Issue{Service: "B"})
	}
	// Three ahead × 40 s, shared by counters 1 and 2 = 60 s; four ahead = 80 s.
	if tk := do(queue.Issue{Service: "B"}); *tk.EstimatedWaitS != 80 {
		t.Errorf("B with four ahead and two counters: %d s, want 80", *tk.EstimatedWaitS)
	}
}
