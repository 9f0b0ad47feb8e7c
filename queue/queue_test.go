package queue_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

func TestTicketLifecycle(t *testing.T) {
	q, clk := queuetest.Open(t, "office", jakartaNoon)
	var published []queue.Event
	q.Subscribe(func(ev queue.Event) { published = append(published, ev) })

	tk := do(t, q, queue.Issue{Service: "A"})
	if tk.Number != "A-001" || tk.Stage != queue.StageIssued || tk.Day != "2026-11-02" || *tk.PeopleAhead != 0 {
		t.Fatalf("issued %+v", tk)
	}
	clk.Advance(3 * time.Minute)
	tk = do(t, q, queue.Call{Counter: "1"})
	if tk.Stage != queue.StageCalled || tk.Counter != "1" || tk.Calls != 1 || !tk.CalledAt.Equal(jakartaNoon.Add(3*time.Minute)) {
		t.Fatalf("called %+v", tk)
	}
	clk.Advance(time.Minute)
	tk = do(t, q, queue.Recall{Counter: "1"})
	if tk.Calls != 2 || !tk.LastCalledAt.Equal(jakartaNoon.Add(4*time.Minute)) || !tk.CalledAt.Equal(jakartaNoon.Add(3*time.Minute)) {
		t.Fatalf("recalled %+v", tk)
	}
	clk.Advance(30 * time.Second)
	tk = do(t, q, queue.Start{Counter: "1"})
	if tk.Stage != queue.StageStarted {
		t.Fatalf("started %+v", tk)
	}
	clk.Advance(7 * time.Minute)
	tk = do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeIncomplete})
	if tk.Stage != queue.StageFinished || tk.Outcome != queue.OutcomeIncomplete || !tk.FinishedAt.Equal(jakartaNoon.Add(11*time.Minute+30*time.Second)) {
		t.Fatalf("finished %+v", tk)
	}

	want := []string{queue.EventIssued, queue.EventCalled, queue.EventRecalled, queue.EventStarted, queue.EventFinished}
	stored := allEvents(t, q)
	for i, ev := range stored {
		if ev.Seq != int64(i+1) || ev.Type != want[i] || ev.Office != "mpp-uji" || ev.Ticket.Number != "A-001" {
			t.Errorf("stored event %d = seq %d %s", i, ev.Seq, ev.Type)
		}
	}
	a, _ := json.Marshal(stored)
	b, _ := json.Marshal(published)
	if len(stored) != len(want) || string(a) != string(b) {
		t.Fatalf("published %d events, stored %d; they must be the same", len(published), len(stored))
	}
}

// counterState brings counter 1 into a state: "free" (nothing called, a
// ticket waiting), "called" or "started".
func counterState(t *testing.T, q *queue.Queue, state string) {
	t.Helper()
	do(t, q, queue.Issue{Service: "A"})
	do(t, q, queue.Issue{Service: "A"})
	switch state {
	case "free":
	case "called":
		do(t, q, queue.Call{Counter: "1"})
	case "started":
		do(t, q, queue.Call{Counter: "1"})
		do(t, q, queue.Start{Counter: "1"})
	default:
		t.Fatal(state)
	}
}

