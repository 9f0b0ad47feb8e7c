package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// The fleet tests' headquarters and its offices: each office's secret is its id's.
const (
	fleetAdmin = "hq-admin-uji-rahasia-0001"
	officeAdm  = "admin" // the "office" fixture's admin token
)

func officeSecret(id string) string { return "rahasia-" + id + "-0123456789" }

// fleetHQ starts a real antri-hq with these offices and extra config lines.
func fleetHQ(t *testing.T, extra string, offices ...string) *antridtest.HQ {
	t.Helper()
	cfg := fmt.Sprintf("admin_token = %q\n%s\n", fleetAdmin, extra)
	for _, id := range offices {
		cfg += fmt.Sprintf("[[office]]\nid = %q\nsecret = %q\n", id, officeSecret(id))
	}
	return antridtest.StartHQ(t, cfg)
}

// fleetOffice writes the config of the "office" fixture as office id, syncing to hq
// with a heartbeat of a second.
func fleetOffice(t *testing.T, id string, hq *antridtest.HQ) string {
	t.Helper()
	return queuetest.OfficeFile(t, "office", func(c *queue.Config) {
		c.Office.ID = id
		c.HQ.URL, c.HQ.Secret, c.HQ.Heartbeat = hq.URL, officeSecret(id), "1s"
	})
}

// get reads path of the daemon with the token and fails the test unless it answers 200.
func get(t *testing.T, base, path, token string) []byte {
	t.Helper()
	code, b, _ := queuetest.Send(t, http.MethodGet, base+path, token, nil)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, code, b)
	}
	return b
}

// synced waits until headquarters acknowledged every event of the daemon.
func synced(t *testing.T, d *antridtest.Daemon) (acked, last int64) {
	t.Helper()
	queuetest.Eventually(t, "headquarters to hold every event", func() bool {
		var st struct {
			Acked int64 `json:"acked_seq"`
			Last  int64 `json:"last_seq"`
		}
		json.Unmarshal(get(t, d.URL, "/api/admin/sync", officeAdm), &st)
		acked, last = st.Acked, st.Last
		return last > 0 && acked == last
	})
	return acked, last
}

