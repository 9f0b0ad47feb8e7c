package queue_test

import (
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// The office day on a Pi without a real-time clock (day.go; issue 10, item 7). Each test
// plays one story on the FakeClock: Advance is time passing, Step a jump of the wall
// clock alone (NTP, a stale restore), Reboot a new boot_id with the boot clock restarted,
// SetSynchronized whether a time server keeps the clock.

func numbers(tks ...*queue.Ticket) string {
	var out []string
	for _, tk := range tks {
		out = append(out, tk.Number+" "+tk.Day)
	}
	return strings.Join(out, ", ")
}

func closeDay(t *testing.T, q *queue.Queue) {
	t.Helper()
	if err := q.CloseDay(ctx); err != nil {
		t.Fatal(err)
	}
}

// listed is the numbers of the tickets the state lists as waiting, or as latest calls.
func listed(t *testing.T, q *queue.Queue, calls bool) string {
	t.Helper()
	st, err := q.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tks := st.Waiting
	if calls {
		tks = st.Called
	}
	var out []string
	for _, tk := range tks {
		out = append(out, tk.Number)
	}
	return strings.Join(out, " ")
}

func waitingNumbers(t *testing.T, q *queue.Queue) string { return listed(t, q, false) }

// monday14 is 14:00 on Monday 9 March in the office: "yesterday" in the stories below.
var monday14 = time.Date(2026, 3, 9, 14, 0, 0, 0, jakarta)

// staleMorning plays yesterday: n tickets at 14:00 on a synchronised clock, the Pi
// switched off at 15:00 with them waiting. Then it boots at 07:30 today with the time it
// was switched off and no time server, and antrid closes the day at start.
func staleMorning(t *testing.T, n int) (*queue.Queue, *queue.FakeClock) {
	t.Helper()
	q, clk := queuetest.Open(t, "office", monday14)
	for range n {
		do(t, q, queue.Issue{Service: "A"})
	}
	clk.Advance(time.Hour)
	clk.Reboot("boot-pagi") // 07:30 today, but the clock says yesterday 15:00
	clk.SetSynchronized(false)
	closeDay(t, q)
	return q, clk
}

// The attack row: the Pi boots at 07:30 with a stale clock (the time it was switched off
// yesterday), the kiosk issues, and at 08:10 NTP steps the clock 16 h 30 min forward.
// Nobody waiting expires, and no second A-001 is handed out that morning.
func TestStaleBootThenNTPStepNeitherExpiresNorRenumbers(t *testing.T) {
	q, clk := staleMorning(t, 2)
	if w := waitingNumbers(t, q); w != "A-001 A-002" {
		t.Fatalf("after a boot with a stale clock: waiting %q", w)
	}
	clk.Advance(15 * time.Minute)
	morning := numbers(do(t, q, queue.Issue{Service: "A"}), do(t, q, queue.Issue{Service: "A"}), do(t, q, queue.Issue{Service: "B"}))
	if morning != "A-003 2026-03-09, A-004 2026-03-09, B-001 2026-03-09" {
		t.Fatalf("before the clock is known the day is the last known good day: %s", morning)
	}

	clk.Advance(25 * time.Minute) // 08:10 real, 15:40 on the stale clock
	clk.Step(16*time.Hour + 30*time.Minute)
	clk.SetSynchronized(true)
	if got := clk.Now().Wall.Format("2006-01-02 15:04"); got != "2026-03-10 08:10" {
		t.Fatalf("story clock: %s", got)
	}
	closeDay(t, q)
	if w := waitingNumbers(t, q); w != "A-001 A-002 A-003 A-004 B-001" {
		t.Fatalf("after the step: waiting %q; nobody may expire", w)
	}
	after := numbers(do(t, q, queue.Issue{Service: "A"}), do(t, q, queue.Issue{Service: "B"}))
	if after != "A-005 2026-03-09, B-002 2026-03-09" {
		t.Fatalf("after the step the numbering must go on, not restart: %s", after)
	}
	if st := q.ClockStatus(ctx); !st.Known || st.OfficeDay != "2026-03-09" || !strings.Contains(st.Problem, "ditahan") {
		t.Fatalf("clock status while the day is held: %+v", st)
	}

	// The next midnight, on known time: the day changes, everything left expires.
	clk.Advance(16 * time.Hour) // 00:10 on 11 March
	closeDay(t, q)
	if w := waitingNumbers(t, q); w != "" {
		t.Fatalf("after the next midnight still waiting: %q", w)
	}
	if tk := do(t, q, queue.Issue{Service: "A"}); tk.Number != "A-001" || tk.Day != "2026-03-11" {
		t.Fatalf("the first ticket of the next day: %s %s", tk.Number, tk.Day)
	}
}

// The usual morning: the clock is synchronised before the first ticket, so the new day
// starts at once and yesterday's leftovers expire.
func TestSyncBeforeTheFirstTicketStartsTheNewDay(t *testing.T) {
	q, clk := staleMorning(t, 1)
	clk.Advance(time.Minute)
	clk.Step(16*time.Hour + 30*time.Minute) // 07:31 real, before any ticket
	clk.SetSynchronized(true)
	closeDay(t, q)
	if w := waitingNumbers(t, q); w != "" {
		t.Fatalf("yesterday's ticket still waiting: %q", w)
	}
	if tk := do(t, q, queue.Issue{Service: "A"}); numbers(tk) != "A-001 2026-03-10" {
		t.Fatalf("first ticket of the day: %s", numbers(tk))
	}
}

// Tickets issued before the clock was known, then a power blip, and the time server
// answers in the new boot before its first ticket: those tickets may be from this very
// morning (the new boot began after midnight), so the day is kept.
func TestPowerBlipAfterAnUnknownMorningKeepsTheDay(t *testing.T) {
	q, clk := staleMorning(t, 1)
	clk.Advance(20 * time.Minute)
	do(t, q, queue.Issue{Service: "A"}) // A-002, under the last known good day
	clk.Advance(40 * time.Minute)
	clk.Reboot("boot-kedip") // 08:30: the power blinks
	clk.Advance(time.Minute)
	clk.Step(16*time.Hour + 30*time.Minute) // 08:31 real
	clk.SetSynchronized(true)
	closeDay(t, q)
	if w := waitingNumbers(t, q); w != "A-001 A-002" {
		t.Fatalf("waiting after the blip: %q", w)
	}
	if tk := do(t, q, queue.Issue{Service: "A"}); numbers(tk) != "A-003 2026-03-09" {
		t.Fatalf("after the blip: %s", numbers(tk))
	}
}

// A Pi that never reaches a time server and nobody sets its clock: the day is the last
// known good day however long it runs, numbers go on, nothing expires.
func TestMidnightWhileTheClockWasNeverKnown(t *testing.T) {
	q, clk := queuetest.Open(t, "office", monday14)
	clk.SetSynchronized(false)
	if tk := do(t, q, queue.Issue{Service: "A"}); numbers(tk) != "A-001 2026-03-09" {
		t.Fatalf("a new database starts at the wall clock's date: %s", numbers(tk))
	}
	clk.Advance(12 * time.Hour) // 02:00 the next day on the wall clock too
	closeDay(t, q)
	if w := waitingNumbers(t, q); w != "A-001" {
		t.Fatalf("waiting after midnight with an unknown clock: %q", w)
	}
	if tk := do(t, q, queue.Issue{Service: "A"}); numbers(tk) != "A-002 2026-03-09" {
		t.Fatalf("after midnight with an unknown clock: %s", numbers(tk))
	}
	if st := q.ClockStatus(ctx); st.Known || !st.Settable || !strings.Contains(st.Problem, "belum pasti") {
		t.Fatalf("clock status: %+v", st)
	}
}

// Synchronised earlier in the boot, then the time server is lost and someone steps the
// wall clock back 3 h: midnight is still seen on the boot clock, carried from the last
// synchronised reading.
func TestMidnightAfterSyncIsLostFollowsTheBootClock(t *testing.T) {
	q, clk := queuetest.Open(t, "office", monday14)
	do(t, q, queue.Issue{Service: "A"}) // stores this boot's anchor while synchronised
	clk.SetSynchronized(false)
	clk.Step(-3 * time.Hour)
	clk.Advance(10 * time.Hour) // 00:00 real on 10 March, the wall clock says 21:00 on the 9th
	closeDay(t, q)
	if w := waitingNumbers(t, q); w != "" {
		t.Fatalf("yesterday's ticket still waiting after midnight: %q", w)
	}
	if tk := do(t, q, queue.Issue{Service: "A"}); numbers(tk) != "A-001 2026-03-10" {
		t.Fatalf("after midnight: %s", numbers(tk))
	}
	st := q.ClockStatus(ctx)
	if !st.Known || st.Source != queue.SourceNTP || st.KnownNow == nil || st.KnownNow.Format("15:04") != "00:00" || st.Settable {
		t.Fatalf("clock status: %+v", st)
	}
}

// The same, across a restart of antrid in the same boot: the anchor is in the database.
func TestKnownTimeSurvivesARestartOfAntrid(t *testing.T) {
	q, clk := queuetest.Open(t, "office", monday14)
	closeDay(t, q)
	q.Close()
	clk.SetSynchronized(false)
	clk.Step(-5 * time.Hour)
	clk.Advance(10*time.Hour + time.Minute)
	q2 := queue.New(q.Config(), q.Store(), clk)
	defer q2.Close()
	if d := q2.Today(); d != "2026-03-10" {
		t.Fatalf("after a restart in the same boot the day is %s, want 2026-03-10", d)
	}
}

// A step of a synchronised clock (a bad time server, a forged NTP answer) in the middle
// of the morning: the boot clock has not seen the day pass, so it neither expires the
// people waiting nor restarts the numbers.
func TestStepOfASynchronisedClockMidMorning(t *testing.T) {
	q, clk := queuetest.Open(t, "office", time.Date(2026, 3, 9, 9, 0, 0, 0, jakarta))
	do(t, q, queue.Issue{Service: "A"}, queue.Issue{Service: "A"})
	clk.Advance(time.Hour)
	clk.Step(14*time.Hour + 10*time.Minute) // the wall says 00:10 tomorrow
	closeDay(t, q)
	if w := waitingNumbers(t, q); w != "A-001 A-002" {
		t.Fatalf("waiting after the step: %q", w)
	}
	if tk := do(t, q, queue.Issue{Service: "A"}); numbers(tk) != "A-003 2026-03-09" {
		t.Fatalf("after the step: %s", numbers(tk))
	}
	// A-003 was issued after the wall clock's midnight: on the clock as it now runs,
	// that is today, so the day changes at the next midnight of that clock.
	clk.Advance(12 * time.Hour)
	closeDay(t, q)
	if w := waitingNumbers(t, q); w != "A-001 A-002 A-003" {
		t.Fatalf("at noon of the stepped clock: %q", w)
	}
	clk.Advance(12 * time.Hour)
	closeDay(t, q)
	if w := waitingNumbers(t, q); w != "" {
		t.Fatalf("a day after the step: %q", w)
	}
	if tk := do(t, q, queue.Issue{Service: "A"}); tk.Number != "A-001" {
		t.Fatalf("a day after the step: %s", numbers(tk))
	}
}

// The day never goes back: a reboot whose restored clock lies before the office day.
func TestTheDayNeverGoesBack(t *testing.T) {
	q, clk := queuetest.Open(t, "office", time.Date(2026, 3, 10, 9, 0, 0, 0, jakarta))
	do(t, q, queue.Issue{Service: "A"})
	clk.Reboot("boot-2")
	clk.SetSynchronized(false)
	clk.Step(-12 * time.Hour) // 21:00 the day before
	closeDay(t, q)
	if tk := do(t, q, queue.Issue{Service: "A"}); numbers(tk) != "A-002 2026-03-10" {
		t.Fatalf("with a clock behind the office day: %s", numbers(tk))
	}
}

// Opening hours are judged on the known time, and not at all while it is unknown: a
// stale clock must not shut the kiosk at 08:00.
func TestOpeningHoursFollowTheKnownTime(t *testing.T) {
	q, clk := queuetest.Open(t, "office", time.Date(2026, 3, 9, 20, 0, 0, 0, jakarta))
	q.Config().Office.OpenAt, q.Config().Office.CloseAt = 8*time.Hour, 15*time.Hour
	q.Config().Office.Open, q.Config().Office.Close = "08:00", "15:00"
	_, err := q.Do(ctx, queue.Issue{Service: "A"})
	wantKind(t, err, queue.KindClosed)
	clk.Reboot("boot-2")
	clk.SetSynchronized(false) // 20:00 on a clock nobody knows to be right
	do(t, q, queue.Issue{Service: "A"})
	if st, _ := q.State(ctx); !st.Open {
		t.Fatal("State says closed while tickets are taken")
	}
}

// An office without a time server: the admin sets the clock from the admin page. The
// stale day ends (nothing was issued under it today) and yesterday's leftovers expire.
func TestAdminSetsTheClock(t *testing.T) {
	q, clk := staleMorning(t, 1)
	actual := time.Date(2026, 3, 10, 7, 45, 0, 0, jakarta)

	if _, err := q.SetClock(ctx, time.Date(2026, 3, 1, 8, 0, 0, 0, jakarta)); queue.KindOf(err) != queue.KindInvalid ||
		!strings.Contains(err.Error(), "lebih awal") {
		t.Fatalf("a device whose clock is a week behind the last synchronised reading: %v", err)
	}
	st, err := q.SetClock(ctx, actual)
	if err != nil {
		t.Fatal(err)
	}
	if !clk.Now().Wall.Equal(actual) {
		t.Fatalf("clock after SetClock: %v", clk.Now().Wall)
	}
	if !st.Known || st.Source != queue.SourceAdmin || st.OfficeDay != "2026-03-10" || st.Problem != "" {
		t.Fatalf("clock status after the admin set it: %+v", st)
	}
	if w := waitingNumbers(t, q); w != "" {
		t.Fatalf("yesterday's ticket still waiting: %q", w)
	}
	if tk := do(t, q, queue.Issue{Service: "A"}); numbers(tk) != "A-001 2026-03-10" {
		t.Fatalf("first ticket after the clock was set: %s", numbers(tk))
	}

	clk.SetSynchronized(true)
	if _, err := q.SetClock(ctx, actual); queue.KindOf(err) != queue.KindConflict {
		t.Fatalf("setting a synchronised clock: %v", err)
	}
}

// The wall clock steps back an hour between two calls (NTP correcting a clock that ran
// ahead): the display still shows the later call as the latest (rule 5).
func TestBackwardStepDoesNotReorderTheLatestCall(t *testing.T) {
	q, clk := queuetest.Open(t, "office", jakartaNoon)
	do(t, q, queue.Issue{Service: "B"}, queue.Issue{Service: "B"}, queue.Issue{Service: "B"})
	do(t, q, queue.Call{Counter: "1"}) // B-001
	clk.Advance(time.Minute)
	clk.Step(-time.Hour)
	do(t, q, queue.Call{Counter: "2"}) // B-002, an hour "earlier" on the wall clock
	if got := listed(t, q, true); got != "B-002 B-001" {
		t.Fatalf("latest calls after a backward step: %q, want B-002 first", got)
	}
	clk.Step(-time.Hour)
	do(t, q, queue.Recall{Counter: "1"}) // B-001 again, later still
	if got := listed(t, q, true); got != "B-001 B-002" {
		t.Fatalf("latest calls after a recall: %q, want B-001 then B-002", got)
	}
}