func TestTransitions(t *testing.T) {
	cases := []struct {
		state string
		cmd   queue.Command
		kind  queue.ErrorKind // "" = allowed
		stage queue.Stage     // the acted-on ticket's stage when allowed
	}{
		{"free", queue.Call{Counter: "1"}, "", queue.StageCalled},
		{"called", queue.Call{Counter: "1"}, queue.KindConflict, ""},
		{"started", queue.Call{Counter: "1"}, queue.KindConflict, ""},
		{"free", queue.Recall{Counter: "1"}, queue.KindConflict, ""},
		{"called", queue.Recall{Counter: "1"}, "", queue.StageCalled},
		{"started", queue.Recall{Counter: "1"}, queue.KindConflict, ""},
		{"free", queue.Start{Counter: "1"}, queue.KindConflict, ""},
		{"called", queue.Start{Counter: "1"}, "", queue.StageStarted},
		{"started", queue.Start{Counter: "1"}, queue.KindConflict, ""},
		{"free", queue.Finish{Counter: "1", Outcome: queue.OutcomeDone}, queue.KindConflict, ""},
		{"called", queue.Finish{Counter: "1", Outcome: queue.OutcomeDone}, "", queue.StageFinished},
		{"started", queue.Finish{Counter: "1", Outcome: queue.OutcomeDone}, "", queue.StageFinished},
		{"started", queue.Finish{Counter: "1", Outcome: "lain"}, queue.KindInvalid, ""},
		{"free", queue.NoShow{Counter: "1"}, queue.KindConflict, ""},
		{"called", queue.NoShow{Counter: "1"}, "", queue.StageNoShow},
		{"started", queue.NoShow{Counter: "1"}, queue.KindConflict, ""},
		{"free", queue.Transfer{Counter: "1", Service: "B"}, queue.KindConflict, ""},
		{"called", queue.Transfer{Counter: "1", Service: "B"}, "", queue.StageTransferred},
		{"started", queue.Transfer{Counter: "1", Service: "B"}, "", queue.StageTransferred},
		{"started", queue.Transfer{Counter: "1", Service: "A"}, queue.KindInvalid, ""},
		{"started", queue.Transfer{Counter: "1", Service: "Z"}, queue.KindInvalid, ""},
		{"free", queue.Call{Counter: "9"}, queue.KindNotFound, ""},
		{"called", queue.Finish{Counter: "9", Outcome: queue.OutcomeDone}, queue.KindNotFound, ""},
		{"free", queue.Issue{Service: "Z"}, queue.KindInvalid, ""},
		{"free", queue.Feedback{Number: "A-001", Score: 4}, queue.KindConflict, ""},
		{"free", queue.Feedback{Number: "A-001", Score: 5}, queue.KindInvalid, ""},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%T%v", c.state, c.cmd, c.cmd), func(t *testing.T) {
			q, _ := queuetest.Open(t, "office", jakartaNoon)
			counterState(t, q, c.state)
			before := len(allEvents(t, q))
			tk, err := q.Do(ctx, c.cmd)
			after := len(allEvents(t, q))
			if c.kind != "" {
				wantKind(t, err, c.kind)
				if after != before {
					t.Fatalf("a refused command stored %d events", after-before)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tk.Stage != c.stage || after != before+1 {
				t.Fatalf("stage %s (want %s), %d events stored", tk.Stage, c.stage, after-before)
			}
		})
	}
}

func TestCallWithNothingWaiting(t *testing.T) {
	q, _ := queuetest.Open(t, "office", jakartaNoon)
	_, err := q.Do(ctx, queue.Call{Counter: "2"})
	wantKind(t, err, queue.KindNotFound)
	// Counter 2 serves only B: a waiting A ticket is not for it.
	do(t, q, queue.Issue{Service: "A"})
	_, err = q.Do(ctx, queue.Call{Counter: "2"})
	wantKind(t, err, queue.KindNotFound)
}

func TestFinishWithoutStartCountsLastCallAsStart(t *testing.T) {
	q, clk := queuetest.Open(t, "office", jakartaNoon)
	do(t, q, queue.Issue{Service: "A"})
	do(t, q, queue.Call{Counter: "1"})
	clk.Advance(2 * time.Minute)
	do(t, q, queue.Recall{Counter: "1"})
	clk.Advance(4 * time.Minute)
	tk := do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	if !tk.StartedAt.Equal(*tk.LastCalledAt) {
		t.Fatalf("start %v, last call %v", tk.StartedAt, tk.LastCalledAt)
	}
}

func TestNumberingRestartsEachLocalDay(t *testing.T) {
	for _, tz := range []string{"Asia/Jakarta", "Asia/Jayapura"} {
		t.Run(tz, func(t *testing.T) {
			loc := mustLoc(tz)
			cfg := queuetest.Office(t, "office", func(c *queue.Config) { c.Office.Timezone = tz })
			q, clk := queuetest.OpenConfig(t, cfg, time.Date(2026, 11, 2, 23, 58, 0, 0, loc))
			a1 := do(t, q, queue.Issue{Service: "A"})
			a2 := do(t, q, queue.Issue{Service: "A"})
			b1 := do(t, q, queue.Issue{Service: "B"})
			clk.Advance(119 * time.Second) // 23:59:59 local
			a3 := do(t, q, queue.Issue{Service: "A"})
			clk.Advance(time.Second) // local midnight
			n1 := do(t, q, queue.Issue{Service: "A"})
			nb := do(t, q, queue.Issue{Service: "B"})
			got := []string{a1.Number + " " + a1.Day, a2.Number, b1.Number, a3.Number + " " + a3.Day, n1.Number + " " + n1.Day, nb.Number}
			want := []string{"A-001 2026-11-02", "A-002", "B-001", "A-003 2026-11-02", "A-001 2026-11-03", "B-001"}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
			// Yesterday's A-001 is still found by its day; history is kept.
			old, err := q.TicketByNumber(ctx, "A-001", "2026-11-02")
			if err != nil || old.ID != a1.ID {
				t.Fatalf("yesterday's ticket: %v %v", old, err)
			}
		})
	}
}

