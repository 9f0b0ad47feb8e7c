package queue

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"
)

// Forecast is a service's surge forecast (DOMAIN.md "Crisis"): of the citizens waiting
// now, how many will be called before closing time, how many are at risk of not being
// called today, and how many more counters would clear its queue in time. The first three
// fields are the contract; the others say what the forecast rests on. /api/state has one
// per service (null when the office has no closing time); docs/CRISIS.md gives the model.
type Forecast struct {
	// ServableByClose is how many of those waiting now will probably be called before
	// closing (the median of the simulated days).
	ServableByClose int `json:"servable_by_close"`
	// AtRisk is how many of those waiting now will probably not be called today.
	AtRisk int `json:"at_risk"`
	// ExtraCountersNeeded is how many more counters serving this service, opened now,
	// would call everyone waiting now before closing (the priority citizens expected to
	// arrive meanwhile going first, as they would).
	ExtraCountersNeeded int `json:"extra_counters_needed"`
	// NextServable says whether a ticket taken now would probably be called before
	// closing: what the kiosk warns about, and what stop_when_unservable refuses on.
	NextServable bool `json:"next_servable"`
	// CountersOpen is how many open counters serve it.
	CountersOpen int `json:"counters_open"`
	// PerCallS is the mean counter time per call the forecast drew from (call to end,
	// with the officers' turnaround), in seconds.
	PerCallS int64 `json:"per_call_s"`
	// ArrivalsPerHour is the arrival rate assumed for the rest of the day.
	ArrivalsPerHour float64 `json:"arrivals_per_hour"`
	// Close is the closing time the forecast runs to.
	Close time.Time `json:"close"`
}

// Surge reports whether someone waiting now will probably not be served today.
func (f *Forecast) Surge() bool { return f != nil && f.AtRisk > 0 }

// forecastQuantum is the step of time a forecast is computed at: the clock is cut down to
// it, so a board moved by events and one loaded fresh in the same quarter-minute give the
// same forecast, and time alone changes a forecast at most four times a minute.
const forecastQuantum = 15 * time.Second

// fcService is one service as the forecast sees it.
type fcService struct {
	code     string
	waiting  []simTicket   // call order
	fallback time.Duration // its recent mean service time, or its standard
}

// fcCounter is an open counter as the forecast sees it.
type fcCounter struct {
	services []string
	current  string    // the service of the ticket at it, "" when free
	calledAt time.Time // that ticket's first call
}

// fcInputs are the state a forecast is computed from.
type fcInputs struct {
	now      time.Time
	services []fcService // config order
	counters []fcCounter // the open counters, config order
	stats    *dayStats
}

// closingTimes are today's opening and closing instants for now, false when the office
// has no closing time.
func (cfg *Config) closingTimes(now time.Time) (open, close time.Time, ok bool) {
	o := cfg.Office
	if o.OpenAt == 0 && o.CloseAt == 0 {
		return time.Time{}, time.Time{}, false
	}
	l := now.In(cfg.Location)
	midnight := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, cfg.Location)
	return midnight.Add(o.OpenAt), midnight.Add(o.CloseAt), true
}

// dayStart is the local midnight of an office day (YYYY-MM-DD).
func (cfg *Config) dayStart(day string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", day, cfg.Location)
	if err != nil {
		return time.Time{}
	}
	return t
}

