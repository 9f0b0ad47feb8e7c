package display

import (
	"net/http"
	"strconv"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/httpjson"
)

// The crisis part of the API (issue 15, docs/CRISIS.md), all with the admin token (every
// /api/admin/ route needs it):
//
//	POST /api/admin/backfill              {"tickets": [{"number","service","issued","called","started","finished","outcome"}…], "note"?}
//	                                      → 201 {"tickets": [ticket…]} (each "manual": true)
//	GET  /api/admin/incidents[?from=&to=] → [incident…] newest first (RFC 3339 bounds)
//	POST /api/admin/incidents             {"type","service"?,"start"?,"end"?,"note"} → 201 incident
//	POST /api/admin/incidents/{id}/end    {"end"?,"note"?} → incident
//	GET  /admin/nomor-manual?layanan=A,B&jumlah=50   the printable book of manual numbers and its log sheet
//
// The surge forecast is in GET /api/state (each service's "forecast") and on the live
// views; a ticket refused for capacity is POST /api/tickets' 409 {"reason": "capacity"}.

// Training describes a training office to its pages (antrid -training).
type Training struct {
	Scenario string  `json:"scenario"` // the scenario's name
	Speed    float64 `json:"speed"`    // simulated seconds per real second
}

func (s *Server) crisisRoutes() {
	s.mux.HandleFunc("POST /api/admin/backfill", s.backfill)
	s.mux.HandleFunc("GET /api/admin/incidents", s.incidents)
	s.mux.HandleFunc("POST /api/admin/incidents", s.openIncident)
	s.mux.HandleFunc("POST /api/admin/incidents/{id}/end", s.endIncident)
	s.mux.HandleFunc("GET /admin/nomor-manual", s.page("crisis-book.html"))
}

// BackfillAnswer is the answer of POST /api/admin/backfill.
type BackfillAnswer struct {
	Tickets []*queue.Ticket `json:"tickets"`
}

func (s *Server) backfill(w http.ResponseWriter, r *http.Request) {
	var req queue.BackfillRequest
	if !httpjson.Decode(w, r, &req, false) {
		return
	}
	tks, err := s.q.Backfill(r.Context(), req)
	s.answer(w, r, http.StatusCreated, BackfillAnswer{Tickets: tks}, err)
}

// IncidentRequest is the body of POST /api/admin/incidents: an incident beginning now (no
// start), or recorded afterwards (start and end). Times are RFC 3339.
type IncidentRequest struct {
	Type    string     `json:"type"`
	Service string     `json:"service"`
	Start   *time.Time `json:"start"`
	End     *time.Time `json:"end"`
	Note    string     `json:"note"`
}

// IncidentEndRequest is the body of POST /api/admin/incidents/{id}/end.
type IncidentEndRequest struct {
	End  *time.Time `json:"end"`
	Note string     `json:"note"`
}

func (s *Server) incidents(w http.ResponseWriter, r *http.Request) {
	var bound [2]time.Time
	for i, k := range []string{"from", "to"} {
		v := r.URL.Query().Get(k)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			httpjson.Error(w, http.StatusBadRequest, k+" harus waktu RFC 3339, contoh 2026-11-05T00:00:00+07:00")
			return
		}
		bound[i] = t
	}
	incs, err := s.q.Incidents(r.Context(), bound[0], bound[1])
	s.answer(w, r, http.StatusOK, incs, err)
}

func (s *Server) openIncident(w http.ResponseWriter, r *http.Request) {
	var req IncidentRequest
	if !httpjson.Decode(w, r, &req, false) {
		return
	}
	cmd := queue.OpenIncident{Type: req.Type, Service: req.Service, Note: req.Note, Source: queue.SourceAdmin}
	if req.Start != nil {
		cmd.Start = *req.Start
	}
	if req.End != nil {
		if req.Start == nil {
			httpjson.Error(w, http.StatusBadRequest, `gangguan yang sudah selesai perlu "start" juga`)
			return
		}
		cmd.End = *req.End
	}
	inc, err := s.q.RecordIncident(r.Context(), cmd)
	s.answer(w, r, http.StatusCreated, inc, err)
}

func (s *Server) endIncident(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		httpjson.Error(w, http.StatusNotFound, "nomor gangguan "+r.PathValue("id")+" tidak dikenal")
		return
	}
	var req IncidentEndRequest
	if !httpjson.Decode(w, r, &req, true) {
		return
	}
	cmd := queue.CloseIncident{ID: id, Note: req.Note}
	if req.End != nil {
		cmd.End = *req.End
	}
	inc, err := s.q.RecordIncident(r.Context(), cmd)
	s.answer(w, r, http.StatusOK, inc, err)
}

// atRisk reports whether a waiting ticket is behind what the forecast says its service
// can call before closing: with p people ahead it is called (p+1)-th, at risk when that is
// more than servable_by_close. False when the office has no closing time, or for a ticket
// not waiting.
func (f *liveFeed) atRisk(tk *queue.Ticket) bool {
	if tk == nil || !tk.Stage.Waiting() || tk.PeopleAhead == nil {
		return false
	}
	for _, s := range f.board.Services() {
		if s.Code == tk.Service {
			return s.Forecast != nil && *tk.PeopleAhead >= s.Forecast.ServableByClose
		}
	}
	return false
}