func TestFormatNumber(t *testing.T) {
	for n, want := range map[int]string{1: "A-001", 12: "A-012", 999: "A-999", 1000: "A-1000", 12345: "A-12345"} {
		if got := queue.FormatNumber("A", n); got != want {
			t.Errorf("FormatNumber(A, %d) = %s, want %s", n, got, want)
		}
	}
}

func TestPriorityCalledFirstWithinCounter(t *testing.T) {
	q, _ := queuetest.Open(t, "office", jakartaNoon)
	do(t, q, queue.Issue{Service: "A"})
	do(t, q, queue.Issue{Service: "B"})                 // B-001
	do(t, q, queue.Issue{Service: "A", Priority: true}) // A-002 priority
	do(t, q, queue.Issue{Service: "B", Priority: true}) // B-002 priority
	st, err := q.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var waiting []string
	for _, w := range st.Waiting {
		waiting = append(waiting, fmt.Sprintf("%s:%d", w.Number, *w.PeopleAhead))
	}
	// Within a service, priority first; people ahead count within the service.
	if want := []string{"A-002:0", "A-001:1", "B-002:0", "B-001:1"}; !reflect.DeepEqual(waiting, want) {
		t.Fatalf("waiting %v, want %v", waiting, want)
	}
	var called []string
	for range 4 {
		tk := do(t, q, queue.Call{Counter: "1"})
		called = append(called, tk.Number)
		do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	}
	// Counter 1 serves A and B: priority tickets of both before normal ones, each in issue order.
	if want := []string{"A-002", "B-002", "A-001", "B-001"}; !reflect.DeepEqual(called, want) {
		t.Fatalf("call order %v, want %v", called, want)
	}
}

