package main

import (
	"crypto/subtle"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/antri-id/antri/sync/collect"
)

// server is antri-hq's HTTP face.
type server struct {
	cfg     *config
	store   collect.Store
	secrets map[string]string
	names   map[string]string
	log     *slog.Logger
	now     func() time.Time // headquarters' clock: the timestamp window is checked against it
	mux     *http.ServeMux
}

func newServer(cfg *config, store collect.Store, log *slog.Logger) *server {
	s := &server{cfg: cfg, store: store, secrets: map[string]string{}, names: map[string]string{},
		log: log, now: time.Now, mux: http.NewServeMux()}
	for _, o := range cfg.Offices {
		s.secrets[o.ID] = o.Secret
		s.names[o.ID] = o.Name
	}
	s.mux.HandleFunc("POST /api/v1/ingest", s.ingest)
	s.mux.HandleFunc("GET /api/v1/offices", s.admin(s.offices))
	s.mux.HandleFunc("GET /api/v1/offices/{office}/reports/monthly", s.admin(s.monthly))
	s.mux.HandleFunc("GET /{$}", s.page)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	})
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "alamat API tidak dikenal: "+r.Method+" "+r.URL.Path+"; lihat docs/SYNC.md")
	})
	return s
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// authorized reports whether the request carries the admin token, as a
// bearer token or (for the page, opened in a browser) ?token=.
func (s *server) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		tok = r.URL.Query().Get("token")
	}
	return tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.AdminToken)) == 1
}

func (s *server) admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			writeError(w, http.StatusUnauthorized, "butuh Authorization: Bearer <admin_token> dari konfigurasi antri-hq")
			return
		}
		h(w, r)
	}
}

func (s *server) offices(w http.ResponseWriter, r *http.Request) {
	offs, err := s.store.Offices(r.Context())
	if err != nil {
		writeError(w, http.StatusInternalServerError, "membaca daftar kantor: "+err.Error())
		return
	}
	// Configured offices that never sent anything are listed too: a missing
	// office is what headquarters most needs to see.
	have := map[string]bool{}
	for i := range offs {
		have[offs[i].ID] = true
		if n := s.names[offs[i].ID]; n != "" {
			offs[i].Name = n
		}
	}
	for _, o := range s.cfg.Offices {
		if !have[o.ID] {
			offs = append(offs, collect.Office{ID: o.ID, Name: o.Name})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"offices": offs})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}
