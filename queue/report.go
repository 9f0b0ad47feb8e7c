package queue

import (
	"encoding/json"
	"sort"
	"time"
)

// Report is the report of DOMAIN.md ("Report JSON" and "Reports") for a day,
// a month, a quarter or a year: the office's own (GET /api/reports/…) and
// headquarters' copy, computed by the same ReportBuilder from the same
// events. Exactly one of Day, Month, Quarter and Year is set. Fields after
// SKM are additions documented in docs/INDICATORS.md; Period, Segments and
// ComplaintRows are for the files (workbook, CSV, printable page) and not
// part of the JSON.
type Report struct {
	Office       string                 `json:"office"`
	Day          string                 `json:"day,omitempty"`     // YYYY-MM-DD
	Month        string                 `json:"month,omitempty"`   // YYYY-MM, local to the office
	Quarter      string                 `json:"quarter,omitempty"` // YYYY-QN
	Year         string                 `json:"year,omitempty"`    // YYYY
	Overall      *Indicators            `json:"overall"`
	Services     map[string]*Indicators `json:"services"`
	Complaints   ComplaintIndicators    `json:"complaints"`
	Satisfaction Satisfaction           `json:"satisfaction"`
	SKM          SKM                    `json:"skm"`
	Referrals    []Referral             `json:"referrals"`

	// Counters are the indicators of the segments each counter called.
	Counters map[string]*Indicators `json:"counters"`
	// Officers are those of the segments each officer called; absent until
	// officers sign in (a segment then carries its officer).
	Officers map[string]*Indicators `json:"officers,omitempty"`
	// ByHour has 24 entries, hour 0 to 23 of the office's day.
	ByHour []HourFigures `json:"by_hour"`
	// ServiceHours is ByHour per service: where each service's time goes.
	ServiceHours map[string][]HourFigures `json:"service_hours"`
	// ByDay are the indicators of each local day that had a segment.
	ByDay []DayIndicators `json:"by_day"`
	// Heatmap is arrivals and mean wait by weekday and hour.
	Heatmap Heatmap `json:"heatmap"`
	// Revisions compares each standards revision effective in the period
	// over equal windows before and after it.
	Revisions []RevisionImpact `json:"revisions"`
	// Incidents are the disruptions (gangguan layanan) that overlap the period, by start
	// (DOMAIN.md "Crisis"; incident_report.go).
	Incidents []Incident `json:"incidents"`
	// Manual is the indicators of the period's tickets entered from paper logs, on the
	// times written by hand; absent when there were none (backfill_report.go).
	Manual *Indicators `json:"manual,omitempty"`

	Period        Period         `json:"-"`
	Segments      []SegmentRow   `json:"-"`
	ComplaintRows []ComplaintRow `json:"-"`
}

// Referral counts the transfers (rujukan) of the period from one service to
// another, by receiving unit.
type Referral struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Unit  string `json:"unit,omitempty"`
	Count int    `json:"count"`
}

// ReportBuilder computes a Report from a stream of events: the office's own
// outbox or the events headquarters received, so both compute the very same
// report. Feed it every event of the office in sequence order from ReadFrom
// on, and the events of AnyTimeEvents from before (complaints still open,
// revisions recorded long before they take effect); it keeps only what the
// report needs.
//
// Attribution: a segment (one wait-and-serve pass of a ticket through one
// service) belongs to the period of its queued time (the issue, or the
// transfer into the service), in the office's time zone, whatever happens to
// it afterwards: a ticket queued on 31 January at 23:50 and called on
// 1 February counts, with its whole wait, in January. Issued counts the issue
// period. Quick scores, survey responses, complaint receipts and closures
// count in the period of their own event.
type ReportBuilder struct {
	office  string
	period  Period
	loc     *time.Location
	from    time.Time // segments queued from here on are followed: revision windows reach back this far
	lastSeq int64

	segs       map[segKey]*segState
	order      []*segState
	complaints map[int64]*complaintState
	cOrder     []int64
	fbN        int
	fbSum      int
	fbOK       int
	surveys    surveyAcc
	revisions  []revisionEvent
	incidents  incidentAcc
}

// NewReport starts the report of office for month (YYYY-MM) in time zone loc.
func NewReport(office, month string, loc *time.Location) (*ReportBuilder, error) {
	p, err := ParsePeriod(PeriodMonth, month, loc)
	if err != nil {
		return nil, err
	}
	return NewPeriodReport(office, p), nil
}

// NewPeriodReport starts the report of office for period p (ParsePeriod).
func NewPeriodReport(office string, p Period) *ReportBuilder {
	loc := p.Start.Location()
	return &ReportBuilder{office: office, period: p, loc: loc, from: p.Start.Add(-p.End.Sub(p.Start)),
		segs: map[segKey]*segState{}, complaints: map[int64]*complaintState{}, surveys: newSurveyAcc()}
}

// Month is the report's period key (YYYY-MM for a monthly report).
func (b *ReportBuilder) Month() string { return b.period.Key }

// Period is the report's period.
func (b *ReportBuilder) Period() Period { return b.period }

// Bounds are the first instant of the period and of the next one, local.
func (b *ReportBuilder) Bounds() (start, end time.Time) { return b.period.Start, b.period.End }

