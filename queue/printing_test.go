package queue_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

func TestPrintResultListsFailuresUntilAReprintSucceeds(t *testing.T) {
	q, clk := queuetest.Open(t, "office", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	var events []queue.Event
	q.Subscribe(func(ev queue.Event) { events = append(events, ev) })
	a := do(t, q, queue.Issue{Service: "A"})
	b := do(t, q, queue.Issue{Service: "B", Priority: true})

	do(t, q, queue.PrintResult{TicketID: a.ID, OK: true})
	do(t, q, queue.PrintResult{TicketID: b.ID, Problem: "Kertas habis"})
	clk.Advance(time.Minute)
	do(t, q, queue.PrintResult{TicketID: b.ID, Problem: "Tutup printer terbuka"})

	fails, err := q.PrintFailures(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(fails) != 1 || fails[0].Ticket.Number != "B-001" || fails[0].Problem != "Tutup printer terbuka" || fails[0].Attempts != 2 {
		t.Fatalf("failures = %+v, want B-001 after 2 attempts, last problem cover open", fails)
	}
	if !fails[0].At.Equal(clk.Now().Wall) || !fails[0].Ticket.Priority {
		t.Errorf("failure at %v priority %v, want %v and priority", fails[0].At, fails[0].Ticket.Priority, clk.Now().Wall)
	}

	do(t, q, queue.PrintResult{TicketID: b.ID, OK: true})
	fails, err = q.PrintFailures(ctx, "")
	if err != nil || len(fails) != 0 {
		t.Fatalf("after a good reprint failures = %+v, %v; want none", fails, err)
	}

	var types []string
	for _, ev := range events {
		types = append(types, ev.Type)
	}
	want := []string{"issued", "issued", "printed", "print_failed", "print_failed", "printed"}
	if len(types) != len(want) {
		t.Fatalf("events %v, want %v", types, want)
	}
	for i := range want {
		if types[i] != want[i] {
			t.Fatalf("events %v, want %v", types, want)
		}
	}
	var d queue.PrintData
	if err := json.Unmarshal(events[4].Data, &d); err != nil || d.Attempt != 2 || d.Problem != "Tutup printer terbuka" || events[4].Service != "B" {
		t.Errorf("second failure event data %s service %q: %+v %v", events[4].Data, events[4].Service, d, err)
	}
	if n, err := q.Store().LastSeq(ctx); err != nil || n != 6 {
		t.Errorf("outbox holds %d events (%v), want 6: print outcomes are stored events", n, err)
	}
}

func TestPrintResultUnknownTicket(t *testing.T) {
	q, _ := queuetest.Open(t, "office", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	_, err := q.Do(ctx, queue.PrintResult{TicketID: 99, OK: true})
	wantKind(t, err, queue.KindNotFound)
}
