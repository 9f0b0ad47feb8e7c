package display

import (
	"time"

	"github.com/antri-id/antri/queue"
)

// zoneName names the zone a display shows.
type zoneName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// displayCounter is a counter as a waiting room sees it: its name, the number at it now
// ("" when none), so every counter is on the TV, not only those that called lately, and
// whether it is paused (and why) or closed — absent while it is open.
type displayCounter struct {
	ID          string              `json:"id"`
	Name        string              `json:"name"`
	Current     string              `json:"current,omitempty"`
	Status      queue.CounterStatus `json:"status,omitempty"`
	PauseReason string              `json:"pause_reason,omitempty"`
}

// displayBody is the display's snapshot: the whole office, or only what zone shows — its
// services, its counters and the calls to them. A zone's TV is sent nothing of the rest,
// so forty services and forty counters over three zones cost each TV a third.
func (f *liveFeed) displayBody(zone string) displaySnapshot {
	b, cfg := f.board, f.q.Config()
	z, zoned := cfg.Display(zone)
	s := displaySnapshot{snapshotHead: f.head(viewDisplay), Open: b.Open(), Services: []serviceSummary{},
		Counters: []displayCounter{}, Called: []recentCall{}, RunningText: b.RunningText()}
	if zoned {
		s.Zone = &zoneName{ID: z.ID, Name: z.Name}
	}
	for _, svc := range f.summaries() {
		if !zoned || z.HasService(svc.Code) {
			s.Services = append(s.Services, svc)
		}
	}
	for _, k := range b.Counters() {
		if zoned && !z.HasCounter(k.ID) {
			continue
		}
		dc := displayCounter{ID: k.ID, Name: k.Name}
		if k.Current != nil {
			dc.Current = k.Current.Number
		}
		if k.Status != queue.CounterOpen {
			dc.Status, dc.PauseReason = k.Status, k.PauseReason
		}
		s.Counters = append(s.Counters, dc)
	}
	for _, tk := range b.Called() {
		if !zoned || z.HasCounter(tk.Counter) {
			s.Called = append(s.Called, recentCall{Number: tk.Number, Service: tk.Service, Counter: tk.Counter, LastCalledAt: tk.LastCalledAt})
		}
	}
	return s
}

// servicesMessage is what a zone's TV gets of an event at a counter outside the zone that
// changed the counts of its services (a counter serving two zones): the counts alone.
type servicesMessage struct {
	Seq      int64            `json:"seq"`
	Type     string           `json:"type"` // "services"
	At       time.Time        `json:"at"`
	Services []serviceSummary `json:"services"`
}

// zoneMessage is what a TV showing zone gets of ev: the public message with only the
// zone's services, when the event concerns the zone; the counts alone when only they
// changed; nil when nothing of it is the zone's. Office-wide notices (the running text,
// the printer) reach every zone.
func (f *liveFeed) zoneMessage(zone string, ev queue.Event, changed []serviceSummary) []byte {
	z, ok := f.q.Config().Display(zone)
	if !ok {
		return nil
	}
	var mine []serviceSummary
	for _, s := range changed {
		if z.HasService(s.Code) {
			mine = append(mine, s)
		}
	}
	counter, service := ev.Counter, ev.Service
	if ev.Ticket != nil {
		counter, service = firstOf(counter, ev.Ticket.Counter), firstOf(service, ev.Ticket.Service)
	}
	m, public := publicMessage(ev, mine)
	switch {
	case !public:
		return nil
	case counter != "":
		if z.HasCounter(counter) {
			return mustJSON(m)
		}
	case service != "":
		if z.HasService(service) {
			return mustJSON(m)
		}
	default:
		return mustJSON(m) // the office's: running text, printer
	}
	if len(mine) > 0 {
		return mustJSON(servicesMessage{Seq: ev.Seq, Type: "services", At: ev.At, Services: mine})
	}
	return nil
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
