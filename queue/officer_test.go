package queue_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestOfficerSignInCarriedOnSegments: an officer signs in for the shift with name and
// NIP; every segment the counter calls carries them (in the store and in the called
// event, which headquarters gets), until the next officer, a sign-out, the counter's
// closing or the end of the day.
func TestOfficerSignInCarriedOnSegments(t *testing.T) {
	q, clk := queuetest.Open(t, "office", jakartaNoon)
	for range 4 {
		do(t, q, queue.Issue{Service: "A"})
	}
	before := len(allEvents(t, q))
	for _, c := range []struct {
		cmd  queue.SignIn
		kind queue.ErrorKind
	}{
		{queue.SignIn{Counter: "1", Name: "  "}, queue.KindInvalid},
		{queue.SignIn{Counter: "1", Name: "Siti", NIP: "1980010120050120"}, queue.KindInvalid},      // 16 digits
		{queue.SignIn{Counter: "1", Name: "Siti", NIP: "19800101 2005O1 2 001"}, queue.KindInvalid}, // a letter O
		{queue.SignIn{Counter: "1", Name: strings.Repeat("a", 101)}, queue.KindInvalid},
		{queue.SignIn{Counter: "9", Name: "Siti"}, queue.KindNotFound},
	} {
		_, err := q.Do(ctx, c.cmd)
		wantKind(t, err, c.kind)
	}
	_, err := q.Do(ctx, queue.SignOut{Counter: "1"})
	wantKind(t, err, queue.KindConflict) // nobody signed in
	if n := len(allEvents(t, q)) - before; n != 0 {
		t.Fatalf("refused sign-ins stored %d events", n)
	}

	do(t, q, queue.SignIn{Counter: "1", Name: " Siti   Rahmawati ", NIP: "19800101 200501 2 001"})
	_, err = q.Do(ctx, queue.SignIn{Counter: "1", Name: "Siti Rahmawati", NIP: "198001012005012001"})
	wantKind(t, err, queue.KindConflict) // already in
	tk := do(t, q, queue.Call{Counter: "1"})
	if tk.Officer != "Siti Rahmawati" {
		t.Fatalf("the call carries officer %q", tk.Officer)
	}
	// The NIP holds a birth date: it is in the event's data (the staff's and
	// headquarters'), never in the ticket, which /api/state shows anyone.
	evs := allEvents(t, q)
	var cd queue.CallData
	if last := evs[len(evs)-1]; last.Type != queue.EventCalled || last.Ticket.Officer != "Siti Rahmawati" ||
		json.Unmarshal(last.Data, &cd) != nil || cd.OfficerNIP != "198001012005012001" || strings.Contains(jsonOf(t, last.Ticket), "2005012001") {
		t.Fatalf("the called event %s", jsonOf(t, last))
	}
	seg, err := q.Store().ReadSegment(tk.ID, 1)
	if err != nil || seg.Officer != "Siti Rahmawati" || seg.OfficerNIP != "198001012005012001" {
		t.Fatalf("stored segment %+v, %v", seg, err)
	}
	st, err := q.CounterState(ctx, "1")
	if err != nil || st.Officer == nil || *st.Officer != (queue.Officer{Name: "Siti Rahmawati", NIP: "198001012005012001"}) {
		t.Fatalf("counter 1 = %+v, %v", st, err)
	}
	// /api/state is anyone's: no NIP there, and the counters do not list who signed in.
	if s, _ := q.State(ctx); strings.Contains(jsonOf(t, s), "2005012001") || s.Counters[0].Officer != nil {
		t.Errorf("/api/state shows the officer's sign-in: %s", jsonOf(t, s.Counters))
	}

	// The next shift: Budi signs in, Siti is signed out first.
	do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	n := len(allEvents(t, q))
	do(t, q, queue.SignIn{Counter: "1", Name: "Budi"})
	evs = allEvents(t, q)[n:]
	var out, in queue.Officer
	if len(evs) != 2 || evs[0].Type != queue.EventOfficerSignedOut || evs[1].Type != queue.EventOfficerSignedIn ||
		json.Unmarshal(evs[0].Data, &out) != nil || json.Unmarshal(evs[1].Data, &in) != nil || out.Name != "Siti Rahmawati" || in != (queue.Officer{Name: "Budi"}) {
		t.Fatalf("change of shift events %s", jsonOf(t, evs))
	}
	if tk := do(t, q, queue.Call{Counter: "1"}); tk.Officer != "Budi" {
		t.Fatalf("call after the change carries %q", tk.Officer)
	}
	if ev := allEvents(t, q)[n+2]; ev.Type != queue.EventCalled || ev.Data != nil {
		t.Fatalf("a call by an officer without NIP: %s", jsonOf(t, ev))
	}
	do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone}, queue.SignOut{Counter: "1"})
	if tk := do(t, q, queue.Call{Counter: "1"}); tk.Officer != "" {
		t.Fatalf("call after the sign-out carries %q", tk.Officer)
	}

	// Closing the counter ends the shift; so does the day.
	do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone}, queue.SignIn{Counter: "1", Name: "Ani"})
	n = len(allEvents(t, q))
	do(t, q, queue.Close{Counter: "1"})
	if evs := allEvents(t, q)[n:]; len(evs) != 2 || evs[1].Type != queue.EventOfficerSignedOut {
		t.Fatalf("closing the counter: events %s", jsonOf(t, evs))
	}
	do(t, q, queue.Resume{Counter: "1"}, queue.SignIn{Counter: "1", Name: "Ani"})
	clk.Advance(24 * time.Hour)
	do(t, q, queue.Issue{Service: "A"})
	if st, _ := q.CounterState(ctx, "1"); st.Officer != nil {
		t.Fatalf("yesterday's officer still signed in: %+v", st.Officer)
	}
	if tk := do(t, q, queue.Call{Counter: "1"}); tk.Officer != "" {
		t.Fatalf("today's first call carries yesterday's officer %q", tk.Officer)
	}
	b, err := q.LoadBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := b.Counter("1"); k.Officer != nil {
		t.Fatalf("the board shows yesterday's officer %+v", k.Officer)
	}
}

// TestUnprintedTicketFlagged: a ticket whose printing failed says so in every view of
// it — its call's event too, so the counter page can tell the officer to say the
// number — until a reprint succeeds.
func TestUnprintedTicketFlagged(t *testing.T) {
	q, _ := queuetest.Open(t, "office", jakartaNoon)
	tk := do(t, q, queue.Issue{Service: "A"})
	if tk.PrintFailed {
		t.Fatal("a ticket not yet printed is flagged")
	}
	failed := do(t, q, queue.PrintResult{TicketID: tk.ID, Problem: "kertas habis"})
	if !failed.PrintFailed {
		t.Fatal("the print_failed event's ticket is not flagged")
	}
	called := do(t, q, queue.Call{Counter: "1"})
	if !called.PrintFailed {
		t.Fatal("the call of an unprinted ticket is not flagged")
	}
	do(t, q, queue.PrintResult{TicketID: tk.ID, OK: true})
	if now, _ := q.TicketByNumber(ctx, "A-001", ""); now.PrintFailed {
		t.Fatal("still flagged after a good reprint")
	}
}
