package queue

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"
)

var jakartaNoon = time.Date(2026, 11, 2, 10, 0, 0, 0, mustLoc("Asia/Jakarta"))

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// storedEvents reads the event types from SQLite, in seq order.
func storedEvents(t *testing.T, q *Queue) []Event {
	t.Helper()
	evs, err := q.Store().EventsAfter(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func TestTicketLifecycle(t *testing.T) {
	q, clk, _ := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
	var published []Event
	q.Subscribe(func(ev Event) { published = append(published, ev) })

	tk := do(t, q, Issue{Service: "A"})
	if tk.Number != "A-001" || tk.Stage != StageIssued || tk.Day != "2026-11-02" || *tk.PeopleAhead != 0 {
		t.Fatalf("issued %+v", tk)
	}
	clk.Advance(3 * time.Minute)
	tk = do(t, q, Call{Counter: "1"})
	if tk.Stage != StageCalled || tk.Counter != "1" || tk.Calls != 1 || !tk.CalledAt.Equal(jakartaNoon.Add(3*time.Minute)) {
		t.Fatalf("called %+v", tk)
	}
	clk.Advance(time.Minute)
	tk = do(t, q, Recall{Counter: "1"})
	if tk.Calls != 2 || !tk.LastCalledAt.Equal(jakartaNoon.Add(4*time.Minute)) || !tk.CalledAt.Equal(jakartaNoon.Add(3*time.Minute)) {
		t.Fatalf("recalled %+v", tk)
	}
	clk.Advance(30 * time.Second)
	tk = do(t, q, Start{Counter: "1"})
	if tk.Stage != StageStarted {
		t.Fatalf("started %+v", tk)
	}
	clk.Advance(7 * time.Minute)
	tk = do(t, q, Finish{Counter: "1", Outcome: OutcomeIncomplete})
	if tk.Stage != StageFinished || tk.Outcome != OutcomeIncomplete || !tk.FinishedAt.Equal(jakartaNoon.Add(11*time.Minute+30*time.Second)) {
		t.Fatalf("finished %+v", tk)
	}

	want := []string{EventIssued, EventCalled, EventRecalled, EventStarted, EventFinished}
	stored := storedEvents(t, q)
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
func counterState(t *testing.T, q *Queue, state string) {
	t.Helper()
	do(t, q, Issue{Service: "A"})
	do(t, q, Issue{Service: "A"})
	switch state {
	case "free":
	case "called":
		do(t, q, Call{Counter: "1"})
	case "started":
		do(t, q, Call{Counter: "1"})
		do(t, q, Start{Counter: "1"})
	default:
		t.Fatal(state)
	}
}

func TestTransitions(t *testing.T) {
	cases := []struct {
		state string
		cmd   Command
		kind  ErrorKind // "" = allowed
		stage Stage     // the acted-on ticket's stage when allowed
	}{
		{"free", Call{Counter: "1"}, "", StageCalled},
		{"called", Call{Counter: "1"}, KindConflict, ""},
		{"started", Call{Counter: "1"}, KindConflict, ""},
		{"free", Recall{Counter: "1"}, KindConflict, ""},
		{"called", Recall{Counter: "1"}, "", StageCalled},
		{"started", Recall{Counter: "1"}, KindConflict, ""},
		{"free", Start{Counter: "1"}, KindConflict, ""},
		{"called", Start{Counter: "1"}, "", StageStarted},
		{"started", Start{Counter: "1"}, KindConflict, ""},
		{"free", Finish{Counter: "1", Outcome: OutcomeDone}, KindConflict, ""},
		{"called", Finish{Counter: "1", Outcome: OutcomeDone}, "", StageFinished},
		{"started", Finish{Counter: "1", Outcome: OutcomeDone}, "", StageFinished},
		{"started", Finish{Counter: "1", Outcome: "lain"}, KindInvalid, ""},
		{"free", NoShow{Counter: "1"}, KindConflict, ""},
		{"called", NoShow{Counter: "1"}, "", StageNoShow},
		{"started", NoShow{Counter: "1"}, KindConflict, ""},
		{"free", Transfer{Counter: "1", Service: "B"}, KindConflict, ""},
		{"called", Transfer{Counter: "1", Service: "B"}, "", StageTransferred},
		{"started", Transfer{Counter: "1", Service: "B"}, "", StageTransferred},
		{"started", Transfer{Counter: "1", Service: "A"}, KindInvalid, ""},
		{"started", Transfer{Counter: "1", Service: "Z"}, KindInvalid, ""},
		{"free", Call{Counter: "9"}, KindNotFound, ""},
		{"called", Finish{Counter: "9", Outcome: OutcomeDone}, KindNotFound, ""},
		{"free", Issue{Service: "Z"}, KindInvalid, ""},
		{"free", Feedback{Number: "A-001", Score: 4}, KindConflict, ""},
		{"free", Feedback{Number: "A-001", Score: 5}, KindInvalid, ""},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%T%v", c.state, c.cmd, c.cmd), func(t *testing.T) {
			q, _, _ := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
			counterState(t, q, c.state)
			before := len(storedEvents(t, q))
			tk, err := q.Do(ctx, c.cmd)
			after := len(storedEvents(t, q))
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
	q, _, _ := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
	_, err := q.Do(ctx, Call{Counter: "2"})
	wantKind(t, err, KindNotFound)
	// Counter 2 serves only B: a waiting A ticket is not for it.
	do(t, q, Issue{Service: "A"})
	_, err = q.Do(ctx, Call{Counter: "2"})
	wantKind(t, err, KindNotFound)
}

func TestFinishWithoutStartCountsLastCallAsStart(t *testing.T) {
	q, clk, _ := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
	do(t, q, Issue{Service: "A"})
	do(t, q, Call{Counter: "1"})
	clk.Advance(2 * time.Minute)
	do(t, q, Recall{Counter: "1"})
	clk.Advance(4 * time.Minute)
	tk := do(t, q, Finish{Counter: "1", Outcome: OutcomeDone})
	if !tk.StartedAt.Equal(*tk.LastCalledAt) {
		t.Fatalf("start %v, last call %v", tk.StartedAt, tk.LastCalledAt)
	}
}

func TestNumberingRestartsEachLocalDay(t *testing.T) {
	for _, tz := range []string{"Asia/Jakarta", "Asia/Jayapura"} {
		t.Run(tz, func(t *testing.T) {
			loc := mustLoc(tz)
			q, clk, _ := newTestQueue(t, tz, time.Date(2026, 11, 2, 23, 58, 0, 0, loc))
			a1 := do(t, q, Issue{Service: "A"})
			a2 := do(t, q, Issue{Service: "A"})
			b1 := do(t, q, Issue{Service: "B"})
			clk.Advance(119 * time.Second) // 23:59:59 local
			a3 := do(t, q, Issue{Service: "A"})
			clk.Advance(time.Second) // local midnight
			n1 := do(t, q, Issue{Service: "A"})
			nb := do(t, q, Issue{Service: "B"})
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
		if got := FormatNumber("A", n); got != want {
			t.Errorf("FormatNumber(A, %d) = %s, want %s", n, got, want)
		}
	}
}

func TestPriorityCalledFirstWithinCounter(t *testing.T) {
	q, _, _ := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
	do(t, q, Issue{Service: "A"})
	do(t, q, Issue{Service: "B"})                 // B-001
	do(t, q, Issue{Service: "A", Priority: true}) // A-002 priority
	do(t, q, Issue{Service: "B", Priority: true}) // B-002 priority
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
		tk := do(t, q, Call{Counter: "1"})
		called = append(called, tk.Number)
		do(t, q, Finish{Counter: "1", Outcome: OutcomeDone})
	}
	// Counter 1 serves A and B: priority tickets of both before normal ones, each in issue order.
	if want := []string{"A-002", "B-002", "A-001", "B-001"}; !reflect.DeepEqual(called, want) {
		t.Fatalf("call order %v, want %v", called, want)
	}
}

func TestTransferStartsNewSegment(t *testing.T) {
	q, clk, path := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
	do(t, q, Issue{Service: "B"}) // B-001 waits before the transfer arrives
	do(t, q, Issue{Service: "A"})
	clk.Advance(time.Minute)
	// Counter 1 serves A and B; B-001 came first, so it is called first: finish it.
	do(t, q, Call{Counter: "1"})
	do(t, q, Finish{Counter: "1", Outcome: OutcomeDone})
	do(t, q, Call{Counter: "1"})
	clk.Advance(2 * time.Minute)
	tk := do(t, q, Transfer{Counter: "1", Service: "B", Note: "perlu verifikasi KK", Unit: "Disdukcapil"})
	if tk.Number != "A-001" || tk.Service != "B" || tk.Stage != StageTransferred || tk.Segment != 2 ||
		tk.TransferredFrom != "A" || tk.Referral != "perlu verifikasi KK" || tk.Counter != "" ||
		tk.WaitStandardS != 1800 || !tk.QueuedAt.Equal(jakartaNoon.Add(3*time.Minute)) {
		t.Fatalf("transferred %+v", tk)
	}
	do(t, q, Issue{Service: "B"}) // B-002 queues after the transfer
	clk.Advance(time.Minute)
	next := do(t, q, Call{Counter: "2"})
	if next.Number != "A-001" || next.Segment != 2 {
		t.Fatalf("counter 2 called %s segment %d, want the transferred A-001", next.Number, next.Segment)
	}
	do(t, q, Finish{Counter: "2", Outcome: OutcomeDone})

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
	var data TransferData
	for _, ev := range storedEvents(t, q) {
		if ev.Type == EventTransferred {
			json.Unmarshal(ev.Data, &data)
		}
	}
	if data != (TransferData{From: "A", To: "B", Note: "perlu verifikasi KK", Unit: "Disdukcapil"}) {
		t.Fatalf("transfer event data %+v", data)
	}
}

func TestQuotaAndOpeningHours(t *testing.T) {
	q, clk, _ := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
	for range 3 {
		do(t, q, Issue{Service: "B"})
	}
	_, err := q.Do(ctx, Issue{Service: "B"})
	wantKind(t, err, KindQuota)
	clk.Advance(24 * time.Hour)
	do(t, q, Issue{Service: "B"}) // a new day, a new quota

	q.cfg.Office.OpenAt, q.cfg.Office.CloseAt = 8*time.Hour, 15*time.Hour
	q.cfg.Office.Open, q.cfg.Office.Close = "08:00", "15:00"
	clk.Advance(5 * time.Hour) // 15:00 local
	_, err = q.Do(ctx, Issue{Service: "A"})
	wantKind(t, err, KindClosed)
}

func TestServiceTimeSurvivesClockStep(t *testing.T) {
	q, clk, path := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
	do(t, q, Issue{Service: "A"})
	clk.Advance(4 * time.Minute)
	do(t, q, Call{Counter: "1"})
	clk.Step(2 * time.Hour) // NTP syncs a Pi that booted without a real-time clock
	clk.Advance(6 * time.Minute)
	tk := do(t, q, Finish{Counter: "1", Outcome: OutcomeDone})
	// The wall clock says 2 h 6 min; the service took 6 minutes.
	if wall := tk.FinishedAt.Sub(*tk.StartedAt); wall != 2*time.Hour+6*time.Minute {
		t.Fatalf("wall difference %v", wall)
	}
	seg := readSegment(t, path, tk.ID, 1)
	if d := Elapsed(seg.Started, seg.Ended); d != 6*time.Minute {
		t.Fatalf("service time %v, want 6m", d)
	}
	if d := Elapsed(seg.Queued, seg.FirstCall); d != 4*time.Minute {
		t.Fatalf("wait %v, want 4m", d)
	}
	// The same from the stored events, as headquarters will see them.
	evs := storedEvents(t, q)
	if d := Elapsed(evs[1].Instant(), evs[2].Instant()); evs[2].Type != EventFinished || d != 6*time.Minute {
		t.Fatalf("from events: %s after %s: %v", evs[2].Type, evs[1].Type, d)
	}
}

func TestElapsedAcrossReboot(t *testing.T) {
	clk := NewFakeClock(jakartaNoon)
	a := clk.Now()
	clk.Advance(10 * time.Minute)
	clk.Reboot("boot-2") // the monotonic clock restarts; only the wall clock connects the two
	if d := Elapsed(a, clk.Now()); d != 10*time.Minute {
		t.Fatalf("across a reboot: %v", d)
	}
	b := clk.Now()
	clk.Step(-time.Hour)
	if d := Elapsed(b, clk.Now()); d != 0 {
		t.Fatalf("same boot, clock stepped back, no time passed: %v", d)
	}
}

func readSegment(t *testing.T, path string, id int64, idx int) *Segment {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := scanSegment(db.QueryRow(`SELECT `+segmentCols+` FROM segments WHERE ticket_id = ? AND idx = ?`, id, idx))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRestartRestoresQueue(t *testing.T) {
	q, clk, path := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
	for _, s := range []string{"A", "B", "A", "B"} {
		do(t, q, Issue{Service: s})
	}
	do(t, q, Issue{Service: "A", Priority: true})
	do(t, q, Call{Counter: "1"})
	do(t, q, Call{Counter: "2"})
	do(t, q, Start{Counter: "2"})
	before, err := q.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	q.Close()
	if err := q.Store().Close(); err != nil {
		t.Fatal(err)
	}

	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	q2 := New(q.cfg, st, clk)
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
	tk := do(t, q2, Issue{Service: "A"})
	evs, _ := st.EventsAfter(ctx, before.Seq, 10)
	if tk.Number != "A-004" || len(evs) != 1 || evs[0].Seq != before.Seq+1 {
		t.Fatalf("after restart: %s, events %v", tk.Number, evs)
	}
}

func TestConcurrentIssuesAreContiguous(t *testing.T) {
	q, _, _ := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
	const n = 200
	var wg sync.WaitGroup
	numbers := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk, err := q.Do(ctx, Issue{Service: "A"})
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
		if want := FormatNumber("A", i+1); num != want {
			t.Fatalf("numbers[%d] = %s, want %s (all: distinct and contiguous)", i, num, want)
		}
	}
	evs := storedEvents(t, q)
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
	q, clk, _ := newTestQueue(t, "Asia/Jakarta", time.Date(2026, 11, 2, 14, 0, 0, 0, mustLoc("Asia/Jakarta")))
	do(t, q, Issue{Service: "A"})
	do(t, q, Issue{Service: "A"})
	do(t, q, Issue{Service: "B"})
	do(t, q, Call{Counter: "1"}) // A-001 at the counter
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
	if old.Stage != StageExpired || old.ExpiredAt == nil {
		t.Fatalf("B-001 %+v", old)
	}
	var expired int
	for _, ev := range storedEvents(t, q) {
		if ev.Type == EventExpired {
			expired++
		}
	}
	if expired != 2 {
		t.Fatalf("%d expired events, want 2", expired)
	}
}

func TestFeedbackOncePerFinishedTicket(t *testing.T) {
	q, clk, _ := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
	do(t, q, Issue{Service: "A"})
	do(t, q, Call{Counter: "1"})
	do(t, q, Finish{Counter: "1", Outcome: OutcomeDone})
	tk := do(t, q, Feedback{Counter: "1", Within: 2 * time.Minute, Score: 4})
	if tk.Number != "A-001" {
		t.Fatal(tk.Number)
	}
	_, err := q.Do(ctx, Feedback{Number: "A-001", Score: 3})
	wantKind(t, err, KindConflict)
	do(t, q, Issue{Service: "A"})
	do(t, q, Call{Counter: "1"})
	do(t, q, Finish{Counter: "1", Outcome: OutcomeDone})
	clk.Advance(3 * time.Minute)
	_, err = q.Do(ctx, Feedback{Counter: "1", Within: 2 * time.Minute, Score: 2})
	wantKind(t, err, KindConflict) // too late for the counter's buttons
	do(t, q, Feedback{Number: "A-002", Score: 2})
}
