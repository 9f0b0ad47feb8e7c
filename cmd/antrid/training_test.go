package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/deploy"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestTrainingScenariosRunAndLeaveTheRealDatabase: every shipped scenario plays to its
// end at the highest speed in the real antrid, given the real office's -data (and, for
// one, its -config), and prints and keeps its after-action summary; what the simulated
// citizens met is what the scenario is about (a surge refused honestly, the printer's
// incident, referrals between agencies); the real office's data folder is the same byte
// for byte afterwards, with no file added.
func TestTrainingScenariosRunAndLeaveTheRealDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the antrid binary; skipped with -short")
	}
	scenarios := deploy.TrainingScenarios()
	if !slices.Equal(scenarios, []string{"lonjakan-pagi", "printer-mati", "rujukan-antarinstansi"}) {
		t.Fatalf("shipped scenarios %v", scenarios)
	}
	// The real office: the training office's layout with its own tokens, and a
	// database holding a morning's tickets.
	officeText, err := deploy.Training.ReadFile("training/kantor-pelatihan.toml")
	if err != nil {
		t.Fatal(err)
	}
	realDir := t.TempDir()
	cfgPath := filepath.Join(realDir, "antrid.toml")
	text := strings.Replace(string(officeText), `admin_token = ""`, `admin_token = "f3a9c1d07b2e48a6"`, 1)
	for i := 1; strings.Contains(text, `token = ""`); i++ {
		text = strings.Replace(text, `token = ""`, fmt.Sprintf(`token = "9d4e7b1c26a0f58%d"`, i), 1)
	}
	if err := os.WriteFile(cfgPath, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := queue.LoadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	store, err := queue.OpenStoreWith(filepath.Join(realDir, "antri.db"), queue.StoreOptions{AllowNew: true})
	if err != nil {
		t.Fatal(err)
	}
	q := queue.New(cfg, store, queue.NewFakeClock(time.Date(2026, 11, 30, 9, 0, 0, 0, cfg.Location)))
	for _, svc := range []string{"A", "B", "B", "C"} {
		if _, err := q.Do(context.Background(), queue.Issue{Service: svc}); err != nil {
			t.Fatal(err)
		}
	}
	q.Close()
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	before := folderBytes(t, realDir)

	for _, name := range scenarios {
		t.Run(name, func(t *testing.T) {
			trainingDir := t.TempDir()
			args := []string{"-training", name, "-speed", "3600", "-data", realDir, "-training-dir", trainingDir,
				"-listen", antridtest.FreeAddr(t)}
			if name != "lonjakan-pagi" {
				args = append(args, "-config", cfgPath) // the real office's own layout
			}
			code, out := antridtest.Run(t, args...)
			if code != 0 || !strings.Contains(out, "=== Ringkasan latihan: ") {
				t.Fatalf("antrid %s: exit %d\n%s", strings.Join(args, " "), code, out)
			}
			runs, _ := filepath.Glob(filepath.Join(trainingDir, "antri-latihan-*"))
			if len(runs) != 1 {
				t.Fatalf("training folders %v, want one", runs)
			}
			var s trainingSummary
			b, err := os.ReadFile(filepath.Join(runs[0], "ringkasan.json"))
			if err != nil || json.Unmarshal(b, &s) != nil {
				t.Fatalf("ringkasan.json: %v\n%s", err, b)
			}
			txt, err := os.ReadFile(filepath.Join(runs[0], "ringkasan.txt"))
			if err != nil || !strings.Contains(out, string(txt)) {
				t.Fatalf("ringkasan.txt is not what was printed (%v):\n%s", err, txt)
			}
			r := s.Report
			if r == nil || r.Overall == nil {
				t.Fatalf("summary without a report: %s", b)
			}
			// The simulator holds the clock: however fast, the run ends at the scenario's end.
			if sc, err := loadScenario(name); err != nil || s.To != sc.End || s.From != sc.Start {
				t.Errorf("the run played %s–%s (%v)", s.From, s.To, err)
			}
			// Every number given was given in the training office's day; the trainees'
			// counters (nobody plays them here) served nobody.
			if s.Citizens.Given == 0 || r.Overall.Issued != s.Citizens.Given || s.Citizens.Arrived != s.Citizens.Given+refusedTotal(s.Citizens.Refused) {
				t.Fatalf("citizens %+v, report issued %d", s.Citizens, r.Overall.Issued)
			}
			for id, in := range r.Counters {
				if !slices.Contains(s.Simulated, id) && in.Done+in.NoShow+in.Transferred > 0 {
					t.Errorf("counter %s, played by nobody, served %+v", id, in)
				}
			}
			if r.Overall.Done == 0 || r.Overall.WaitMeanS == nil {
				t.Errorf("the simulated counters served nobody: %+v", r.Overall)
			}
			switch name {
			case "lonjakan-pagi":
				if s.Citizens.Refused[queue.ReasonCapacity] == 0 || !hasIncident(r, queue.IncidentSurge, "B") || s.Citizens.Complaint != 1 || r.Complaints.Received != 1 {
					t.Errorf("the surge morning: citizens %+v, incidents %+v, complaints %+v", s.Citizens, r.Incidents, r.Complaints)
				}
			case "printer-mati":
				if !hasIncident(r, queue.IncidentPrinter, "") {
					t.Errorf("the printer failure left no incident: %+v", r.Incidents)
				}
			case "rujukan-antarinstansi":
				if s.Citizens.Referred != 3 || len(r.Referrals) == 0 || r.Services["B"].TransferredIn != 2 {
					t.Errorf("referrals: %d made, report %+v, B transferred in %d", s.Citizens.Referred, r.Referrals, r.Services["B"].TransferredIn)
				}
			}
			if !strings.Contains(out, "Ringkasan tersimpan di "+runs[0]) {
				t.Errorf("the console does not say where the summary is kept:\n%s", out)
			}
			// The debrief's printable report of the training day, as the console says.
			html := filepath.Join(trainingDir, "latihan.html")
			cfgArg := filepath.Join(runs[0], "kantor.toml")
			if name != "lonjakan-pagi" {
				cfgArg = cfgPath
			}
			if !strings.Contains(out, "antrid report -config "+cfgArg+" -data "+runs[0]+" -day "+s.Day) {
				t.Errorf("the console does not say how to make the training day's report:\n%s", out)
			}
			if code := reportCmd([]string{"-config", cfgArg, "-data", runs[0], "-day", s.Day, "-o", html}); code != 0 {
				t.Errorf("antrid report on the training database: exit %d", code)
			}
		})
	}
	after := folderBytes(t, realDir)
	if len(after) != len(before) {
		t.Fatalf("the real data folder had %d files, now %d", len(before), len(after))
	}
	for name, b := range before {
		if !bytes.Equal(after[name], b) {
			t.Errorf("%s changed during the training runs", name)
		}
	}
}

