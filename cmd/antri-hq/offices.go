package main

import (
	"net/http"

	"github.com/antri-id/antri/queue/httpjson"
)

// offices is GET /api/v1/offices: every office headquarters holds events of, and the
// configured ones that never sent anything (a missing office is what headquarters most
// needs to see), each with its latest health, those that need someone first
// (offices_health.go).
func (s *server) offices(w http.ResponseWriter, r *http.Request) {
	offs, err := s.fleet(r.Context())
	if err != nil {
		s.log.Error("membaca daftar kantor", "err", err)
		httpjson.Error(w, http.StatusInternalServerError, "database headquarters tidak terbaca; coba lagi, dan periksa log antri-hq bila berulang")
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"offices": offs})
}
