package display

import (
	"net/http"
	"time"

	"github.com/antri-id/antri/queue/httpjson"
)

// The appliance's clock on the admin page. A Pi has no real-time clock; an office without
// a time server sets it from the admin's own device, whose time the admin confirms on the
// page. Both routes need the admin token, as every /api/admin/ route does (Handler).
//
//	GET  /api/admin/clock                         queue.ClockStatus
//	POST /api/admin/clock  {"time": RFC 3339}     queue.ClockStatus after setting it

// ClockRequest is the body of POST /api/admin/clock: the time of the admin's device.
type ClockRequest struct {
	Time time.Time `json:"time"`
}

func (s *Server) clockRoutes() {
	s.mux.HandleFunc("GET /api/admin/clock", func(w http.ResponseWriter, r *http.Request) {
		httpjson.Write(w, http.StatusOK, s.q.ClockStatus(r.Context()))
	})
	s.mux.HandleFunc("POST /api/admin/clock", func(w http.ResponseWriter, r *http.Request) {
		var req ClockRequest
		if !httpjson.Decode(w, r, &req, false) {
			return
		}
		st, err := s.q.SetClock(r.Context(), req.Time)
		s.answer(w, r, http.StatusOK, st, err)
	})
}