// folderBytes is every file of dir by name, with its bytes.
func folderBytes(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		out[path] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func hasIncident(r *queue.Report, typ, service string) bool {
	return slices.ContainsFunc(r.Incidents, func(i queue.Incident) bool { return i.Type == typ && i.Service == service })
}

func refusedTotal(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// TestTrainingStaysForTheDebrief: with -training-stay the training office keeps serving
// after its summary, its clock stopped at the scenario's end, until it is stopped; then it
// ends cleanly.
func TestTrainingStaysForTheDebrief(t *testing.T) {
	dir := t.TempDir()
	d := antridtest.Start(t, antridtest.FreeAddr(t), "-training", "rujukan-antarinstansi", "-speed", "3600",
		"-training-stay", "-training-dir", dir)
	queuetest.Eventually(t, "the summary of the run", func() bool {
		runs, _ := filepath.Glob(filepath.Join(dir, "antri-latihan-*", "ringkasan.json"))
		return len(runs) == 1
	})
	var st queue.State
	for range 2 {
		if code := queuetest.Call(t, "GET", d.URL+"/api/state", "", nil, &st); code != 200 || st.Now.Format("15:04:05") != "10:00:00" {
			t.Fatalf("after the summary: %d, the clock at %s; want the pages open at 10:00:00", code, st.Now.Format("15:04:05"))
		}
		time.Sleep(500 * time.Millisecond) // half an hour at 3600×, had the clock run on
	}
	if err := d.Stop(); err != nil {
		t.Fatalf("stopped after the debrief: %v", err)
	}
}
