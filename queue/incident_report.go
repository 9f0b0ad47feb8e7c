package queue

import (
	"encoding/json"
	"sort"
	"time"
)

// incidentAcc follows the incidents through their events: the last word on each wins.
type incidentAcc struct {
	byID  map[int64]Incident
	order []int64
}

func (a *incidentAcc) add(ev Event) {
	var inc Incident
	if json.Unmarshal(ev.Data, &inc) != nil || inc.ID == 0 {
		return
	}
	if a.byID == nil {
		a.byID = map[int64]Incident{}
	}
	if _, seen := a.byID[inc.ID]; !seen {
		a.order = append(a.order, inc.ID)
	}
	a.byID[inc.ID] = inc
}

// during lists the incidents that overlap the period — begun before its end, and not
// over before its start — by start, in the office's time zone.
func (a *incidentAcc) during(p Period, loc *time.Location) []Incident {
	out := []Incident{}
	for _, id := range a.order {
		inc := a.byID[id]
		if !inc.Start.Before(p.End) || inc.End != nil && inc.End.Before(p.Start) {
			continue
		}
		inc.Start = inc.Start.In(loc)
		if inc.End != nil {
			e := inc.End.In(loc)
			inc.End = &e
		}
		out = append(out, inc)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].ID < out[j].ID
	})
	return out
}
