package printjob_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/antri-id/antri/device/button"
	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/printjob"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// firstByte is a ready printer that notes when each job's first byte arrives.
type firstByte struct {
	got chan time.Time
}

func (p *firstByte) Write(b []byte) (int, error) {
	p.got <- time.Now()
	return len(b), nil
}
func (p *firstByte) Status(context.Context) (escpos.Status, error) {
	return escpos.Status{Known: true}, nil
}
func (p *firstByte) Close() error { return nil }

// BenchmarkPressToPrint is the whole path of a kiosk button: a simulated pin
// goes down, the watcher and debouncer (5 ms denoise) see a press, the queue
// commits the ticket to SQLite (WAL, synchronous=FULL), the spooler lays it
// out and printer.Print asks the status and writes: timed from the edge to
// the job's first byte at the printer.
func BenchmarkPressToPrint(b *testing.B) {
	const pins = 16 // pressed in turn, so no pin is pressed again within its lockout
	cfg := queuetest.Office(b, "tickets", func(c *queue.Config) {
		for i := range pins {
			c.Buttons = append(c.Buttons, queue.ButtonConfig{Pin: fmt.Sprintf("GPIO%d", i), Action: "ticket", Service: "A"})
		}
	})
	q := queuetest.OpenClock(b, cfg, nil)
	port := &firstByte{got: make(chan time.Time, 1)}
	sp := printjob.New(q, port, printjob.Layout{Config: cfg, Paper: escpos.Paper80, BaseURL: "http://antri.local"},
		printjob.Options{Logger: quiet, PollEvery: time.Hour})
	sim := button.NewSimPins()
	panel := button.NewPanel(q, cfg.Buttons, sim.Open, nil, button.Options{Logger: quiet})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); sp.Run(ctx) }()
	go func() { defer wg.Done(); panel.Run(ctx) }()
	defer func() { cancel(); wg.Wait() }()
	queuetest.Eventually(b, "the spooler to run", sp.Running)

	var lat []time.Duration
	last := make([]time.Time, pins)
	i := 0
	for b.Loop() {
		pin := i % pins
		i++
		if wait := button.DefaultLockout + 20*time.Millisecond - time.Since(last[pin]); wait > 0 {
			b.StopTimer()
			time.Sleep(wait)
			b.StartTimer()
		}
		start := time.Now()
		if err := sim.Press(fmt.Sprintf("GPIO%d", pin), 10*time.Millisecond); err != nil {
			b.Fatal(err)
		}
		select {
		case at := <-port.got:
			lat = append(lat, at.Sub(start))
			last[pin] = at // the press was seen before this: its lockout runs from earlier
		case <-time.After(10 * time.Second):
			b.Fatalf("press %d of GPIO%d never reached the printer", i, pin)
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
}
