package queue

import (
	"encoding/json"
	"time"
)

// SegmentRow is one segment of the period, the ticket-level row of reports.
// Times are local to the office; durations are seconds, nil when the stage
// was not reached.
type SegmentRow struct {
	TicketID         int64
	Number           string
	Day              string
	Segment          int
	Service          string
	Counter          string
	Officer          string
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
	Manual           bool // from a paper log: times as written, durations not measured
}

type segKey struct {
	ticket int64
	idx    int
}

// segState is one segment as followed through the events.
type segState struct {
	ticketID                             int64
	number, day, service, counter        string
	officer                              string
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
	manual                               bool  // entered from a paper log: its durations are not measured (backfill_report.go)
}

// addIssued starts the ticket's first segment.
func (b *ReportBuilder) addIssued(ev Event) {
	if tk := ev.Ticket; tk != nil && b.followed(ev.At) {
		b.addSeg(ev, tk, "")
	}
}

// addTransferred ends the segment the ticket leaves and starts the one it is
// referred to.
func (b *ReportBuilder) addTransferred(ev Event) {
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
	if b.followed(ev.At) {
		from := d.From
		if from == "" {
			from = ev.Service
		}
		b.addSeg(ev, tk, from)
	}
}

// addStage records a call, recall, start or end of a segment the builder follows, or a
// no-show's return to the queue (requeued).
func (b *ReportBuilder) addStage(ev Event) {
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
		s.counter, s.officer = ev.Counter, tk.Officer
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
}

func (b *ReportBuilder) addSeg(ev Event, tk *Ticket, from string) {
	s := &segState{ticketID: tk.ID, number: tk.Number, day: tk.Day, service: tk.Service, idx: tk.Segment,
		priority: tk.Priority, transferredFrom: from, queued: ev.Instant(),
		waitStd: time.Duration(tk.WaitStandardS) * time.Second, serviceStd: time.Duration(tk.ServiceStandardS) * time.Second}
	b.segs[segKey{tk.ID, tk.Segment}] = s
	b.order = append(b.order, s)
}

// addStoredSegment takes a segment as the store keeps it, with the same
// attribution as Add: followed when queued from ReadFrom on, counted in the
// period of its queued time; a first segment is also the ticket's issue.
func (b *ReportBuilder) addStoredSegment(seg *Segment, number, day, from string) {
	if !b.followed(seg.Queued.Wall) {
		return
	}
	s := &segState{ticketID: seg.TicketID, number: number, day: day, service: seg.Service, counter: seg.Counter,
		officer: seg.Officer, idx: seg.Index, priority: seg.Priority, transferredFrom: from, queued: seg.Queued,
		firstCall: seg.FirstCall, lastCall: seg.LastCall, started: seg.Started, ended: seg.Ended, calls: seg.Calls,
		end: seg.End, outcome: seg.Outcome, waitStd: seg.WaitStandard, serviceStd: seg.ServiceStandard,
		transferTo: seg.TransferTo, note: seg.Note, unit: seg.Unit, queueSeq: seg.QueueSeq, manual: IsManualNumber(number)}
	b.segs[segKey{seg.TicketID, seg.Index}] = s
	b.order = append(b.order, s)
}

// wait, walk and service are the segment's durations (DOMAIN.md
// "Indicators"); ok is false when the stage was not reached.
func (s *segState) waitTime() (time.Duration, bool) {
	if s.firstCall.IsZero() || s.manual {
		return 0, false
	}
	return Elapsed(s.queued, s.firstCall), true
}

func (s *segState) walkTime() (time.Duration, bool) {
	if s.end != StageFinished || s.manual {
		return 0, false
	}
	return Elapsed(s.lastCall, s.started), true
}

func (s *segState) serviceTime() (time.Duration, bool) {
	if s.end != StageFinished || s.manual {
		return 0, false
	}
	return Elapsed(s.started, s.ended), true
}

func (b *ReportBuilder) row(s *segState) SegmentRow {
	loc := func(i Instant) *time.Time {
		if i.IsZero() {
			return nil
		}
		t := i.Wall.In(b.loc)
		return &t
	}
	secs := func(d time.Duration, ok bool) *float64 {
		if !ok {
			return nil
		}
		v := float64(d) / 1e9
		return &v
	}
	row := SegmentRow{TicketID: s.ticketID, Number: s.number, Day: s.day, Segment: s.idx, Service: s.service,
		Counter: s.counter, Officer: s.officer, Priority: s.priority, TransferredFrom: s.transferredFrom,
		Queued: s.queued.Wall.In(b.loc), FirstCall: loc(s.firstCall), LastCall: loc(s.lastCall), Started: loc(s.started),
		Ended: loc(s.ended), Calls: s.calls, End: s.end, Outcome: s.outcome, TransferTo: s.transferTo, Note: s.note,
		Unit: s.unit, WaitStandardS: int64(s.waitStd / time.Second), ServiceStandardS: int64(s.serviceStd / time.Second),
		Manual: s.manual}
	row.WaitS = secs(s.waitTime())
	row.WalkS = secs(s.walkTime())
	row.ServiceS = secs(s.serviceTime())
	return row
}
