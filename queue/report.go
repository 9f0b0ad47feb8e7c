package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Report is the monthly report of DOMAIN.md: the office's own
// (GET /api/reports/monthly) and headquarters' copy, computed by the same
// ReportBuilder from the same events. Referrals is an addition; Segments
// (the ticket-level rows of the spreadsheet) is not part of the JSON.
type Report struct {
	Office       string                 `json:"office"`
	Month        string                 `json:"month"` // YYYY-MM, local to the office
	Overall      *Indicators            `json:"overall"`
	Services     map[string]*Indicators `json:"services"`
	Complaints   ComplaintIndicators    `json:"complaints"`
	Satisfaction Satisfaction           `json:"satisfaction"`
	SKM          SKM                    `json:"skm"`
	Referrals    []Referral             `json:"referrals"`
	Segments     []SegmentRow           `json:"-"`
}

// Referral counts the transfers (rujukan) of the month from one service to
// another, by receiving unit.
type Referral struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Unit  string `json:"unit,omitempty"`
	Count int    `json:"count"`
}

// SegmentRow is one segment of the month, the ticket-level row of reports.
// Times are local to the office; durations are seconds, nil when the stage
// was not reached.
type SegmentRow struct {
	TicketID         int64
	Number           string
	Day              string
	Segment          int
	Service          string
	Counter          string
	Priority         bool
	TransferredFrom  string
	Queued           time.Time
	FirstCall        *time.Time
	LastCall         *time.Time
	Started          *time.Time
	Ended            *time.Time
	Calls            int
	End              Stage // "" while open
	Outcome          Outcome
	TransferTo       string
	Note, Unit       string
	WaitS            *float64
	WalkS            *float64
	ServiceS         *float64
	WaitStandardS    int64
	ServiceStandardS int64
}

type segKey struct {
	ticket int64
	idx    int
}

// segState is one segment as followed through the events.
type segState struct {
	ticketID                             int64
	number, day, service, counter        string
	idx                                  int
	priority                             bool
	transferredFrom                      string
	queued, firstCall, lastCall, started Instant
	ended                                Instant
	calls                                int
	end                                  Stage
	outcome                              Outcome
	waitStd, serviceStd                  time.Duration
	transferTo, note, unit               string
	queueSeq                             int64 // only for segments read from the store
}

type complaintState struct {
	received, closed Instant
	standard         time.Duration
	isClosed         bool
}

// ReportBuilder computes a monthly Report from a stream of events: the
// office's own outbox or the events headquarters received, so both compute
// the very same report. Feed it every event of the office in sequence order
// (events from before and after the month are needed: complaints still open,
// segments of the month that end after it); it keeps only what the month
// needs.
//
// Attribution: a segment (one wait-and-serve pass of a ticket through one
// service) belongs to the month of its queued time (the issue, or the
// transfer into the service), in the office's time zone, whatever happens to
// it afterwards: a ticket queued on 31 January at 23:50 and called on
// 1 February counts, with its whole wait, in January. Issued counts the issue
// month. Quick scores, survey responses, complaint receipts and closures
// count in the month of their own event.
type ReportBuilder struct {
	office, month string
	loc           *time.Location
	start, end    time.Time
	lastSeq       int64

	segs       map[segKey]*segState
	order      []*segState
	issued     map[string]*acc // issue counts per service
	complaints map[int64]*complaintState
	cOrder     []int64
	fbN        int
	fbSum      int
	fbOK       int
	skm        SKM
}

// NewReport starts the report of office for month (YYYY-MM) in time zone loc.
func NewReport(office, month string, loc *time.Location) (*ReportBuilder, error) {
	if loc == nil {
		loc = time.UTC
	}
	start, err := time.ParseInLocation("2006-01", month, loc)
	if err != nil {
		return nil, refuse(KindInvalid, "bulan %q tidak valid; tulis YYYY-MM, contoh \"2024-03\"", month)
	}
	return &ReportBuilder{office: office, month: month, loc: loc, start: start, end: start.AddDate(0, 1, 0),
		segs: map[segKey]*segState{}, issued: map[string]*acc{}, complaints: map[int64]*complaintState{}}, nil
}

// Month is the report's month, YYYY-MM.
func (b *ReportBuilder) Month() string { return b.month }

// Bounds are the first instant of the month and of the next one, local.
func (b *ReportBuilder) Bounds() (start, end time.Time) { return b.start, b.end }

func (b *ReportBuilder) inMonth(t time.Time) bool { return !t.Before(b.start) && t.Before(b.end) }