// TestRestoreFromHeadquartersAfterTheCardDies: a real office issues and serves tickets,
// takes complaints, a survey, feedback and a standard revision, and syncs to a real
// antri-hq; its data folder is deleted; antrid restore brings it back. The monthly
// report (JSON and CSV) is byte for byte the one before the loss, nothing is sent to
// headquarters twice, and the next ticket number follows the last one.
func TestRestoreFromHeadquartersAfterTheCardDies(t *testing.T) {
	const id = "mpp-pulih"
	hq := fleetHQ(t, "", id)
	cfg := fleetOffice(t, id, hq)
	data := filepath.Join(t.TempDir(), "var")
	addr := antridtest.FreeAddr(t)
	d := antridtest.Start(t, addr, "-demo", "-config", cfg, "-data", data)

	for _, svc := range []string{"A", "A", "B", "A", "B"} {
		d.Post("/api/tickets", "", `{"service":"`+svc+`"}`)
	}
	for _, step := range [][2]string{
		{"/api/counters/1/call", ""}, {"/api/counters/1/start", ""}, {"/api/counters/1/finish", `{"outcome":"done"}`},
		{"/api/counters/1/call", ""}, {"/api/counters/1/recall", ""}, {"/api/counters/1/noshow", ""},
		{"/api/counters/2/call", ""}, {"/api/counters/2/transfer", `{"service":"A","note":"berkas lengkap"}`},
		{"/api/counters/1/call", ""}, {"/api/counters/1/finish", `{"outcome":"incomplete"}`},
	} {
		d.Post(step[0], officeAdm, step[1])
	}
	d.Post("/api/tickets/A-001/feedback", "", `{"score":4}`)
	d.Post("/api/surveys", "", `{"answers":[4,4,3,3,4,4,4,3,4]}`)
	d.Post("/api/complaints", "", `{"channel":"kiosk","topic":"Antrean","text":"Menunggu terlalu lama"}`)
	if code, b, _ := queuetest.Send(t, http.MethodPatch, d.URL+"/api/complaints/1", officeAdm, strings.NewReader(`{"status":"closed","note":"Loket ditambah"}`)); code != 200 {
		t.Fatalf("closing the complaint: %d %s", code, b)
	}
	d.Post("/api/services/B/standards", officeAdm, `{"wait_standard":"25m","service_standard":"20m","reason":"Keputusan Kepala Dinas"}`)
	d.Post("/api/admin/running-text", officeAdm, `{"text":"Selamat datang"}`)
	// The five tickets printed (each print is an event too), then everything synced.
	queuetest.Eventually(t, "the fifth ticket printed", func() bool {
		_, err := os.Stat(filepath.Join(data, "printer", "0005.png"))
		return err == nil
	})
	synced(t, d)

	month := time.Now().In(time.FixedZone("WIB", 7*3600)).Format("2006-01")
	reports := func(d *antridtest.Daemon) map[string][]byte {
		out := map[string][]byte{}
		for _, path := range []string{"/api/reports/monthly", "/api/reports/monthly.csv"} {
			out[path] = get(t, d.URL, path+"?month="+month, officeAdm)
		}
		return out
	}
	before := reports(d)
	if j := string(before["/api/reports/monthly"]); !strings.Contains(j, `"issued":5`) || !strings.Contains(j, `"received":1`) {
		t.Fatalf("the report before the loss lacks the history: %s", j)
	}
	if err := d.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(data); err != nil { // the card died: nothing of the folder is left
		t.Fatal(err)
	}
	// What headquarters holds is what can come back (a print recorded in the last instant
	// may not have been sent).
	last := held(t, hq, id).Acked

	code, out := antridtest.Run(t, "restore", "-config", cfg, "-data", data)
	if code != 0 || !strings.Contains(out, "dipulihkan") || !strings.Contains(out, "A-003, B-002") {
		t.Fatalf("antrid restore: exit %d\n%s", code, out)
	}
	if code, out := antridtest.Run(t, "restore", "-config", cfg, "-data", data); code == 0 || !strings.Contains(out, "sudah ada") {
		t.Fatalf("a second restore over the restored database: exit %d\n%s", code, out)
	}

	// Before antrid starts again: the uploader's progress is what headquarters holds.
	st, err := queue.OpenStoreReadOnly(filepath.Join(data, dbName))
	if err != nil {
		t.Fatal(err)
	}
	acked0, _, err1 := st.SyncAcked(context.Background())
	last0, err2 := st.LastSeq(context.Background())
	st.Close()
	if err1 != nil || err2 != nil || acked0 != last || last0 != last {
		t.Fatalf("restored: acked %d, last event %d, want both %d (%v %v)", acked0, last0, last, err1, err2)
	}

	d = antridtest.Start(t, addr, "-demo", "-config", cfg, "-data", data)
	after := reports(d)
	for path, b := range before {
		if string(after[path]) != string(b) {
			t.Errorf("%s differs after the restore:\nbefore: %s\nafter:  %s", path, b, after[path])
		}
	}
	var tk queue.Ticket
	if code := queuetest.Call(t, http.MethodPost, d.URL+"/api/tickets", "", strings.NewReader(`{"service":"A"}`), &tk); code != 201 || tk.Number != "A-004" {
		t.Fatalf("the next ticket: %d %s, want A-004", code, tk.Number)
	}
	acked, now := synced(t, d)
	if o := held(t, hq, id); o.Events != now || o.Acked != acked || now <= last {
		t.Errorf("headquarters after the restored office went on: %+v, want %d events", o, now)
	}
}

// heldOffice is what headquarters holds of an office.
type heldOffice struct {
	ID     string `json:"id"`
	Acked  int64  `json:"acked_seq"`
	Events int64  `json:"events"`
}

// held reads GET /api/v1/offices for office id.
func held(t *testing.T, hq *antridtest.HQ, id string) heldOffice {
	t.Helper()
	var list struct{ Offices []heldOffice }
	json.Unmarshal(get(t, hq.URL, "/api/v1/offices", fleetAdmin), &list)
	for _, o := range list.Offices {
		if o.ID == id {
			return o
		}
	}
	t.Fatalf("headquarters does not list %s", id)
	return heldOffice{}
}

// TestRestoreTouchesNoDatabase: a folder with a database, its WAL, or only the marker
// the store leaves beside a database it created is refused before anything is read or
// written.
func TestRestoreTouchesNoDatabase(t *testing.T) {
	cfg := queuetest.Office(t, "office", func(c *queue.Config) { c.HQ.URL, c.HQ.Secret = "http://127.0.0.1:9/", officeSecret("mpp-uji") })
	for name, want := range map[string]string{dbName: "sudah ada", dbName + "-wal": "sudah ada", dbName + ".created": "pernah berisi"} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := restore(context.Background(), cfg, dir, "", os.Stderr)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s present: %v", name, err)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Errorf("%s present: the folder now holds %v", name, ents)
		}
	}
}
