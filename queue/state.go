package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"
)

// State is what the displays and counters show: every service with its
// waiting count, every counter with its current ticket, the waiting tickets in
// call order, and the latest calls.
type State struct {
	Seq      int64          `json:"seq"` // the last event this state includes
	Office   OfficeState    `json:"office"`
	Now      time.Time      `json:"now"`
	Day      string         `json:"day"`
	Open     bool           `json:"open"`
	Services []ServiceState `json:"services"`
	Counters []CounterState `json:"counters"`
	Waiting  []*Ticket      `json:"waiting"` // call order within each service
	Called   []*Ticket      `json:"called"`  // today's latest calls, newest call first
}

// OfficeState names the office.
type OfficeState struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Open  string `json:"open,omitempty"`
	Close string `json:"close,omitempty"`
}

// ServiceState is one service's queue now.
type ServiceState struct {
	Code             string `json:"code"`
	Name             string `json:"name"`
	Waiting          int    `json:"waiting"`
	EstimatedWaitS   int64  `json:"estimated_wait_s"`
	WaitStandardS    int64  `json:"wait_standard_s"`
	ServiceStandardS int64  `json:"service_standard_s"`
	DailyQuota       int    `json:"daily_quota,omitempty"`
	IssuedToday      int    `json:"issued_today"`
	// Forecast is the surge forecast (forecast.go); null when the office has no closing
	// time. StopWhenUnservable says the kiosk refuses what the forecast says is too late.
	Forecast           *Forecast `json:"forecast"`
	StopWhenUnservable bool      `json:"stop_when_unservable,omitempty"`
	OtherChannel       string    `json:"other_channel,omitempty"`
	// CountersOpen is how many counters serving it are open now: the estimate shares the
	// waiting over them (as if one when none is: the wait once a counter opens).
	CountersOpen int `json:"counters_open"`
}

// CounterState is one counter now: its ticket, whether it takes citizens (status and,
// while paused, pause_reason: DOMAIN.md "MPP scale") and the officer signed in there.
type CounterState struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	Services    []string      `json:"services"`
	Current     *Ticket       `json:"current"`
	Status      CounterStatus `json:"status"`
	PauseReason string        `json:"pause_reason"`           // one of PauseReasons while paused, else ""
	StatusSince *time.Time    `json:"status_since,omitempty"` // the last change of status
	// Officer is who signed in for today's shift; nil when nobody did. The staff's
	// views have it; /api/state and the public views do not.
	Officer *Officer `json:"officer,omitempty"`
}

// calledShown is how many of today's latest calls State lists.
const calledShown = 10

// State reads the office's state now, outside the event path: a Board loaded
// fresh from the store.
func (q *Queue) State(ctx context.Context) (*State, error) {
	b, err := q.LoadBoard(ctx)
	if err != nil {
		return nil, err
	}
	return b.State(), nil
}

// Board is the office's state as the live pages show it, kept in memory: loaded once from
// the store (LoadBoard), then moved forward by applying every event in sequence order
// (Apply). A page connecting, or an event reaching a hundred pages, then costs no
// database read; GET /api/state is the same Board freshly loaded, so both follow one set
// of rules. A Board is not safe for concurrent use: one goroutine owns it (the display's
// hub).
type Board struct {
	q           *Queue
	seq         int64
	day         string
	open        bool
	services    []*boardService          // config order
	service     map[string]*boardService // by code; also services no longer configured
	counters    []*boardCounter          // config order
	counter     map[string]*boardCounter
	live        map[string]*boardTicket // waiting or at a counter, by day and number
	called      []*Ticket               // today's latest calls, newest call event first
	noShows     []*Ticket               // today's no-shows as they are now, newest first
	runningText string
	fc          boardForecast // the surge forecast's statistics and results (forecast.go)
}

// boardTicket is a live ticket as its last event left it.
type boardTicket struct {
	tk       *Ticket // never modified: events share it with other subscribers
	queueSeq int64   // seq of the event that queued it (issued or transferred): call order
}

