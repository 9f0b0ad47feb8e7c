package display

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/httpjson"
)

func (s *Server) state(w http.ResponseWriter, r *http.Request) {
	st, err := s.q.State(r.Context())
	s.answer(w, r, http.StatusOK, st, err)
}

func (s *Server) services(w http.ResponseWriter, r *http.Request) {
	svcs, err := s.q.Services(r.Context())
	s.answer(w, r, http.StatusOK, svcs, err)
}

// IssueRequest is the body of POST /api/tickets.
type IssueRequest struct {
	Service  string `json:"service"`
	Priority bool   `json:"priority"`
}

func (s *Server) issue(w http.ResponseWriter, r *http.Request) {
	var req IssueRequest
	if !httpjson.Decode(w, r, &req, false) {
		return
	}
	if req.Service == "" {
		httpjson.Error(w, http.StatusBadRequest, `"service" wajib diisi, contoh {"service":"A"}`)
		return
	}
	tk, err := s.q.Do(r.Context(), queue.Issue{Service: req.Service, Priority: req.Priority})
	if err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	httpjson.Write(w, http.StatusCreated, IssuedTicket{Ticket: tk, Code: tk.Code, Link: tk.Link()})
}

// IssuedTicket is the answer of POST /api/tickets: the ticket with its secret code and
// the link its QR code carries. Only the one who took the ticket gets them; the ticket
// in /api/state, /ws and GET /api/tickets/{number} never has them.
type IssuedTicket struct {
	*queue.Ticket
	Code string `json:"code"` // needed for feedback from a phone
	Link string `json:"link"` // /t/{number}?d=YYYY-MM-DD&k={code}
}

func (s *Server) ticket(w http.ResponseWriter, r *http.Request) {
	tk, err := s.q.TicketByNumber(r.Context(), r.PathValue("number"), r.URL.Query().Get("day"))
	s.answer(w, r, http.StatusOK, tk, err)
}

// FinishRequest is the body of POST /api/counters/{counter}/finish; an empty
// body means done.
type FinishRequest struct {
	Outcome queue.Outcome `json:"outcome"`
}

// TransferRequest is the body of POST /api/counters/{counter}/transfer.
type TransferRequest struct {
	Service string `json:"service"`
	Note    string `json:"note"`
	Unit    string `json:"unit"`
}

// counterActions are the actions of POST /api/counters/{counter}/{action}.
var counterActions = map[string]bool{"call": true, "recall": true, "start": true, "finish": true, "noshow": true, "transfer": true}

func (s *Server) counterAction(w http.ResponseWriter, r *http.Request) {
	k, ok := s.counterFromPath(w, r)
	if !ok {
		return
	}
	id, action := k.ID, r.PathValue("action")
	if !counterActions[action] {
		httpjson.Error(w, http.StatusNotFound, "aksi \""+action+"\" tidak dikenal; pakai call, recall, start, finish, noshow atau transfer")
		return
	}
	var cmd queue.Command
	switch action {
	case "call":
		cmd = queue.Call{Counter: id}
	case "recall":
		cmd = queue.Recall{Counter: id}
	case "start":
		cmd = queue.Start{Counter: id}
	case "noshow":
		cmd = queue.NoShow{Counter: id}
	case "finish":
		req := FinishRequest{Outcome: queue.OutcomeDone}
		if !httpjson.Decode(w, r, &req, true) {
			return
		}
		cmd = queue.Finish{Counter: id, Outcome: req.Outcome}
	case "transfer":
		var req TransferRequest
		if !httpjson.Decode(w, r, &req, false) {
			return
		}
		if req.Service == "" {
			httpjson.Error(w, http.StatusBadRequest, `"service" tujuan wajib diisi, contoh {"service":"B"}`)
			return
		}
		cmd = queue.Transfer{Counter: id, Service: req.Service, Note: req.Note, Unit: req.Unit}
	}
	tk, err := s.q.Do(r.Context(), cmd)
	s.answer(w, r, http.StatusOK, tk, err)
}

// counterFromPath finds the path's {counter} and checks that the request
// carries that counter's token or the admin's; otherwise it answers 404 or 401.
func (s *Server) counterFromPath(w http.ResponseWriter, r *http.Request) (queue.CounterConfig, bool) {
	id := r.PathValue("counter")
	k, ok := s.q.Config().Counter(id)
	if !ok {
		httpjson.Error(w, http.StatusNotFound, "loket \""+id+"\" tidak ada")
		return k, false
	}
	if !s.authorized(r, k.Token) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="antri"`)
		httpjson.Error(w, http.StatusUnauthorized, "token loket "+id+" salah atau tidak ada; kirim Authorization: Bearer <token loket atau admin>, tanyakan tokennya ke admin kantor")
		return k, false
	}
	return k, true
}

// answer writes v with code, or the queue's refusal when err is set.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, code int, v any, err error) {
	if err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	httpjson.Write(w, code, v)
}

// authorized reports whether the request carries the given token or the
// admin token, compared in constant time.
func (s *Server) authorized(r *http.Request, token string) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || got == "" {
		return false
	}
	eq := func(want string) bool {
		return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
	}
	return eq(token) || eq(s.q.Config().Office.AdminToken)
}

// IsAdmin reports whether the request carries the admin token.
func (s *Server) IsAdmin(r *http.Request) bool { return s.authorized(r, "") }
