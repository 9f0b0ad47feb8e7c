package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/queue/metrics/metricstest"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestFleetHealthAtHeadquarters: three real offices sync to a real antri-hq. One stops
// (its power is cut), one's printer runs out of paper, one is well. Headquarters lists
// the silent office first, then the one without paper, then the well one, each with its
// version and health, on the API and the page; both programs' /metrics parse; /healthz
// says the version.
func TestFleetHealthAtHeadquarters(t *testing.T) {
	offices := []string{"mpp-baik", "mpp-diam", "mpp-kertas"}
	hq := fleetHQ(t, `silent_after = "6s"`, offices...) // heartbeats every second: room for a busy machine
	d := map[string]*antridtest.Daemon{}
	for _, id := range offices {
		d[id] = antridtest.Start(t, antridtest.FreeAddr(t), "-demo", "-config", fleetOffice(t, id, hq), "-data", filepath.Join(t.TempDir(), "var"))
		d[id].Post("/api/tickets", "", `{"service":"A"}`)
	}
	type office struct {
		ID        string  `json:"id"`
		LastSeen  *string `json:"last_seen"`
		Version   string  `json:"version"`
		Attention []struct {
			Code string `json:"code"`
		} `json:"attention"`
		Health struct {
			Clock struct {
				Synchronized *bool `json:"synchronized"`
			} `json:"clock"`
			Printer struct {
				PaperOut bool `json:"paper_out"`
			} `json:"printer"`
			Queue struct {
				Waiting int `json:"waiting"`
			} `json:"queue"`
		} `json:"health"`
	}
	list := func() []office {
		var l struct{ Offices []office }
		json.Unmarshal(get(t, hq.URL, "/api/v1/offices", fleetAdmin), &l)
		return l.Offices
	}
	queuetest.Eventually(t, "every office's health at headquarters", func() bool {
		n := 0
		for _, o := range list() {
			// The clock's state is known on Linux (the kernel's NTP flag), synchronised or not.
			if o.Version == "dev" && o.Health.Queue.Waiting == 1 && o.LastSeen != nil && o.Health.Clock.Synchronized != nil {
				n++
			}
		}
		return n == 3
	})

	d["mpp-diam"].Kill() // the power is cut
	d["mpp-kertas"].Post("/api/sim/printer", "", `{"status":"paper_out"}`)
	order := func() string {
		var ids []string
		for _, o := range list() {
			first := "" // what put it first; others (an unsynchronised clock here) do not reorder
			if len(o.Attention) > 0 && strings.Contains("silent paper_out update_failed", o.Attention[0].Code) {
				first = o.Attention[0].Code
			}
			ids = append(ids, o.ID+":"+first)
		}
		return strings.Join(ids, " ")
	}
	want := "mpp-diam:silent mpp-kertas:paper_out mpp-baik:"
	queuetest.Eventually(t, "headquarters to list "+want, func() bool { return order() == want })

	page := string(get(t, hq.URL, "/", fleetAdmin))
	at := func(id string) int { return strings.Index(page, `data-fleet="`+id+`"`) }
	if !(0 <= at("mpp-diam") && at("mpp-diam") < at("mpp-kertas") && at("mpp-kertas") < at("mpp-baik")) || !strings.Contains(page, "kehabisan kertas") {
		t.Errorf("the page lists the fleet in another order")
	}

	hqm := metricstest.Check(t, get(t, hq.URL, "/metrics", fleetAdmin))
	if hqm[`antri_hq_office_silent{office="mpp-diam"}`] != 1 || hqm[`antri_hq_office_printer_paper_out{office="mpp-kertas"}`] != 1 {
		t.Errorf("headquarters' metrics: %v", hqm)
	}
	k := d["mpp-kertas"]
	if code, _, _ := queuetest.Send(t, http.MethodGet, k.URL+"/metrics", "", nil); code != http.StatusUnauthorized {
		t.Errorf("an office's /metrics without the admin token: %d", code)
	}
	om := metricstest.Check(t, get(t, k.URL, "/metrics", officeAdm))
	for series, want := range map[string]float64{
		`antri_printer_paper_out`:                       1,
		`antri_tickets_waiting{service="A"}`:            1,
		`antri_tickets_issued_today{service="A"}`:       1,
		`antri_info{office="mpp-kertas",version="dev"}`: 1,
		`antri_sync_backlog_events`:                     0,
		`antri_healthy{part="printer"}`:                 0,
	} {
		if got, ok := om[series]; !ok || got != want {
			t.Errorf("office metric %s = %v (present %v), want %v", series, got, ok, want)
		}
	}
	var hz map[string]any
	queuetest.Call(t, http.MethodGet, k.URL+"/healthz", "", nil, &hz)
	if hz["version"] != "dev" {
		t.Errorf("/healthz version: %v", hz["version"])
	}
}
