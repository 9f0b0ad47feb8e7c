package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestCrashSIGKILLDuringIssue kills antrid with SIGKILL again and again while
// clients take tickets. Every ticket the API acknowledged must be in the
// database after restart, exactly once, and the numbers must have no
// duplicates and no gaps (a number is only used by a committed ticket).
func TestCrashSIGKILLDuringIssue(t *testing.T) {
	cfgPath, data := queuetest.ConfigFile(t, "office", longTokens), t.TempDir()
	// Every request has a deadline: a daemon that hangs fails the test, and a
	// killed one answers at once with an error.
	client := &http.Client{Timeout: queuetest.WaitLimit}

	acked := map[string]int{} // "day number" -> times acknowledged
	var mu sync.Mutex
	const rounds = 6
	for round := range rounds {
		d := antridtest.Start(t, antridtest.FreeAddr(t), "-config", cfgPath, "-data", data)
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var n int
		for c := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				svc := []string{"A", "B"}[c%2]
				for ctx.Err() == nil {
					res, err := client.Post(d.URL+"/api/tickets", "application/json", strings.NewReader(`{"service":"`+svc+`"}`))
					if err != nil {
						return // the daemon is gone
					}
					var tk queue.Ticket
					err = json.NewDecoder(res.Body).Decode(&tk)
					res.Body.Close()
					if res.StatusCode == http.StatusCreated && err == nil {
						mu.Lock()
						acked[tk.Day+" "+tk.Number]++
						n++
						mu.Unlock()
					}
				}
			}()
		}
		// Kill after a number of acknowledgements that differs per round, so
		// the kill lands at different points of a commit.
		target := 25 + round*17
		queuetest.Eventually(t, fmt.Sprintf("%d tickets acknowledged in round %d", target, round+1), func() bool {
			mu.Lock()
			defer mu.Unlock()
			return n >= target
		})
		d.Kill() // SIGKILL: no drain, no checkpoint
		stop()
		wg.Wait()
	}

	st, err := queue.OpenStore(filepath.Join(data, "antri.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.Reader().Query(`SELECT day, number FROM tickets ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int{}
	perService := map[string][]string{}
	for rows.Next() {
		var day, number string
		rows.Scan(&day, &number)
		stored[day+" "+number]++
		perService[day+" "+number[:1]] = append(perService[day+" "+number[:1]], number)
	}
	rows.Close()
	for k, times := range acked {
		if times != 1 {
			t.Errorf("%s acknowledged %d times", k, times)
		}
		if stored[k] != 1 {
			t.Errorf("acknowledged ticket %s stored %d times", k, stored[k])
		}
	}
	for key, nums := range perService {
		for i, num := range nums {
			if want := queue.FormatNumber(key[len(key)-1:], i+1); num != want {
				t.Fatalf("%s: ticket %d is %s, want %s (no gaps, no duplicates)", key, i, num, want)
			}
		}
	}
	var events int
	st.Reader().QueryRow(`SELECT count(*) FROM events WHERE type = 'issued'`).Scan(&events)
	if events != len(stored) {
		t.Fatalf("%d tickets but %d issued events", len(stored), events)
	}
	t.Logf("%d rounds, %d tickets acknowledged, %d stored", rounds, len(acked), len(stored))
}
