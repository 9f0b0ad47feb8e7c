package display

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/export"
	"github.com/antri-id/antri/queue/httpjson"
)

// reportRoutes adds the routes of standards, breaches, complaints, surveys,
// quick feedback and monthly reports, and the /survey kiosk page.
//
//	GET   /api/services/{code}/standards   revisions of a service (public)
//	POST  /api/services/{code}/standards   new revision (admin)
//	GET   /api/breaches                    standards exceeded now (counter or admin token)
//	POST  /api/complaints                  new complaint (open to the kiosk) → {"id"}
//	GET   /api/complaints                  complaints with their steps (admin)
//	GET   /api/complaints/{id}             one complaint (admin)
//	GET   /api/complaints/{id}/receipt     receipt lines (admin)
//	PATCH /api/complaints/{id}             next step (admin)
//	POST  /api/surveys                     SKM response (open to the kiosk)
//	POST  /api/tickets/{number}/feedback   quick score 1–4 (open to the kiosk)
//	GET   /api/reports/monthly[.xlsx|.csv]?month=YYYY-MM      (admin; CSV: &plain=1 for tools)
//	GET   /api/reports/quarterly[.xlsx|.csv]?quarter=YYYY-QN  (admin)
//	GET   /api/reports/yearly[.xlsx|.csv]?year=YYYY           (admin)
//	GET   /api/reports/daily[.xlsx|.csv]?day=YYYY-MM-DD       (admin; the admin page's today)
//	GET   /api/reports/letterhead          office name and signature block of the printable report (admin)
//	GET   /admin/laporan?month=|quarter=|year=   the printable A4 report
//	GET   /survey                          the SKM kiosk page
func (s *Server) reportRoutes() {
	s.HandleFunc("GET /api/services/{code}/standards", s.listStandards)
	s.HandleFunc("POST /api/services/{code}/standards", s.reviseStandard)
	s.HandleFunc("GET /api/breaches", s.breaches)
	s.HandleFunc("POST /api/complaints", s.newComplaint)
	s.HandleFunc("GET /api/complaints", s.listComplaints)
	s.HandleFunc("GET /api/complaints/{id}", s.getComplaint)
	s.HandleFunc("GET /api/complaints/{id}/receipt", s.complaintReceipt)
	s.HandleFunc("PATCH /api/complaints/{id}", s.updateComplaint)
	s.HandleFunc("POST /api/surveys", s.survey)
	s.HandleFunc("POST /api/tickets/{number}/feedback", s.feedback)
	for _, p := range reportPeriods {
		for _, f := range []export.Format{export.JSON, export.XLSX, export.CSV} {
			path := "GET /api/reports/" + p.name
			if f != export.JSON {
				path += "." + string(f)
			}
			s.HandleFunc(path, s.report(p.kind, p.param, f))
		}
	}
	s.HandleFunc("GET /api/reports/letterhead", s.letterhead)
	s.HandleFunc("GET /admin/laporan", s.page("laporan.html"))
	s.HandleFunc("GET /survey", s.page("survey.html"))
}

