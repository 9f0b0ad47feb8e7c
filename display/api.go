package display

import (
	"net/http"
	"slices"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/httpjson"
)

// state is GET /api/state. Anyone on the LAN may read it (DOMAIN.md), so without the
// admin's or a counter's token its tickets lose what concerns only the citizen and the
// officers: the referral note and unit, the officer, how a service ended.
func (s *Server) state(w http.ResponseWriter, r *http.Request) {
	st, err := s.q.State(r.Context())
	if err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	if sc, ok := s.requestScope(r); !ok || (!sc.admin && sc.counter == "") {
		for _, list := range [][]*queue.Ticket{st.Waiting, st.Called} {
			for i, tk := range list {
				list[i] = publicTicketFields(tk)
			}
		}
		for i := range st.Counters {
			st.Counters[i].Current = publicTicketFields(st.Counters[i].Current)
		}
	}
	httpjson.Write(w, http.StatusOK, st)
}

// publicTicketFields is tk with only the fields a phone on the LAN may read, in the full
// ticket's JSON shape (the contract's /api/state). Like publicView it lists what is
// kept, not what is dropped, so a field added to queue.Ticket stays hidden until it is
// written here: left out are the officer, how the service ended and the referral note
// and unit.
func publicTicketFields(tk *queue.Ticket) *queue.Ticket {
	if tk == nil {
		return nil
	}
	return &queue.Ticket{ID: tk.ID, Number: tk.Number, Day: tk.Day, Service: tk.Service, Priority: tk.Priority,
		Stage: tk.Stage, Counter: tk.Counter, Segment: tk.Segment, Calls: tk.Calls,
		IssuedAt: tk.IssuedAt, QueuedAt: tk.QueuedAt, CalledAt: tk.CalledAt, LastCalledAt: tk.LastCalledAt,
		StartedAt: tk.StartedAt, FinishedAt: tk.FinishedAt, NoShowAt: tk.NoShowAt, TransferredAt: tk.TransferredAt,
		ExpiredAt: tk.ExpiredAt, ReturnedAt: tk.ReturnedAt, Returns: tk.Returns, TransferredFrom: tk.TransferredFrom,
		WaitStandardS: tk.WaitStandardS, ServiceStandardS: tk.ServiceStandardS, Manual: tk.Manual,
		PrintFailed: tk.PrintFailed, PeopleAhead: tk.PeopleAhead, EstimatedWaitS: tk.EstimatedWaitS}
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
	it := IssuedTicket{Ticket: tk, Code: tk.Code, Link: tk.Link()}
	if s.ticketBase != nil {
		if base := s.ticketBase(); base != "" {
			it.URL = base + it.Link
		}
	}
	httpjson.Write(w, http.StatusCreated, it)
}

// IssuedTicket is the answer of POST /api/tickets: the ticket with its secret code and
// the link its QR code carries. Only the one who took the ticket gets them; the ticket
// in /api/state, /ws and GET /api/tickets/{number} never has them.
type IssuedTicket struct {
	*queue.Ticket
	Code string `json:"code"` // needed for feedback from a phone
	Link string `json:"link"` // /t/{number}?d=YYYY-MM-DD&k={code}
	// URL is Link at the address a phone on the office network opens (Options.TicketBase,
	// as printed in the QR code); absent when the appliance knows none.
	URL string `json:"url,omitempty"`
}

// ticket is GET /api/tickets/{number}?day=&k=. The admin and the counters that serve
// the ticket's service (or hold it) see it in full; anyone else on the LAN sees what a
// waiting room sees (publicView), never the officer, the referral note or the unit. The
// holder of the ticket's code (k, from its QR) also sees how the service ended.
func (s *Server) ticket(w http.ResponseWriter, r *http.Request) {
	tk, err := s.q.TicketByNumber(r.Context(), r.PathValue("number"), r.URL.Query().Get("day"))
	if err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	if sc, ok := s.requestScope(r); ok && s.seesInFull(sc, tk) {
		httpjson.Write(w, http.StatusOK, tk)
		return
	}
	v := citizenTicket{publicTicket: publicView(tk)}
	if tk.CodeMatches(r.URL.Query().Get("k")) {
		v.Outcome = tk.Outcome
	}
	httpjson.Write(w, http.StatusOK, v)
}

// citizenTicket is a ticket as GET /api/tickets/{number} shows it to a citizen: the
// public view, and the outcome for the one who holds the ticket's code.
type citizenTicket struct {
	*publicTicket
	Outcome queue.Outcome `json:"outcome,omitempty"`
}