// forecasts computes the forecast of every service in only's groups (every group when
// only is empty): one simulation per group of services that share open counters. The
// probe — the ticket a kiosk would give now — is a priority ticket when priority is set.
func (cfg *Config) forecasts(in fcInputs, only []string, priority bool) map[string]*Forecast {
	out := map[string]*Forecast{}
	openAt, closeAt, ok := cfg.closingTimes(in.now)
	if !ok {
		return out
	}
	opened := openAt
	if in.stats.start.After(opened) {
		opened = in.stats.start
	}
	for _, g := range forecastGroups(in) {
		if len(only) > 0 && !slices.ContainsFunc(g, func(i int) bool { return slices.Contains(only, in.services[i].code) }) {
			continue
		}
		sg := simGroup{probePriority: priority}
		sg.horizon = closeAt.Sub(in.now)
		sg.start = max(openAt.Sub(in.now), 0)
		index := map[string]int{}
		for _, i := range g {
			s := in.services[i]
			index[s.code] = len(sg.services)
			rate, prio := in.stats.rate(s.code, in.now, opened)
			sg.services = append(sg.services, simService{code: s.code, waiting: s.waiting,
				samples: in.stats.samples(s.code, s.fallback), rate: rate, prio: prio})
		}
		open := make([]int, len(sg.services))
		for _, k := range in.counters {
			sk := simCounter{current: -1}
			for _, code := range k.services {
				if i, ok := index[code]; ok {
					sk.services = append(sk.services, i)
					open[i]++
				}
			}
			if len(sk.services) == 0 {
				continue
			}
			if i, ok := index[k.current]; ok && k.current != "" {
				sk.current, sk.elapsed = i, max(in.now.Sub(k.calledAt), 0)
			}
			sg.counters = append(sg.counters, sk)
		}
		fc := sg.forecast()
		for i, s := range sg.services {
			f := &Forecast{ServableByClose: min(fc.servable[i], len(s.waiting)), NextServable: fc.next[i],
				ExtraCountersNeeded: fc.extra[i], CountersOpen: open[i],
				PerCallS:        int64(meanOf(s.samples) / time.Second),
				ArrivalsPerHour: math.Round(s.rate*3600*10) / 10, Close: closeAt.In(cfg.Location)}
			f.AtRisk = len(s.waiting) - f.ServableByClose
			out[s.code] = f
		}
	}
	return out
}

// forecastGroups splits the services into groups that share open counters (indexes into
// in.services, config order): a counter serving two services serves them in one queue
// order, so they are forecast together; a service no open counter serves is a group of
// its own.
func forecastGroups(in fcInputs) [][]int {
	parent := make([]int, len(in.services))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	index := map[string]int{}
	for i, s := range in.services {
		index[s.code] = i
	}
	for _, k := range in.counters {
		first := -1
		for _, code := range k.services {
			i, ok := index[code]
			if !ok {
				continue
			}
			if first < 0 {
				first = i
			} else if a, b := find(first), find(i); a != b {
				parent[max(a, b)] = min(a, b)
			}
		}
	}
	byRoot := map[int][]int{}
	var roots []int
	for i := range in.services {
		r := find(i)
		if _, ok := byRoot[r]; !ok {
			roots = append(roots, r)
		}
		byRoot[r] = append(byRoot[r], i)
	}
	out := make([][]int, 0, len(roots))
	for _, r := range roots {
		out = append(out, byRoot[r])
	}
	return out
}

// openCounters are the counters open now, in config order: those the forecast shares the
// waiting over. isOpen says whether a counter takes citizens (its status: open, paused,
// closed); nil counts every configured counter.
func openCounters(cfg *Config, isOpen func(id string) bool) []CounterConfig {
	var out []CounterConfig
	for _, k := range cfg.Counters {
		if isOpen == nil || isOpen(k.ID) {
			out = append(out, k)
		}
	}
	return out
}

// boardForecast is a Board's part of the forecast: today's statistics, moved by the
// events, and the forecasts computed from them, kept until an event or the clock's next
// quarter-minute changes them.
type boardForecast struct {
	stats   *dayStats
	cache   map[string]*Forecast
	quantum int64 // forecastQuantum step of the cache; 0: none
	dirty   bool
	given   map[string]Forecast // what pages were last given, per service
}

// loadForecast reads today's statistics for a board being loaded; an office without a
// closing time has no forecast and reads nothing.
func (b *Board) loadForecast(ctx context.Context, db querier) error {
	b.fc = boardForecast{}
	if _, _, ok := b.q.cfg.closingTimes(b.q.clock.Now().Wall); !ok {
		return nil
	}
	stats, err := loadDayStats(ctx, db, b.q.cfg.dayStart(b.day))
	if err != nil {
		return err
	}
	b.fc = boardForecast{stats: stats, dirty: true, given: map[string]Forecast{}}
	return nil
}