// requireAdmin reports whether the request carries the admin token, and answers 401
// when it does not.
func (s *Server) requireAdmin(w http.ResponseWriter, r *http.Request) bool {
	if s.IsAdmin(r) {
		return true
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="antri"`)
	httpjson.Error(w, http.StatusUnauthorized, "perlu token admin; kirim Authorization: Bearer <admin_token>")
	return false
}

// StandardsList is the answer of GET /api/services/{code}/standards.
type StandardsList struct {
	Service   string           `json:"service"`
	InForce   queue.Revision   `json:"in_force"`
	Revisions []queue.Revision `json:"revisions"` // oldest first; id 0 is the config
}

func (s *Server) listStandards(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	revs, err := s.q.Revisions(r.Context(), code)
	if err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	cur, err := s.q.StandardAt(r.Context(), code, s.q.Now().Wall)
	if err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	httpjson.Write(w, http.StatusOK, StandardsList{Service: code, InForce: cur, Revisions: revs})
}

// RevisionRequest is the body of POST /api/services/{code}/standards.
type RevisionRequest struct {
	WaitStandard    string            `json:"wait_standard"`    // Go duration, "15m"
	ServiceStandard string            `json:"service_standard"` // Go duration, "10m"
	Components      *queue.Components `json:"components"`       // optional: unchanged when absent
	Reason          string            `json:"reason"`
	Effective       *time.Time        `json:"effective"` // RFC 3339; now when absent
}

func (s *Server) reviseStandard(w http.ResponseWriter, r *http.Request) {
	if !s.requireAdmin(w, r) {
		return
	}
	var req RevisionRequest
	if !httpjson.Decode(w, r, &req, false) {
		return
	}
	wait, err1 := time.ParseDuration(req.WaitStandard)
	svc, err2 := time.ParseDuration(req.ServiceStandard)
	if err1 != nil || err2 != nil {
		httpjson.Error(w, http.StatusBadRequest, `"wait_standard" dan "service_standard" wajib berupa durasi, contoh "15m" dan "10m"`)
		return
	}
	cmd := queue.ReviseStandard{Service: r.PathValue("code"), Wait: wait, ServiceTime: svc, Components: req.Components, Reason: req.Reason}
	if req.Effective != nil {
		cmd.Effective = *req.Effective
	}
	if _, err := s.q.Do(r.Context(), cmd); err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	revs, err := s.q.Revisions(r.Context(), cmd.Service)
	if err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	// The newest by id is the one just made.
	last := revs[0]
	for _, rv := range revs {
		if rv.ID > last.ID {
			last = rv
		}
	}
	httpjson.Write(w, http.StatusCreated, last)
}

// breaches needs a counter's or the admin token: it names tickets.
func (s *Server) breaches(w http.ResponseWriter, r *http.Request) {
	if sc, ok := s.requestScope(r); !ok || !sc.admin && sc.counter == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="antri"`)
		httpjson.Error(w, http.StatusUnauthorized, "perlu token loket atau admin; kirim Authorization: Bearer <token>")
		return
	}
	list, err := s.q.Breaches(r.Context())
	s.answer(w, r, http.StatusOK, list, err)
}

// ComplaintRequest is the body of POST /api/complaints.
type ComplaintRequest struct {
	Channel string `json:"channel"`
	Topic   string `json:"topic"`
	Text    string `json:"text"`
	Ticket  string `json:"ticket"`
	Unit    string `json:"unit"`
}

func (s *Server) newComplaint(w http.ResponseWriter, r *http.Request) {
	var req ComplaintRequest
	if !httpjson.Decode(w, r, &req, false) {
		return
	}
	c, err := s.q.ReceiveComplaint(r.Context(), queue.ReceiveComplaint{Channel: req.Channel, Topic: req.Topic, Text: req.Text, Ticket: req.Ticket, Unit: req.Unit})
	if err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	httpjson.Write(w, http.StatusCreated, map[string]any{"id": c.ID, "received_at": c.ReceivedAt, "due_at": c.DueAt})
}

func (s *Server) listComplaints(w http.ResponseWriter, r *http.Request) {
	if !s.requireAdmin(w, r) {
		return
	}
	list, err := s.q.Complaints(r.Context(), r.URL.Query().Get("status"))
	s.answer(w, r, http.StatusOK, list, err)
}

func complaintID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		httpjson.Error(w, http.StatusNotFound, "nomor pengaduan \""+r.PathValue("id")+"\" tidak valid; pakai angka, contoh /api/complaints/12")
		return 0, false
	}
	return id, true
}

func (s *Server) getComplaint(w http.ResponseWriter, r *http.Request) {
	id, ok := complaintID(w, r)
	if !ok || !s.requireAdmin(w, r) {
		return
	}
	c, err := s.q.Complaint(r.Context(), id)
	s.answer(w, r, http.StatusOK, c, err)
}

func (s *Server) complaintReceipt(w http.ResponseWriter, r *http.Request) {
	id, ok := complaintID(w, r)
	if !ok || !s.requireAdmin(w, r) {
		return
	}
	lines, err := s.q.ComplaintReceipt(r.Context(), id)
	if err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"id": id, "lines": lines})
}

// ComplaintUpdateRequest is the body of PATCH /api/complaints/{id}.
type ComplaintUpdateRequest struct {
	Status     queue.ComplaintStatus `json:"status"`
	Note       string                `json:"note"`
	Resolution string                `json:"resolution"`
}

