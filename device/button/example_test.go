package button_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/antri-id/antri/device/button"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// The Debouncer is driven by timestamps only: here a press that bounces for
// 4 ms, is held for 10 s, and is released.
func ExampleDebouncer() {
	d := button.NewDebouncer() // 5 ms denoise, 150 ms lockout
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	d.Reset(t0, false)
	levels := []struct {
		at   time.Duration
		down bool
	}{
		{0, true}, {1 * time.Millisecond, false}, {2 * time.Millisecond, true}, // bounce
		{7 * time.Millisecond, true},                      // held 5 ms: a press
		{5 * time.Second, true}, {10 * time.Second, true}, // still held: nothing
		{10*time.Second + time.Millisecond, false}, {10*time.Second + 6*time.Millisecond, false},
	}
	for _, l := range levels {
		if press, _ := d.Update(t0.Add(l.at), l.down); press {
			fmt.Println("press at", l.at)
		}
	}
	fmt.Println("held:", d.Active())
	// Output:
	// press at 7ms
	// held: false
}

// A Panel binds configured pins to queue commands. Simulated pins (demo
// mode) are pressed through the same watcher and debouncer as real ones;
// on a Raspberry Pi, pass the Opener from button.Host instead.
func ExamplePanel() {
	// The test office of package queuetest, with one button: GPIO17 takes a
	// ticket for service A.
	cfg, err := queue.ParseConfig("contoh.toml", append(queuetest.Fixture("office"), `
[[button]]
pin = "GPIO17"
action = "ticket"
service = "A"
`...))
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "antri-example")
	defer os.RemoveAll(dir)
	store, err := queue.OpenStore(filepath.Join(dir, "antri.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	q := queue.New(cfg, store, nil)
	defer q.Close()
	issued := make(chan string, 1)
	q.Subscribe(func(ev queue.Event) {
		if ev.Type == queue.EventIssued {
			issued <- ev.Ticket.Number
		}
	})

	sim := button.NewSimPins()
	panel := button.NewPanel(q, cfg.Buttons, sim.Open, nil, button.Options{Logger: quiet})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { panel.Run(ctx); close(done) }()

	if err := sim.Press("GPIO17", 0); err != nil {
		fmt.Println(err)
	}
	fmt.Println("tiket", <-issued)
	fmt.Println("masalah:", len(panel.Problems()))
	cancel()
	<-done
	// Output:
	// tiket A-001
	// masalah: 0
}
