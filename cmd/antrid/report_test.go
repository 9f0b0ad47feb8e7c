package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// marchOffice is what antrid leaves for antrid report: its config file (the
// reports fixture) and its queue, still open, with three A tickets issued in
// March 2024; the data folder is the store's.
func marchOffice(t *testing.T) (cfgPath string, q *queue.Queue) {
	t.Helper()
	cfgPath = queuetest.ConfigFile(t, "reports")
	cfg := queuetest.Office(t, "reports")
	q, _ = queuetest.OpenConfig(t, cfg, time.Date(2024, 3, 5, 9, 0, 0, 0, cfg.Location))
	for range 3 {
		if _, err := q.Do(context.Background(), queue.Issue{Service: "A"}); err != nil {
			t.Fatal(err)
		}
	}
	return cfgPath, q
}

func TestReportSubcommandOffline(t *testing.T) {
	cfgPath, q := marchOffice(t)
	dir := filepath.Dir(q.Store().Path())
	q.Close() // the daemon has stopped: the report runs offline
	q.Store().Close()

	out := filepath.Join(dir, "maret.json")
	if code := reportCmd([]string{"-config", cfgPath, "-data", dir, "-month", "2024-03", "-o", out}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	var rep queue.Report
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &rep); err != nil || rep.Overall.Issued != 3 || rep.Office != "mpp-uji" {
		t.Fatalf("report %s (%v), want 3 issued", b, err)
	}
	xl := filepath.Join(dir, "maret.xlsx")
	if code := reportCmd([]string{"-config", cfgPath, "-data", dir, "-month", "2024-03", "-o", xl}); code != 0 {
		t.Fatalf("xlsx exit %d", code)
	}
	x, err := excelize.OpenFile(xl)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if v, _ := x.GetCellValue("Jumlah", "C2"); v != "3" {
		t.Errorf("Jumlah!C2 (issued) = %q, want 3", v)
	}
	if code := reportCmd([]string{"-config", cfgPath, "-data", dir, "-month", "2024-03", "-o", filepath.Join(dir, "x.pdf")}); code != 1 {
		t.Errorf("pdf: exit %d, want 1", code)
	}
	if code := reportCmd([]string{"-config", cfgPath, "-data", dir}); code != 2 {
		t.Errorf("missing flags: exit %d, want 2", code)
	}
}
