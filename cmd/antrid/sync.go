package main

import (
	"context"

	"github.com/antri-id/antri/display"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/export"
	"github.com/antri-id/antri/sync/upload"
	"github.com/antri-id/antri/sync/wire"
)

// startSync starts the headquarters uploader when [hq] url is set. It reads the outbox
// (the events table) on its own, so ticket issuance never waits for headquarters or the
// network.
func startSync(ctx context.Context, a *app) error {
	hq := a.cfg.HQ
	if hq.URL == "" {
		return nil
	}
	names := export.LabelsOf(a.cfg)
	u, err := upload.New(upload.Options{
		Store: a.store, Office: a.cfg.Office.ID, OfficeName: a.cfg.Office.Name, Timezone: a.cfg.Office.Timezone,
		Labels: &wire.Labels{Services: names.Services, Counters: names.Counters},
		URL:    hq.URL, Secret: hq.Secret, CAFile: hq.CAFile, Logger: a.log.With("component", "sync"),
		Health: a.fleet.measure, Heartbeat: hq.HeartbeatEvery,
	})
	if err != nil {
		return err
	}
	cancel := a.q.Subscribe(func(ev queue.Event) {
		switch {
		case ev.Seq != 0:
			u.Notify()
		case ev.Type == queue.NoticePrinterStatus, ev.Type == queue.NoticeUpdateStatus:
			// Paper out (or back), an update refused or switched back: headquarters
			// hears of it now, not a heartbeat later.
			a.fleet.invalidate()
			u.Beat()
		}
	})
	a.fleet.sync = u.Status
	a.srv.SetCheck("hq", func(ctx context.Context) display.Health {
		st, err := u.Status(ctx)
		if err != nil {
			return display.Health{Error: "membaca status sinkronisasi: " + err.Error()}
		}
		h := display.Health{OK: true, Detail: st}
		if p := st.Problem(u.StaleAfter()); p != "" {
			h.OK, h.Error = false, p
		}
		return h
	})
	u.Routes(a.srv)
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		defer cancel()
		_ = u.Run(ctx)
	}()
	return nil
}
