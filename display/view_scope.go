package display

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/antri-id/antri/queue"
)

// scope is what a websocket may see. The zero scope is public: a waiting-room TV, the
// kiosk, a citizen's phone following its ticket. A socket whose first message is
// {"auth":"<token>"} gets the scope of that token: a counter's (its own tickets in full,
// the referral notes of its services, the feedback on its services, its notices) or the
// admin's (everything).
type scope struct {
	admin   bool
	counter string // the counter whose token it gave; "" with admin or public
	kiosk   bool   // a kiosk's token ([kiosk] tokens or a paired kiosk tablet): public view
	device  int64  // the paired device whose token it gave (auth.go); 0 for a config token
}

// authorize finds the scope of a websocket's token (tokenScope, auth.go).
func (s *Server) authorize(token string) (scope, bool) {
	return s.tokenScope(context.Background(), token)
}

// publicTicket is a ticket as a waiting room may see it: its number, where it is and
// when, its place. Never the referral note, the receiving unit, the outcome of the
// service or where it came from: those concern the citizen and the officers.
type publicTicket struct {
	Number         string      `json:"number"`
	Day            string      `json:"day"`
	Service        string      `json:"service"`
	Priority       bool        `json:"priority,omitempty"`
	Stage          queue.Stage `json:"stage"`
	Counter        string      `json:"counter,omitempty"`
	Calls          int         `json:"calls,omitempty"`
	IssuedAt       time.Time   `json:"issued_at"`
	QueuedAt       time.Time   `json:"queued_at"`
	LastCalledAt   *time.Time  `json:"last_called_at,omitempty"`
	StartedAt      *time.Time  `json:"started_at,omitempty"`
	FinishedAt     *time.Time  `json:"finished_at,omitempty"`
	NoShowAt       *time.Time  `json:"no_show_at,omitempty"`
	ExpiredAt      *time.Time  `json:"expired_at,omitempty"`
	PeopleAhead    *int        `json:"people_ahead,omitempty"`
	EstimatedWaitS *int64      `json:"estimated_wait_s,omitempty"`
	// AtRisk: the surge forecast says this waiting ticket will probably not be called
	// before closing (crisis.go), so its holder can decide early.
	AtRisk bool `json:"at_risk,omitempty"`
}

func publicView(tk *queue.Ticket) *publicTicket {
	if tk == nil {
		return nil
	}
	return &publicTicket{Number: tk.Number, Day: tk.Day, Service: tk.Service, Priority: tk.Priority, Stage: tk.Stage,
		Counter: tk.Counter, Calls: tk.Calls, IssuedAt: tk.IssuedAt, QueuedAt: tk.QueuedAt, LastCalledAt: tk.LastCalledAt,
		StartedAt: tk.StartedAt, FinishedAt: tk.FinishedAt, NoShowAt: tk.NoShowAt, ExpiredAt: tk.ExpiredAt,
		PeopleAhead: tk.PeopleAhead, EstimatedWaitS: tk.EstimatedWaitS}
}

// publicEvents are the events a public socket receives, and whether their Data goes
// with them. Anything not listed — complaints, feedback, surveys, breaches, and any type
// added later until it is listed here — never reaches a public socket; a refused ticket
// button reaches it in part (publicNotice).
var publicEvents = map[string]bool{
	queue.EventIssued: false, queue.EventCalled: false, queue.EventRecalled: false, queue.EventStarted: false,
	queue.EventFinished: false, queue.EventNoShow: false, queue.EventTransferred: false, queue.EventExpired: false,
	queue.EventPrinted: true, queue.EventPrintFailed: true, // attempt and the printer's problem: no one's data
	queue.EventRunningText:     true,
	queue.EventCounterStatus:   true,  // open, paused (and why) or closed: shown on the displays
	queue.EventRequeued:        false, // a no-show waiting again: /t/ and the counts follow it
	queue.EventStandardRevised: false, // the new estimates travel in "services"
	queue.NoticePrinterStatus:  true,
	queue.NoticeSurge:          true, // a surge begins or ends: service, counts, closing time (issue 15)
}

// publicMessage is ev as a public page (a TV, the kiosk) receives it, with the services
// whose counts it changed; ok is false when no public page may see it.
func publicMessage(ev queue.Event, changed []serviceSummary) (m message, ok bool) {
	withData, listed := publicEvents[ev.Type]
	data := ev.Data
	if !listed {
		data, listed = publicNotice(ev)
		withData = true
	}
	if !listed {
		return message{}, false
	}
	m = message{Seq: ev.Seq, Type: ev.Type, At: ev.At, Service: ev.Service, Counter: ev.Counter, Services: changed}
	if ev.Ticket != nil {
		m.Ticket = publicView(ev.Ticket)
	}
	if withData {
		m.Data = data
	}
	return m, true
}

// refusalNotice is the part of a button_refused notice (device/button.Refusal) a waiting
// room may see: that a ticket button could not give a ticket, and why, in the words the
// queue gave (quota reached, office closed, printer out). The display plays the refusal
// sound on it; the kiosk may show the words. A refused counter button is the officer's.
type refusalNotice struct {
	Action  string `json:"action"`
	Kind    string `json:"kind,omitempty"`
	Message string `json:"message"`
}

// publicNotice is the public data of a live notice that is public only in part, and
// whether it is public at all.
func publicNotice(ev queue.Event) (json.RawMessage, bool) {
	if ev.Type != queue.NoticeButtonRefused || ev.Seq != 0 {
		return nil, false
	}
	var r refusalNotice
	if json.Unmarshal(ev.Data, &r) != nil || r.Action != "ticket" {
		return nil, false
	}
	return mustJSON(r), true
}

// breachConcerns reports whether a breach is counter k's: a service at the counter, or
// (naming no counter) a wait in a service it serves.
func breachConcerns(k queue.CounterConfig, b queue.Breach) bool {
	if b.Counter != "" {
		return b.Counter == k.ID
	}
	return b.Service != "" && slices.Contains(k.Services, b.Service)
}

// counterSees reports whether counter k's socket receives ev: what happens to the tickets
// of the services it serves or at the counter itself (transfers in and out with their
// referral notes, feedback on them), the breaches of those services, and notices that
// name the counter or no counter at all. Complaints and surveys are the admin's.
func counterSees(k queue.CounterConfig, ev queue.Event) bool {
	serves := func(code string) bool { return code != "" && slices.Contains(k.Services, code) }
	switch ev.Type {
	case queue.EventComplaintReceived, queue.EventComplaintUpdated, queue.EventSurvey, queue.EventStandardRevised, queue.EventRunningText,
		queue.NoticeUpdateStatus: // the admin's update card
		return false
	case queue.EventBreach, queue.EventBreachCleared:
		var b queue.Breach
		if json.Unmarshal(ev.Data, &b) != nil {
			return serves(ev.Service)
		}
		if b.Service == "" {
			b.Service = ev.Service
		}
		return breachConcerns(k, b)
	}
	if ev.Counter == k.ID || serves(ev.Service) {
		return true
	}
	if ev.Ticket != nil {
		return ev.Ticket.Counter == k.ID || serves(ev.Ticket.Service)
	}
	return ev.Seq == 0 && ev.Counter == ""
}