// noteForecast feeds one event to the board's statistics, before the board applies it
// (a referral's counter time needs the ticket as it was at the counter).
func (b *Board) noteForecast(ev Event) {
	if b.fc.stats == nil {
		return
	}
	b.fc.dirty = true
	tk := ev.Ticket
	if tk == nil {
		return
	}
	st := b.fc.stats
	switch ev.Type {
	case EventIssued:
		st.arrive(tk.Service, tk.Priority, tk.QueuedAt)
	case EventCalled:
		if tk.CalledAt != nil {
			st.called(tk.Counter, tk.ID, tk.Segment, *tk.CalledAt)
		}
	case EventFinished, EventNoShow:
		end := tk.FinishedAt
		if ev.Type == EventNoShow {
			end = tk.NoShowAt
		}
		if tk.CalledAt != nil && end != nil {
			st.ended(tk.Service, tk.Counter, tk.ID, tk.Segment, *tk.CalledAt, *end)
		}
	case EventTransferred:
		if prev, ok := b.live[ticketKey(tk.Day, tk.Number)]; ok && prev.tk.CalledAt != nil && tk.TransferredAt != nil {
			st.ended(prev.tk.Service, prev.tk.Counter, tk.ID, tk.Segment-1, *prev.tk.CalledAt, *tk.TransferredAt)
		}
		st.arrive(tk.Service, tk.Priority, tk.QueuedAt)
	}
}

// counterOpen reports whether a board's counter takes citizens now: a paused or closed
// counter serves nobody until it opens again, so the forecast leaves it out.
func (b *Board) counterOpen(id string) bool {
	k, ok := b.counter[id]
	return !ok || k.state.status == CounterOpen
}

// forecastInputs is the board's state as the forecast reads it, at now.
func (b *Board) forecastInputs(now time.Time) fcInputs {
	in := fcInputs{now: now, stats: b.fc.stats}
	for _, s := range b.services {
		fs := fcService{code: s.cfg.Code, fallback: s.mean, waiting: make([]simTicket, len(s.waiting))}
		for i, bt := range s.waiting {
			fs.waiting[i] = simTicket{seq: bt.queueSeq, priority: bt.tk.Priority}
		}
		in.services = append(in.services, fs)
	}
	for _, k := range openCounters(b.q.cfg, b.counterOpen) {
		fk := fcCounter{services: k.Services}
		if cur := b.counter[k.ID].current; cur != nil && cur.CalledAt != nil {
			fk.current, fk.calledAt = cur.Service, *cur.CalledAt
		}
		in.counters = append(in.counters, fk)
	}
	return in
}

// forecastNow is the clock cut down to forecastQuantum, and the step's number.
func (b *Board) forecastNow() (time.Time, int64) {
	now := b.q.clock.Now().Wall
	return now.Truncate(forecastQuantum), now.UnixNano() / int64(forecastQuantum)
}

// forecastOf is a service's forecast now, nil when the office has no closing time.
func (b *Board) forecastOf(code string) *Forecast {
	if b.fc.stats == nil {
		return nil
	}
	now, step := b.forecastNow()
	if b.fc.dirty || b.fc.quantum != step {
		b.fc.cache, b.fc.quantum, b.fc.dirty = map[string]*Forecast{}, step, false
	}
	f, ok := b.fc.cache[code]
	if !ok {
		for c, g := range b.q.cfg.forecasts(b.forecastInputs(now), []string{code}, false) {
			b.fc.cache[c] = g
		}
		if f, ok = b.fc.cache[code]; !ok {
			b.fc.cache[code] = nil // no closing time: null
		}
	}
	if f != nil {
		b.fc.given[code] = *f
	} else {
		delete(b.fc.given, code)
	}
	return f
}

// forecastMoved reports whether time alone changed a forecast pages were given: the
// board is then stale, and every page gets a new snapshot.
func (b *Board) forecastMoved() bool {
	if b.fc.stats == nil {
		return false
	}
	given := b.fc.given
	b.fc.given = map[string]Forecast{}
	moved := false
	for code, was := range given {
		if f := b.forecastOf(code); f == nil || *f != was {
			moved = true
		}
	}
	return moved
}