// seesInFull reports whether scope sc may see ticket tk with its officer, referral and
// outcome: the admin, or a counter serving its service or holding it.
func (s *Server) seesInFull(sc scope, tk *queue.Ticket) bool {
	if sc.admin {
		return true
	}
	if sc.counter == "" {
		return false
	}
	k, ok := s.q.Config().Counter(sc.counter)
	return tk.Counter == sc.counter || ok && slices.Contains(k.Services, tk.Service)
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

// CallRequest is the optional body of POST /api/counters/{counter}/call: a ticket to
// call instead of the next one.
type CallRequest struct {
	Number string `json:"number"`
}

// NumberRequest is the body of POST /api/counters/{counter}/requeue.
type NumberRequest struct {
	Number string `json:"number"`
}

// PauseRequest is the body of POST /api/counters/{counter}/pause.
type PauseRequest struct {
	Reason string `json:"reason"` // istirahat, ishoma, rapat, gangguan (queue.PauseReasons)
}

// SignInRequest is the body of POST /api/counters/{counter}/signin.
type SignInRequest struct {
	Name string `json:"name"`
	NIP  string `json:"nip"`
}

// ticketActions answer with the ticket they acted on; counterActions with the counter.
var (
	ticketActions  = map[string]bool{"call": true, "recall": true, "start": true, "finish": true, "noshow": true, "transfer": true, "requeue": true}
	counterActions = map[string]bool{"pause": true, "resume": true, "close": true, "signin": true, "signout": true}
)

func (s *Server) counterAction(w http.ResponseWriter, r *http.Request) {
	k, ok := s.counterFromPath(w, r)
	if !ok {
		return
	}
	id, action := k.ID, r.PathValue("action")
	if !ticketActions[action] && !counterActions[action] {
		httpjson.Error(w, http.StatusNotFound, "aksi \""+action+"\" tidak dikenal; pakai call, recall, start, finish, noshow, transfer, requeue, pause, resume, close, signin atau signout")
		return
	}
	var cmd queue.Command
	ok = true
	switch action {
	case "call":
		cmd, ok = withBody(w, r, CallRequest{}, true, func(req CallRequest) queue.Command { return queue.Call{Counter: id, Number: req.Number} })
	case "recall":
		cmd = queue.Recall{Counter: id}
	case "start":
		cmd = queue.Start{Counter: id}
	case "noshow":
		cmd = queue.NoShow{Counter: id}
	case "finish":
		cmd, ok = withBody(w, r, FinishRequest{Outcome: queue.OutcomeDone}, true, func(req FinishRequest) queue.Command {
			return queue.Finish{Counter: id, Outcome: req.Outcome}
		})
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
	case "requeue":
		cmd, ok = withBody(w, r, NumberRequest{}, false, func(req NumberRequest) queue.Command { return queue.Requeue{Counter: id, Number: req.Number} })
	case "pause":
		cmd, ok = withBody(w, r, PauseRequest{}, false, func(req PauseRequest) queue.Command { return queue.Pause{Counter: id, Reason: req.Reason} })
	case "resume":
		cmd = queue.Resume{Counter: id}
	case "close":
		cmd = queue.Close{Counter: id}
	case "signin":
		cmd, ok = withBody(w, r, SignInRequest{}, false, func(req SignInRequest) queue.Command {
			return queue.SignIn{Counter: id, Name: req.Name, NIP: req.NIP}
		})
	case "signout":
		cmd = queue.SignOut{Counter: id}
	}
	if !ok {
		return // the body was refused, and the answer says why
	}
	tk, err := s.q.Do(r.Context(), cmd)
	if err != nil || ticketActions[action] {
		s.answer(w, r, http.StatusOK, tk, err)
		return
	}
	st, err := s.q.CounterState(r.Context(), id)
	s.answer(w, r, http.StatusOK, st, err)
}

// withBody decodes the request's body into req (which holds the defaults) and makes the
// command of it; it answers 4xx and reports false for a body it refuses.
func withBody[T any](w http.ResponseWriter, r *http.Request, req T, allowEmpty bool, cmd func(T) queue.Command) (queue.Command, bool) {
	if !httpjson.Decode(w, r, &req, allowEmpty) {
		return nil, false
	}
	return cmd(req), true
}

// counterBreaches serves GET /api/counters/{counter}/breaches: the standards its own
// tickets are past now — a service at it, a wait in one of its services — so that the
// counter page lists them after a reload too (the breach notices are live only).
func (s *Server) counterBreaches(w http.ResponseWriter, r *http.Request) {
	k, ok := s.counterFromPath(w, r)
	if !ok {
		return
	}
	all, err := s.q.Breaches(r.Context())
	if err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	out := []queue.Breach{}
	for _, b := range all {
		if breachConcerns(k, b) {
			out = append(out, b)
		}
	}
	httpjson.Write(w, http.StatusOK, out)
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
	if !s.actsFor(r, k.ID) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="antri"`)
		httpjson.Error(w, http.StatusUnauthorized, "token loket "+id+" salah, dicabut atau tidak ada; kirim Authorization: Bearer <token loket, perangkat loket atau admin>, atau minta admin kantor memasangkan perangkat ini")
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
