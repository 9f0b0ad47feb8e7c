package main

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
	"github.com/antri-id/antri/sync/collect/collecttest"
	"github.com/antri-id/antri/sync/upload"
	"github.com/antri-id/antri/sync/wire"
)

// TestHealthTravelsWithBatchesHeartbeatsAndBeats: the real uploader sends the office's
// health with its events; with nothing to send it sends a heartbeat once the heartbeat
// interval has passed, so headquarters' last_seen moves while no event is added; and a
// health change (Beat) reaches headquarters at once, not a heartbeat later.
func TestHealthTravelsWithBatchesHeartbeatsAndBeats(t *testing.T) {
	q, st, _ := office(t, officeA)
	for range 3 {
		if _, err := q.Do(context.Background(), queue.Issue{Service: "A"}); err != nil {
			t.Fatal(err)
		}
	}
	hq := collecttest.Opener(t, "sqlite")()
	s, hs := startHQ(t, hq)
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s.now = clock
	health := wire.Health{Version: "1.4.0", Printer: wire.PrinterHealth{Configured: true, OK: true, Status: "Siap"}}
	u, err := upload.New(upload.Options{Store: st, Office: officeA, Timezone: "Asia/Jakarta", URL: hs.URL, Secret: secretA,
		Idle: 5 * time.Millisecond, Heartbeat: 5 * time.Minute, Now: clock,
		Health: func(context.Context) *wire.Health { mu.Lock(); defer mu.Unlock(); h := health; h.At = now; return &h }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { u.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	held := func() (o struct {
		acked, events int64
		seen          time.Time
		h             wire.Health
	}) {
		off, ok, err := hq.Office(context.Background(), officeA)
		if err != nil || !ok {
			return o
		}
		o.acked, o.events, o.seen = off.AckedSeq, off.Events, off.LastSeen
		json.Unmarshal(off.Health, &o.h)
		return o
	}
	queuetest.Eventually(t, "the events with the office's health", func() bool { o := held(); return o.acked == 3 && o.h.Version == "1.4.0" })
	first := held().seen

	mu.Lock()
	now = now.Add(6 * time.Minute) // nothing to send for longer than the heartbeat
	mu.Unlock()
	queuetest.Eventually(t, "a heartbeat", func() bool {
		return held().seen.After(first)
	})
	if o := held(); o.events != 3 || o.acked != 3 {
		t.Fatalf("a heartbeat changed the events held: %+v", o)
	}

	mu.Lock()
	health.Printer = wire.PrinterHealth{Configured: true, Status: "Kertas habis", Problem: "Kertas habis", PaperOut: true}
	mu.Unlock()
	u.Beat() // the printer's notice: well inside the heartbeat interval
	queuetest.Eventually(t, "paper out at headquarters", func() bool { return held().h.Printer.PaperOut })
}
