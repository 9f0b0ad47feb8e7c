package display

import "github.com/antri-id/antri/queue"

// counterScreen is one counter as the small screen above it shows it: its name, whether
// it is open, paused (and why) or closed, and the number at it now (null when free).
type counterScreen struct {
	ID          string              `json:"id"`
	Name        string              `json:"name"`
	Status      queue.CounterStatus `json:"status"`
	PauseReason string              `json:"pause_reason,omitempty"`
	Current     *publicTicket       `json:"current"`
	Services    []serviceName       `json:"services"` // what it serves, as the screen lists it
}

// counterDisplaySnapshot is what /display/counter/{id} shows: a few hundred bytes.
type counterDisplaySnapshot struct {
	snapshotHead
	Counter counterScreen `json:"counter"`
}

func (f *liveFeed) counterDisplayBody(id string) counterDisplaySnapshot {
	k, _ := f.board.Counter(id)
	cs := counterScreen{ID: k.ID, Name: k.Name, Status: k.Status, PauseReason: k.PauseReason, Current: publicView(k.Current),
		Services: []serviceName{}}
	for _, code := range k.Services {
		if svc, ok := f.q.Config().Service(code); ok {
			cs.Services = append(cs.Services, serviceName{Code: svc.Code, Name: svc.Name})
		}
	}
	return counterDisplaySnapshot{snapshotHead: f.head(viewCounterDisplay), Counter: cs}
}

// atCounter reports whether ev happened at counter id: a call, start or end there, or its
// change of status. The counter's screen gets those public events and nothing else.
func atCounter(ev queue.Event, id string) bool {
	return ev.Counter == id || ev.Ticket != nil && ev.Ticket.Counter == id
}
