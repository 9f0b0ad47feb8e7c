package main

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/antri-id/antri/device/printjob"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/sync/upload"
	"github.com/antri-id/antri/sync/wire"
)

// fleetHealth measures the office's state for headquarters (wire.Health, sent with every
// batch and heartbeat) and for GET /metrics: version, clock, printer, card, boot, queue,
// and the last update's outcome.
type fleetHealth struct {
	a *app

	// printer is the printer's state (startPrinter sets it); nil before.
	printer func(context.Context) printjob.PrinterHealth
	// Update is the updater's report (its wire.UpdateReport), for headquarters' list of
	// failed updates: startUpdate sets it to the updater's Report; nil reports none.
	Update func() any
	// sync is the uploader's status when [hq] is set (startSync sets it).
	sync func(context.Context) (upload.Status, error)

	mu    sync.Mutex
	last  *wire.Health
	at    time.Time
	state *queue.State
}

// healthFresh is how long a measurement serves: while the uploader catches up it sends a
// batch every few hundred milliseconds, each with the health.
const healthFresh = 10 * time.Second

// syncedClock is a clock that knows whether a time server keeps it right (the system
// clock on Linux).
type syncedClock interface{ Synchronized() bool }

// invalidate makes the next measure measure again: the printer's state changed.
func (f *fleetHealth) invalidate() {
	f.mu.Lock()
	f.last = nil
	f.mu.Unlock()
}

// measure returns the office's health now (at most healthFresh old).
func (f *fleetHealth) measure(ctx context.Context) *wire.Health {
	h, _ := f.measureState(ctx)
	return h
}

// measureState is measure with the queue's state it read (nil when it could not).
func (f *fleetHealth) measureState(ctx context.Context) (*wire.Health, *queue.State) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.a.q.Now()
	if f.last != nil && now.Wall.Sub(f.at) < healthFresh && now.Wall.After(f.at) {
		return f.last, f.state
	}
	h := &wire.Health{At: now.Wall.UTC(), Version: version,
		Boot: wire.BootHealth{At: now.Wall.Add(-now.Mono).UTC().Truncate(time.Second), UptimeS: int64(now.Mono / time.Second)}}
	if c, ok := f.a.clock.(syncedClock); ok {
		synced := c.Synchronized()
		h.Clock.Synchronized = &synced
	}
	if f.printer != nil {
		p := f.printer(ctx)
		h.Printer = wire.PrinterHealth{Configured: f.a.demo || f.a.cfg.Printer.Device != "", OK: p.OK, Status: clip(p.Status),
			Problem: clip(p.Problem), PaperOut: p.PaperOut, FailedToday: p.FailedToday}
	}
	if free, total, ok := diskSpace(f.a.dataDir); ok {
		h.Disk = wire.DiskHealth{FreeMB: free >> 20, TotalMB: total >> 20}
	}
	st, err := f.a.q.State(ctx)
	if err == nil {
		h.Queue.Waiting = len(st.Waiting)
	} else {
		st = nil
	}
	if br, err := f.a.q.Breaches(ctx); err == nil {
		h.Queue.Breaches = len(br)
	}
	if f.Update != nil {
		if b, err := json.Marshal(f.Update()); err == nil {
			h.Update = b
		}
	}
	f.last, f.at, f.state = h, now.Wall, st
	return h, st
}

// clip bounds a text the office sends headquarters (a printer's error can quote a
// device's long answer).
func clip(s string) string {
	const n = 200
	if len(s) <= n {
		return s
	}
	for n := n; n > 0; n-- {
		if s[n]&0xC0 != 0x80 {
			return s[:n] + "…"
		}
	}
	return ""
}