func (b *ReportBuilder) issuedAcc(service string) *acc {
	a := b.issued[service]
	if a == nil {
		a = &acc{}
		b.issued[service] = a
	}
	return a
}

// Add feeds one event. Live notices (Seq 0) and repeats (a Seq not above the
// last one added) are ignored; unknown event types too, so that newer
// offices can send events older headquarters do not know.
func (b *ReportBuilder) Add(ev Event) {
	if ev.Seq <= 0 || ev.Seq <= b.lastSeq {
		return
	}
	b.lastSeq = ev.Seq
	switch ev.Type {
	case EventIssued:
		tk := ev.Ticket
		if tk == nil || !b.inMonth(ev.At) {
			return
		}
		a := b.issuedAcc(tk.Service)
		a.ind.Issued++
		if tk.Priority {
			a.ind.Priority++
		}
		b.addSeg(ev, tk, "")
	case EventTransferred:
		tk := ev.Ticket
		if tk == nil {
			return
		}
		var d TransferData
		_ = json.Unmarshal(ev.Data, &d)
		if s := b.segs[segKey{tk.ID, tk.Segment - 1}]; s != nil {
			s.end, s.ended, s.transferTo, s.note, s.unit = StageTransferred, ev.Instant(), tk.Service, d.Note, d.Unit
			if d.To != "" {
				s.transferTo = d.To
			}
		}
		if b.inMonth(ev.At) {
			from := d.From
			if from == "" {
				from = ev.Service
			}
			b.addSeg(ev, tk, from)
		}
	case EventCalled, EventRecalled, EventStarted, EventFinished, EventNoShow, EventExpired, EventRequeued:
		tk := ev.Ticket
		if tk == nil {
			return
		}
		s := b.segs[segKey{tk.ID, tk.Segment}]
		if s == nil {
			return
		}
		in := ev.Instant()
		switch ev.Type {
		case EventCalled:
			if s.firstCall.IsZero() { // a returned no-show keeps its first call: its wait ends there
				s.firstCall = in
			}
			s.lastCall = in
			s.calls++
			s.counter = ev.Counter
		case EventRequeued: // a no-show back in the queue: the segment is open again, not a no-show
			s.end, s.ended = "", Instant{}
		case EventRecalled:
			s.lastCall = in
			s.calls++
		case EventStarted:
			s.started = in
		case EventFinished:
			if s.started.IsZero() {
				s.started = s.lastCall // no start button: the last call is the start
			}
			var d FinishData
			_ = json.Unmarshal(ev.Data, &d)
			s.outcome = d.Outcome
			if s.outcome == "" {
				s.outcome = tk.Outcome
			}
			s.end, s.ended = StageFinished, in
		case EventNoShow:
			s.end, s.ended = StageNoShow, in
		case EventExpired:
			s.end, s.ended = StageExpired, in
		}
	case EventFeedback:
		if !b.inMonth(ev.At) {
			return
		}
		var d FeedbackData
		if json.Unmarshal(ev.Data, &d) != nil || d.Score < 1 || d.Score > 4 {
			return
		}
		b.fbN++
		b.fbSum += d.Score
		if d.Score >= 3 {
			b.fbOK++
		}
	case EventSurvey:
		if !b.inMonth(ev.At) {
			return
		}
		var d SurveyData
		if json.Unmarshal(ev.Data, &d) != nil {
			return
		}
		b.skm.Responses++
		for i, a := range d.Answers {
			if a >= 1 && a <= 4 { // 0: not answered
				b.skm.elements[i].sum += int64(a)
				b.skm.elements[i].n++
			}
		}
	case EventComplaintReceived:
		var d struct {
			ID        int64 `json:"id"`
			StandardS int64 `json:"standard_s"`
		}
		if json.Unmarshal(ev.Data, &d) != nil || b.complaints[d.ID] != nil {
			return
		}
		b.complaints[d.ID] = &complaintState{received: ev.Instant(), standard: time.Duration(d.StandardS) * time.Second}
		b.cOrder = append(b.cOrder, d.ID)
	case EventComplaintUpdated:
		var d ComplaintUpdate
		if json.Unmarshal(ev.Data, &d) != nil || d.Status != ComplaintClosed {
			return
		}
		if c := b.complaints[d.ID]; c != nil && !c.isClosed {
			c.closed, c.isClosed = ev.Instant(), true
		}
	}
}

