package queue_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

func TestBreachWatch(t *testing.T) {
	// A: wait standard 10m, service standard 5m.
	q, c := queuetest.Open(t, "reports", wib(2024, 3, 5, 9, 0, 0))
	ctx := context.Background()
	var mu sync.Mutex
	var notices []string
	q.Subscribe(func(ev queue.Event) {
		if ev.Seq != 0 {
			return
		}
		var b queue.Breach
		json.Unmarshal(ev.Data, &b)
		mu.Lock()
		notices = append(notices, ev.Type+" "+b.Kind+" "+b.Number)
		mu.Unlock()
	})
	check := q.NewBreachCheck()
	step := func(want ...string) {
		t.Helper()
		mu.Lock()
		notices = nil
		mu.Unlock()
		if err := check(ctx); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(notices) != len(want) {
			t.Fatalf("notices %q, want %q", notices, want)
		}
		for i := range want {
			if notices[i] != want[i] {
				t.Fatalf("notices %q, want %q", notices, want)
			}
		}
	}
	do(t, q, queue.Issue{Service: "A"})
	c.Advance(10 * time.Minute)
	step() // exactly at the standard: not yet a breach
	c.Step(time.Hour)
	step() // the wall clock jumping is no waiting
	c.Advance(time.Second)
	step("breach wait A-001")
	list, err := q.Breaches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Kind != queue.BreachWait || list[0].StandardS != 600 || list[0].ElapsedS != 601 {
		t.Fatalf("breaches = %+v, want A-001 waiting 601 s of 600", list)
	}
	c.Advance(time.Minute)
	step() // once per segment and kind
	do(t, q, queue.Call{Counter: "1"})
	step("breach_cleared wait A-001")
	c.Advance(5 * time.Minute) // no start button: the service runs from the call
	step()
	c.Advance(time.Second)
	step("breach service A-001")
	do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	step("breach_cleared service A-001")
	if list, _ := q.Breaches(ctx); len(list) != 0 {
		t.Errorf("breaches after finish = %+v, want none", list)
	}
	// Live notices are not history: the report ignores them.
	var n int
	q.Store().Reader().QueryRow(`SELECT count(*) FROM events WHERE type LIKE 'breach%'`).Scan(&n)
	if n != 0 {
		t.Errorf("%d breach events stored, want 0", n)
	}
}