// before reports whether a is called before b in the same service: priority first, then
// in the order they were queued (Call's ORDER BY priority DESC, queue_seq).
func (a *boardTicket) before(b *boardTicket) bool {
	if a.tk.Priority != b.tk.Priority {
		return a.tk.Priority
	}
	return a.queueSeq < b.queueSeq
}

type boardService struct {
	cfg     ServiceConfig
	waiting []*boardTicket // call order
	issued  int            // today
	mean    time.Duration  // recent mean service time (meanService)
	wait    time.Duration  // standards in force
	svc     time.Duration
	serving int // counters that serve it
}

type boardCounter struct {
	cfg     CounterConfig
	current *Ticket
	state   counterState
}

// WaitingTicket is a waiting ticket with its place in the call order.
type WaitingTicket struct {
	Ticket   *Ticket
	QueueSeq int64 // seq of the event that queued it; lower is called first among equals
}

// Change says what one event changed on a Board.
type Change struct {
	Services []string // services whose waiting list, counts or estimate changed
	Calls    bool     // the latest calls changed
	Counters []string // counters whose current ticket changed
}

func ticketKey(day, number string) string { return day + "/" + number }

// bare is a ticket view without the place fields Issue and Transfer fill in: a board
// computes places itself, from the list as it is now.
func bare(tk *Ticket) *Ticket {
	if tk.PeopleAhead == nil && tk.EstimatedWaitS == nil {
		return tk
	}
	c := *tk
	c.PeopleAhead, c.EstimatedWaitS = nil, nil
	return &c
}

func (q *Queue) newBoard(now Instant) *Board {
	cfg := q.cfg
	b := &Board{q: q, day: q.Today(), open: q.openAt(now), service: map[string]*boardService{},
		counter: map[string]*boardCounter{}, live: map[string]*boardTicket{}, called: []*Ticket{}}
	for _, s := range cfg.Services {
		bs := &boardService{cfg: s}
		b.services = append(b.services, bs)
		b.service[s.Code] = bs
	}
	for _, k := range cfg.Counters {
		bc := &boardCounter{cfg: k, state: counterState{status: CounterOpen}}
		b.counters = append(b.counters, bc)
		b.counter[k.ID] = bc
	}
	b.countServing()
	return b
}

// countServing counts, for every service, the open counters serving it.
func (b *Board) countServing() {
	states := map[string]counterState{}
	for _, k := range b.counters {
		states[k.cfg.ID] = k.state
	}
	for _, s := range b.services {
		s.serving = countOpenServing(b.q.cfg, states, s.cfg.Code)
	}
}

// serviceOf is the board's record of a service, made on first use for a ticket of a
// service the config no longer has (it still waits, and /api/state lists it).
func (b *Board) serviceOf(code string) *boardService {
	s, ok := b.service[code]
	if !ok {
		s = &boardService{cfg: ServiceConfig{Code: code, Name: code}}
		b.service[code] = s
	}
	return s
}

