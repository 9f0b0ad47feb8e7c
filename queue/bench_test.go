package queue_test

import (
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// BenchmarkIssueDurable issues tickets one after another, each committed with
// synchronous=FULL before Do returns: tickets/s is what one kiosk-and-buttons
// office can be given at most.
func BenchmarkIssueDurable(b *testing.B) {
	q, _ := queuetest.Open(b, "office", jakartaNoon)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := q.Do(ctx, queue.Issue{Service: []string{"A", "B"}[i%2]}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tickets/s")
}

// BenchmarkIssueDurableParallel is the same with many kiosks at once; writers
// are serialised, and commands that arrive together share one commit (group
// commit), so this is the office's capacity with 16 sources at once.
func BenchmarkIssueDurableParallel(b *testing.B) {
	q, _ := queuetest.Open(b, "office", jakartaNoon)
	b.SetParallelism(8) // × GOMAXPROCS goroutines
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := q.Do(ctx, queue.Issue{Service: "A"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tickets/s")
}
