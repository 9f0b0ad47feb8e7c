package queue

import (
	"encoding/json"
	"sort"
	"strings"
	"time"
)

// ComplaintIndicators are the complaint (pengaduan) indicators of a period.
type ComplaintIndicators struct {
	Received                int      `json:"received"`
	Closed                  int      `json:"closed"`
	Open                    int      `json:"open"` // received before the period's end and not closed by then
	ClosedWithinStandardPct *float64 `json:"closed_within_standard_pct"`
	// Additions: the complaints received in the period by topic (pokok
	// pengaduan) and by the service of the ticket they name ("" when none).
	ByTopic   map[string]int `json:"by_topic"`
	ByService map[string]int `json:"by_service"`
}

// ComplaintRow is one complaint of the period as the workbook lists it:
// received in the period, closed in it, or still open at its end. Its text
// and ticket number are left out: they are personal data (UU 27/2022), and
// the report goes to superiors and headquarters.
type ComplaintRow struct {
	ID             int64
	Received       time.Time
	Channel, Topic string
	Service, Unit  string
	Closed         *time.Time // nil while open at the period's end
	DurationS      *float64   // received → closed
	StandardS      int64
	WithinStandard *bool // nil while open
}

type complaintState struct {
	received, closed Instant
	standard         time.Duration
	isClosed         bool
	channel, topic   string
	service, unit    string // service: the prefix of the ticket it names
}

// addComplaintReceived follows a complaint, whenever received: one received
// before the period can still be open in it.
func (b *ReportBuilder) addComplaintReceived(ev Event) {
	var d struct {
		ID        int64  `json:"id"`
		StandardS int64  `json:"standard_s"`
		Channel   string `json:"channel"`
		Topic     string `json:"topic"`
		Ticket    string `json:"ticket"`
		Unit      string `json:"unit"`
	}
	if json.Unmarshal(ev.Data, &d) != nil || b.complaints[d.ID] != nil {
		return
	}
	b.complaints[d.ID] = &complaintState{received: ev.Instant(), standard: time.Duration(d.StandardS) * time.Second,
		channel: d.Channel, topic: d.Topic, service: ticketService(d.Ticket), unit: d.Unit}
	b.cOrder = append(b.cOrder, d.ID)
}

// ticketService is the service code of a ticket number ("A" of "A-012"), or
// "" when it is not one.
func ticketService(number string) string {
	prefix, _, ok := strings.Cut(number, "-")
	if !ok || !codeRE.MatchString(prefix) {
		return ""
	}
	return prefix
}

// addComplaintUpdated notes when a followed complaint was closed.
func (b *ReportBuilder) addComplaintUpdated(ev Event) {
	var d ComplaintUpdate
	if json.Unmarshal(ev.Data, &d) != nil || d.Status != ComplaintClosed {
		return
	}
	if c := b.complaints[d.ID]; c != nil && !c.isClosed {
		c.closed, c.isClosed = ev.Instant(), true
	}
}

// complaintFigures fills the complaint indicators and rows of the period.
func (b *ReportBuilder) complaintFigures(r *Report) {
	ci := &r.Complaints
	ci.ByTopic, ci.ByService = map[string]int{}, map[string]int{}
	closedOK := 0
	end := b.period.End
	for _, id := range b.cOrder {
		c := b.complaints[id]
		received := b.inPeriod(c.received.Wall)
		if received {
			ci.Received++
			ci.ByTopic[c.topic]++
			ci.ByService[c.service]++
		}
		closedBy := c.isClosed && c.closed.Wall.Before(end)
		open := c.received.Wall.Before(end) && !closedBy
		if open {
			ci.Open++
		}
		closedIn := c.isClosed && b.inPeriod(c.closed.Wall)
		within := c.isClosed && Elapsed(c.received, c.closed) <= c.standard
		if closedIn {
			ci.Closed++
			if within {
				closedOK++
			}
		}
		if received || closedIn || open {
			row := ComplaintRow{ID: id, Received: c.received.Wall.In(b.loc), Channel: c.channel, Topic: c.topic,
				Service: c.service, Unit: c.unit, StandardS: int64(c.standard / time.Second)}
			if closedBy {
				t := c.closed.Wall.In(b.loc)
				d := float64(Elapsed(c.received, c.closed)) / 1e9
				row.Closed, row.DurationS, row.WithinStandard = &t, &d, &within
			}
			r.ComplaintRows = append(r.ComplaintRows, row)
		}
	}
	ci.ClosedWithinStandardPct = pct(closedOK, ci.Closed)
	sort.SliceStable(r.ComplaintRows, func(i, j int) bool { return r.ComplaintRows[i].Received.Before(r.ComplaintRows[j].Received) })
}
