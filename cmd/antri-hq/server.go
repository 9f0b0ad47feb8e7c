package main

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/httpjson"
	"github.com/antri-id/antri/sync/collect"
)

// server is antri-hq's HTTP face. Each concern has its file: ingest.go (the
// offices' batches), limits.go (what anyone can make it hold), auth.go (the
// admin token), headers.go (security headers), offices.go, report.go,
// reports.go and page.go (what the admin reads).
type server struct {
	cfg     *config
	store   collect.Store
	secrets map[string]string
	names   map[string]string
	log     *slog.Logger
	now     func() time.Time // headquarters' clock: the timestamp window is checked against it
	limits  limits
	gate    *gate           // ingests in progress
	quiet   *queue.QuietLog // refused batches and cut names: once a minute per office and reason
	handler http.Handler
}

func newServer(cfg *config, store collect.Store, log *slog.Logger, lim limits) *server {
	s := &server{cfg: cfg, store: store, secrets: map[string]string{}, names: map[string]string{},
		log: log, now: time.Now, limits: lim, gate: newGate(lim), quiet: &queue.QuietLog{Log: log, Every: time.Minute}}
	for _, o := range cfg.Offices {
		s.secrets[o.ID] = o.Secret
		s.names[o.ID] = o.Name
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/ingest", s.ingest)
	mux.HandleFunc("GET /api/v1/offices", s.admin(s.offices))
	mux.HandleFunc("GET /metrics", s.admin(s.metricsPage))
	s.reportRoutes(mux)
	mux.HandleFunc("GET /api/v1/offices/{office}/events", s.officeEvents) // signed by the office itself (restore.go)
	mux.HandleFunc("GET /{$}", s.page)
	mux.HandleFunc("GET /page.css", pageStyle)
	s.releaseRoutes(mux) // release_server.go: releases, rollouts, the offices' updates
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		httpjson.Write(w, http.StatusOK, map[string]any{"ok": true, "version": version})
	})
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		httpjson.Error(w, http.StatusNotFound, "alamat API tidak dikenal: "+r.Method+" "+r.URL.Path+"; lihat docs/SYNC.md")
	})
	s.handler = secured(mux)
	return s
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }
