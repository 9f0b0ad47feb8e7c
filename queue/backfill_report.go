package queue

import "time"

// How the reports count manual tickets (docs/CRISIS.md, "In the reports"): as tickets —
// issued, done, incomplete, no-show, expired, first-visit completion, the no-show rate —
// like any other, and each I says how many of its segments were manual ("manual"); but
// never in the measured durations (wait, walk, service, their means and 90th percentiles),
// the on-time rates or the breaches, which stay what the appliance measured. The times
// written on paper get their own indicators: the report's "manual" block, the same I
// over the manual segments alone.

// addBackfilled takes a ticket entered from a paper log: one whole segment, its times as
// written (no boot reading: durations are on the wall clock).
func (b *ReportBuilder) addBackfilled(ev Event) {
	tk := ev.Ticket
	if tk == nil || !b.followed(tk.IssuedAt) {
		return
	}
	at := func(p *time.Time) Instant {
		if p == nil {
			return Instant{}
		}
		return Instant{Wall: *p}
	}
	s := &segState{ticketID: tk.ID, number: tk.Number, day: tk.Day, service: tk.Service, counter: tk.Counter,
		officer: tk.Officer, idx: tk.Segment, priority: tk.Priority, queued: Instant{Wall: tk.IssuedAt},
		firstCall: at(tk.CalledAt), lastCall: at(tk.LastCalledAt), started: at(tk.StartedAt), calls: tk.Calls,
		end: tk.Stage, outcome: tk.Outcome, manual: true,
		waitStd: time.Duration(tk.WaitStandardS) * time.Second, serviceStd: time.Duration(tk.ServiceStandardS) * time.Second}
	switch tk.Stage {
	case StageFinished:
		s.ended = at(tk.FinishedAt)
	case StageNoShow:
		s.ended = at(tk.NoShowAt)
	case StageExpired:
		s.ended = at(tk.ExpiredAt)
	}
	b.segs[segKey{tk.ID, tk.Segment}] = s
	b.order = append(b.order, s)
}

// manualBlock is the indicators of the period's manual segments on the times written
// on paper; nil when there were none.
func manualBlock(segs []*segState) *Indicators {
	var a acc
	n := 0
	for _, s := range segs {
		if s.manual {
			written := *s
			written.manual = false // its written times count here
			a.addSegment(&written)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	ind := a.result()
	ind.Manual = n
	return ind
}
