package display

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/antri-id/antri/queue"
)

// BenchmarkHubFanout100 measures one call event going out to 100 connected displays over
// loopback: the latency from Broadcast to each page's receipt (p50/p99 over every page and
// event), and the memory each connected display costs while idle.
func BenchmarkHubFanout100(b *testing.B) {
	const clients = 100
	// A call event's message is about 230 bytes.
	h, url, _ := startHub(b, &countingFeed{pad: strings.Repeat("x", 180)})

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	conns := make([]*websocket.Conn, clients)
	for i := range conns {
		c, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := c.ReadMessage(); err != nil { // the snapshot
			b.Fatal(err)
		}
		conns[i] = c
	}
	if h.Clients() != clients {
		b.Fatalf("Clients() = %d", h.Clients())
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	// Both ends live in this process, so this is an upper bound for the server's share.
	heap := float64(after.HeapInuse-before.HeapInuse) / clients
	stack := float64(after.StackInuse-before.StackInuse) / clients

	latencies := make(chan time.Duration, clients)
	for _, c := range conns {
		go func() {
			for {
				_, msg, err := c.ReadMessage()
				if err != nil {
					return
				}
				// {"event":N,"sent":NANOS,...}
				i := strings.Index(string(msg), `"sent":`) + len(`"sent":`)
				j := i + strings.IndexByte(string(msg[i:]), ',')
				ns, err := strconv.ParseInt(string(msg[i:j]), 10, 64)
				if err != nil {
					panic(fmt.Sprintf("bad message %q", msg))
				}
				latencies <- time.Since(time.Unix(0, ns))
			}
		}()
	}

	samples := make([]time.Duration, 0, b.N*clients)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.Broadcast(queue.Event{Seq: int64(i + 1), Type: queue.EventCalled, At: time.Now()})
		for range clients {
			samples = append(samples, <-latencies)
		}
	}
	b.StopTimer()
	slices.Sort(samples)
	pct := func(p float64) float64 {
		return float64(samples[int(p*float64(len(samples)-1))].Microseconds())
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(heap, "heapB/client")
	b.ReportMetric(stack, "stackB/client")
	for _, c := range conns {
		c.Close()
	}
}