// forecastPeers adds to services those that share open counters with them: an event in
// one service moves the forecast of every service its counters also serve.
func (b *Board) forecastPeers(services []string) []string {
	if len(services) == 0 || b.fc.stats == nil {
		return services
	}
	out := services
	for _, k := range openCounters(b.q.cfg, b.counterOpen) {
		if !slices.ContainsFunc(k.Services, func(c string) bool { return slices.Contains(services, c) }) {
			continue
		}
		for _, c := range k.Services {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// forecastInTx is service's forecast as a command sees it inside its transaction: the
// same inputs as a board's, read from the store (Issue's stop_when_unservable), with a
// priority probe for a priority ticket.
func (t *txn) forecastInTx(service string, priority bool) (*Forecast, error) {
	cfg := t.q.cfg
	now := t.now.Wall.Truncate(forecastQuantum)
	if _, _, ok := cfg.closingTimes(now); !ok {
		return nil, nil
	}
	stats, err := loadDayStats(t.ctx, t.tx, cfg.dayStart(t.day))
	if err != nil {
		return nil, err
	}
	in := fcInputs{now: now, stats: stats}
	waiting := map[string][]simTicket{}
	rows, err := t.tx.QueryContext(t.ctx, `SELECT service, priority, queue_seq FROM tickets
		WHERE stage IN ('issued', 'transferred') ORDER BY service, priority DESC, queue_seq`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var code string
		var tk simTicket
		if err := rows.Scan(&code, &tk.priority, &tk.seq); err != nil {
			rows.Close()
			return nil, err
		}
		waiting[code] = append(waiting[code], tk)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, s := range cfg.Services {
		_, std, err := t.standardsAt(s.Code, t.now)
		if err != nil {
			return nil, err
		}
		mean, err := meanService(t.ctx, t.tx, s.Code, std)
		if err != nil {
			return nil, err
		}
		in.services = append(in.services, fcService{code: s.Code, waiting: waiting[s.Code], fallback: mean})
	}
	type atCounter struct {
		service string
		called  time.Time
	}
	current := map[string]atCounter{}
	rows, err = t.tx.QueryContext(t.ctx, `SELECT t.counter, t.service, s.first_call FROM tickets t
		JOIN segments s ON s.ticket_id = t.id AND s.idx = t.segment WHERE t.stage IN ('called', 'started')`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var counter, code, call string
		if err := rows.Scan(&counter, &code, &call); err != nil {
			rows.Close()
			return nil, err
		}
		if in, err := ParseInstant(call); err == nil && !in.IsZero() {
			current[counter] = atCounter{code, in.Wall}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	states, err := loadCounterStates(t.ctx, t.tx)
	if err != nil {
		return nil, err
	}
	isOpen := func(id string) bool { cs, ok := states[id]; return !ok || cs.status == CounterOpen }
	for _, k := range openCounters(cfg, isOpen) {
		cur := current[k.ID]
		in.counters = append(in.counters, fcCounter{services: k.Services, current: cur.service, calledAt: cur.called})
	}
	return cfg.forecasts(in, []string{service}, priority)[service], nil
}

// mayServeToday refuses a ticket for a service with stop_when_unservable that would
// probably not be called before closing (409, reason "capacity"), saying what to do
// instead. Other services are never refused for it: the kiosk only warns.
func (t *txn) mayServeToday(svc ServiceConfig, priority bool) error {
	if !svc.StopWhenUnservable {
		return nil
	}
	f, err := t.forecastInTx(svc.Code, priority)
	if err != nil || f == nil || f.NextServable {
		return err
	}
	if f.CountersOpen == 0 {
		// Every counter serving it is paused or closed. During a break (a paused counter)
		// the forecast cannot know when it resumes: the kiosk warns, but does not stop.
		states, err := loadCounterStates(t.ctx, t.tx)
		if err != nil {
			return err
		}
		for _, k := range t.q.cfg.Counters {
			if slices.Contains(k.Services, svc.Code) && states[k.ID].status == CounterPaused {
				return nil
			}
		}
	}
	return refuseUnservable(t.q.cfg, svc, f)
}

// refuseUnservable is the refusal of a ticket that would not be served before closing,
// with what to do instead: come back at the next opening, or the service's other channel.
func refuseUnservable(cfg *Config, svc ServiceConfig, f *Forecast) error {
	var b strings.Builder
	b.WriteString("Maaf, antrean " + svc.Name + " hari ini sudah melebihi yang dapat dilayani sampai pukul " +
		clockText(f.Close) + "; nomor tidak diberikan agar Anda tidak menunggu sia-sia.")
	if cfg.Office.Open != "" {
		b.WriteString(" Silakan datang kembali besok mulai pukul " + strings.Replace(cfg.Office.Open, ":", ".", 1) + ".")
	}
	if svc.OtherChannel != "" {
		b.WriteString(" Layanan ini juga dapat diajukan lewat " + svc.OtherChannel + ".")
	}
	return &Error{Kind: KindCapacity, Msg: b.String(), Reason: ReasonCapacity}
}

// clockText is a time of day as Indonesians write it: 15.00.
func clockText(t time.Time) string { return t.Format("15.04") }