// ReadFrom is the earliest time of the events the builder needs in full: a
// revision early in the period is compared with as long a stretch before it
// as after it, so segments queued up to one period length before the start
// count in its "before" window. Older events matter only when of a type in
// AnyTimeEvents.
func (b *ReportBuilder) ReadFrom() time.Time { return b.from }

// AnyTimeEvents are the event types the report needs whenever they happened:
// complaints received long ago can be open in the period, and a revision is
// recorded before it takes effect.
func (b *ReportBuilder) AnyTimeEvents() []string {
	return []string{EventComplaintReceived, EventComplaintUpdated, EventStandardRevised, EventIncidentOpened, EventIncidentClosed}
}

func (b *ReportBuilder) inPeriod(t time.Time) bool { return b.period.Contains(t) }

// followed reports whether a segment queued at t is one the builder keeps.
func (b *ReportBuilder) followed(t time.Time) bool {
	return !t.Before(b.from) && t.Before(b.period.End)
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
		b.addIssued(ev)
	case EventTransferred:
		b.addTransferred(ev)
	case EventCalled, EventRecalled, EventStarted, EventFinished, EventNoShow, EventExpired, EventRequeued:
		b.addStage(ev)
	case EventFeedback:
		b.addFeedback(ev)
	case EventSurvey:
		b.addSurvey(ev)
	case EventComplaintReceived:
		b.addComplaintReceived(ev)
	case EventComplaintUpdated:
		b.addComplaintUpdated(ev)
	case EventStandardRevised:
		b.addRevision(ev)
	case EventBackfilled:
		b.addBackfilled(ev)
	case EventIncidentOpened, EventIncidentClosed:
		b.incidents.add(ev)
	}
}

// addFeedback counts a quick score (1–4) given in the period.
func (b *ReportBuilder) addFeedback(ev Event) {
	if !b.inPeriod(ev.At) {
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
}

// Report computes the report from the events added so far. The builder can
// take more events afterwards.
func (b *ReportBuilder) Report() *Report {
	r := &Report{Office: b.office, Period: b.period, Referrals: []Referral{}}
	switch b.period.Kind {
	case PeriodDay:
		r.Day = b.period.Key
	case PeriodQuarter:
		r.Quarter = b.period.Key
	case PeriodYear:
		r.Year = b.period.Key
	default:
		r.Month = b.period.Key
	}
	var segs []*segState // the period's, in the order they were queued
	for _, s := range b.order {
		if b.inPeriod(s.queued.Wall) {
			segs = append(segs, s)
		}
	}
	r.Segments = make([]SegmentRow, len(segs)) // a row is large: no growing by copies
	for i, s := range segs {
		r.Segments[i] = b.row(s)
	}
	r.Services = group(segs, func(s *segState) string { return s.service })
	r.Overall = overall(segs)
	// Tickets are issued for services: a counter's or an officer's issued
	// and priority counts stay 0.
	r.Counters = group(segs, func(s *segState) string { return s.counter })
	for _, ind := range r.Counters {
		ind.Issued, ind.Priority = 0, 0
	}
	if off := group(segs, func(s *segState) string { return s.officer }); len(off) > 0 {
		for _, ind := range off {
			ind.Issued, ind.Priority = 0, 0
		}
		r.Officers = off
	}
	r.Referrals = referrals(segs)
	b.timeFigures(r, segs)
	b.complaintFigures(r)
	r.Satisfaction.Responses = b.fbN
	if b.fbN > 0 {
		m := float64(b.fbSum) / float64(b.fbN)
		r.Satisfaction.Mean = &m
	}
	r.Satisfaction.SatisfiedPct = pct(b.fbOK, b.fbN)
	r.SKM = b.surveys.result(r)
	r.Revisions = b.revisionImpacts()
	r.Incidents = b.incidents.during(b.period, b.loc)
	r.Manual = manualBlock(segs)
	return r
}

// group computes the indicators of the segments per key (service, counter,
// officer, day); segments whose key is "" are left out. One group's
// durations are kept only while it is computed.
func group(segs []*segState, key func(*segState) string) map[string]*Indicators {
	per := map[string]*acc{}
	for _, s := range segs {
		k := key(s)
		if k == "" {
			continue
		}
		a := per[k]
		if a == nil {
			a = &acc{}
			per[k] = a
		}
		a.addSegment(s)
	}
	out := make(map[string]*Indicators, len(per))
	for k, a := range per {
		out[k] = a.result()
	}
	return out
}

// overall computes the office's indicators over segs.
func overall(segs []*segState) *Indicators {
	a := &acc{}
	for _, s := range segs {
		a.addSegment(s)
	}
	return a.result()
}

// referrals groups the transfers out of segs by target service and unit.
func referrals(segs []*segState) []Referral {
	type refKey struct{ from, to, unit string }
	refs := map[refKey]int{}
	for _, s := range segs {
		if s.end == StageTransferred {
			refs[refKey{s.service, s.transferTo, s.unit}]++
		}
	}
	out := make([]Referral, 0, len(refs))
	for k, n := range refs {
		out = append(out, Referral{From: k.from, To: k.to, Unit: k.unit, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		a, c := out[i], out[j]
		if a.From != c.From {
			return a.From < c.From
		}
		if a.To != c.To {
			return a.To < c.To
		}
		return a.Unit < c.Unit
	})
	return out
}
