package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
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
	if v, _ := x.GetCellValue("Per layanan", "C2"); v != "3" {
		t.Errorf("Per layanan!C2 (issued) = %q, want 3", v)
	}
	if code := reportCmd([]string{"-config", cfgPath, "-data", dir, "-month", "2024-03", "-o", filepath.Join(dir, "x.pdf")}); code != 1 {
		t.Errorf("pdf: exit %d, want 1", code)
	}
	if code := reportCmd([]string{"-config", cfgPath, "-data", dir}); code != 2 {
		t.Errorf("missing flags: exit %d, want 2", code)
	}
	// The quarter and the year of March: the same three tickets under their own key.
	for _, p := range [][3]string{{"-quarter", "2024-Q1", `"quarter": "2024-Q1"`}, {"-year", "2024", `"year": "2024"`}} {
		out := filepath.Join(dir, p[1]+".json")
		if code := reportCmd([]string{"-config", cfgPath, "-data", dir, p[0], p[1], "-o", out}); code != 0 {
			t.Fatalf("%s %s: exit %d", p[0], p[1], code)
		}
		b, _ := os.ReadFile(out)
		var r queue.Report
		if json.Unmarshal(b, &r) != nil || r.Overall.Issued != 3 || !strings.Contains(string(b), p[2]) {
			t.Errorf("%s %s: %.120s", p[0], p[1], b)
		}
	}
	// The printable report as one file: the page, its scripts and the data.
	html := filepath.Join(dir, "triwulan.html")
	if code := reportCmd([]string{"-config", cfgPath, "-data", dir, "-quarter", "2024-Q1", "-o", html}); code != 0 {
		t.Fatalf("html: exit %d", code)
	}
	if b, _ := os.ReadFile(html); !strings.Contains(string(b), `<script type="application/json" id="laporan-data">{"letterhead":`) ||
		!strings.Contains(string(b), "const Charts") || strings.Contains(string(b), `src="/static/`) {
		t.Errorf("the printable file is not self-contained: %.300s", b)
	}
	if code := reportCmd([]string{"-config", cfgPath, "-data", dir, "-month", "2024-03", "-year", "2024", "-o", html}); code != 2 {
		t.Errorf("two periods: exit %d, want 2", code)
	}
	if code := reportCmd([]string{"-config", cfgPath, "-data", dir, "-quarter", "2024-Q9", "-o", html}); code != 1 {
		t.Errorf("a quarter that is none: exit %d, want 1", code)
	}
}
