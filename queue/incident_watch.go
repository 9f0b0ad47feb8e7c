package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// NoticeSurge is the live notice (not stored; public: the waiting room sees it) sent when
// a service's surge begins or ends: its Data is a SurgeNotice. The incident itself is a
// stored event (incident_opened, incident_closed), for the staff and the reports.
const NoticeSurge = "surge"

// SurgeNotice is the Data of a surge notice.
type SurgeNotice struct {
	Service         string    `json:"service"`
	Name            string    `json:"name"`
	Active          bool      `json:"active"`
	AtRisk          int       `json:"at_risk"`
	ServableByClose int       `json:"servable_by_close"`
	Close           time.Time `json:"close"`
	// Stopped says the kiosk refuses new tickets of the service (stop_when_unservable).
	Stopped bool `json:"stopped"`
}

// calmChecks and calmFor are how long a surge must look over before its incident ends:
// two checks in a row and ten minutes of the office's time. A forecast moving by one
// ticket around the edge for an hour is one surge, not ten; the incident ends at the
// first calm look.
const (
	calmChecks = 2
	calmFor    = 10 * time.Minute
)

// calm is a service's run of checks without a surge.
type calm struct {
	checks int
	since  time.Time // the first calm look
}

// IncidentWatch records the incidents antrid notices by itself: a surge (the forecast
// says someone waiting will not be called before closing; over when it says everyone
// will, or at closing), the printer down longer than [crisis] printer_incident_after
// (from its printer_status notices; over when it is ready again), and antrid's own
// downtime in opening hours, once it runs again (incident_outage.go). Make it before the
// devices start, so it hears the printer's first word; then Run it.
type IncidentWatch struct {
	q    *Queue
	calm map[string]calm // per service: checks in a row without a surge

	mu          sync.Mutex
	printerDown time.Time // wall time it went down; zero while well
	printerWhy  string
	printerBack time.Time // wall time it was ready again, until that is recorded

	// The outage check and signs of life (incident_outage.go), on Run's goroutine.
	started   Instant // when this watch (antrid) started
	alive     Instant // the last sign of life written
	aliveDone bool    // the first sign, with the outage check, is written
}

// NewIncidentWatch subscribes to q's printer notices.
func NewIncidentWatch(q *Queue) *IncidentWatch {
	w := &IncidentWatch{q: q, calm: map[string]calm{}, started: q.clock.Now()}
	q.Subscribe(w.hear)
	return w
}

// hear takes the printer's state from its notices. It runs on the queue's writer: it only
// notes, Check acts.
func (w *IncidentWatch) hear(ev Event) {
	if ev.Type != NoticePrinterStatus {
		return
	}
	var st struct {
		OK      bool   `json:"ok"`
		Problem string `json:"problem"`
		Message string `json:"message"`
	}
	if json.Unmarshal(ev.Data, &st) != nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case !st.OK && w.printerDown.IsZero():
		w.printerDown, w.printerBack = ev.At, time.Time{}
		w.printerWhy = st.Problem
		if w.printerWhy == "" {
			w.printerWhy = st.Message
		}
	case st.OK && !w.printerDown.IsZero():
		w.printerDown, w.printerBack = time.Time{}, ev.At
	}
}

// Run checks every interval until ctx ends.
func (w *IncidentWatch) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	failing := false
	for {
		if err := w.Check(ctx); err != nil && ctx.Err() == nil {
			if !failing {
				slog.Warn("pemeriksaan gangguan layanan gagal; dicoba lagi", "err", err)
			}
			failing = true
		} else {
			failing = false
		}
		select {
		case <-ctx.Done():
			w.lastSign(context.WithoutCancel(ctx))
			return
		case <-t.C:
		}
	}
}

// Check looks once: it opens and closes the surge and printer incidents as the state is
// now.
func (w *IncidentWatch) Check(ctx context.Context) error {
	if err := w.checkAlive(ctx); err != nil {
		return err
	}
	open, err := w.q.openIncidents(ctx)
	if err != nil {
		return err
	}
	if err := w.checkPrinter(ctx, open); err != nil {
		return err
	}
	if o := w.q.cfg.Office; !w.q.cfg.Crisis.Surges() || o.OpenAt == 0 && o.CloseAt == 0 {
		return nil // no surge incidents, or no closing time to forecast against
	}
	return w.checkSurges(ctx, open)
}

