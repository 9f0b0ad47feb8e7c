package display

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// mpp40Office serves the 40-service, 40-counter, 3-zone fixture, edited.
func mpp40Office(t *testing.T, edits ...func(*queue.Config)) (string, *queue.Queue) {
	t.Helper()
	cfg := queuetest.Office(t, "mpp40", append([]func(*queue.Config){queuetest.AlwaysOpen}, edits...)...)
	ts, _, q, _ := serveOffice(t, cfg, time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC))
	return strings.TrimPrefix(ts.URL, "http://"), q
}

func do(t *testing.T, q *queue.Queue, cmd queue.Command) {
	t.Helper()
	if _, err := q.Do(context.Background(), cmd); err != nil {
		t.Fatal(err)
	}
}

type zoneSnapshot struct {
	Type string `json:"type"`
	displaySnapshot
}

func decodeSnapshot(t *testing.T, raw string) zoneSnapshot {
	t.Helper()
	var s zoneSnapshot
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// A zone's TV is sent its services, its counters and the calls to them, and nothing else:
// a third of the office's snapshot. The office's TV has everything, each counter with the
// number at it.
func TestZoneSnapshotHasOnlyItsPart(t *testing.T) {
	addr, q := mpp40Office(t)
	cfg := q.Config()
	for _, s := range cfg.Services {
		for range 20 {
			do(t, q, queue.Issue{Service: s.Code})
		}
	}
	for _, k := range cfg.Counters {
		do(t, q, queue.Call{Counter: k.ID})
	}
	whole := openView(t, addr, "view=display", "").waitMessage(t, "the office's snapshot", `"type":"snapshot"`)[0]
	all := decodeSnapshot(t, whole)
	if len(all.Services) != 40 || len(all.Counters) != 40 || all.Zone != nil || len(whole) > 10*1024 {
		t.Errorf("office display: %d services, %d counters, zone %v, %d bytes (want 40, 40, none, ≤ 10 KB)", len(all.Services), len(all.Counters), all.Zone, len(whole))
	}
	for _, k := range all.Counters {
		if k.Current == "" {
			t.Errorf("counter %s called a ticket but shows none", k.ID)
		}
	}
	if s := all.Services[0]; s.Unit != "Disdukcapil" {
		t.Errorf("service A's unit %q", s.Unit)
	}
	for _, z := range cfg.Displays {
		raw := openView(t, addr, "view=display&zone="+z.ID, "").waitMessage(t, z.ID+"'s snapshot", `"type":"snapshot"`)[0]
		s := decodeSnapshot(t, raw)
		var codes, ids []string
		for _, svc := range s.Services {
			codes = append(codes, svc.Code)
		}
		for _, k := range s.Counters {
			ids = append(ids, k.ID)
		}
		if s.Zone == nil || s.Zone.Name != z.Name || !slices.Equal(codes, z.Services) || !slices.Equal(ids, z.Counters) {
			t.Errorf("zone %s: %+v, services %v, counters %v; want %v, %v", z.ID, s.Zone, codes, ids, z.Services, z.Counters)
		}
		for _, c := range s.Called {
			if !z.HasCounter(c.Counter) {
				t.Errorf("zone %s shows the call of %s to counter %s, not its own", z.ID, c.Number, c.Counter)
			}
		}
		if len(raw) > len(whole)/2 {
			t.Errorf("zone %s's snapshot is %d bytes, the office's %d", z.ID, len(raw), len(whole))
		}
		t.Logf("zone %s: %d bytes (office %d)", z.ID, len(raw), len(whole))
	}
	if code := queuetest.Call(t, "GET", "http://"+addr+"/ws?view=display&zone=lantai-9", "", nil, nil); code != http.StatusBadRequest {
		t.Errorf("/ws for an unknown zone: %d, want 400", code)
	}
}

// Live: an event reaches the zones it concerns. A call at a counter of the zone arrives as
// a call; a call elsewhere that changed one of the zone's counts arrives as the counts
// alone; anything else not at all. A refused ticket button reaches the public displays of
// its service without the pin, a refused counter button none of them.
func TestZoneEventsReachOnlyTheirZone(t *testing.T) {
	addr, q := mpp40Office(t, func(c *queue.Config) {
		c.Displays = append(c.Displays, queue.DisplayConfig{ID: "pojok", Name: "Pojok BPJS", Services: []string{"R"}, Counters: []string{"info"}})
	})
	office := openView(t, addr, "", "")
	l1 := openView(t, addr, "view=display&zone=lantai-1", "")
	l3 := openView(t, addr, "view=display&zone=lantai-3", "")
	pojok := openView(t, addr, "view=display&zone=pojok", "")
	for _, s := range []*liveSocket{office, l1, l3, pojok} {
		s.waitMessage(t, "the snapshot", `"type":"snapshot"`)
	}
	do(t, q, queue.Issue{Service: "A"})           // lantai-1
	do(t, q, queue.Issue{Service: "R"})           // lantai-3, pojok
	do(t, q, queue.Call{Counter: "1"})            // A-001 at Loket 1: lantai-1
	do(t, q, queue.Call{Counter: "17"})           // R-001 at Loket 17 (R, S): lantai-3; pojok only counts
	do(t, q, queue.SetRunningText{Text: "akhir"}) // everyone: the end of what each gets

	for _, s := range []*liveSocket{office, l1, l3, pojok} {
		s.waitMessage(t, "the running text", `"type":"running_text"`)
	}
	kinds := func(s *liveSocket) string {
		msgs, _ := s.received()
		var k []string
		for _, m := range msgs[1:] {
			var ev struct {
				Type    string `json:"type"`
				Counter string `json:"counter"`
			}
			json.Unmarshal([]byte(m), &ev)
			k = append(k, ev.Type+ev.Counter)
		}
		return strings.Join(k, " ")
	}
	for s, want := range map[*liveSocket]string{
		office: "issued issued called1 called17 running_text",
		l1:     "issued called1 running_text",
		l3:     "issued called17 running_text",
		pojok:  "issued services running_text",
	} {
		if got := kinds(s); got != want {
			t.Errorf("received %q, want %q", got, want)
		}
	}
	if msgs, _ := pojok.received(); !strings.Contains(msgs[2], `"code":"R"`) || strings.Contains(msgs[2], "R-001") {
		t.Errorf("pojok's counts message %s: want R's counts and not the ticket", msgs[2])
	}

	q.Publish(queue.Event{Type: queue.NoticeButtonRefused, Service: "PA",
		Data: json.RawMessage(`{"pin":"GPIO17","action":"ticket","kind":"quota","message":"Maaf, kuota harian layanan Sambungan Baru Air Minum sudah habis."}`)})
	q.Publish(queue.Event{Type: queue.NoticeButtonRefused, Counter: "1",
		Data: json.RawMessage(`{"pin":"GPIO5","action":"call","kind":"not_found","message":"Tidak ada yang menunggu"}`)})
	do(t, q, queue.SetRunningText{Text: "akhir 2"})
	for _, s := range []*liveSocket{office, l1, l3} {
		s.waitMessage(t, "the second running text", `akhir 2`)
	}
	refusals := func(s *liveSocket) []string {
		msgs, _ := s.received()
		var r []string
		for _, m := range msgs {
			if strings.Contains(m, `"button_refused"`) {
				r = append(r, m)
			}
		}
		return r
	}
	if r := refusals(office); len(r) != 1 || !strings.Contains(r[0], "kuota harian") || strings.Contains(r[0], "GPIO") {
		t.Errorf("the office's display got refusals %v; want the ticket button's, without its pin", r)
	}
	if r := refusals(l3); len(r) != 1 {
		t.Errorf("lantai-3 (PA is there) got refusals %v", r)
	}
	if r := refusals(l1); len(r) != 0 {
		t.Errorf("lantai-1 got refusals of another zone's button: %v", r)
	}
}

// /display/{zone} is the display page; an unknown zone says so; every page knows the
// office's time zone before its script runs.
func TestZonePageAndTimeZone(t *testing.T) {
	addr, _ := mpp40Office(t)
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, p := range []string{"/display", "/display/lantai-2", "/kiosk", "/admin", "/t/A-001", "/counter/1"} {
		if code, body := get(p); code != 200 || !strings.Contains(body, `<html data-tz="Asia/Makassar" lang="id">`) {
			t.Errorf("%s: %d, without the office's time zone: %.120s", p, code, body)
		}
	}
	if code, body := get("/display/lantai-9"); code != 404 || !strings.Contains(body, "lantai-9") {
		t.Errorf("/display/lantai-9 = %d %q", code, body)
	}
}

// A paused or closed counter is on its zone's TV with why, in the snapshot and live; the
// services it serves say when no counter of theirs is open; other zones hear nothing of it.
func TestZoneDisplayShowsPausedAndClosedCounters(t *testing.T) {
	addr, q := mpp40Office(t)
	l1 := openView(t, addr, "view=display&zone=lantai-1", "")
	l2 := openView(t, addr, "view=display&zone=lantai-2", "")
	for _, s := range []*liveSocket{l1, l2} {
		s.waitMessage(t, "the snapshot", `"type":"snapshot"`)
	}
	do(t, q, queue.Pause{Counter: "7", Reason: "ishoma"}) // Loket 7 and 8 serve G and J
	do(t, q, queue.Close{Counter: "8"})
	do(t, q, queue.SetRunningText{Text: "akhir"})
	msgs := l2.waitMessage(t, "lantai-2: the running text", `"type":"running_text"`)
	var status []string
	for _, m := range msgs[1:] {
		var ev struct {
			Type     string                  `json:"type"`
			Counter  string                  `json:"counter"`
			Data     queue.CounterStatusData `json:"data"`
			Services []serviceSummary        `json:"services"`
		}
		if err := json.Unmarshal([]byte(m), &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Type != queue.EventCounterStatus {
			continue
		}
		status = append(status, ev.Counter+":"+string(ev.Data.Status)+":"+ev.Data.PauseReason)
		if ev.Counter == "8" {
			for _, s := range ev.Services {
				if s.CountersOpen != 0 {
					t.Errorf("after Loket 8 closed, %s has %d counters open, want 0", s.Code, s.CountersOpen)
				}
			}
		}
	}
	if got := strings.Join(status, " "); got != "7:paused:ishoma 8:closed:" {
		t.Errorf("lantai-2's counter_status events %q", got)
	}
	for _, m := range l1.waitMessage(t, "lantai-1: the running text", `"type":"running_text"`) {
		if strings.Contains(m, queue.EventCounterStatus) {
			t.Errorf("lantai-1 got another zone's counter status: %s", m)
		}
	}
	s := decodeSnapshot(t, openView(t, addr, "view=display&zone=lantai-2", "").waitMessage(t, "the new snapshot", `"type":"snapshot"`)[0])
	want := map[string]displayCounter{
		"7": {ID: "7", Name: "Loket 7", Status: queue.CounterPaused, PauseReason: "ishoma"},
		"8": {ID: "8", Name: "Loket 8", Status: queue.CounterClosed},
		"9": {ID: "9", Name: "Loket 9"}, // open: no status in the snapshot
	}
	for _, k := range s.Counters {
		if w, ok := want[k.ID]; ok && k != w {
			t.Errorf("counter %s in the snapshot: %+v, want %+v", k.ID, k, w)
		}
	}
	for _, svc := range s.Services {
		if open := svc.Code != "G" && svc.Code != "J"; open != (svc.CountersOpen > 0) {
			t.Errorf("service %s: %d counters open", svc.Code, svc.CountersOpen)
		}
	}
}

// Every reason a counter may pause for has its short words on the TV's tile, in both
// languages (the tile shows display.pause.<reason>, a key the scripts complete).
func TestDisplayHasWordsForEveryPauseReason(t *testing.T) {
	for lang, keys := range languageKeys(t) {
		for _, r := range queue.PauseReasons {
			if !keys["display.pause."+r] {
				t.Errorf("text.js %s: no display.pause.%s", lang, r)
			}
		}
	}
}
