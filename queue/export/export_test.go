package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// sampleReport runs a small March history and returns its report.
func sampleReport(t *testing.T) *queue.Report {
	t.Helper()
	cfg := queuetest.Office(t, "office")
	q, clk := queuetest.OpenConfig(t, cfg, time.Date(2024, 3, 5, 9, 0, 0, 0, cfg.Location))
	ctx := context.Background()
	run := func(cmds ...queue.Command) {
		for _, c := range cmds {
			if _, err := q.Do(ctx, c); err != nil {
				t.Fatalf("%T: %v", c, err)
			}
		}
	}
	run(queue.Issue{Service: "A"}, queue.Issue{Service: "B", Priority: true})
	clk.Advance(3 * time.Minute)
	run(queue.Call{Counter: "1"}) // B first (priority)
	clk.Advance(2 * time.Minute)
	run(queue.Transfer{Counter: "1", Service: "A", Note: "ke perizinan", Unit: "DPMPTSP"}, queue.Call{Counter: "1"})
	clk.Advance(7 * time.Minute)
	run(queue.Finish{Counter: "1", Outcome: queue.OutcomeDone}, queue.Call{Counter: "1"})
	clk.Advance(time.Minute)
	run(queue.NoShow{Counter: "1"}, &queue.SubmitSurvey{Answers: [9]int{4, 3, 3, 4, 4, 4, 3, 3, 4}})
	if _, err := q.ReceiveComplaint(ctx, queue.ReceiveComplaint{Topic: "Antre", Text: "Lama"}); err != nil {
		t.Fatal(err)
	}
	rep, err := q.MonthlyReport(ctx, "2024-03")
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// jsonValue reads a number (or null) of the report JSON by path.
func jsonValue(t *testing.T, m map[string]any, path ...string) *float64 {
	t.Helper()
	var cur any = m
	for _, p := range path {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			i, _ := strconv.Atoi(p)
			cur = c[i]
		}
	}
	if cur == nil {
		return nil
	}
	v := cur.(float64)
	return &v
}

func cellNumber(t *testing.T, x *excelize.File, sheet, axis string) *float64 {
	t.Helper()
	s, err := x.GetCellValue(sheet, axis)
	if err != nil {
		t.Fatal(err)
	}
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%s!%s = %q: not a number", sheet, axis, s)
	}
	return &v
}

func same(a, b *float64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func show(v *float64) string {
	if v == nil {
		return "null"
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

// sampleLabels are the names of sampleReport's office (the "office" fixture).
func sampleLabels(t *testing.T) Labels { return LabelsOf(queuetest.Office(t, "office")) }

// The per-service sheet holds the very numbers of the JSON: counts as they
// are, durations as fractions of a day ([m]:ss), rates as fractions (0.0%).
func TestXLSXCellsMatchJSON(t *testing.T) {
	rep := sampleReport(t)
	var js bytes.Buffer
	if err := WriteJSON(&js, rep); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(js.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, rep, sampleLabels(t)); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	want := []string{SheetSummary, SheetServices, SheetCounters, SheetDays, SheetHours, SheetComplaints, SheetSKM, SheetRevisions, SheetTickets}
	if got := x.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %v, want %v (no officer signed in: no %s)", got, want, SheetOfficers)
	}
	if a, _ := x.GetCellValue(SheetServices, "B2"); a != "Perizinan" {
		t.Errorf("%s!B2 = %q, want the service's name", SheetServices, a)
	}
	if h, _ := x.GetCellValue(SheetServices, "C1"); h != "Tiket terbit" {
		t.Errorf("%s!C1 = %q", SheetServices, h)
	}
	checked := 0
	for row, who := range map[int]string{2: "A", 3: "B", 4: "overall"} {
		for i, f := range indicatorFields {
			axis, _ := excelize.CoordinatesToCellName(3+i, row)
			path := []string{"services", who, f.key}
			if who == "overall" {
				path = []string{"overall", f.key}
			}
			got, want := cellNumber(t, x, SheetServices, axis), jsonValue(t, m, path...)
			if want != nil {
				switch f.kind {
				case kDuration:
					*want /= 86400
				case kPercent:
					*want /= 100
				}
			}
			if !close(got, want) {
				t.Errorf("%s!%s (%s %s) = %s, JSON %s", SheetServices, axis, who, f.key, show(got), show(want))
			}
			checked++
		}
	}
	if checked != 3*len(indicatorFields) {
		t.Errorf("checked %d cells", checked)
	}
	if got, want := cellNumber(t, x, SheetSKM, "F11"), jsonValue(t, m, "skm", "ikm"); !same(got, want) || want == nil {
		t.Errorf("SKM ikm = %s, JSON %s", show(got), show(want))
	}
	rows, _ := x.GetRows(SheetTickets)
	// Segments in queueing order: A-001 (no-show: B-001, priority, was
	// called first), B-001 referred to A after 180 s, B-001 in A done.
	if len(rows) != 1+len(rep.Segments) || len(rep.Segments) != 3 {
		t.Fatalf("ticket sheet has %d rows for %d segments, want 1+3", len(rows), len(rep.Segments))
	}
	if r := rows[2]; r[0] != "B-001" || r[3] != "Kependudukan" || r[14] != "dirujuk" || r[16] != "Perizinan" || r[18] != "DPMPTSP" ||
		!close(parseNum(r[19]), f(180.0/86400)) {
		t.Errorf("second segment row = %q", r)
	}
	if r := rows[1]; r[0] != "A-001" || r[14] != "tidak hadir" || !close(parseNum(r[19]), f(720.0/86400)) || r[20] != "" {
		t.Errorf("first segment row = %q", r)
	}
}

func f(v float64) *float64 { return &v }

func parseNum(s string) *float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil
	}
	return &v
}