func (w *IncidentWatch) checkPrinter(ctx context.Context, open map[string]Incident) error {
	w.mu.Lock()
	down, why, back := w.printerDown, w.printerWhy, w.printerBack
	w.mu.Unlock()
	key := IncidentPrinter + "/"
	_, isOpen := open[key]
	now := w.q.clock.Now().Wall
	switch {
	case !down.IsZero() && !isOpen && now.Sub(down) >= w.q.cfg.Crisis.PrinterAfter:
		note := fmt.Sprintf("Otomatis: printer tiket tidak dapat mencetak lebih dari %s", minutesText(w.q.cfg.Crisis.PrinterAfter))
		if why != "" {
			note += " (" + why + ")"
		}
		_, err := w.q.Do(ctx, OpenIncident{Type: IncidentPrinter, Start: down, Note: note + ".", Source: SourceAuto})
		return err
	case !back.IsZero() && isOpen:
		if _, err := w.q.Do(ctx, CloseIncident{Type: IncidentPrinter, End: back, Note: "Printer siap kembali."}); err != nil {
			return err
		}
		fallthrough
	case !back.IsZero():
		w.mu.Lock()
		if w.printerBack.Equal(back) {
			w.printerBack = time.Time{}
		}
		w.mu.Unlock()
	}
	return nil
}

func (w *IncidentWatch) checkSurges(ctx context.Context, open map[string]Incident) error {
	b, err := w.q.LoadBoard(ctx)
	if err != nil {
		return err
	}
	now := w.q.clock.Now().Wall
	for _, s := range b.Services() {
		f := s.Forecast
		inc, isOpen := open[IncidentSurge+"/"+s.Code]
		if f == nil {
			continue
		}
		notice := SurgeNotice{Service: s.Code, Name: s.Name, AtRisk: f.AtRisk, ServableByClose: f.ServableByClose,
			Close: f.Close, Stopped: s.StopWhenUnservable}
		switch {
		case isOpen && !now.Before(f.Close):
			end := f.Close
			if inc.Start.After(end) {
				end = inc.Start
			}
			note := fmt.Sprintf("Jam layanan berakhir pukul %s; %d orang masih menunggu.", clockText(f.Close), s.Waiting)
			if _, err := w.q.Do(ctx, CloseIncident{ID: inc.ID, End: end, Note: note}); err != nil {
				return err
			}
			w.q.publishSurge(notice)
		case !now.Before(f.Close):
		case f.AtRisk > 0 && !isOpen:
			delete(w.calm, s.Code)
			note := fmt.Sprintf("Otomatis: %d menunggu; perkiraan %d terlayani sampai pukul %s, %d berisiko tidak terlayani hari ini",
				s.Waiting, f.ServableByClose, clockText(f.Close), f.AtRisk)
			if f.ExtraCountersNeeded > 0 {
				note += fmt.Sprintf("; perlu %d loket tambahan", f.ExtraCountersNeeded)
			}
			if _, err := w.q.Do(ctx, OpenIncident{Type: IncidentSurge, Service: s.Code, Note: note + ".", Source: SourceAuto}); err != nil {
				return err
			}
			notice.Active = true
			w.q.publishSurge(notice)
		case f.AtRisk > 0:
			delete(w.calm, s.Code)
		case isOpen:
			c := w.calm[s.Code]
			if c.checks == 0 {
				c.since = now
			}
			c.checks++
			w.calm[s.Code] = c
			if c.checks < calmChecks || now.Sub(c.since) < calmFor {
				continue
			}
			delete(w.calm, s.Code)
			end := c.since
			if inc.Start.After(end) {
				end = inc.Start
			}
			if _, err := w.q.Do(ctx, CloseIncident{ID: inc.ID, End: end, Note: "Reda: semua yang menunggu diperkirakan terlayani sebelum tutup."}); err != nil {
				return err
			}
			w.q.publishSurge(notice)
		}
	}
	return nil
}

func (q *Queue) publishSurge(n SurgeNotice) {
	data, _ := json.Marshal(n)
	_ = q.Publish(Event{Type: NoticeSurge, Service: n.Service, Data: data}) // a notice type
}

// openIncidents are the incidents that have not ended, by type/service.
func (q *Queue) openIncidents(ctx context.Context) (map[string]Incident, error) {
	rows, err := q.store.r.QueryContext(ctx, `SELECT `+incidentCols+` FROM incidents WHERE ended = ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]Incident{}
	for rows.Next() {
		inc, err := scanIncident(rows, q.cfg.Location)
		if err != nil {
			return nil, err
		}
		out[inc.Type+"/"+inc.Service] = inc
	}
	return out, rows.Err()
}

// minutesText says a duration in words: "10 menit", "1 jam 30 menit".
func minutesText(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m < 60:
		return fmt.Sprintf("%d menit", m)
	case m%60 == 0:
		return fmt.Sprintf("%d jam", m/60)
	}
	return fmt.Sprintf("%d jam %d menit", m/60, m%60)
}