func (b *ReportBuilder) addSeg(ev Event, tk *Ticket, from string) {
	s := &segState{ticketID: tk.ID, number: tk.Number, day: tk.Day, service: tk.Service, idx: tk.Segment,
		priority: tk.Priority, transferredFrom: from, queued: ev.Instant(),
		waitStd: time.Duration(tk.WaitStandardS) * time.Second, serviceStd: time.Duration(tk.ServiceStandardS) * time.Second}
	b.segs[segKey{tk.ID, tk.Segment}] = s
	b.order = append(b.order, s)
}

// Report computes the report from the events added so far. The builder can
// take more events afterwards.
func (b *ReportBuilder) Report() *Report {
	r := &Report{Office: b.office, Month: b.month, Services: map[string]*Indicators{}, Referrals: []Referral{}}
	per := map[string]*acc{}
	get := func(svc string) *acc {
		a := per[svc]
		if a == nil {
			a = &acc{}
			per[svc] = a
		}
		return a
	}
	for svc, a := range b.issued {
		g := get(svc)
		g.ind.Issued, g.ind.Priority = a.ind.Issued, a.ind.Priority
	}
	type refKey struct{ from, to, unit string }
	refs := map[refKey]int{}
	var refOrder []refKey
	for _, s := range b.order {
		get(s.service).addSegment(s)
		r.Segments = append(r.Segments, b.row(s))
		if s.end == StageTransferred {
			k := refKey{s.service, s.transferTo, s.unit}
			if refs[k] == 0 {
				refOrder = append(refOrder, k)
			}
			refs[k]++
		}
	}
	codes := make([]string, 0, len(per))
	for c := range per {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	all := &acc{}
	for _, c := range codes {
		all.merge(per[c])
		r.Services[c] = per[c].result()
	}
	r.Overall = all.result()
	sort.SliceStable(refOrder, func(i, j int) bool {
		a, c := refOrder[i], refOrder[j]
		if a.from != c.from {
			return a.from < c.from
		}
		if a.to != c.to {
			return a.to < c.to
		}
		return a.unit < c.unit
	})
	for _, k := range refOrder {
		r.Referrals = append(r.Referrals, Referral{From: k.from, To: k.to, Unit: k.unit, Count: refs[k]})
	}

	closedOK := 0
	for _, id := range b.cOrder {
		c := b.complaints[id]
		if b.inMonth(c.received.Wall) {
			r.Complaints.Received++
		}
		closedBy := c.isClosed && c.closed.Wall.Before(b.end)
		if c.received.Wall.Before(b.end) && !closedBy {
			r.Complaints.Open++
		}
		if c.isClosed && b.inMonth(c.closed.Wall) {
			r.Complaints.Closed++
			if Elapsed(c.received, c.closed) <= c.standard {
				closedOK++
			}
		}
	}
	r.Complaints.ClosedWithinStandardPct = pct(closedOK, r.Complaints.Closed)

	r.Satisfaction.Responses = b.fbN
	if b.fbN > 0 {
		m := float64(b.fbSum) / float64(b.fbN)
		r.Satisfaction.Mean = &m
	}
	r.Satisfaction.SatisfiedPct = pct(b.fbOK, b.fbN)
	r.SKM = SKM{Responses: b.skm.Responses, elements: b.skm.elements}
	r.SKM.compute()
	return r
}

func (b *ReportBuilder) row(s *segState) SegmentRow {
	loc := func(i Instant) *time.Time {
		if i.IsZero() {
			return nil
		}
		t := i.Wall.In(b.loc)
		return &t
	}
	secs := func(d time.Duration) *float64 { v := float64(d) / 1e9; return &v }
	row := SegmentRow{TicketID: s.ticketID, Number: s.number, Day: s.day, Segment: s.idx, Service: s.service,
		Counter: s.counter, Priority: s.priority, TransferredFrom: s.transferredFrom, Queued: s.queued.Wall.In(b.loc),
		FirstCall: loc(s.firstCall), LastCall: loc(s.lastCall), Started: loc(s.started), Ended: loc(s.ended),
		Calls: s.calls, End: s.end, Outcome: s.outcome, TransferTo: s.transferTo, Note: s.note, Unit: s.unit,
		WaitStandardS: int64(s.waitStd / time.Second), ServiceStandardS: int64(s.serviceStd / time.Second)}
	if !s.firstCall.IsZero() {
		row.WaitS = secs(Elapsed(s.queued, s.firstCall))
	}
	if s.end == StageFinished {
		row.WalkS = secs(Elapsed(s.lastCall, s.started))
		row.ServiceS = secs(Elapsed(s.started, s.ended))
	}
	return row
}

// reportMargin widens the stored-text window of the segment query; the exact
// month test is done on the parsed instant (a stored wall time is UTC text
// whose fractional seconds make string order differ from time order).
const reportMargin = 48 * time.Hour

// MonthlyReport computes the office's report for a local month (YYYY-MM).
//
// It gives the same Report as feeding the office's whole event stream to a
// ReportBuilder, which is what headquarters does — but reads the segments
// table, the per-segment projection the event path keeps in the same
// transaction as each event, instead of decoding every event's JSON: a month
// of a busy office is ~100 000 segments but ~500 000 events. Only the few
// events that are not about tickets (feedback, surveys, complaints) are
// decoded. TestMonthlyReportEqualsEventStream holds the two paths together.
func (q *Queue) MonthlyReport(ctx context.Context, month string) (*Report, error) {
	b, err := NewReport(q.cfg.Office.ID, month, q.cfg.Location)
	if err != nil {
		return nil, err
	}
	db, err := q.store.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // one consistent snapshot
	if err != nil {
		return nil, err
	}
	defer db.Rollback()
	from := b.start.Add(-reportMargin).UTC().Format(time.RFC3339Nano)
	to := b.end.Add(reportMargin).UTC().Format(time.RFC3339Nano)
	rows, err := db.QueryContext(ctx, `SELECT t.number, t.day, t.priority, s.`+strings.ReplaceAll(segmentCols, ", ", ", s.")+`,
		CASE WHEN s.idx > 1 THEN (SELECT p.service FROM segments p WHERE p.ticket_id = s.ticket_id AND p.idx = s.idx - 1) ELSE '' END
		FROM segments s JOIN tickets t ON t.id = s.ticket_id
		WHERE s.queued >= ? AND s.queued < ?`, from, to)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var number, day, prev string
		var priority bool
		seg, err := scanSegment(rowScanner{rows, []any{&number, &day, &priority}, []any{&prev}})
		if err != nil {
			rows.Close()
			return nil, err
		}
		seg.Priority = priority
		b.addStoredSegment(seg, number, day, prev)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The event stream meets segments in the order they were queued.
	sort.Slice(b.order, func(i, j int) bool { return b.order[i].queueSeq < b.order[j].queueSeq })
	evRows, err := db.QueryContext(ctx, `SELECT body FROM events WHERE type IN (?, ?, ?, ?) ORDER BY seq`,
		EventFeedback, EventSurvey, EventComplaintReceived, EventComplaintUpdated)
	if err != nil {
		return nil, err
	}
	defer evRows.Close()
	for evRows.Next() {
		var body []byte
		if err := evRows.Scan(&body); err != nil {
			return nil, err
		}
		var ev Event
		if err := json.Unmarshal(body, &ev); err != nil {
			return nil, fmt.Errorf("event rusak: %w", err)
		}
		b.Add(ev)
	}
	if err := evRows.Err(); err != nil {
		return nil, err
	}
	return b.Report(), nil
}

// rowScanner scans extra columns before and after the segment's own.
type rowScanner struct {
	rows        *sql.Rows
	before, aft []any
}

func (r rowScanner) Scan(dest ...any) error {
	all := append(append(append([]any{}, r.before...), dest...), r.aft...)
	return r.rows.Scan(all...)
}

// addStoredSegment takes a segment as the store keeps it, with the same
// attribution as Add: counted in the month of its queued time; a first
// segment is also the ticket's issue.
func (b *ReportBuilder) addStoredSegment(seg *Segment, number, day, from string) {
	if !b.inMonth(seg.Queued.Wall) {
		return
	}
	if seg.Index == 1 {
		a := b.issuedAcc(seg.Service)
		a.ind.Issued++
		if seg.Priority {
			a.ind.Priority++
		}
	}
	s := &segState{ticketID: seg.TicketID, number: number, day: day, service: seg.Service, counter: seg.Counter,
		idx: seg.Index, priority: seg.Priority, transferredFrom: from, queued: seg.Queued, firstCall: seg.FirstCall,
		lastCall: seg.LastCall, started: seg.Started, ended: seg.Ended, calls: seg.Calls, end: seg.End,
		outcome: seg.Outcome, waitStd: seg.WaitStandard, serviceStd: seg.ServiceStandard,
		transferTo: seg.TransferTo, note: seg.Note, unit: seg.Unit, queueSeq: seg.QueueSeq}
	b.segs[segKey{seg.TicketID, seg.Index}] = s
	b.order = append(b.order, s)
}
