package queue

import "time"

// incident mirrors OpenIncident and CloseIncident in a rebuild: the incidents row as the
// event's incident has it. An incident that began or ended "now" stored the command's
// instant (with its boot clock reading); one written with its times stored them as
// written: the event's own instant tells the two apart.
func (r *Rebuild) incident(ev Event, now Instant) error {
	var inc Incident
	if err := r.data(ev, &inc); err != nil {
		return err
	}
	at := func(t time.Time) Instant {
		if t.Equal(now.Wall) {
			return now
		}
		return Instant{Wall: t}
	}
	var end Instant
	if inc.End != nil {
		end = at(*inc.End)
	}
	if ev.Type == EventIncidentClosed {
		_, err := r.tx.ExecContext(r.ctx, `UPDATE incidents SET ended = ?, note = ? WHERE id = ?`, end.String(), inc.Note, inc.ID)
		return err
	}
	_, err := r.tx.ExecContext(r.ctx, `INSERT INTO incidents (id, type, service, started, ended, note, source) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		inc.ID, inc.Type, inc.Service, at(inc.Start).String(), end.String(), inc.Note, inc.Source)
	return err
}
