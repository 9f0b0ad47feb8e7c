package queue_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestIncidentWatchRecordsSurgesAndThePrinter: the watch opens a surge incident when the
// forecast leaves someone uncalled, tells the waiting room (a public surge notice), ends
// it once the queue has looked servable for ten minutes (at the first calm look), ends a
// surge still running at
// closing time at the closing time; and records the printer down past
// [crisis] printer_incident_after from its first failing notice to its recovery.
func TestIncidentWatchRecordsSurgesAndThePrinter(t *testing.T) {
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	cfg := queuetest.Office(t, "office", hours("08:00", "15:00"), func(c *queue.Config) { c.Crisis.PrinterIncidentAfter = "10m" })
	q, clk := queuetest.OpenConfig(t, cfg, time.Date(2026, 11, 2, 8, 0, 0, 0, jkt))
	var mu sync.Mutex
	var notices []queue.SurgeNotice
	q.Subscribe(func(ev queue.Event) {
		if ev.Type == queue.NoticeSurge {
			var n queue.SurgeNotice
			json.Unmarshal(ev.Data, &n)
			mu.Lock()
			notices = append(notices, n)
			mu.Unlock()
		}
	})
	w := queue.NewIncidentWatch(q)
	check := func() {
		t.Helper()
		if err := w.Check(ctx); err != nil {
			t.Fatal(err)
		}
	}
	incidents := func() []queue.Incident {
		t.Helper()
		incs, err := q.Incidents(ctx, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		return incs
	}
	// The printer: out of paper at 09:00, an incident from 09:00 once ten minutes pass.
	at := func(hm string) time.Time {
		tm, _ := time.ParseInLocation("2006-01-02 15:04", "2026-11-02 "+hm, jkt)
		return tm
	}
	clk.Advance(at("09:00").Sub(clk.Now().Wall))
	q.Publish(queue.Event{Type: queue.NoticePrinterStatus, Data: json.RawMessage(`{"ok":false,"problem":"Kertas habis","message":"Isi kertas"}`)})
	clk.Advance(5 * time.Minute)
	check()
	if n := len(incidents()); n != 0 {
		t.Fatalf("%d incidents after 5 minutes of a printer out of paper", n)
	}
	clk.Advance(6 * time.Minute)
	check()
	incs := incidents()
	if len(incs) != 1 || incs[0].Type != queue.IncidentPrinter || !incs[0].Start.Equal(at("09:00")) || incs[0].End != nil ||
		!strings.Contains(incs[0].Note, "Kertas habis") || incs[0].Source != queue.SourceAuto {
		t.Fatalf("printer incident: %s", jsonOf(t, incs))
	}
	clk.Advance(at("09:30").Sub(clk.Now().Wall))
	q.Publish(queue.Event{Type: queue.NoticePrinterStatus, Data: json.RawMessage(`{"ok":true,"message":"Siap"}`)})
	clk.Advance(time.Minute)
	check()
	if incs := incidents(); incs[0].End == nil || !incs[0].End.Equal(at("09:30")) {
		t.Fatalf("printer incident after recovery: %s", jsonOf(t, incs))
	}

	// A surge: the counter takes 6 minutes a citizen; at 14:00, twelve wait for counter 1.
	for range 6 {
		mustDo(t, q, queue.Issue{Service: "A"}, queue.Call{Counter: "1"})
		clk.Advance(6 * time.Minute)
		mustDo(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	}
	clk.Advance(at("14:00").Sub(clk.Now().Wall))
	for range 12 {
		mustDo(t, q, queue.Issue{Service: "A"})
	}
	check()
	surge := incidents()[0]
	if surge.Type != queue.IncidentSurge || surge.Service != "A" || surge.End != nil || !strings.Contains(surge.Note, "12 menunggu") {
		t.Fatalf("surge incident: %s", jsonOf(t, surge))
	}
	check() // still a surge: nothing new
	if n := len(incidents()); n != 2 {
		t.Fatalf("%d incidents after a second look at the same surge", n)
	}
	// Three leave (no-shows): the rest can be served; calm looks over ten minutes end the
	// surge, at the first calm look.
	for range 3 {
		mustDo(t, q, queue.Call{Counter: "1"}, queue.NoShow{Counter: "1"})
	}
	check()
	calmFrom := clk.Now().Wall
	if incidents()[0].End != nil {
		t.Fatal("the surge ended at the first calm look")
	}
	clk.Advance(5 * time.Minute)
	check()
	if incidents()[0].End != nil {
		t.Fatal("the surge ended after five calm minutes: a forecast at the edge would open and close it again and again")
	}
	clk.Advance(6 * time.Minute)
	check()
	if e := incidents()[0].End; e == nil || !e.Equal(calmFrom) {
		t.Fatalf("the surge after eleven calm minutes ended at %v, want %s (the first calm look)", e, calmFrom)
	}
	// Another surge at 14:40 runs into closing: it ends at 15:00.
	clk.Advance(at("14:40").Sub(clk.Now().Wall))
	for range 10 {
		mustDo(t, q, queue.Issue{Service: "A"})
	}
	check()
	clk.Advance(at("15:07").Sub(clk.Now().Wall))
	check()
	last := incidents()[0]
	if last.Type != queue.IncidentSurge || last.End == nil || !last.End.Equal(at("15:00")) || !strings.Contains(last.Note, "Jam layanan berakhir") {
		t.Fatalf("the surge at closing: %s", jsonOf(t, last))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(notices) != 4 || !notices[0].Active || notices[1].Active || !notices[2].Active || notices[3].Active || notices[0].Name != "Perizinan" {
		t.Fatalf("surge notices: %+v", notices)
	}
}