func TestTransferStartsNewSegment(t *testing.T) {
	q, clk := queuetest.Open(t, "office", jakartaNoon)
	path := q.Store().Path()
	do(t, q, queue.Issue{Service: "B"}) // B-001 waits before the transfer arrives
	do(t, q, queue.Issue{Service: "A"})
	clk.Advance(time.Minute)
	// Counter 1 serves A and B; B-001 came first, so it is called first: finish it.
	do(t, q, queue.Call{Counter: "1"})
	do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	do(t, q, queue.Call{Counter: "1"})
	clk.Advance(2 * time.Minute)
	tk := do(t, q, queue.Transfer{Counter: "1", Service: "B", Note: "perlu verifikasi KK", Unit: "Disdukcapil"})
	if tk.Number != "A-001" || tk.Service != "B" || tk.Stage != queue.StageTransferred || tk.Segment != 2 ||
		tk.TransferredFrom != "A" || tk.Referral != "perlu verifikasi KK" || tk.Counter != "" ||
		tk.WaitStandardS != 1800 || !tk.QueuedAt.Equal(jakartaNoon.Add(3*time.Minute)) {
		t.Fatalf("transferred %+v", tk)
	}
	do(t, q, queue.Issue{Service: "B"}) // B-002 queues after the transfer
	clk.Advance(time.Minute)
	next := do(t, q, queue.Call{Counter: "2"})
	if next.Number != "A-001" || next.Segment != 2 {
		t.Fatalf("counter 2 called %s segment %d, want the transferred A-001", next.Number, next.Segment)
	}
	do(t, q, queue.Finish{Counter: "2", Outcome: queue.OutcomeDone})

	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT idx, service, counter, end_stage, transfer_to, note FROM segments WHERE ticket_id = ? ORDER BY idx`, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var idx int
		var svc, counter, end, to, note string
		rows.Scan(&idx, &svc, &counter, &end, &to, &note)
		got = append(got, fmt.Sprintf("%d %s %s %s %s %s", idx, svc, counter, end, to, note))
	}
	rows.Close()
	want := []string{"1 A 1 transferred B perlu verifikasi KK", "2 B 2 finished  "}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("segments %q, want %q", got, want)
	}
	var data queue.TransferData
	for _, ev := range allEvents(t, q) {
		if ev.Type == queue.EventTransferred {
			json.Unmarshal(ev.Data, &data)
		}
	}
	if data != (queue.TransferData{From: "A", To: "B", Note: "perlu verifikasi KK", Unit: "Disdukcapil"}) {
		t.Fatalf("transfer event data %+v", data)
	}
}

func TestQuotaAndOpeningHours(t *testing.T) {
	q, clk := queuetest.OpenConfig(t, queuetest.Office(t, "office", func(c *queue.Config) { c.Services[1].DailyQuota = 3 }), jakartaNoon)
	for range 3 {
		do(t, q, queue.Issue{Service: "B"})
	}
	_, err := q.Do(ctx, queue.Issue{Service: "B"})
	wantKind(t, err, queue.KindQuota)
	clk.Advance(24 * time.Hour)
	do(t, q, queue.Issue{Service: "B"}) // a new day, a new quota

	office := &q.Config().Office // the office now keeps hours
	office.OpenAt, office.CloseAt = 8*time.Hour, 15*time.Hour
	office.Open, office.Close = "08:00", "15:00"
	clk.Advance(5 * time.Hour) // 15:00 local
	_, err = q.Do(ctx, queue.Issue{Service: "A"})
	wantKind(t, err, queue.KindClosed)
}

func TestServiceTimeSurvivesClockStep(t *testing.T) {
	q, clk := queuetest.Open(t, "office", jakartaNoon)
	do(t, q, queue.Issue{Service: "A"})
	clk.Advance(4 * time.Minute)
	do(t, q, queue.Call{Counter: "1"})
	clk.Step(2 * time.Hour) // NTP syncs a Pi that booted without a real-time clock
	clk.Advance(6 * time.Minute)
	tk := do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	// The wall clock says 2 h 6 min; the service took 6 minutes.
	if wall := tk.FinishedAt.Sub(*tk.StartedAt); wall != 2*time.Hour+6*time.Minute {
		t.Fatalf("wall difference %v", wall)
	}
	seg, err := q.Store().ReadSegment(tk.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if d := queue.Elapsed(seg.Started, seg.Ended); d != 6*time.Minute {
		t.Fatalf("service time %v, want 6m", d)
	}
	if d := queue.Elapsed(seg.Queued, seg.FirstCall); d != 4*time.Minute {
		t.Fatalf("wait %v, want 4m", d)
	}
	// The same from the stored events, as headquarters will see them.
	evs := allEvents(t, q)
	if d := queue.Elapsed(evs[1].Instant(), evs[2].Instant()); evs[2].Type != queue.EventFinished || d != 6*time.Minute {
		t.Fatalf("from events: %s after %s: %v", evs[2].Type, evs[1].Type, d)
	}
}

func TestElapsedAcrossReboot(t *testing.T) {
	clk := queue.NewFakeClock(jakartaNoon)
	a := clk.Now()
	clk.Advance(10 * time.Minute)
	clk.Reboot("boot-2") // the monotonic clock restarts; only the wall clock connects the two
	if d := queue.Elapsed(a, clk.Now()); d != 10*time.Minute {
		t.Fatalf("across a reboot: %v", d)
	}
	b := clk.Now()
	clk.Step(-time.Hour)
	if d := queue.Elapsed(b, clk.Now()); d != 0 {
		t.Fatalf("same boot, clock stepped back, no time passed: %v", d)
	}
}

func TestRestartRestoresQueue(t *testing.T) {
	q, clk := queuetest.Open(t, "office", jakartaNoon)
	path := q.Store().Path()
	for _, s := range []string{"A", "B", "A", "B"} {
		do(t, q, queue.Issue{Service: s})
	}
	do(t, q, queue.Issue{Service: "A", Priority: true})
	do(t, q, queue.Call{Counter: "1"})
	do(t, q, queue.Call{Counter: "2"})
	do(t, q, queue.Start{Counter: "2"})
	before, err := q.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	q.Close()
	if err := q.Store().Close(); err != nil {
		t.Fatal(err)
	}

	st, err := queue.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	q2 := queue.New(q.Config(), st, clk)
	defer q2.Close()
	after, err := q2.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		a, _ := json.Marshal(before)
		b, _ := json.Marshal(after)
		t.Fatalf("state changed across restart:\n%s\n%s", a, b)
	}
	// The sequence carries on, and so does numbering.
	tk := do(t, q2, queue.Issue{Service: "A"})
	evs, _ := st.EventsAfter(ctx, before.Seq, 10)
	if tk.Number != "A-004" || len(evs) != 1 || evs[0].Seq != before.Seq+1 {
		t.Fatalf("after restart: %s, events %v", tk.Number, evs)
	}
}

func TestConcurrentIssuesAreContiguous(t *testing.T) {
	q, _ := queuetest.Open(t, "office", jakartaNoon)
	const n = 200
	var wg sync.WaitGroup
	numbers := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk, err := q.Do(ctx, queue.Issue{Service: "A"})
			errs[i] = err
			if err == nil {
				numbers[i] = tk.Number
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(numbers)
	for i, num := range numbers {
		if want := queue.FormatNumber("A", i+1); num != want {
			t.Fatalf("numbers[%d] = %s, want %s (all: distinct and contiguous)", i, num, want)
		}
	}
	evs := allEvents(t, q)
	for i, ev := range evs {
		if ev.Seq != int64(i+1) {
			t.Fatalf("event %d has seq %d", i, ev.Seq)
		}
	}
	if len(evs) != n {
		t.Fatalf("%d events", len(evs))
	}
}

func TestDayCloseExpiresWaitingTickets(t *testing.T) {
	q, clk := queuetest.Open(t, "office", time.Date(2026, 11, 2, 14, 0, 0, 0, mustLoc("Asia/Jakarta")))
	do(t, q, queue.Issue{Service: "A"})
	do(t, q, queue.Issue{Service: "A"})
	do(t, q, queue.Issue{Service: "B"})
	do(t, q, queue.Call{Counter: "1"}) // A-001 at the counter
	if err := q.CloseDay(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ := q.State(ctx); len(st.Waiting) != 2 {
		t.Fatalf("same day: %d waiting, want 2", len(st.Waiting))
	}
	clk.Advance(10 * time.Hour) // 00:00 the next day
	if err := q.CloseDay(ctx); err != nil {
		t.Fatal(err)
	}
	st, _ := q.State(ctx)
	if len(st.Waiting) != 0 || st.Counters[0].Current == nil || st.Counters[0].Current.Number != "A-001" {
		t.Fatalf("after close: %d waiting, counter 1 %v", len(st.Waiting), st.Counters[0].Current)
	}
	old, _ := q.TicketByNumber(ctx, "B-001", "2026-11-02")
	if old.Stage != queue.StageExpired || old.ExpiredAt == nil {
		t.Fatalf("B-001 %+v", old)
	}
	var expired int
	for _, ev := range allEvents(t, q) {
		if ev.Type == queue.EventExpired {
			expired++
		}
	}
	if expired != 2 {
		t.Fatalf("%d expired events, want 2", expired)
	}
}

func TestFeedbackOncePerFinishedTicket(t *testing.T) {
	q, clk := queuetest.Open(t, "office", jakartaNoon)
	do(t, q, queue.Issue{Service: "A"})
	do(t, q, queue.Call{Counter: "1"})
	do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	tk := do(t, q, queue.Feedback{Counter: "1", Within: 2 * time.Minute, Score: 4})
	if tk.Number != "A-001" {
		t.Fatal(tk.Number)
	}
	_, err := q.Do(ctx, queue.Feedback{Number: "A-001", Score: 3})
	wantKind(t, err, queue.KindConflict)
	do(t, q, queue.Issue{Service: "A"})
	do(t, q, queue.Call{Counter: "1"})
	do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	clk.Advance(3 * time.Minute)
	_, err = q.Do(ctx, queue.Feedback{Counter: "1", Within: 2 * time.Minute, Score: 2})
	wantKind(t, err, queue.KindConflict) // too late for the counter's buttons
	do(t, q, queue.Feedback{Number: "A-002", Score: 2})
}
