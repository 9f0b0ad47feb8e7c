package queue_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestRequeueKeepsNumberPlaceAndFirstCall: a citizen who missed the call comes back.
// Their ticket waits again with its number and segment, in its old place (before those
// queued after it, after the priority ones), its wait still ending at the first call;
// the segment records the return, and the next call is a later call of the same
// segment. The month counts it once: no no-show, no second ticket.
func TestRequeueKeepsNumberPlaceAndFirstCall(t *testing.T) {
	q, clk := queuetest.Open(t, "office", jakartaNoon)
	do(t, q, queue.Issue{Service: "A"}, queue.Issue{Service: "A"}) // 10:00
	clk.Advance(5 * time.Minute)
	do(t, q, queue.Call{Counter: "1"}) // 10:05 A-001: waited 5 min
	clk.Advance(time.Minute)
	do(t, q, queue.NoShow{Counter: "1"}, queue.Issue{Service: "A", Priority: true}, queue.Issue{Service: "A"}) // 10:06; A-003 priority, A-004
	clk.Advance(14 * time.Minute)
	board, err := q.LoadBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ns := board.NoShows([]string{"A"}, 10); len(ns) != 1 || ns[0].Number != "A-001" {
		t.Fatalf("today's no-shows of A = %v, want A-001", ns)
	}
	events := make(chan queue.Event, 10)
	q.Subscribe(func(ev queue.Event) { events <- ev })

	before := len(allEvents(t, q))
	for _, c := range []struct {
		cmd  queue.Requeue
		kind queue.ErrorKind
		says string
	}{
		{queue.Requeue{Counter: "2", Number: "A-001"}, queue.KindConflict, "tidak dilayani Loket 2"},
		{queue.Requeue{Counter: "1", Number: "A-002"}, queue.KindConflict, "masih menunggu"},
		{queue.Requeue{Counter: "1", Number: "A-009"}, queue.KindNotFound, "tidak ada hari ini"},
		{queue.Requeue{Counter: "1", Number: " "}, queue.KindInvalid, "wajib diisi"},
		{queue.Requeue{Counter: "7", Number: "A-001"}, queue.KindNotFound, "loket"},
	} {
		_, err := q.Do(ctx, c.cmd)
		wantKind(t, err, c.kind)
		if !strings.Contains(err.Error(), c.says) {
			t.Errorf("%+v: %q, want it to say %q", c.cmd, err, c.says)
		}
	}
	if n := len(allEvents(t, q)) - before; n != 0 {
		t.Fatalf("refused requeues stored %d events", n)
	}

	back := do(t, q, queue.Requeue{Counter: "1", Number: "a-001"}) // 10:20
	if back.Number != "A-001" || back.Stage != queue.StageIssued || back.Segment != 1 || back.Counter != "" ||
		back.Returns != 1 || back.ReturnedAt == nil || !back.ReturnedAt.Equal(wib(2026, 11, 2, 10, 20, 0)) ||
		back.CalledAt == nil || !back.CalledAt.Equal(wib(2026, 11, 2, 10, 5, 0)) || back.NoShowAt != nil {
		t.Fatalf("requeued %s", jsonOf(t, back))
	}
	if *back.PeopleAhead != 1 { // only the priority A-003 is ahead of its old place
		t.Errorf("people ahead of the returned A-001 = %d, want 1", *back.PeopleAhead)
	}
	ev := <-events
	var d queue.RequeueData
	if ev.Type != queue.EventRequeued || ev.Counter != "1" || json.Unmarshal(ev.Data, &d) != nil || d.QueueSeq != 1 || d.Returns != 1 {
		t.Fatalf("event %s counter %s data %s", ev.Type, ev.Counter, ev.Data)
	}
	board.Apply(ctx, ev)
	fresh, err := q.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := jsonOf(t, board.State()), jsonOf(t, fresh); got != want {
		t.Fatalf("the board moved by requeued differs from a fresh load:\nboard %s\nfresh %s", got, want)
	}
	var order []string
	for _, w := range fresh.Waiting {
		order = append(order, w.Number)
	}
	if strings.Join(order, " ") != "A-003 A-001 A-002 A-004" {
		t.Fatalf("waiting %v, want the returned A-001 back in its place after the priority A-003", order)
	}
	if ns := board.NoShows([]string{"A"}, 10); len(ns) != 0 {
		t.Fatalf("no-shows after the return = %v", ns)
	}
	if _, err := q.Do(ctx, queue.Requeue{Counter: "1", Number: "A-001"}); queue.KindOf(err) != queue.KindConflict {
		t.Fatalf("a second requeue of a waiting ticket: %v", err)
	}

	// Left waiting 16 minutes after its return (A's wait standard is 15): the live
	// warning counts from the return, for any counter of A.
	clk.Advance(16 * time.Minute)
	breaches, err := q.Breaches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, b := range breaches {
		if b.Number == "A-001" {
			found = true
			if b.Kind != queue.BreachWait || b.ElapsedS != 16*60 || b.Counter != "" {
				t.Errorf("breach of the returned A-001 = %+v, want a wait of 16 min for any counter", b)
			}
		}
	}
	if !found {
		t.Error("no breach for A-001, 16 minutes after its return past a 15-minute standard")
	}

	do(t, q, queue.Call{Counter: "1"}) // the priority A-003
	do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	clk.Advance(time.Minute)
	again := do(t, q, queue.Call{Counter: "1"}) // 10:37 A-001 again
	if again.Number != "A-001" || again.Calls != 2 || !again.CalledAt.Equal(wib(2026, 11, 2, 10, 5, 0)) ||
		!again.LastCalledAt.Equal(wib(2026, 11, 2, 10, 37, 0)) || again.Segment != 1 {
		t.Fatalf("the call after the return %s", jsonOf(t, again))
	}
	clk.Advance(2 * time.Minute)
	do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone}) // 10:39

	// The month: four tickets issued, none a no-show, A-001's wait 5 minutes. The
	// office's report (its segments) and headquarters' (the events) agree.
	rep, err := q.MonthlyReport(ctx, "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	a := rep.Services["A"]
	if a.Issued != 4 || a.NoShow != 0 || a.Done != 2 || a.Called != 2 || *a.NoShowPct != 0 {
		t.Errorf("A's month: %s; want 4 issued, 2 done, no no-show", jsonOf(t, a))
	}
	for _, s := range rep.Segments {
		if s.Number == "A-001" && (s.WaitS == nil || *s.WaitS != 300 || s.Calls != 2 || s.End != queue.StageFinished || *s.WalkS != 0) {
			t.Errorf("A-001's segment %+v: want wait 300 s, 2 calls, finished", s)
		}
	}
	b, _ := queue.NewReport("mpp-uji", "2026-11", jakarta)
	for _, ev := range allEvents(t, q) {
		b.Add(ev)
	}
	if office, hq := jsonOf(t, rep), jsonOf(t, b.Report()); office != hq {
		t.Errorf("report from the event stream differs:\noffice %s\nstream %s", office, hq)
	}
}
