package main

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/antri-id/antri/device/button"
	"github.com/antri-id/antri/device/printjob"
	"github.com/antri-id/antri/queue"
)

// slipEvery is the least time between two refusal slips of one service: a citizen who
// presses again and again gets one slip, not a roll.
const slipEvery = 10 * time.Second

// printRefusalSlips prints a slip when the queue refuses a ticket button's press because
// the service cannot serve one more today ([[service]] stop_when_unservable, issue 15):
// at a machine with buttons and no screen, the slip is the only way the citizen learns
// why no number came and what to do instead (the refusal's own words: come back at the
// next opening, or the service's other channel). Other refusals stay notices for the
// staff, as before.
func printRefusalSlips(ctx context.Context, a *app, spool *printjob.Spooler) {
	var mu sync.Mutex
	last := map[string]time.Time{}
	cancel := a.q.Subscribe(func(ev queue.Event) {
		if ev.Type != button.EventRefused {
			return
		}
		var r button.Refusal
		if json.Unmarshal(ev.Data, &r) != nil || r.Action != "ticket" || r.Kind != queue.KindCapacity {
			return
		}
		mu.Lock()
		if t, ok := last[ev.Service]; ok && time.Since(t) < slipEvery {
			mu.Unlock()
			return
		}
		last[ev.Service] = time.Now()
		mu.Unlock()
		lines := []string{"NOMOR TIDAK DIBERIKAN", "", r.Message}
		// Subscribers run on the queue's writer: the print is waited for elsewhere.
		a.run(func() {
			pctx, done := context.WithTimeout(ctx, time.Minute)
			defer done()
			if err := spool.PrintReceipt(pctx, lines); err != nil && ctx.Err() == nil {
				a.log.Warn("slip penolakan nomor tidak tercetak", "layanan", ev.Service, "err", err)
			}
		})
	})
	a.run(func() {
		<-ctx.Done()
		cancel()
	})
}
