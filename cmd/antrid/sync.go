package main

import (
	"context"
	"net/http"

	"github.com/antri-id/antri/display"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/sync/upload"
)

// The headquarters uploader: started only when [hq] url is set. It reads
// the outbox (the events table) on its own, so ticket issuance never waits
// for headquarters or the network.
func init() {
	components = append(components, component{name: "sync", start: startSync})
}

func startSync(ctx context.Context, a *app) error {
	hq := a.cfg.HQ
	if hq.URL == "" {
		return nil
	}
	u, err := upload.New(upload.Options{
		Store: a.store, Office: a.cfg.Office.ID, OfficeName: a.cfg.Office.Name, Timezone: a.cfg.Office.Timezone,
		URL: hq.URL, Secret: hq.Secret, CAFile: hq.CAFile, Logger: a.log.With("component", "sync"),
	})
	if err != nil {
		return err
	}
	cancel := a.q.Subscribe(func(ev queue.Event) {
		if ev.Seq != 0 {
			u.Notify()
		}
	})
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
	a.srv.HandleFunc("GET /api/admin/sync", func(w http.ResponseWriter, r *http.Request) {
		if !a.srv.RequireAdmin(w, r) {
			return
		}
		st, err := u.Status(r.Context())
		if err != nil {
			display.WriteJSON(w, http.StatusInternalServerError, map[string]string{"error": "membaca status sinkronisasi: " + err.Error()})
			return
		}
		display.WriteJSON(w, http.StatusOK, st)
	})
	a.srv.HandleFunc("POST /api/admin/sync/retry", func(w http.ResponseWriter, r *http.Request) {
		if !a.srv.RequireAdmin(w, r) {
			return
		}
		u.Retry()
		display.WriteJSON(w, http.StatusAccepted, map[string]string{"status": "dikirim ulang sekarang"})
	})
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		defer cancel()
		_ = u.Run(ctx)
	}()
	return nil
}
