package main

import (
	"net/http"

	"github.com/antri-id/antri/queue/httpjson"
	"github.com/antri-id/antri/sync/collect"
)

// offices is GET /api/v1/offices: every office headquarters holds events of,
// and the configured ones that never sent anything (with zeros): a missing
// office is what headquarters most needs to see.
func (s *server) offices(w http.ResponseWriter, r *http.Request) {
	offs, err := s.store.Offices(r.Context())
	if err != nil {
		s.log.Error("membaca daftar kantor", "err", err)
		httpjson.Error(w, http.StatusInternalServerError, "database headquarters tidak terbaca; coba lagi, dan periksa log antri-hq bila berulang")
		return
	}
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
	httpjson.Write(w, http.StatusOK, map[string]any{"offices": offs})
}
