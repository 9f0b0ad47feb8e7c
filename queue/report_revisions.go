package queue

import (
	"encoding/json"
	"sort"
	"time"
)

// RevisionImpact is the evidence "before and after" a revision of a
// service's standards (DOMAIN.md "Reports", revisions): the indicators of
// the service's segments queued in two windows of equal length, just before
// and just after the revision took effect, and the complaints about the
// service received in each. The window is as long as possible while the
// "after" window stays in the report's period and neither window reaches
// another revision of the service: from WindowStart to Effective, and from
// Effective to WindowEnd. A segment is judged by the standard it was queued
// under, so on-time rates before use the old standard and after the new one.
type RevisionImpact struct {
	ID               int64       `json:"id"`
	Service          string      `json:"service"`
	Effective        time.Time   `json:"effective"`
	Reason           string      `json:"reason"`
	WaitStandardS    int64       `json:"wait_standard_s"`    // the revision's standards
	ServiceStandardS int64       `json:"service_standard_s"` //
	WindowStart      time.Time   `json:"window_start"`       // the "before" window starts here
	WindowEnd        time.Time   `json:"window_end"`         // the "after" window ends here
	Before           *Indicators `json:"before"`
	After            *Indicators `json:"after"`
	ComplaintsBefore int         `json:"complaints_before"`
	ComplaintsAfter  int         `json:"complaints_after"`
}

// revisionEvent is a standard_revised event as the builder keeps it.
type revisionEvent struct {
	id              int64
	service, reason string
	effective       time.Time
	waitS, serviceS int64
}

func (b *ReportBuilder) addRevision(ev Event) {
	var d Revision
	if json.Unmarshal(ev.Data, &d) != nil || d.Service == "" {
		return
	}
	b.revisions = append(b.revisions, revisionEvent{id: d.ID, service: d.Service, reason: d.Reason, effective: d.Effective,
		waitS: d.WaitStandardS, serviceS: d.ServiceStandardS})
}

// revisionWindow is one revision of the period with its windows.
type revisionWindow struct {
	rev        revisionEvent
	start, end time.Time // before: [start, effective), after: [effective, end)
}

// revisionWindows places the windows of the revisions effective in the
// period, in order of effect.
func (b *ReportBuilder) revisionWindows() []revisionWindow {
	revs := append([]revisionEvent(nil), b.revisions...)
	sort.SliceStable(revs, func(i, j int) bool {
		if !revs[i].effective.Equal(revs[j].effective) {
			return revs[i].effective.Before(revs[j].effective)
		}
		return revs[i].id < revs[j].id
	})
	var out []revisionWindow
	for i, r := range revs {
		if !b.inPeriod(r.effective) {
			continue
		}
		w := b.period.End.Sub(r.effective)
		for j := i - 1; j >= 0; j-- { // the previous revision of the service
			if revs[j].service == r.service {
				w = min(w, r.effective.Sub(revs[j].effective))
				break
			}
		}
		for j := i + 1; j < len(revs); j++ { // the next one
			if revs[j].service == r.service {
				w = min(w, revs[j].effective.Sub(r.effective))
				break
			}
		}
		out = append(out, revisionWindow{rev: r, start: r.effective.Add(-w), end: r.effective.Add(w)})
	}
	return out
}

// earliestWindow is where the revision windows of the period begin: the
// office reads segments from there (the period's start when no window
// reaches before it).
func (b *ReportBuilder) earliestWindow() time.Time {
	from := b.period.Start
	for _, w := range b.revisionWindows() {
		if w.start.Before(from) {
			from = w.start
		}
	}
	return from
}

func (b *ReportBuilder) revisionImpacts() []RevisionImpact {
	out := []RevisionImpact{}
	for _, w := range b.revisionWindows() {
		var before, after acc
		for _, s := range b.order {
			if s.service != w.rev.service {
				continue
			}
			switch q := s.queued.Wall; {
			case !q.Before(w.start) && q.Before(w.rev.effective):
				before.addSegment(s)
			case !q.Before(w.rev.effective) && q.Before(w.end):
				after.addSegment(s)
			}
		}
		imp := RevisionImpact{ID: w.rev.id, Service: w.rev.service, Effective: w.rev.effective.In(b.loc), Reason: w.rev.reason,
			WaitStandardS: w.rev.waitS, ServiceStandardS: w.rev.serviceS, WindowStart: w.start.In(b.loc), WindowEnd: w.end.In(b.loc),
			Before: before.result(), After: after.result()}
		for _, id := range b.cOrder {
			c := b.complaints[id]
			if c.service != w.rev.service {
				continue
			}
			switch at := c.received.Wall; {
			case !at.Before(w.start) && at.Before(w.rev.effective):
				imp.ComplaintsBefore++
			case !at.Before(w.rev.effective) && at.Before(w.end):
				imp.ComplaintsAfter++
			}
		}
		out = append(out, imp)
	}
	return out
}
