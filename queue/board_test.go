package queue_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// boardOffice has three services served by overlapping counters, so that calls, priority
// tickets and transfers move tickets between lists a board keeps apart.
const boardOffice = `
[office]
id = "mpp-papan"
name = "MPP Uji Papan"
admin_token = "admin-papan-uji-123456"

[[service]]
code = "A"
name = "Perizinan"
wait_standard = "15m"
service_standard = "10m"

[[service]]
code = "B"
name = "Kependudukan"
wait_standard = "30m"
service_standard = "20m"

[[service]]
code = "C"
name = "Pajak Daerah"
wait_standard = "20m"
service_standard = "5m"

[[counter]]
id = "1"
name = "Loket 1"
services = ["A", "B"]
token = "token-loket-1-uji-papan"

[[counter]]
id = "2"
name = "Loket 2"
services = ["B", "C"]
token = "token-loket-2-uji-papan"

[[counter]]
id = "3"
name = "Loket 3"
services = ["C"]
token = "token-loket-3-uji-papan"
`

// TestBoardFollowsEventsLikeAFreshLoad is the board's one rule: a board moved forward
// event by event shows exactly what a board loaded fresh from the store shows (and so
// what GET /api/state answers), whatever the history.
func TestBoardFollowsEventsLikeAFreshLoad(t *testing.T) {
	ctx := context.Background()
	q, clk := queuetest.OpenConfig(t, queuetest.Config(t, boardOffice), time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC))
	events := make(chan queue.Event, 10000)
	q.Subscribe(func(ev queue.Event) { events <- ev })

	// Some history before the board is loaded, so it starts from the store.
	for _, c := range []queue.Command{queue.Issue{Service: "A"}, queue.Issue{Service: "B", Priority: true},
		queue.Call{Counter: "1"}, queue.Issue{Service: "C"}} {
		if _, err := q.Do(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	b, err := q.LoadBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if b.Seq() != 4 {
		t.Fatalf("board loaded at seq %d, want 4", b.Seq())
	}

	rng := rand.New(rand.NewPCG(16, 10))
	counters := []string{"1", "2", "3"}
	services := []string{"A", "B", "C"}
	applied, skipped, reloads := 0, 0, 0
	seen := map[string]int{}
	var noShows []string // today's no-shows so far: the ones a counter may put back
	for step := range 800 {
		clk.Advance(time.Duration(rng.IntN(240)) * time.Second)
		k := counters[rng.IntN(len(counters))]
		var cmd queue.Command
		switch n := rng.IntN(28); {
		case n < 6:
			cmd = queue.Issue{Service: services[rng.IntN(3)], Priority: rng.IntN(5) == 0}
		case n < 9:
			cmd = queue.Call{Counter: k}
		case n < 10:
			cmd = queue.Recall{Counter: k}
		case n < 12:
			cmd = queue.Start{Counter: k}
		case n < 15:
			cmd = queue.Finish{Counter: k, Outcome: []queue.Outcome{queue.OutcomeDone, queue.OutcomeIncomplete}[rng.IntN(2)]}
		case n < 16:
			cmd = queue.NoShow{Counter: k}
		case n < 18:
			cmd = queue.Transfer{Counter: k, Service: services[rng.IntN(3)], Note: "rujukan", Unit: "Unit lain"}
		case n < 19:
			cmd = queue.SetRunningText{Text: "langkah " + string(rune('a'+step%26))}
		case n < 20:
			cmd = queue.ReviseStandard{Service: services[rng.IntN(3)], Wait: time.Duration(10+rng.IntN(20)) * time.Minute,
				ServiceTime: time.Duration(3+rng.IntN(20)) * time.Minute, Reason: "uji papan"}
		// The officers' commands (issue 11): a counter's status, its officer, a no-show
		// back in the queue, a call by number.
		case n < 21:
			cmd = queue.Pause{Counter: k, Reason: queue.PauseReasons[rng.IntN(len(queue.PauseReasons))]}
		case n < 23:
			cmd = queue.Resume{Counter: k}
		case n < 24:
			cmd = queue.Close{Counter: k}
		case n < 25:
			cmd = queue.SignIn{Counter: k, Name: "Petugas " + k + string(rune('a'+rng.IntN(3)))}
		case n < 26:
			number := queue.FormatNumber(services[rng.IntN(3)], 1+rng.IntN(25))
			if len(noShows) > 0 && rng.IntN(4) > 0 {
				number = noShows[rng.IntN(len(noShows))]
			}
			cmd = queue.Requeue{Counter: k, Number: number}
		case n < 27:
			cmd = queue.Call{Counter: k, Number: queue.FormatNumber(services[rng.IntN(3)], 1+rng.IntN(25))}
		default:
			cmd = queue.SignOut{Counter: k}
		}
		q.Do(ctx, cmd) // refusals are part of the history too: they leave no event
		if step == 400 {
			// The next day: the day close expires yesterday's waiting tickets; a board
			// knows it is stale and is loaded again.
			clk.Advance(24 * time.Hour)
			if !b.Stale(ctx) {
				t.Fatal("a board of yesterday does not say it is stale")
			}
			if err := q.CloseDay(ctx); err != nil {
				t.Fatal(err)
			}
			if b, err = q.LoadBoard(ctx); err != nil {
				t.Fatal(err)
			}
		}
	drain:
		for {
			select {
			case ev := <-events:
				seen[ev.Type]++
				if ev.Type == queue.EventNoShow {
					noShows = append(noShows, ev.Ticket.Number)
				}
				if _, fresh := b.Apply(ctx, ev); fresh {
					applied++
				} else {
					skipped++
				}
			default:
				break drain
			}
		}
		if b.Stale(ctx) {
			// What the hub does: time alone (midnight here) changed the picture.
			if b, err = q.LoadBoard(ctx); err != nil {
				t.Fatal(err)
			}
			reloads++
		}
		fresh, err := q.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := jsonOf(t, b.State()), jsonOf(t, fresh); got != want {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			from := max(0, i-300)
			t.Fatalf("after step %d (%T), the board moved by events differs from a fresh load at byte %d:\nboard: …%s…\nfresh: …%s…",
				step, cmd, i, got[from:min(len(got), i+200)], want[from:min(len(want), i+200)])
		}
		loaded, err := q.LoadBoard(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := jsonOf(t, b.Counters())+jsonOf(t, b.NoShows(services, 1000)), jsonOf(t, loaded.Counters())+jsonOf(t, loaded.NoShows(services, 1000)); got != want {
			t.Fatalf("after step %d (%T), the board's counters or no-shows differ from a fresh load:\nboard: %s\nfresh: %s", step, cmd, got, want)
		}
		if b.RunningText() != mustRunningText(t, q) {
			t.Fatalf("after step %d: running text %q on the board", step, b.RunningText())
		}
	}
	t.Logf("%d events applied, %d skipped as already loaded, %d reloads", applied, skipped, reloads)
	if applied < 300 || skipped < 4 || reloads < 1 {
		t.Fatalf("applied %d events and skipped %d already loaded: the history proves little", applied, skipped)
	}
	for _, typ := range []string{queue.EventCounterStatus, queue.EventOfficerSignedIn, queue.EventOfficerSignedOut, queue.EventRequeued} {
		if seen[typ] == 0 {
			t.Errorf("the history has no %s event: the board's handling of it is untried (%v)", typ, seen)
		}
	}
	st := b.State()
	if len(st.Called) == 0 || len(st.Waiting) == 0 {
		t.Fatalf("the history ended with nothing called or nothing waiting: %s", jsonOf(t, st))
	}
}

func TestBoardTicketPlaceAndLatestCallsBySequence(t *testing.T) {
	ctx := context.Background()
	q, clk := queuetest.OpenConfig(t, queuetest.Config(t, boardOffice), time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC))
	do := func(c queue.Command) *queue.Ticket {
		t.Helper()
		tk, err := q.Do(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	for range 3 {
		do(queue.Issue{Service: "A"}) // A-001..A-003
	}
	prio := do(queue.Issue{Service: "A", Priority: true}) // A-004, called first
	b, err := q.LoadBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tk, ok := b.Ticket("", "a-003")
	if !ok || *tk.PeopleAhead != 3 || *tk.EstimatedWaitS != 3*600 {
		t.Fatalf("A-003 on the board: %+v (ahead %v)", tk, tk.PeopleAhead)
	}
	if tk, _ := b.Ticket("", prio.Number); *tk.PeopleAhead != 0 {
		t.Fatalf("the priority ticket has %d ahead, want 0", *tk.PeopleAhead)
	}
	if _, ok := b.Ticket("", "A-099"); ok {
		t.Fatal("a ticket never issued is on the board")
	}

	// Calls ordered by their event, not by the wall clock: the clock steps back an hour
	// between two calls (NTP), and the later call is still the newest, on a board moved
	// by the events and on one loaded fresh.
	events := make(chan queue.Event, 100)
	q.Subscribe(func(ev queue.Event) { events <- ev })
	do(queue.Call{Counter: "1"}) // A-004, priority first
	do(queue.Issue{Service: "C"})
	clk.Step(-time.Hour)
	do(queue.Call{Counter: "3"}) // C-001, an hour "earlier" by the wall clock
	for len(events) > 0 {
		b.Apply(ctx, <-events)
	}
	fresh, err := q.LoadBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, board := range []*queue.Board{b, fresh} {
		var got []string
		for _, c := range board.Called() {
			got = append(got, c.Number)
		}
		if len(got) != 2 || got[0] != "C-001" || got[1] != "A-004" {
			t.Errorf("latest calls %v, want [C-001 A-004]", got)
		}
	}
	if tk, _ := b.Ticket("", "A-003"); *tk.PeopleAhead != 2 {
		t.Errorf("after the priority ticket was called, A-003 has %d ahead, want 2", *tk.PeopleAhead)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustRunningText(t *testing.T, q *queue.Queue) string {
	t.Helper()
	text, err := q.RunningText(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return text
}
