package display

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/antri-id/antri/queue"
)

// viewKind is what a page shows, and so what its snapshot holds and which events it gets.
type viewKind string

// The views of /ws?view=…: each page takes the one it shows.
const (
	// viewDisplay: the waiting-room TV and the kiosk — per service how many wait, the
	// estimate, the quota left; the latest calls; the running text. The default.
	viewDisplay viewKind = "display"
	// viewTicket: a citizen's phone on /t/{number} — that ticket and its place.
	viewTicket viewKind = "ticket"
	// viewCounter: a counter page — its current ticket in full and the waiting lists of
	// its services, with referral notes. Needs that counter's token or the admin's.
	viewCounter viewKind = "counter"
	// viewAdmin: the admin page — every event in full. Needs the admin token.
	viewAdmin viewKind = "admin"
	// viewCounterDisplay: the small screen above one counter (/display/counter/{id}) — its
	// name, whether it is open, paused (and why) or closed, and the number at it. Public.
	viewCounterDisplay viewKind = "counterdisplay"
)

// view is one page's view: its kind and what it follows.
type view struct {
	kind    viewKind
	counter string // viewCounter: the counter
	number  string // viewTicket: the ticket number
	day     string // viewTicket: its day (YYYY-MM-DD), "" for today
	zone    string // viewDisplay: the [[display]] zone it shows, "" for the whole office
	chosen  bool   // the page asked for the kind (not the default)
}

// parseView reads the view a page asks for from /ws's query: view=display|ticket|counter|
// admin, with zone for a zone's display, number (and day) for a ticket, counter for a
// counter. No view is the display.
func parseView(q url.Values, cfg *queue.Config) (view, error) {
	v := view{kind: viewKind(q.Get("view")), chosen: q.Get("view") != ""}
	switch v.kind {
	case "", viewDisplay:
		v.kind = viewDisplay
		if v.zone = q.Get("zone"); v.zone != "" {
			if _, ok := cfg.Display(v.zone); !ok {
				return v, fmt.Errorf("zona %q tidak ada di [[display]] kantor ini", v.zone)
			}
		}
	case viewAdmin:
	case viewTicket:
		v.number, v.day = strings.ToUpper(strings.TrimSpace(q.Get("number"))), q.Get("day")
		if v.number == "" || len(v.number) > 16 {
			return v, fmt.Errorf(`view=ticket perlu number, contoh /ws?view=ticket&number=A-012`)
		}
		if v.day != "" {
			if _, err := time.Parse("2006-01-02", v.day); err != nil {
				return v, fmt.Errorf("day %q bukan tanggal YYYY-MM-DD", v.day)
			}
		}
	case viewCounter, viewCounterDisplay:
		v.counter = q.Get("counter")
		if _, ok := cfg.Counter(v.counter); !ok {
			return v, fmt.Errorf("loket %q tidak ada", v.counter)
		}
	default:
		return v, fmt.Errorf("view %q tidak dikenal; pakai display, ticket, counter, counterdisplay atau admin", v.kind)
	}
	return v, nil
}

// needsToken reports whether the view shows what only staff may see, so that nothing is
// sent before a token of the right scope arrives.
func (v view) needsToken() bool { return v.kind == viewCounter || v.kind == viewAdmin }

// in is the view a socket of scope sc gets: a counter view needs that counter's token or
// the admin's, the admin view the admin's. A token sent without choosing a view (a tool on
// plain /ws) gives the view of its scope.
func (v view) in(sc scope) (view, bool) {
	switch {
	case v.kind == viewCounter:
		return v, sc.admin || sc.counter == v.counter
	case v.kind == viewAdmin:
		return v, sc.admin
	case !v.chosen && sc.admin:
		return view{kind: viewAdmin}, true
	case !v.chosen && sc.counter != "":
		return view{kind: viewCounter, counter: sc.counter}, true
	}
	return v, true
}

// key names the snapshot a view shares with others of the same kind; "" for one of its own.
func (v view) key() string {
	switch v.kind {
	case viewDisplay:
		if v.zone != "" {
			return "display/" + v.zone
		}
		return string(v.kind)
	case viewAdmin:
		return string(v.kind)
	case viewCounter, viewCounterDisplay:
		return string(v.kind) + "/" + v.counter
	}
	return ""
}

// placeSent is what a ticket page was last told of its place, so that it is told again
// only when that changes.
type placeSent struct {
	ahead int
	wait  int64
}

// liveFeed serves the live pages from a queue.Board: a snapshot is taken from the board in
// memory, computed once per state version and view and shared by every page of that view;
// each event is turned once into the message each kind of page gets.
type liveFeed struct {
	q        *queue.Queue
	training *Training // Options.Training
	board    *queue.Board
	cacheSeq int64
	cache    map[string][]byte // snapshot bodies by view key, for cacheSeq
}