func (s *Server) updateComplaint(w http.ResponseWriter, r *http.Request) {
	id, ok := complaintID(w, r)
	if !ok || !s.requireAdmin(w, r) {
		return
	}
	var req ComplaintUpdateRequest
	if !httpjson.Decode(w, r, &req, false) {
		return
	}
	if _, err := s.q.Do(r.Context(), queue.UpdateComplaint{ID: id, Status: req.Status, Note: req.Note, Resolution: req.Resolution}); err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	c, err := s.q.Complaint(r.Context(), id)
	s.answer(w, r, http.StatusOK, c, err)
}

// SurveyRequest is the body of POST /api/surveys: the nine answers, and
// optionally the service used and the respondent's profile (DOMAIN.md "MPP
// scale").
type SurveyRequest struct {
	Answers []int                `json:"answers"`
	Service string               `json:"service"`
	Profile *queue.SurveyProfile `json:"profile"`
}

func (s *Server) survey(w http.ResponseWriter, r *http.Request) {
	var req SurveyRequest
	if !httpjson.Decode(w, r, &req, false) {
		return
	}
	if len(req.Answers) != 9 {
		httpjson.Error(w, http.StatusBadRequest, "\"answers\" harus berisi 9 jawaban (unsur 1–9), masing-masing 1 sampai 4")
		return
	}
	cmd := &queue.SubmitSurvey{Service: strings.ToUpper(strings.TrimSpace(req.Service)), Profile: req.Profile}
	copy(cmd.Answers[:], req.Answers)
	if _, err := s.q.Do(r.Context(), cmd); err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	httpjson.Write(w, http.StatusCreated, map[string]any{"id": cmd.ID})
}

// FeedbackRequest is the body of POST /api/tickets/{number}/feedback.
type FeedbackRequest struct {
	Score int    `json:"score"`
	Code  string `json:"code"` // the ticket's secret code; needed from an untrusted address
}

func (s *Server) feedback(w http.ResponseWriter, r *http.Request) {
	var req FeedbackRequest
	if !httpjson.Decode(w, r, &req, false) {
		return
	}
	tk, err := s.q.Do(r.Context(), queue.Feedback{Number: strings.ToUpper(r.PathValue("number")), Score: req.Score,
		Code: req.Code, Untrusted: !s.trustedClient(r)})
	s.answer(w, r, http.StatusCreated, tk, err)
}

// reportPeriods are the report routes: /api/reports/{name}?{param}=key.
var reportPeriods = []struct {
	name, param string
	kind        queue.PeriodKind
}{
	{"daily", "day", queue.PeriodDay}, {"monthly", "month", queue.PeriodMonth},
	{"quarterly", "quarter", queue.PeriodQuarter}, {"yearly", "year", queue.PeriodYear},
}

// report answers the report of a period (the current one when the
// parameter is absent) in format f.
func (s *Server) report(kind queue.PeriodKind, param string, f export.Format) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.requireAdmin(w, r) {
			return
		}
		cfg := s.q.Config()
		p := queue.PeriodOf(kind, s.q.Now().Wall.In(cfg.Location))
		if key := r.URL.Query().Get(param); key != "" {
			var err error
			if p, err = queue.ParsePeriod(kind, key, cfg.Location); err != nil {
				httpjson.QueueError(w, r, s.log, err)
				return
			}
		}
		rep, err := s.q.Report(r.Context(), p)
		if err != nil {
			httpjson.QueueError(w, r, s.log, err)
			return
		}
		if f == export.JSON {
			httpjson.Write(w, http.StatusOK, rep)
			return
		}
		var buf bytes.Buffer
		opts := export.Options{Labels: export.LabelsOf(cfg), Plain: r.URL.Query().Get("plain") == "1"}
		if err := export.Write(&buf, rep, f, opts); err != nil {
			httpjson.QueueError(w, r, s.log, err)
			return
		}
		w.Header().Set("Content-Type", f.ContentType())
		w.Header().Set("Content-Disposition", `attachment; filename="`+export.FileName(rep, f)+`"`)
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
	}
}

func (s *Server) letterhead(w http.ResponseWriter, r *http.Request) {
	if !s.requireAdmin(w, r) {
		return
	}
	httpjson.Write(w, http.StatusOK, LetterheadOf(s.q.Config()))
}