// close compares numbers to the last few bits a division by 86 400 or 100 leaves.
func close(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(*a-*b) <= 1e-12*math.Max(1, math.Abs(*b))
}

// The CSV opens in a spreadsheet in an Indonesian locale: a UTF-8 byte
// order mark, ";" between fields, decimal commas; plain=1 gives the form
// tools read, commas and points.
func TestCSVLongForm(t *testing.T) {
	rep := sampleReport(t)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rep, Options{Labels: sampleLabels(t)}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xef\xbb\xbf")) {
		t.Fatalf("no UTF-8 byte order mark: %q", buf.Bytes()[:min(buf.Len(), 20)])
	}
	r := csv.NewReader(bytes.NewReader(buf.Bytes()[3:]))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := "kantor|periode|kelompok|kode|nama|indikator|keterangan|nilai"
	if strings.Join(recs[0], "|") != head {
		t.Errorf("header %q", recs[0])
	}
	find := func(recs [][]string, group, code, key string) []string {
		t.Helper()
		for _, r := range recs {
			if len(r) != 8 {
				t.Fatalf("line %q has %d fields, want 8", r, len(r))
			}
			if r[2] == group && r[3] == code && r[5] == key {
				return r
			}
		}
		t.Fatalf("no CSV line %s/%s/%s", group, code, key)
		return nil
	}
	// A: B-001 queued in A at 09:05 and called at once (0 s); A-001 issued
	// 09:00, called 09:12 (720 s): mean 360.
	if r := find(recs, "antrian", "A", "wait_mean_s"); r[7] != "360" || r[4] != "Perizinan" {
		t.Errorf("A wait mean line %q, want 360", r)
	}
	if r := find(recs, "antrian", "semua", "issued"); r[7] != "2" || r[0] != "mpp-uji" || r[1] != "2024-03" {
		t.Errorf("issued line %q, want 2", r)
	}
	// 1 no-show of 3 called segments: 33,333… with a decimal comma.
	if r := find(recs, "antrian", "semua", "no_show_pct"); r[7] != "33,333333333333336" {
		t.Errorf("no-show rate line %q, want a decimal comma", r)
	}
	if r := find(recs, "rujukan", "B", "to_A"); r[7] != "1" || !strings.Contains(r[6], "Perizinan (DPMPTSP)") {
		t.Errorf("referral line %q", r)
	}
	if r := find(recs, "skm", "semua", "grade"); r[7] != *rep.SKM.Grade {
		t.Errorf("grade line %q", r)
	}
	if r := find(recs, "pengaduan", "semua", "closed_within_standard_pct"); r[7] != "" {
		t.Errorf("null must be an empty cell: %q", r)
	}
	if r := find(recs, "jam", "09", "arrivals"); r[7] != "2" || r[4] != "09.00–09.59" {
		t.Errorf("09 arrivals line %q", r)
	}

	buf.Reset()
	if err := WriteCSV(&buf, rep, Options{Labels: sampleLabels(t), Plain: true}); err != nil {
		t.Fatal(err)
	}
	plain, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if r := find(plain, "antrian", "semua", "no_show_pct"); r[7] != "33.333333333333336" || strings.HasPrefix(plain[0][0], "\ufeff") {
		t.Errorf("plain: %q, header %q", r, plain[0])
	}
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]Format{"a.xlsx": XLSX, "B.CSV": CSV, "x/y.json": JSON} {
		if got, err := FormatOf(name); err != nil || got != want {
			t.Errorf("FormatOf(%q) = %q, %v", name, got, err)
		}
	}
	if _, err := FormatOf("laporan.pdf"); err == nil {
		t.Error("pdf accepted")
	}
}