func newLiveFeed(q *queue.Queue) *liveFeed { return &liveFeed{q: q, cache: map[string][]byte{}} }

func (f *liveFeed) load(ctx context.Context) error {
	b, err := f.q.LoadBoard(ctx)
	if err != nil {
		return err
	}
	f.board = b
	clear(f.cache)
	return nil
}

func (f *liveFeed) loaded() bool { return f.board != nil }

func (f *liveFeed) stale(ctx context.Context) bool { return f.board.Stale(ctx) }

// serviceSummary is one service as the waiting room sees it.
type serviceSummary struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	Unit           string `json:"unit,omitempty"` // the agency, as the kiosk groups and the TV labels
	Waiting        int    `json:"waiting"`
	EstimatedWaitS int64  `json:"estimated_wait_s"`
	DailyQuota     int    `json:"daily_quota,omitempty"`
	IssuedToday    int    `json:"issued_today"`
	// The surge forecast, for the kiosk's warning and the display's notice (issue 15).
	Forecast           *queue.Forecast `json:"forecast"`
	StopWhenUnservable bool            `json:"stop_when_unservable,omitempty"`
	OtherChannel       string          `json:"other_channel,omitempty"`
	CountersOpen       int             `json:"counters_open"` // open counters serving it: 0 while all are paused or closed
}

func (f *liveFeed) summary(s queue.ServiceState) serviceSummary {
	cfg, _ := f.q.Config().Service(s.Code)
	return serviceSummary{Code: s.Code, Name: s.Name, Unit: cfg.Unit, Waiting: s.Waiting, EstimatedWaitS: s.EstimatedWaitS,
		DailyQuota: s.DailyQuota, IssuedToday: s.IssuedToday, CountersOpen: s.CountersOpen,
		Forecast: s.Forecast, StopWhenUnservable: s.StopWhenUnservable, OtherChannel: s.OtherChannel}
}

func (f *liveFeed) summaries() []serviceSummary {
	var out []serviceSummary
	for _, s := range f.board.Services() {
		out = append(out, f.summary(s))
	}
	return out
}

// counterName is a counter as a page names it, with whether it takes citizens now
// (a waiting room sees that a counter is paused, and why).
type counterName struct {
	ID          string              `json:"id"`
	Name        string              `json:"name"`
	Status      queue.CounterStatus `json:"status"`
	PauseReason string              `json:"pause_reason,omitempty"`
}

func (f *liveFeed) counterNames() []counterName {
	var out []counterName
	for _, k := range f.board.Counters() {
		out = append(out, counterName{ID: k.ID, Name: k.Name, Status: k.Status, PauseReason: k.PauseReason})
	}
	return out
}

// recentCall is one of the latest calls on a display.
type recentCall struct {
	Number       string     `json:"number"`
	Service      string     `json:"service"`
	Counter      string     `json:"counter,omitempty"`
	LastCalledAt *time.Time `json:"last_called_at,omitempty"`
}

// snapshotHead is what every snapshot starts with.
type snapshotHead struct {
	View   viewKind          `json:"view"`
	Seq    int64             `json:"seq"`
	Day    string            `json:"day"`
	Office queue.OfficeState `json:"office"`
	// Training is set in a training office (antrid -training): every page says so, and
	// runs its clock at the scenario's speed.
	Training *Training `json:"training,omitempty"`
}

// displaySnapshot is what a waiting-room TV and a kiosk show: a few KB whatever the
// length of the queue. A zone's TV (view=display&zone=…) gets only its services, its
// counters and the calls to them (view_zone.go).
type displaySnapshot struct {
	snapshotHead
	Zone        *zoneName        `json:"zone,omitempty"`
	Open        bool             `json:"open"`
	Services    []serviceSummary `json:"services"`
	Counters    []displayCounter `json:"counters"`
	Called      []recentCall     `json:"called"`
	RunningText string           `json:"running_text"`
}

// ticketSnapshot is what /t/{number} shows: that ticket (null when there is none) with its
// place, and the names it needs.
type ticketSnapshot struct {
	snapshotHead
	Number   string        `json:"number"`
	Ticket   *publicTicket `json:"ticket"`
	Error    string        `json:"error,omitempty"`
	Services []serviceName `json:"services"`
	Counters []counterName `json:"counters"`
}

