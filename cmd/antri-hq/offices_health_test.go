package main

import (
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue/metrics/metricstest"
	"github.com/antri-id/antri/sync/collect/collecttest"
	"github.com/antri-id/antri/sync/wire"
)

// TestOfficesListsThoseThatNeedSomeoneFirst: silent offices (one quiet for two hours,
// one that never sent), then a printer out of paper, then a failed update, then the
// rest; each with its version, last_seen and latest health, on the API and the page.
func TestOfficesListsThoseThatNeedSomeoneFirst(t *testing.T) {
	cfg := &config{AdminToken: adminTok}
	for _, id := range []string{"a-baik", "b-kertas", "c-diam", "d-gagal", "e-baru"} {
		cfg.Offices = append(cfg.Offices, officeConfig{ID: id, Secret: "rahasia-" + id + "-0123456789"})
	}
	s := newServer(cfg, collecttest.Opener(t, "sqlite")(), slog.New(slog.DiscardHandler), defaultLimits)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	now := time.Now()
	yes := true
	beat := func(id string, at time.Time, h wire.Health) {
		t.Helper()
		s.now = func() time.Time { return at }
		h.Version, h.At = "1.4.0", at
		req := newSigned(id, "rahasia-"+id+"-0123456789", nil, 0, 0)
		req.ts, req.batch.Health = at, &h
		if code, b, _ := do(t, req.request(hs.URL, nil)); code != 200 {
			t.Fatalf("heartbeat of %s: %d %s", id, code, b)
		}
	}
	well := wire.Health{Clock: wire.ClockHealth{Synchronized: &yes}, Printer: wire.PrinterHealth{Configured: true, OK: true, Status: "Siap"},
		Disk: wire.DiskHealth{FreeMB: 700, TotalMB: 1000}, Queue: wire.QueueHealth{Waiting: 4}}
	beat("a-baik", now.Add(-time.Minute), well)
	paper := well
	paper.Printer = wire.PrinterHealth{Configured: true, Status: "Kertas habis", Problem: "Kertas habis", PaperOut: true}
	beat("b-kertas", now.Add(-2*time.Minute), paper)
	beat("c-diam", now.Add(-2*time.Hour), well)
	failed := well
	// The updater's report (wire.UpdateReport JSON), carried as it is.
	failed.Update = []byte(`{"running":"1.4.0","state":"rolled_back","version":"1.5.0","from":"1.4.0","reason":"versi baru tidak sehat dalam 3 menit; dikembalikan ke 1.4.0"}`)
	beat("d-gagal", now.Add(-time.Minute), failed)
	s.now = func() time.Time { return now }

	var list struct {
		Offices []struct {
			ID        string          `json:"id"`
			LastSeen  *time.Time      `json:"last_seen"`
			Version   string          `json:"version"`
			Health    json.RawMessage `json:"health"`
			Attention []attention     `json:"attention"`
		} `json:"offices"`
	}
	code, b := get(t, hs.URL+"/api/v1/offices", adminTok)
	if code != 200 || json.Unmarshal(b, &list) != nil {
		t.Fatalf("offices: %d %s", code, b)
	}
	var order []string
	for _, o := range list.Offices {
		order = append(order, o.ID)
	}
	if got := strings.Join(order, " "); got != "c-diam e-baru b-kertas d-gagal a-baik" {
		t.Fatalf("order %s", got)
	}
	first := func(i int) string {
		if len(list.Offices[i].Attention) == 0 {
			return ""
		}
		return list.Offices[i].Attention[0].Code
	}
	if first(0) != attnSilent || first(1) != attnSilent || first(2) != attnPaperOut || first(3) != attnUpdateFailed || first(4) != "" {
		t.Errorf("attention %+v", list.Offices)
	}
	a, e := list.Offices[4], list.Offices[1]
	if a.Version != "1.4.0" || a.LastSeen == nil || !a.LastSeen.Equal(now.Add(-time.Minute).Truncate(time.Millisecond)) || !strings.Contains(string(a.Health), `"waiting":4`) {
		t.Errorf("a well office: %+v %s", a, a.Health)
	}
	if e.LastSeen != nil || e.Version != "" || string(e.Health) != "null" {
		t.Errorf("an office that never sent: last_seen %v version %q health %s", e.LastSeen, e.Version, e.Health)
	}
	if !strings.Contains(string(b), `"last_seen":null`) {
		t.Errorf("last_seen of a silent office is not null: %s", b)
	}

	code, page := get(t, hs.URL+"/", adminTok)
	p := string(page)
	if code != 200 {
		t.Fatalf("page %d", code)
	}
	idx := func(id string) int { return strings.Index(p, `data-fleet="`+id+`"`) }
	if !(idx("c-diam") < idx("e-baru") && idx("e-baru") < idx("b-kertas") && idx("b-kertas") < idx("d-gagal") && idx("d-gagal") < idx("a-baik")) || idx("c-diam") < 0 {
		t.Errorf("the page lists the fleet in another order")
	}
	for _, want := range []string{"kehabisan kertas", "Pembaruan ke versi 1.5.0 gagal", "Tidak ada kabar selama 2 jam", "Belum pernah mengirim data"} {
		if !strings.Contains(p, want) {
			t.Errorf("the page does not say %q", want)
		}
	}

	if code, _ := get(t, hs.URL+"/metrics", ""); code != 401 {
		t.Errorf("/metrics without the admin token: %d", code)
	}
	code, body := get(t, hs.URL+"/metrics", adminTok)
	m := metricstest.Check(t, body)
	for series, want := range map[string]float64{
		`antri_hq_office_silent{office="c-diam"}`:               1,
		`antri_hq_office_silent{office="e-baru"}`:               1,
		`antri_hq_office_silent{office="a-baik"}`:               0,
		`antri_hq_office_printer_paper_out{office="b-kertas"}`:  1,
		`antri_hq_office_update_failed{office="d-gagal"}`:       1,
		`antri_hq_office_waiting{office="a-baik"}`:              4,
		`antri_hq_office_info{office="a-baik",version="1.4.0"}`: 1,
		`antri_hq_offices`: 5,
	} {
		if got, ok := m[series]; code != 200 || !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", series, got, ok, want)
		}
	}
}
