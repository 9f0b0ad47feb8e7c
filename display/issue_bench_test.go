package display

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// BenchmarkIssueToDisplays100 is the whole path a citizen's ticket takes to
// the waiting-room screens: POST /api/tickets (durable commit) → event →
// hub → 100 websocket displays. Latency is from sending the request to each
// display's receipt; p50/p99 over every display and ticket.
func BenchmarkIssueToDisplays100(b *testing.B) {
	const displays = 100
	ts, _, _, _ := serveOffice(b, queuetest.Office(b, "office"), time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	url := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws"
	type receipt struct {
		seq int64
		at  time.Time
	}
	got := make(chan receipt, displays*16)
	for range displays {
		c, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		if _, _, err := c.ReadMessage(); err != nil { // snapshot
			b.Fatal(err)
		}
		go func() {
			for {
				var ev queue.Event
				if err := c.ReadJSON(&ev); err != nil {
					return
				}
				got <- receipt{ev.Seq, time.Now()}
			}
		}()
	}
	lat := make([]time.Duration, 0, b.N*displays)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := ts.Client().Post(ts.URL+"/api/tickets", "application/json", strings.NewReader(`{"service":"A"}`))
		if err != nil || res.StatusCode != 201 {
			b.Fatalf("issue: %v %v", err, res.Status)
		}
		res.Body.Close()
		for range displays {
			r := <-got
			if r.seq != int64(i+1) {
				b.Fatalf("display got seq %d, want %d", r.seq, i+1)
			}
			lat = append(lat, r.at.Sub(start))
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