// serviceName is a service as a page names it.
type serviceName struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// waitingEntry is a ticket in a counter's waiting list.
type waitingEntry struct {
	Number          string      `json:"number"`
	Service         string      `json:"service"`
	Priority        bool        `json:"priority"`
	Stage           queue.Stage `json:"stage"`
	QueuedAt        time.Time   `json:"queued_at"`
	WaitStandardS   int64       `json:"wait_standard_s"`
	TransferredFrom string      `json:"transferred_from,omitempty"`
	Referral        string      `json:"referral,omitempty"`
	ReferralUnit    string      `json:"referral_unit,omitempty"`
	QueueSeq        int64       `json:"queue_seq"` // call order among equals: lower first
	// A no-show put back in the queue: when it came back (its waiting is counted from
	// then on the counter page), and how often.
	ReturnedAt  *time.Time `json:"returned_at,omitempty"`
	Returns     int        `json:"returns,omitempty"`
	PrintFailed bool       `json:"print_failed,omitempty"` // its ticket was not printed: say the number
}

// counterSnapshot is what a counter page shows: the counter with its ticket in full, its
// status and officer; the waiting list of its services in call order; and today's latest
// no-shows of its services, which it may put back in the queue.
type counterSnapshot struct {
	snapshotHead
	Counter  queue.CounterState `json:"counter"`
	Services []serviceSummary   `json:"services"`
	Counters []counterName      `json:"counters"`
	Waiting  []waitingEntry     `json:"waiting"`
	NoShows  []*queue.Ticket    `json:"no_shows"`
}

// noShowsShown is how many of today's no-shows a counter page lists: those of the last
// hour or so, when a citizen comes back.
const noShowsShown = 20

// adminSnapshot is what the admin page shows of the live state.
type adminSnapshot struct {
	snapshotHead
	Open        bool                 `json:"open"`
	Services    []queue.ServiceState `json:"services"`
	Counters    []queue.CounterState `json:"counters"`
	RunningText string               `json:"running_text"`
}

func (f *liveFeed) head(k viewKind) snapshotHead {
	return snapshotHead{View: k, Seq: f.board.Seq(), Day: f.board.Day(), Office: f.board.Office(), Training: f.training}
}

// snapshot is `{"type":"snapshot","now":…` followed by the view's body: the body is shared
// by every page of the view while the state stays at one version; now is each page's own,
// so that a TV's clock is right however long ago the last event was.
func (f *liveFeed) snapshot(c *client) ([]byte, error) {
	if f.cacheSeq != f.board.Seq() {
		clear(f.cache)
		f.cacheSeq = f.board.Seq()
	}
	key := c.view.key()
	body, ok := f.cache[key]
	if !ok {
		var err error
		if body, err = f.body(c); err != nil {
			return nil, err
		}
		if key != "" {
			f.cache[key] = body
		}
	}
	if c.view.kind == viewTicket {
		c.place = placeOf(f.ticket(c))
	}
	now := f.q.Now().Wall.In(f.q.Config().Location)
	out := make([]byte, 0, len(body)+64)
	out = fmt.Appendf(out, `{"type":"snapshot","now":%q,`, now.Format(time.RFC3339Nano))
	return append(out, body[1:]...), nil
}

func (f *liveFeed) body(c *client) ([]byte, error) {
	b := f.board
	switch c.view.kind {
	case viewTicket:
		s := ticketSnapshot{snapshotHead: f.head(viewTicket), Number: c.view.number, Counters: f.counterNames()}
		for _, svc := range f.q.Config().Services {
			s.Services = append(s.Services, serviceName{Code: svc.Code, Name: svc.Name})
		}
		if tk, ok := b.Ticket(c.view.day, c.view.number); ok {
			s.Ticket = publicView(tk)
			s.Ticket.AtRisk = f.atRisk(tk) // crisis.go
		} else {
			// Not waiting nor at a counter: finished, gone or never issued. One read of the
			// store, only for such a page.
			tk, err := f.q.TicketByNumber(context.Background(), c.view.number, c.view.day)
			if err != nil && queue.KindOf(err) == "" {
				return nil, err
			}
			if err != nil {
				s.Error = err.Error()
			}
			s.Ticket = publicView(tk)
		}
		return json.Marshal(s)
	case viewCounter:
		k, _ := f.q.Config().Counter(c.view.counter)
		s := counterSnapshot{snapshotHead: f.head(viewCounter), Services: f.summaries(), Counters: f.counterNames(), Waiting: []waitingEntry{},
			NoShows: b.NoShows(k.Services, noShowsShown)}
		s.Counter, _ = b.Counter(k.ID)
		for _, w := range b.Waiting(k.Services) {
			tk := w.Ticket
			s.Waiting = append(s.Waiting, waitingEntry{Number: tk.Number, Service: tk.Service, Priority: tk.Priority, Stage: tk.Stage,
				QueuedAt: tk.QueuedAt, WaitStandardS: tk.WaitStandardS, TransferredFrom: tk.TransferredFrom, Referral: tk.Referral,
				ReferralUnit: tk.ReferralUnit, QueueSeq: w.QueueSeq, ReturnedAt: tk.ReturnedAt, Returns: tk.Returns, PrintFailed: tk.PrintFailed})
		}
		return json.Marshal(s)
	case viewCounterDisplay:
		return json.Marshal(f.counterDisplayBody(c.view.counter))
	case viewAdmin:
		return json.Marshal(adminSnapshot{snapshotHead: f.head(viewAdmin), Open: b.Open(), Services: b.Services(),
			Counters: b.Counters(), RunningText: b.RunningText()})
	}
	return json.Marshal(f.displayBody(c.view.zone))
}

