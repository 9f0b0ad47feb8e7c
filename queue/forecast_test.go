package queue_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// hours gives the test office opening hours.
func hours(open, close string) func(*queue.Config) {
	return func(c *queue.Config) { c.Office.Open, c.Office.Close = open, close }
}

func forecastOf(t *testing.T, q *queue.Queue, code string) *queue.Forecast {
	t.Helper()
	st, err := q.State(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st.Services {
		if s.Code == code {
			return s.Forecast
		}
	}
	t.Fatalf("no service %s in the state", code)
	return nil
}

func mustDo(t *testing.T, q *queue.Queue, cmds ...queue.Command) *queue.Ticket {
	t.Helper()
	var tk *queue.Ticket
	for _, c := range cmds {
		var err error
		if tk, err = q.Do(context.Background(), c); err != nil {
			t.Fatalf("%T%+v: %v", c, c, err)
		}
	}
	return tk
}

func TestForecastIsNullWithoutClosingTime(t *testing.T) {
	q, _ := queuetest.Open(t, "office", time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	mustDo(t, q, queue.Issue{Service: "A"})
	if f := forecastOf(t, q, "A"); f != nil {
		t.Fatalf("an office always open has a forecast: %+v", f)
	}
	st, _ := q.State(context.Background())
	if b, _ := json.Marshal(st.Services[0]); !json.Valid(b) || !containsJSON(b, `"forecast":null`) {
		t.Fatalf("/api/state service without \"forecast\":null: %s", b)
	}
}

func containsJSON(b []byte, s string) bool { return strings.Contains(string(b), s) }

// TestForecastOfABacklogAtOneCounter: one counter, a known counter time, an hour left:
// the forecast calls about as many as the hour holds and says how many counters would
// call the rest.
func TestForecastOfABacklogAtOneCounter(t *testing.T) {
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	cfg := queuetest.Office(t, "office", hours("08:00", "15:00"))
	q, clk := queuetest.OpenConfig(t, cfg, time.Date(2026, 11, 2, 8, 0, 0, 0, jkt))
	// Service A at counter 1 (which also serves B, empty): ten citizens served in
	// exactly 6 minutes each teach the forecast the counter time.
	for range 10 {
		mustDo(t, q, queue.Issue{Service: "A"}, queue.Call{Counter: "1"})
		clk.Advance(6 * time.Minute)
		mustDo(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	}
	// 14:00: one hour left, 30 waiting: about ten can be called.
	clk.Advance(time.Date(2026, 11, 2, 14, 0, 0, 0, jkt).Sub(clk.Now().Wall))
	for range 30 {
		mustDo(t, q, queue.Issue{Service: "A"})
	}
	f := forecastOf(t, q, "A")
	t.Logf("forecast: %+v", *f)
	if f.ServableByClose < 9 || f.ServableByClose > 11 || f.AtRisk != 30-f.ServableByClose {
		t.Fatalf("30 waiting, an hour left at 6 min a call: servable %d, at risk %d; want about 10 and the rest", f.ServableByClose, f.AtRisk)
	}
	if f.NextServable {
		t.Fatal("a ticket taken now behind 30 is said to be served before closing")
	}
	// The rest (about 20 more calls in the hour, and whoever arrives) needs two or three
	// more counters.
	if f.ExtraCountersNeeded < 2 || f.ExtraCountersNeeded > 4 {
		t.Fatalf("extra counters %d, want 2 to 4", f.ExtraCountersNeeded)
	}
	if f.CountersOpen != 1 || f.PerCallS != 360 {
		t.Fatalf("counters open %d, per call %d s; want 1 and 360", f.CountersOpen, f.PerCallS)
	}
	if f.Close.Format("15:04") != "15:00" {
		t.Fatalf("close %s", f.Close)
	}
	// Service B shares counter 1 with A: its forecast knows the counter is busy with A's
	// queue before any B ticket it gets.
	mustDo(t, q, queue.Issue{Service: "B"})
	if b := forecastOf(t, q, "B"); b == nil || b.ServableByClose != 1 {
		t.Fatalf("B's one ticket (counter 2 is B's own, idle) not servable: %+v", b)
	}
}

// TestForecastFollowsEventsLikeAFreshLoad: the live board's forecast (moved by events) is
// the forecast of GET /api/state (a fresh load), whatever the history, within one
// quarter-minute of the clock.
func TestForecastFollowsEventsLikeAFreshLoad(t *testing.T) {
	ctx := context.Background()
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	cfg := queuetest.Config(t, boardOffice+"\n")
	cfg = queuetestEdit(t, cfg)
	q, clk := queuetest.OpenConfig(t, cfg, time.Date(2026, 11, 2, 8, 0, 0, 0, jkt))
	events := make(chan queue.Event, 10000)
	q.Subscribe(func(ev queue.Event) { events <- ev })
	b, err := q.LoadBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(15, 2))
	counters := []string{"1", "2", "3"}
	services := []string{"A", "B", "C"}
	compared := 0
	for step := range 300 {
		clk.Advance(time.Duration(rng.IntN(90)) * time.Second)
		k := counters[rng.IntN(len(counters))]
		var cmd queue.Command
		switch n := rng.IntN(22); {
		case n < 8:
			cmd = queue.Issue{Service: services[rng.IntN(3)], Priority: rng.IntN(6) == 0}
		case n < 11:
			cmd = queue.Call{Counter: k}
		case n < 13:
			cmd = queue.Start{Counter: k}
		case n < 17:
			cmd = queue.Finish{Counter: k, Outcome: queue.OutcomeDone}
		case n < 18:
			cmd = queue.NoShow{Counter: k}
		case n < 20:
			cmd = queue.Transfer{Counter: k, Service: services[rng.IntN(3)], Note: "rujukan"}
		case n < 21:
			cmd = queue.Pause{Counter: k, Reason: "istirahat"}
		default:
			cmd = queue.Resume{Counter: k}
		}
		q.Do(ctx, cmd)
	drain:
		for {
			select {
			case ev := <-events:
				b.Apply(ctx, ev)
			default:
				break drain
			}
		}
		if b.Stale(ctx) {
			if b, err = q.LoadBoard(ctx); err != nil {
				t.Fatal(err)
			}
		}
		fresh, err := q.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range b.Services() {
			got, want := jsonOf(t, s.Forecast), jsonOf(t, fresh.Services[i].Forecast)
			if got != want {
				t.Fatalf("step %d (%T%+v) at %s: service %s forecast on the board %s, fresh %s", step, cmd, cmd,
					clk.Now().Wall.In(jkt).Format("15:04:05"), s.Code, got, want)
			}
			if s.Forecast != nil {
				compared++
			}
		}
	}
	if compared < 600 {
		t.Fatalf("only %d forecasts compared", compared)
	}
}

// queuetestEdit gives the board office opening hours.
func queuetestEdit(t *testing.T, cfg *queue.Config) *queue.Config {
	t.Helper()
	cfg.Office.Open, cfg.Office.Close = "08:00", "15:00"
	cfg.Office.OpenAt, cfg.Office.CloseAt = 8*time.Hour, 15*time.Hour
	cfg.Location, _ = time.LoadLocation("Asia/Jakarta")
	return cfg
}

// TestIssueStopsWhenUnservable: a service with stop_when_unservable refuses a ticket the
// forecast says will not be called before closing — 409 "capacity" at the API — with
// what to do instead; a priority ticket, called first, is still given; a service without
// the setting only warns (its forecast says so) and still issues.
func TestIssueStopsWhenUnservable(t *testing.T) {
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	cfg := queuetest.Office(t, "office", hours("08:00", "15:00"), func(c *queue.Config) {
		c.Services[0].StopWhenUnservable = true
		c.Services[0].OtherChannel = "laman izin.contoh.go.id"
	})
	q, clk := queuetest.OpenConfig(t, cfg, time.Date(2026, 11, 2, 8, 0, 0, 0, jkt))
	for range 6 {
		mustDo(t, q, queue.Issue{Service: "A"}, queue.Call{Counter: "1"})
		clk.Advance(6 * time.Minute)
		mustDo(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	}
	clk.Advance(time.Date(2026, 11, 2, 14, 30, 0, 0, jkt).Sub(clk.Now().Wall))
	// Half an hour left at 6 minutes a call: five can be called; the sixth is refused.
	for i := range 5 {
		if _, err := q.Do(context.Background(), queue.Issue{Service: "A"}); err != nil {
			t.Fatalf("ticket %d of 5 that can be served: %v", i+1, err)
		}
	}
	_, err := q.Do(context.Background(), queue.Issue{Service: "A"})
	if queue.KindOf(err) != queue.KindCapacity || queue.ReasonOf(err) != queue.ReasonCapacity {
		t.Fatalf("the sixth ticket in half an hour: %v, want a capacity refusal", err)
	}
	for _, want := range []string{"15.00", "datang kembali besok mulai pukul 08.00", "laman izin.contoh.go.id"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q does not say %q", err, want)
		}
	}
	if f := forecastOf(t, q, "A"); f.NextServable || !f.Surge() && f.ServableByClose != 5 {
		t.Fatalf("forecast after the refusal: %+v", f)
	}
	// A priority citizen is called before the five: given.
	if _, err := q.Do(context.Background(), queue.Issue{Service: "A", Priority: true}); err != nil {
		t.Fatalf("priority ticket refused: %v", err)
	}
	// Service B shares counter 1 but has counter 2 too; without the setting it always issues.
	for range 20 {
		mustDo(t, q, queue.Issue{Service: "B"})
	}
	if f := forecastOf(t, q, "B"); f.NextServable || f.AtRisk == 0 {
		t.Fatalf("B with 20 waiting for half an hour has no warning: %+v", f)
	}
}

// TestForecastLeavesOutPausedCounters: a paused or closed counter calls nobody, so the
// forecast shares the queue over the open counters only; while every counter of a
// service with stop_when_unservable is paused (a break) the kiosk is not stopped, once
// they are closed it is.
func TestForecastLeavesOutPausedCounters(t *testing.T) {
	ctx := context.Background()
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	cfg := queuetest.Office(t, "office", hours("08:00", "15:00"), func(c *queue.Config) {
		c.Services[1].StopWhenUnservable = true
	})
	q, _ := queuetest.OpenConfig(t, cfg, time.Date(2026, 11, 2, 14, 0, 0, 0, jkt))
	for range 3 {
		mustDo(t, q, queue.Issue{Service: "B"})
	}
	if f := forecastOf(t, q, "B"); f.CountersOpen != 2 || f.AtRisk != 0 {
		t.Fatalf("B at two open counters: %+v", f)
	}
	mustDo(t, q, queue.Pause{Counter: "2", Reason: "rapat"})
	if f := forecastOf(t, q, "B"); f.CountersOpen != 1 {
		t.Fatalf("B with counter 2 paused: %+v, want one counter open", f)
	}
	mustDo(t, q, queue.Pause{Counter: "1", Reason: "ishoma"})
	f := forecastOf(t, q, "B")
	if f.CountersOpen != 0 || f.ServableByClose != 0 || f.AtRisk != 3 || f.NextServable {
		t.Fatalf("B with both counters paused: %+v, want nothing servable", f)
	}
	if _, err := q.Do(ctx, queue.Issue{Service: "B"}); err != nil {
		t.Fatalf("a ticket during the counters' break: %v, want it given (the kiosk only warns)", err)
	}
	mustDo(t, q, queue.Close{Counter: "1"}, queue.Close{Counter: "2"})
	if _, err := q.Do(ctx, queue.Issue{Service: "B"}); queue.ReasonOf(err) != queue.ReasonCapacity {
		t.Fatalf("a ticket with every counter of B closed: %v, want a capacity refusal", err)
	}
	mustDo(t, q, queue.Resume{Counter: "2"})
	if f := forecastOf(t, q, "B"); f.CountersOpen != 1 || f.ServableByClose == 0 {
		t.Fatalf("B with counter 2 open again: %+v", f)
	}
}

// TestForecastOfTheOpeningCrowd: the crowd that queued outside takes its numbers in the
// first minutes after opening — two of them priority. That burst is no rate for the rest
// of the day: with two counters and seven hours, all seventeen will be called.
func TestForecastOfTheOpeningCrowd(t *testing.T) {
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	cfg := queuetest.Office(t, "office", hours("08:00", "15:00"))
	q, clk := queuetest.OpenConfig(t, cfg, time.Date(2026, 11, 2, 8, 0, 0, 0, jkt))
	for i := range 17 {
		mustDo(t, q, queue.Issue{Service: "B", Priority: i == 5 || i == 11})
		clk.Advance(15 * time.Second)
	}
	clk.Advance(time.Minute)
	if f := forecastOf(t, q, "B"); f.ServableByClose != 17 || f.AtRisk != 0 || !f.NextServable {
		t.Fatalf("17 waiting at 08:05, two counters until 15:00: %+v, want all servable", f)
	}
}
