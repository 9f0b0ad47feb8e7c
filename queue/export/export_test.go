package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strconv"
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
	if err := WriteXLSX(&buf, rep); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	want := []string{SheetSummary, SheetCounts, SheetTimes, SheetCompliance, SheetComplaints, SheetSatisfied, SheetSKM, SheetReferrals, SheetTickets}
	if got := x.GetSheetList(); len(got) != len(want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	checked := 0
	for _, g := range IndicatorSheets {
		cols := map[string]string{"C": "overall", "D": "A", "E": "B"}
		if h, _ := x.GetCellValue(g.Sheet, "D1"); h != "Layanan A" {
			t.Errorf("%s!D1 = %q, want Layanan A", g.Sheet, h)
		}
		for i, key := range g.Keys {
			row := strconv.Itoa(i + 2)
			if k, _ := x.GetCellValue(g.Sheet, "B"+row); k != key {
				t.Errorf("%s!B%s = %q, want %q", g.Sheet, row, k, key)
			}
			for col, who := range cols {
				path := []string{"services", who, key}
				if who == "overall" {
					path = []string{"overall", key}
				}
				got, want := cellNumber(t, x, g.Sheet, col+row), jsonValue(t, m, path...)
				if !same(got, want) {
					t.Errorf("%s!%s%s (%s %s) = %s, JSON %s", g.Sheet, col, row, who, key, show(got), show(want))
				}
				checked++
			}
		}
	}
	for i := 0; i < 9; i++ {
		got, want := cellNumber(t, x, SheetSKM, "C"+strconv.Itoa(i+2)), jsonValue(t, m, "skm", "nrr", strconv.Itoa(i))
		if !same(got, want) {
			t.Errorf("SKM nrr %d = %s, JSON %s", i+1, show(got), show(want))
		}
	}
	if got, want := cellNumber(t, x, SheetSKM, "C12"), jsonValue(t, m, "skm", "ikm"); !same(got, want) || want == nil {
		t.Errorf("SKM ikm = %s, JSON %s", show(got), show(want))
	}
	if got, want := cellNumber(t, x, SheetComplaints, "C2"), jsonValue(t, m, "complaints", "received"); !same(got, want) || *want != 1 {
		t.Errorf("complaints received = %s, JSON %s", show(got), show(want))
	}
	if got, want := cellNumber(t, x, SheetComplaints, "C5"), jsonValue(t, m, "complaints", "closed_within_standard_pct"); !same(got, want) {
		t.Errorf("complaints within standard = %s, JSON %s (both null: nothing closed)", show(got), show(want))
	}
	rows, _ := x.GetRows(SheetTickets)
	// Segments in queueing order: A-001 (no-show: B-001, priority, was
	// called first in A too), B-001 transferred to A after 180 s, B-001 in A done.
	if len(rows) != 1+len(rep.Segments) || len(rep.Segments) != 3 {
		t.Fatalf("ticket sheet has %d rows for %d segments, want 1+3", len(rows), len(rep.Segments))
	}
	if r := rows[2]; r[0] != "B-001" || r[13] != "transferred" || r[15] != "A" || r[17] != "DPMPTSP" || r[18] != "180" {
		t.Errorf("second segment row = %q", r)
	}
	if r := rows[1]; r[0] != "A-001" || r[13] != "no_show" || r[18] != "720" || r[19] != "" {
		t.Errorf("first segment row = %q", r)
	}
	if checked != 3*(12+5+5) {
		t.Errorf("checked %d cells", checked)
	}
}

func TestCSVLongForm(t *testing.T) {
	rep := sampleReport(t)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rep); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][0] != "kantor" || recs[0][6] != "nilai" {
		t.Errorf("header %q", recs[0])
	}
	find := func(group, svc, key string) []string {
		for _, r := range recs {
			if r[2] == group && r[3] == svc && r[4] == key {
				return r
			}
		}
		t.Fatalf("no CSV line %s/%s/%s", group, svc, key)
		return nil
	}
	// A: B-001 queued in A at 09:05 and called at once (0 s); A-001 issued
	// 09:00, called 09:12 (720 s): mean 360.
	if r := find("antrian", "A", "wait_mean_s"); r[6] != "360" {
		t.Errorf("A wait mean line %q, want 360", r)
	}
	if r := find("antrian", "semua", "issued"); r[6] != "2" || r[0] != "mpp-uji" || r[1] != "2024-03" {
		t.Errorf("issued line %q, want 2", r)
	}
	if r := find("rujukan", "B", "to_A"); r[6] != "1" {
		t.Errorf("referral line %q", r)
	}
	if r := find("skm", "semua", "grade"); r[6] != *rep.SKM.Grade {
		t.Errorf("grade line %q", r)
	}
	if r := find("pengaduan", "semua", "closed_within_standard_pct"); r[6] != "" {
		t.Errorf("null must be an empty cell: %q", r)
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