// ticket is the live ticket a ticket page follows, with its place; nil when not live.
func (f *liveFeed) ticket(c *client) *queue.Ticket {
	tk, _ := f.board.Ticket(c.view.day, c.view.number)
	return tk
}

func placeOf(tk *queue.Ticket) placeSent {
	if tk == nil || tk.PeopleAhead == nil || tk.EstimatedWaitS == nil {
		return placeSent{-1, -1}
	}
	return placeSent{*tk.PeopleAhead, *tk.EstimatedWaitS}
}

// message is one event as a page receives it: the event's own fields (for a public page,
// only those a waiting room may see) and, when the event changed them, the services'
// counts and estimates as they are after it.
type message struct {
	Seq      int64            `json:"seq"`
	Type     string           `json:"type"`
	At       time.Time        `json:"at"`
	Service  string           `json:"service,omitempty"`
	Counter  string           `json:"counter,omitempty"`
	Ticket   any              `json:"ticket,omitempty"`
	Data     json.RawMessage  `json:"data,omitempty"`
	Services []serviceSummary `json:"services,omitempty"`
}

// staffMessage is an event in full, for counter and admin pages.
type staffMessage struct {
	queue.Event
	Services []serviceSummary `json:"services,omitempty"`
}

func (f *liveFeed) apply(ctx context.Context, ev queue.Event) (func(*client) []byte, bool) {
	ch, ok := f.board.Apply(ctx, ev)
	if !ok {
		return nil, false
	}
	var changed []serviceSummary
	for _, code := range ch.Services {
		if s, ok := f.board.Service(code); ok {
			changed = append(changed, f.summary(s))
		}
	}
	// Each kind's message is made at most once per event, when a page of that kind needs it.
	var public, staff []byte
	publicMsg := func() []byte {
		if public == nil {
			public = []byte{}
			if m, ok := publicMessage(ev, changed); ok {
				public = mustJSON(m)
			}
		}
		return public
	}
	zoned := map[string][]byte{} // each zone's message, made once
	zoneMsg := func(zone string) []byte {
		m, ok := zoned[zone]
		if !ok {
			m = f.zoneMessage(zone, ev, changed)
			zoned[zone] = m
		}
		return m
	}
	staffMsg := func() []byte {
		if staff == nil {
			staff = mustJSON(staffMessage{Event: ev, Services: changed})
		}
		return staff
	}
	return func(c *client) []byte {
		switch c.view.kind {
		case viewAdmin:
			return staffMsg()
		case viewCounter:
			if k, ok := f.q.Config().Counter(c.view.counter); ok && counterSees(k, ev) {
				return staffMsg()
			}
			return nil
		case viewTicket:
			return f.ticketMessage(c, ev, ch)
		case viewCounterDisplay:
			if m := publicMsg(); len(m) > 0 && atCounter(ev, c.view.counter) {
				return m
			}
			return nil
		}
		if c.view.zone != "" {
			return zoneMsg(c.view.zone)
		}
		if m := publicMsg(); len(m) > 0 {
			return m
		}
		return nil
	}, true
}

// ticketMessage is what a ticket page gets of ev: the event itself when it is about its
// ticket, a "place" message when ev moved its ticket's place or estimate, else nothing.
// Either carries the ticket as it is now, so the page only has to show it.
func (f *liveFeed) ticketMessage(c *client, ev queue.Event, ch queue.Change) []byte {
	own := ev.Ticket != nil && ev.Ticket.Number == c.view.number && (ev.Ticket.Day == c.view.day || c.view.day == "" && ev.Ticket.Day == f.board.Day())
	if _, listed := publicEvents[ev.Type]; own && !listed {
		return nil
	}
	tk := f.ticket(c)
	if !own {
		if tk == nil || !slices.Contains(ch.Services, tk.Service) {
			return nil
		}
		if p := placeOf(tk); p == c.place {
			return nil
		}
	}
	if tk == nil {
		tk = ev.Ticket // its segment ended: as the event left it
	}
	c.place = placeOf(tk)
	typ := ev.Type
	if !own {
		typ = "place"
	}
	pt := publicView(tk)
	pt.AtRisk = f.atRisk(tk) // crisis.go
	return mustJSON(message{Seq: ev.Seq, Type: typ, At: ev.At, Ticket: pt})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("display: " + err.Error()) // only our own plain structs are marshalled here
	}
	return b
}