// LoadBoard reads the office's state from the store, in one read transaction: WAL gives
// it a consistent snapshot, so Seq is exactly the last event the board reflects.
func (q *Queue) LoadBoard(ctx context.Context) (*Board, error) {
	db, err := q.store.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer db.Rollback()
	now := q.clock.Now()
	b := q.newBoard(now)
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&b.seq); err != nil {
		return nil, err
	}
	live, err := loadRecords(ctx, db, `stage IN ('issued', 'transferred', 'called', 'started') ORDER BY service, priority DESC, queue_seq`)
	if err != nil {
		return nil, err
	}
	states, err := loadCounterStates(ctx, db)
	if err != nil {
		return nil, err
	}
	for id, cs := range states {
		if k, ok := b.counter[id]; ok {
			cs.officer = cs.signedIn(b.day)
			k.state = cs
		}
	}
	b.countServing()
	noShows, err := loadRecords(ctx, db, `stage = 'no_show' AND day = ? ORDER BY id`, b.day)
	if err != nil {
		return nil, err
	}
	for _, r := range noShows {
		b.noShows = append(b.noShows, r.view(q.cfg.Location))
	}
	slices.SortFunc(b.noShows, newerNoShow)
	for _, r := range live {
		bt := &boardTicket{tk: r.view(q.cfg.Location), queueSeq: r.QueueSeq}
		b.live[ticketKey(r.Day, r.Number)] = bt
		if r.Stage.Waiting() {
			s := b.serviceOf(r.Service)
			s.waiting = append(s.waiting, bt) // already in call order
		} else if k, ok := b.counter[r.Counter]; ok {
			k.current = bt.tk
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT service, last FROM day_numbers WHERE day = ?`, b.day)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			rows.Close()
			return nil, err
		}
		if s, ok := b.service[code]; ok {
			s.issued = n
		}
	}
	rows.Close()
	for _, s := range b.services {
		if err := q.refreshService(ctx, db, s, now); err != nil {
			return nil, err
		}
	}
	if b.called, err = q.latestCalls(ctx, db, b.day); err != nil {
		return nil, err
	}
	if err := db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaRunningText).Scan(&b.runningText); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if err := b.loadForecast(ctx, db); err != nil {
		return nil, err
	}
	return b, nil
}

// refreshService reads what a service's estimate rests on: the standards in force now
// and the mean of its recent services.
func (q *Queue) refreshService(ctx context.Context, db querier, s *boardService, now Instant) error {
	wait, svc, err := q.standardsAt(ctx, db, s.cfg.Code, now)
	if err != nil {
		return err
	}
	mean, err := meanService(ctx, db, s.cfg.Code, svc)
	if err != nil {
		return err
	}
	s.wait, s.svc, s.mean = wait, svc, mean
	return nil
}

// latestCalls lists today's called tickets as they are now, in the order of their latest
// call or recall event, newest first: the sequence, not the wall clock, so that a clock
// step cannot reorder them.
func (q *Queue) latestCalls(ctx context.Context, db querier, day string) ([]*Ticket, error) {
	var first sql.NullInt64 // today's first event that can be a call: the first issue
	if err := db.QueryRowContext(ctx, `SELECT min(s.queue_seq) FROM tickets t JOIN segments s ON s.ticket_id = t.id AND s.idx = 1
		WHERE t.day = ?`, day).Scan(&first); err != nil {
		return nil, err
	}
	out := []*Ticket{}
	if !first.Valid {
		return out, nil
	}
	rows, err := db.QueryContext(ctx, `SELECT body FROM events WHERE seq > ? AND type IN (?, ?) ORDER BY seq DESC`,
		first.Int64, EventCalled, EventRecalled)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() && len(ids) < calledShown {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			rows.Close()
			return nil, err
		}
		var ev struct {
			Ticket struct {
				ID  int64  `json:"id"`
				Day string `json:"day"`
			} `json:"ticket"`
		}
		if err := json.Unmarshal(body, &ev); err != nil {
			rows.Close()
			return nil, err
		}
		if ev.Ticket.Day == day && !slices.Contains(ids, ev.Ticket.ID) {
			ids = append(ids, ev.Ticket.ID)
		}
	}
	rows.Close()
	for _, id := range ids {
		r, err := loadRecord(ctx, db, `id = ?`, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r.view(q.cfg.Location))
	}
	return out, nil
}

// Seq is the last event the board includes.
func (b *Board) Seq() int64 { return b.seq }

// Day is the local date the board's counts are for.
func (b *Board) Day() string { return b.day }

// RunningText is the admin's line for the displays.
func (b *Board) RunningText() string { return b.runningText }

// Office names the office.
func (b *Board) Office() OfficeState {
	o := b.q.cfg.Office
	return OfficeState{ID: o.ID, Name: o.Name, Open: o.Open, Close: o.Close}
}

// Open reports whether the office takes tickets now.
func (b *Board) Open() bool { return b.q.openAt(b.q.clock.Now()) }

// Stale reports whether time alone has changed what the board shows: the local day
// (counts restart), the office opening or closing, or a revision of a service's
// standards coming into force. The owner then loads a new board.
func (b *Board) Stale(ctx context.Context) bool {
	now := b.q.clock.Now()
	if b.q.Today() != b.day || b.q.openAt(now) != b.open || b.forecastMoved() {
		return true
	}
	for _, s := range b.services {
		wait, svc, err := b.q.standardsAt(ctx, b.q.store.r, s.cfg.Code, now)
		if err == nil && (wait != s.wait || svc != s.svc) {
			return true
		}
	}
	return false
}

func (b *Board) serviceState(s *boardService) ServiceState {
	n := len(s.waiting)
	return ServiceState{Code: s.cfg.Code, Name: s.cfg.Name, Waiting: n,
		EstimatedWaitS: int64(estimateWait(n, s.mean, s.serving) / time.Second),
		WaitStandardS:  int64(s.wait / time.Second), ServiceStandardS: int64(s.svc / time.Second),
		DailyQuota: s.cfg.DailyQuota, IssuedToday: s.issued, CountersOpen: s.serving, Forecast: b.forecastOf(s.cfg.Code),
		StopWhenUnservable: s.cfg.StopWhenUnservable, OtherChannel: s.cfg.OtherChannel}
}

// Services is every configured service's queue now, in config order.
func (b *Board) Services() []ServiceState {
	out := make([]ServiceState, 0, len(b.services))
	for _, s := range b.services {
		out = append(out, b.serviceState(s))
	}
	return out
}

// Service is one configured service's queue now.
func (b *Board) Service(code string) (ServiceState, bool) {
	for _, s := range b.services {
		if s.cfg.Code == code {
			return b.serviceState(s), true
		}
	}
	return ServiceState{}, false
}

// Counters is every counter with its current ticket, in config order.
func (b *Board) Counters() []CounterState {
	out := make([]CounterState, 0, len(b.counters))
	for _, k := range b.counters {
		out = append(out, b.counterState(k))
	}
	return out
}

func (b *Board) counterState(k *boardCounter) CounterState {
	return k.state.view(k.cfg, k.current, b.q.cfg.Location)
}

// Counter is one counter now.
func (b *Board) Counter(id string) (CounterState, bool) {
	k, ok := b.counter[id]
	if !ok {
		return CounterState{}, false
	}
	return b.counterState(k), true
}

// newerNoShow orders no-shows newest first (then by ticket), the same whether a board
// was loaded or moved by events.
func newerNoShow(x, y *Ticket) int {
	if c := y.NoShowAt.Compare(*x.NoShowAt); c != 0 {
		return c
	}
	return int(y.ID - x.ID)
}

// NoShows lists today's no-shows of any of services, newest first, at most n: the
// tickets a counter of those services may put back in the queue (Requeue).
func (b *Board) NoShows(services []string, n int) []*Ticket {
	out := []*Ticket{}
	for _, tk := range b.noShows {
		if len(out) == n {
			break
		}
		if slices.Contains(services, tk.Service) {
			out = append(out, tk)
		}
	}
	return out
}

// Called is today's latest calls, newest call first. The tickets are as they are now.
func (b *Board) Called() []*Ticket { return slices.Clone(b.called) }

// Waiting lists the tickets waiting for any of services, in the order a counter serving
// them calls them: priority first, then in the order they were queued.
func (b *Board) Waiting(services []string) []WaitingTicket {
	var all []*boardTicket
	for _, code := range services {
		if s, ok := b.service[code]; ok {
			all = append(all, s.waiting...)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].before(all[j]) })
	out := make([]WaitingTicket, len(all))
	for i, bt := range all {
		out[i] = WaitingTicket{Ticket: bt.tk, QueueSeq: bt.queueSeq}
	}
	return out
}

// Ticket is a live ticket (waiting or at a counter) of day ("" for the board's day) by
// number; a waiting one with how many are ahead of it and its estimated wait. It reports
// false for a ticket that is not live: finished, gone, or never issued.
func (b *Board) Ticket(day, number string) (*Ticket, bool) {
	if day == "" {
		day = b.day
	}
	bt, ok := b.live[ticketKey(day, strings.ToUpper(number))]
	if !ok {
		return nil, false
	}
	tk := *bt.tk
	if tk.Stage.Waiting() {
		s := b.serviceOf(tk.Service)
		ahead := s.place(bt)
		w := int64(estimateWait(ahead, s.mean, s.serving) / time.Second)
		tk.PeopleAhead, tk.EstimatedWaitS = &ahead, &w
	}
	return &tk, true
}

// place is how many wait before bt in its service.
func (s *boardService) place(bt *boardTicket) int {
	return sort.Search(len(s.waiting), func(i int) bool { return !s.waiting[i].before(bt) })
}

func (s *boardService) add(bt *boardTicket) {
	s.waiting = slices.Insert(s.waiting, s.place(bt), bt)
}

func (s *boardService) remove(id int64) {
	for i, w := range s.waiting {
		if w.tk.ID == id {
			s.waiting = slices.Delete(s.waiting, i, i+1)
			return
		}
	}
}

// State is the whole state the board holds, as GET /api/state answers.
func (b *Board) State() *State {
	cfg := b.q.cfg
	now := b.q.clock.Now()
	st := &State{Seq: b.seq, Office: b.Office(), Now: now.Wall.In(cfg.Location), Day: b.day, Open: b.q.openAt(now),
		Services: b.Services(), Counters: b.Counters(), Waiting: []*Ticket{}, Called: b.Called()}
	for i := range st.Counters {
		st.Counters[i].Officer = nil // anyone may read /api/state: who serves is the staff's
	}
	codes := make([]string, 0, len(b.service))
	for code := range b.service {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		for i, bt := range b.service[code].waiting {
			tk := *bt.tk
			ahead := i
			tk.PeopleAhead = &ahead
			st.Waiting = append(st.Waiting, &tk)
		}
	}
	return st
}

// Apply moves the board forward by one event, which must come in sequence order after
// those already applied. It reports false, changing nothing, for an event the board
// already includes (seq ≤ Seq: it was loaded with it). Live notices (seq 0) change
// nothing and report true.
func (b *Board) Apply(ctx context.Context, ev Event) (Change, bool) {
	var ch Change
	if ev.Seq == 0 {
		return ch, true
	}
	if ev.Seq <= b.seq {
		return ch, false
	}
	b.seq = ev.Seq
	b.noteForecast(ev)
	switch ev.Type {
	case EventRunningText:
		var d RunningTextData
		if json.Unmarshal(ev.Data, &d) == nil {
			b.runningText = d.Text
		}
		return ch, true
	case EventStandardRevised:
		if s, ok := b.service[ev.Service]; ok {
			b.refresh(ctx, s)
			ch.Services = []string{ev.Service}
		}
		return ch, true
	case EventCounterStatus, EventOfficerSignedIn, EventOfficerSignedOut:
		b.applyCounter(ev, &ch)
		return ch, true
	}
	if ev.Ticket == nil {
		return ch, true
	}
	tk := bare(ev.Ticket)
	key := ticketKey(tk.Day, tk.Number)
	for i, c := range b.called {
		if c.ID == tk.ID {
			b.called[i] = tk
			ch.Calls = true
		}
	}
	switch ev.Type {
	case EventIssued:
		bt := &boardTicket{tk: tk, queueSeq: ev.Seq}
		b.live[key] = bt
		s := b.serviceOf(tk.Service)
		s.add(bt)
		if tk.Day == b.day {
			s.issued++
		}
		ch.Services = []string{tk.Service}
	case EventCalled, EventRecalled:
		if ev.Type == EventCalled {
			b.serviceOf(tk.Service).remove(tk.ID)
			ch.Services = []string{tk.Service}
		}
		b.live[key] = &boardTicket{tk: tk}
		b.setCurrent(tk.Counter, tk, &ch)
		if tk.Day == b.day {
			b.called = slices.DeleteFunc(b.called, func(c *Ticket) bool { return c.ID == tk.ID })
			b.called = slices.Insert(b.called, 0, tk)
			if len(b.called) > calledShown {
				b.called = b.called[:calledShown]
			}
			ch.Calls = true
		}
	case EventStarted:
		b.live[key] = &boardTicket{tk: tk}
		b.setCurrent(tk.Counter, tk, &ch)
	case EventFinished, EventNoShow:
		delete(b.live, key)
		b.setCurrent(ev.Counter, nil, &ch)
		if ev.Type == EventFinished {
			b.refresh(ctx, b.serviceOf(tk.Service))
			ch.Services = []string{tk.Service}
		}
		if ev.Type == EventNoShow && tk.Day == b.day {
			i, _ := slices.BinarySearchFunc(b.noShows, tk, newerNoShow)
			b.noShows = slices.Insert(b.noShows, i, tk)
		}
	case EventRequeued:
		var d RequeueData
		_ = json.Unmarshal(ev.Data, &d)
		if d.QueueSeq == 0 {
			d.QueueSeq = ev.Seq
		}
		b.noShows = slices.DeleteFunc(b.noShows, func(n *Ticket) bool { return n.ID == tk.ID })
		bt := &boardTicket{tk: tk, queueSeq: d.QueueSeq}
		b.live[key] = bt
		b.serviceOf(tk.Service).add(bt)
		ch.Services = []string{tk.Service}
	case EventTransferred:
		b.setCurrent(ev.Counter, nil, &ch)
		bt := &boardTicket{tk: tk, queueSeq: ev.Seq}
		b.live[key] = bt
		b.serviceOf(tk.Service).add(bt)
		ch.Services = []string{tk.Service}
	case EventExpired:
		delete(b.live, key)
		b.serviceOf(tk.Service).remove(tk.ID)
		ch.Services = []string{tk.Service}
	default:
		// Other events about a ticket (printed, feedback, ...) change none of its stages;
		// a live ticket keeps the view its last stage gave it.
		if bt, ok := b.live[key]; ok && bt.tk.ID == tk.ID && bt.tk.Stage == tk.Stage {
			bt.tk = tk
		}
	}
	ch.Services = b.forecastPeers(ch.Services)
	return ch, true
}

// applyCounter applies a counter's change of status or officer. A change of status
// changes the estimates of every service the counter serves.
func (b *Board) applyCounter(ev Event, ch *Change) {
	k, ok := b.counter[ev.Counter]
	if !ok {
		return
	}
	ch.Counters = append(ch.Counters, k.cfg.ID)
	switch ev.Type {
	case EventCounterStatus:
		var d CounterStatusData
		if json.Unmarshal(ev.Data, &d) != nil {
			return
		}
		k.state.status, k.state.reason, k.state.since = d.Status, d.PauseReason, ev.Instant()
		b.countServing()
		ch.Services = b.forecastPeers(slices.Clone(k.cfg.Services))
	case EventOfficerSignedIn:
		var o Officer
		if json.Unmarshal(ev.Data, &o) == nil {
			k.state.officer, k.state.officerDay, k.state.officerSince = o, b.day, ev.Instant()
		}
	case EventOfficerSignedOut:
		k.state.officer, k.state.officerDay, k.state.officerSince = Officer{}, "", Instant{}
	}
}

func (b *Board) setCurrent(counter string, tk *Ticket, ch *Change) {
	if k, ok := b.counter[counter]; ok {
		k.current = tk
		ch.Counters = append(ch.Counters, counter)
	}
}

// refresh reads a service's standards and mean service time again, after a service
// finished or a revision; on a read error the board keeps the previous figures.
func (b *Board) refresh(ctx context.Context, s *boardService) {
	if err := b.q.refreshService(ctx, b.q.store.r, s, b.q.clock.Now()); err != nil {
		slog.Warn("perkiraan waktu tunggu tidak diperbarui; memakai angka sebelumnya", "layanan", s.cfg.Code, "err", err)
	}
}

func loadRecords(ctx context.Context, db querier, where string, args ...any) ([]*record, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+recordCols+` FROM tickets WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	var out []*record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, r := range out {
		if err := r.loadSegments(ctx, db); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// TicketByNumber finds a ticket by its number, today's by default; day may
// name another local date (YYYY-MM-DD).
func (q *Queue) TicketByNumber(ctx context.Context, number, day string) (*Ticket, error) {
	if day == "" {
		day = q.Today()
	}
	r, err := loadRecord(ctx, q.store.r, `day = ? AND number = ?`, day, strings.ToUpper(number))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, refuse(KindNotFound, "nomor antrean %s tidak ditemukan untuk tanggal %s", number, day)
	}
	if err != nil {
		return nil, err
	}
	tk := r.view(q.cfg.Location)
	if r.Stage.Waiting() {
		if err := estimate(ctx, q.store.r, q.cfg, tk, r.QueueSeq); err != nil {
			return nil, err
		}
	}
	return tk, nil
}

// estimate fills in how many wait ahead of a waiting ticket and how long it
// will probably wait: those ahead, times the recent mean service time, shared
// over the counters that serve the service.
func estimate(ctx context.Context, db querier, cfg *Config, tk *Ticket, queueSeq int64) error {
	var ahead int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM tickets WHERE stage IN ('issued', 'transferred') AND service = ?
		AND (priority > ? OR (priority = ? AND queue_seq < ?))`, tk.Service, tk.Priority, tk.Priority, queueSeq).Scan(&ahead)
	if err != nil {
		return err
	}
	in, err := waitInputsOf(ctx, db, cfg, tk)
	if err != nil {
		return err
	}
	in.fill(tk, ahead)
	return nil
}

// waitInputs are what a wait estimate of a service needs besides the people ahead.
type waitInputs struct {
	mean time.Duration // one citizen at a counter (meanService)
	open int           // counters serving the service now
}

// waitInputsOf reads tk's service's estimate inputs.
func waitInputsOf(ctx context.Context, db querier, cfg *Config, tk *Ticket) (waitInputs, error) {
	mean, err := meanService(ctx, db, tk.Service, time.Duration(tk.ServiceStandardS)*time.Second)
	if err != nil {
		return waitInputs{}, err
	}
	open, err := openCountersServing(ctx, db, cfg, tk.Service)
	return waitInputs{mean: mean, open: open}, err
}

// fill sets tk's people ahead and estimated wait.
func (in waitInputs) fill(tk *Ticket, ahead int) {
	w := int64(estimateWait(ahead, in.mean, in.open) / time.Second)
	tk.PeopleAhead, tk.EstimatedWaitS = &ahead, &w
}

// estimateWait is the wait of one with ahead citizens before them, each taking mean
// (perCitizen) at one of counters; at least minWaitAhead while anyone is ahead.
func estimateWait(ahead int, mean time.Duration, counters int) time.Duration {
	if counters < 1 {
		counters = 1
	}
	w := time.Duration(ahead) * mean / time.Duration(counters)
	if ahead > 0 && w < minWaitAhead {
		w = minWaitAhead
	}
	return w
}

// meanService is the mean of the last 20 finished services of a service, or
// its standard when there are none yet, never below perCitizen's floor: what an
// estimate counts for one citizen at a counter.
func meanService(ctx context.Context, db querier, service string, standard time.Duration) (time.Duration, error) {
	rows, err := db.QueryContext(ctx, `SELECT started, ended FROM segments WHERE service = ? AND end_stage = 'finished'
		ORDER BY ended DESC LIMIT 20`, service)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var sum time.Duration
	n := 0
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			return 0, err
		}
		ia, err1 := ParseInstant(a)
		ib, err2 := ParseInstant(b)
		if err1 != nil || err2 != nil {
			continue
		}
		sum += Elapsed(ia, ib)
		n++
	}
	if n == 0 {
		return perCitizen(standard, standard), rows.Err()
	}
	return perCitizen(sum/time.Duration(n), standard), rows.Err()
}
