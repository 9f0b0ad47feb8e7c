package queue_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestOutageOfTheApplianceItself: antrid leaves signs of life while it runs (and every
// event is one); after a
// power cut the Pi boots with a stale clock and no time server, and nothing is recorded
// until the clock is synchronised; then the gap from the last sign to antrid's start,
// within opening hours, is an outage incident. A quick restart is none; a death in the
// afternoon noticed the next morning is cut to the opening hours of both days.
func TestOutageOfTheApplianceItself(t *testing.T) {
	ctx := context.Background()
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	at := func(day int, hm string) time.Time {
		h, _ := time.Parse("15:04", hm)
		return time.Date(2026, 11, day, h.Hour(), h.Minute(), 0, 0, jkt)
	}
	cfg := queuetest.Office(t, "office", hours("08:00", "15:00"))
	q, clk := queuetest.OpenConfig(t, cfg, at(2, "08:00"))
	outages := func() []queue.Incident {
		t.Helper()
		incs, err := q.Incidents(ctx, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		var out []queue.Incident
		for _, inc := range incs {
			if inc.Type == queue.IncidentOutage {
				out = append([]queue.Incident{inc}, out...) // oldest first
			}
		}
		return out
	}
	check := func(w *queue.IncidentWatch) {
		t.Helper()
		if err := w.Check(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// antrid runs from 08:00 and checks every half minute until 09:02.
	w := queue.NewIncidentWatch(q)
	for clk.Now().Wall.Before(at(2, "09:02")) {
		check(w)
		clk.Advance(30 * time.Second)
	}
	// A citizen takes a number at 09:02, and the power goes. It is back at 10:30: the Pi boots with the clock it had
	// when it went down and no time server.
	mustDo(t, q, queue.Issue{Service: "A"})
	clk.Advance(88 * time.Minute)
	clk.Reboot("boot-siang")
	clk.Step(-88 * time.Minute)
	clk.SetSynchronized(false)
	w = queue.NewIncidentWatch(q)
	check(w)
	clk.Advance(4 * time.Minute)
	check(w)
	if n := len(outages()); n != 0 {
		t.Fatalf("%d outages recorded on a clock not yet synchronised", n)
	}
	// 10:34: NTP steps the clock to the true time.
	clk.Step(88 * time.Minute)
	clk.SetSynchronized(true)
	check(w)
	got := outages()
	if len(got) != 1 || got[0].Source != queue.SourceAuto || got[0].End == nil {
		t.Fatalf("outages after the clock is synchronised: %+v", got)
	}
	// The last sign of life is the ticket at 09:02 (the last written sign was 09:00);
	// antrid started at 10:30.
	if s, e := got[0].Start, *got[0].End; !s.Equal(at(2, "09:02")) || !e.Equal(at(2, "10:30")) {
		t.Fatalf("outage %s–%s, want 09.02–10.30", s.Format("15:04:05"), e.Format("15:04:05"))
	}
	if !strings.Contains(got[0].Note, "antrid tidak berjalan") || !strings.Contains(got[0].Note, "10.30") {
		t.Errorf("note %q", got[0].Note)
	}
	check(w)
	if n := len(outages()); n != 1 {
		t.Fatalf("%d outages after another look; want the one", n)
	}

	// A restart of a minute (an update) at 11:00 is no outage.
	clk.Advance(at(2, "11:00").Sub(clk.Now().Wall))
	check(w)
	clk.Advance(time.Minute)
	w = queue.NewIncidentWatch(q)
	check(w)
	if n := len(outages()); n != 1 {
		t.Fatalf("a one-minute restart made an outage: %d", n)
	}

	// The Pi dies at 14:30 and is switched on again at 08:20 the next day: 14:30–15:00 and
	// 08:00–08:20 are outages; the night is not.
	clk.Advance(at(2, "14:30").Sub(clk.Now().Wall))
	check(w)
	clk.Advance(at(3, "08:20").Sub(clk.Now().Wall))
	clk.Reboot("boot-besok")
	w = queue.NewIncidentWatch(q)
	check(w)
	got = outages()
	if len(got) != 3 {
		t.Fatalf("outages after a night off: %+v", got)
	}
	for i, want := range [][2]time.Time{{at(2, "14:30"), at(2, "15:00")}, {at(3, "08:00"), at(3, "08:20")}} {
		if inc := got[i+1]; !inc.Start.Equal(want[0]) || inc.End == nil || !inc.End.Equal(want[1]) {
			t.Errorf("outage %d: %s–%v, want %s–%s", i+1, inc.Start, inc.End, want[0], want[1])
		}
	}
}
