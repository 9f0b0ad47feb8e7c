package queue

import (
	"encoding/json"
	"testing"
	"time"
)

func TestPrintResultListsFailuresUntilAReprintSucceeds(t *testing.T) {
	q, clk, _ := newTestQueue(t, "Asia/Jakarta", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	var events []Event
	q.Subscribe(func(ev Event) { events = append(events, ev) })
	a := do(t, q, Issue{Service: "A"})
	b := do(t, q, Issue{Service: "B", Priority: true})

	do(t, q, PrintResult{TicketID: a.ID, OK: true})
	do(t, q, PrintResult{TicketID: b.ID, Problem: "Kertas habis"})
	clk.Advance(time.Minute)
	do(t, q, PrintResult{TicketID: b.ID, Problem: "Tutup printer terbuka"})

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

	do(t, q, PrintResult{TicketID: b.ID, OK: true})
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
	var d PrintData
	if err := json.Unmarshal(events[4].Data, &d); err != nil || d.Attempt != 2 || d.Problem != "Tutup printer terbuka" || events[4].Service != "B" {
		t.Errorf("second failure event data %s service %q: %+v %v", events[4].Data, events[4].Service, d, err)
	}
	if n, err := q.store.LastSeq(ctx); err != nil || n != 6 {
		t.Errorf("outbox holds %d events (%v), want 6: print outcomes are stored events", n, err)
	}
}

func TestPrintResultUnknownTicket(t *testing.T) {
	q, _, _ := newTestQueue(t, "Asia/Jakarta", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	_, err := q.Do(ctx, PrintResult{TicketID: 99, OK: true})
	wantKind(t, err, KindNotFound)
}
