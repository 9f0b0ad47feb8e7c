package queue

import (
	"context"
	"database/sql"
	"errors"
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
	Called   []*Ticket      `json:"called"`  // today's latest calls, newest first
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
}

// CounterState is one counter now.
type CounterState struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Services []string `json:"services"`
	Current  *Ticket  `json:"current"`
}

// calledShown is how many of today's latest calls State lists.
const calledShown = 10

// State reads the office's state now, outside the event path.
func (q *Queue) State(ctx context.Context) (*State, error) {
	// One read transaction: WAL gives it a consistent snapshot, so Seq is
	// exactly the last event the rest of the state reflects.
	db, err := q.store.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer db.Rollback()
	now := q.clock.Now()
	cfg := q.cfg
	day, known, ok := q.officeDay(now) // day.go: the office day, and opening hours on the known time
	st := &State{Office: OfficeState{ID: cfg.Office.ID, Name: cfg.Office.Name, Open: cfg.Office.Open, Close: cfg.Office.Close},
		Now: now.Wall.In(cfg.Location), Day: day, Open: !ok || cfg.OpenAt(known), Waiting: []*Ticket{}, Called: []*Ticket{}}

	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&st.Seq); err != nil {
		return nil, err
	}
	live, err := loadRecords(ctx, db, `stage IN ('issued', 'transferred', 'called', 'started') ORDER BY service, priority DESC, queue_seq`)
	if err != nil {
		return nil, err
	}
	current := map[string]*Ticket{}
	waiting := map[string]int{}
	for _, r := range live {
		if r.Stage.Waiting() {
			tk := r.view(q.cfg.Location)
			ahead := waiting[r.Service]
			tk.PeopleAhead = &ahead
			st.Waiting = append(st.Waiting, tk)
			waiting[r.Service]++
		} else {
			current[r.Counter] = r.view(q.cfg.Location)
		}
	}
	issued := map[string]int{}
	rows, err := db.QueryContext(ctx, `SELECT service, last FROM day_numbers WHERE day = ?`, st.Day)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			rows.Close()
			return nil, err
		}
		issued[s] = n
	}
	rows.Close()
	for _, s := range cfg.Services {
		wait, service, err := q.standardsAt(ctx, db, s.Code, now) // the revision in force now
		if err != nil {
			return nil, err
		}
		avg, err := meanService(ctx, db, s.Code, service)
		if err != nil {
			return nil, err
		}
		st.Services = append(st.Services, ServiceState{Code: s.Code, Name: s.Name, Waiting: waiting[s.Code],
			EstimatedWaitS: int64(estimateWait(waiting[s.Code], avg, countersServing(cfg, s.Code)) / time.Second),
			WaitStandardS:  int64(wait / time.Second), ServiceStandardS: int64(service / time.Second),
			DailyQuota: s.DailyQuota, IssuedToday: issued[s.Code]})
	}
	for _, k := range cfg.Counters {
		st.Counters = append(st.Counters, CounterState{ID: k.ID, Name: k.Name, Services: k.Services, Current: current[k.ID]})
	}
	// Today's calls, newest call first by event sequence (daycalls.go).
	called, err := latestCalls(ctx, db, st.Day, calledShown)
	if err != nil {
		return nil, err
	}
	for _, r := range called {
		st.Called = append(st.Called, r.view(q.cfg.Location))
	}
	return st, nil
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
		return nil, refuse(KindNotFound, "nomor antrian %s tidak ditemukan untuk tanggal %s", number, day)
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
	avg, err := meanService(ctx, db, tk.Service, time.Duration(tk.ServiceStandardS)*time.Second)
	if err != nil {
		return err
	}
	w := int64(estimateWait(ahead, avg, countersServing(cfg, tk.Service)) / time.Second)
	tk.PeopleAhead, tk.EstimatedWaitS = &ahead, &w
	return nil
}

func estimateWait(ahead int, mean time.Duration, counters int) time.Duration {
	if counters < 1 {
		counters = 1
	}
	return time.Duration(ahead) * mean / time.Duration(counters)
}

func countersServing(cfg *Config, service string) int {
	n := 0
	for _, k := range cfg.Counters {
		for _, s := range k.Services {
			if s == service {
				n++
				break
			}
		}
	}
	return n
}

// meanService is the mean of the last 20 finished services of a service, or
// its standard when there are none yet.
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
		return standard, rows.Err()
	}
	return sum / time.Duration(n), rows.Err()
}
