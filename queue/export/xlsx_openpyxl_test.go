package export

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// monthReport is November 2026 of the "reports" office (two services, a
// counter each): eight tickets a counter a
// working day, officers at both counters, three SKM responses a day, A's
// standard revised from Monday 16 November and a complaint every Monday.
func monthReport(t *testing.T, id string, seed uint64) (*queue.Report, Labels) {
	t.Helper()
	cfg := queuetest.Office(t, "reports", func(c *queue.Config) { c.Office.ID = id })
	q, clk := queuetest.OpenConfig(t, cfg, time.Date(2026, 11, 1, 7, 0, 0, 0, cfg.Location))
	ctx := context.Background()
	queuetest.Month(t, q, clk, queuetest.MonthPlan{Month: "2026-11", PerDay: 8, Seed: seed, Surveys: 3,
		Officers: map[string]string{"1": "Andi", "2": "Rina"},
		Morning: func(day time.Time) {
			if day.Day() == 13 {
				if _, err := q.Do(ctx, queue.ReviseStandard{Service: "A", Wait: 10 * time.Minute, ServiceTime: 5 * time.Minute,
					Reason: "SK 45/2026", Effective: time.Date(2026, 11, 16, 8, 0, 0, 0, cfg.Location)}); err != nil {
					t.Fatal(err)
				}
			}
			if day.Weekday() == time.Monday {
				if _, err := q.ReceiveComplaint(ctx, queue.ReceiveComplaint{Channel: "kiosk", Topic: "Waktu tunggu", Text: "Lama", Ticket: "A-001"}); err != nil {
					t.Fatal(err)
				}
			}
		}})
	rep, err := q.MonthlyReport(ctx, "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	return rep, LabelsOf(cfg)
}

// pythonWithOpenpyxl is a python3 that imports openpyxl (Debian's
// python3-openpyxl lives in /usr/bin/python3, which a python3 earlier on PATH
// may hide), or the test is skipped (failed in CI).
func pythonWithOpenpyxl(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("ANTRI_PYTHON"), "/usr/bin/python3", "python3"} {
		if p == "" {
			continue
		}
		if exec.Command(p, "-c", "import openpyxl").Run() == nil {
			return p
		}
	}
	queuetest.SkipUnlessCI(t, "python3-openpyxl not installed (apt-get install -y python3-openpyxl)")
	return ""
}

// readBack is what openpyxl, a reader independent of excelize, finds in a
// workbook: each sheet's frozen cell, charts, conditional formats, column
// widths, and the value, boldness, fill and number format of its cells.
const readBack = `
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "s": {}}
for ws in wb.worksheets:
    d = {"freeze": ws.freeze_panes, "charts": len(ws._charts),
         "cf": sorted(str(r.sqref) for r in ws.conditional_formatting),
         "widths": {k: v.width for k, v in ws.column_dimensions.items()}, "cells": {}}
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 70)):
        for c in row:
            if c.value is None:
                continue
            v = c.value
            if isinstance(v, datetime.datetime):
                v = v.isoformat()
            elif isinstance(v, datetime.timedelta):
                v = v.total_seconds()
            elif not isinstance(v, (int, float, str, bool)):
                v = str(v)
            d["cells"][c.coordinate] = {"v": v, "bold": bool(c.font and c.font.b), "fmt": c.number_format,
                "fill": c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type else None}
    out["s"][ws.title] = d
print(json.dumps(out))
`

// readBook is what readBack prints.
type readBook struct {
	Sheets []string             `json:"sheets"`
	S      map[string]readSheet `json:"s"`
}

// openpyxl reads the workbook at path with readBack.
func openpyxl(t *testing.T, python, path string) readBook {
	t.Helper()
	cmd := exec.Command(python, "-c", readBack, path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("openpyxl could not read the workbook: %v\n%s", err, stderr.String())
	}
	var got readBook
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	return got
}

type readSheet struct {
	Freeze string             `json:"freeze"`
	Charts int                `json:"charts"`
	CF     []string           `json:"cf"`
	Widths map[string]float64 `json:"widths"`
	Cells  map[string]struct {
		V    any    `json:"v"`
		Bold bool   `json:"bold"`
		Fmt  string `json:"fmt"`
		Fill any    `json:"fill"`
	} `json:"cells"`
}

func TestWorkbookReadByOpenpyxl(t *testing.T) {
	python := pythonWithOpenpyxl(t)
	rep, labels := monthReport(t, "mpp-uji", 7)
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, rep, labels); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "laporan.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	got := openpyxl(t, python, path)
	want := []string{"Ringkasan", "Per layanan", "Per loket", "Per petugas", "Per hari", "Per jam", "Pengaduan", "SKM", "Revisi SOP", "Tiket"}
	if strings.Join(got.Sheets, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %q, want %q", got.Sheets, want)
	}
	// Each sheet's header: bold, shaded, and kept in view.
	heads := map[string]struct{ cell, text, freeze string }{
		"Ringkasan": {"A5", "Indikator", "A6"}, "Per layanan": {"B1", "Layanan", "C2"}, "Per loket": {"A1", "Loket", "C2"},
		"Per petugas": {"A1", "Petugas", "C2"}, "Per hari": {"A1", "Tanggal", "C2"}, "Per jam": {"A1", "Jam", "B2"},
		"Pengaduan": {"A1", "Pengaduan", "A2"}, "SKM": {"A1", "Unsur", "A2"}, "Revisi SOP": {"A1", "Layanan", "B2"}, "Tiket": {"A1", "Nomor", "B2"},
	}
	for sheet, h := range heads {
		s := got.S[sheet]
		c := s.Cells[h.cell]
		if c.V != h.text || !c.Bold || c.Fill != "FFDCE6F1" || s.Freeze != h.freeze {
			t.Errorf("%s: header %s = %v bold %v fill %v, frozen at %q; want %q bold, shaded, frozen at %q",
				sheet, h.cell, c.V, c.Bold, c.Fill, s.Freeze, h.text, h.freeze)
		}
	}
	// Number formats: counts, durations as [m]:ss, rates as percentages,
	// dates as dates; Indonesian names, not codes.
	cell := func(sheet, axis string) (any, string) {
		c, ok := got.S[sheet].Cells[axis]
		if !ok {
			t.Errorf("%s!%s is empty", sheet, axis)
		}
		return c.V, c.Fmt
	}
	col := func(key string) string { return colName(3 + indexOf(indicatorFields, key)) }
	formats := []struct{ sheet, axis, fmt string }{
		{"Per layanan", col("issued") + "2", "#,##0"}, {"Per layanan", col("wait_mean_s") + "2", "[m]:ss"},
		{"Per layanan", col("service_p90_s") + "3", "[m]:ss"}, {"Per layanan", col("on_time_pct") + "2", "0.0%"},
		{"Per hari", "A2", "dd/mm/yyyy"}, {"Per hari", col("on_time_pct") + "2", "0.0%"},
		{"Per jam", "D10", "[m]:ss"}, {"Tiket", "I2", "dd/mm/yyyy hh:mm:ss"}, {"Tiket", "T2", "[m]:ss"},
		{"Ringkasan", "B12", "[m]:ss"}, {"Ringkasan", "B17", "0.0%"}, {"SKM", "D2", "0.000"}, {"Revisi SOP", "C2", "dd/mm/yyyy hh:mm:ss"},
	}
	for _, f := range formats {
		if _, nf := cell(f.sheet, f.axis); nf != f.fmt {
			t.Errorf("%s!%s number format %q, want %q", f.sheet, f.axis, nf, f.fmt)
		}
	}
	if v, _ := cell("Per layanan", "B2"); v != "Perizinan" {
		t.Errorf("Per layanan!B2 = %v, want the service's name", v)
	}
	if v, _ := cell("Ringkasan", "A2"); v != "MPP Uji" {
		t.Errorf("Ringkasan!A2 = %v, want the office's name", v)
	}
	if v, _ := cell("Per hari", "B2"); v != "Senin" { // 2 November 2026 is a Monday
		t.Errorf("Per hari!B2 = %v, want Senin", v)
	}
	if v, _ := cell("Per loket", "B2"); v != "Loket 1" {
		t.Errorf("Per loket!B2 = %v", v)
	}
	if v, _ := cell("Per hari", "A2"); v != "2026-11-02T00:00:00" {
		t.Errorf("Per hari!A2 = %v, want the date 2 November 2026", v)
	}
	if w := got.S["Per layanan"].Widths["B"]; w < 25 {
		t.Errorf("Per layanan column B is %v wide, want room for service names", w)
	}
	stages := map[any]bool{}
	for axis, c := range got.S["Tiket"].Cells {
		if strings.HasPrefix(axis, "O") && axis != "O1" {
			stages[c.V] = true
		}
	}
	for s := range stages {
		if s != "selesai" && s != "tidak hadir" && s != "dirujuk" && s != "kedaluwarsa" && s != "belum berakhir" {
			t.Errorf("Tiket stage %q is not Indonesian", s)
		}
	}
	// Native charts: tickets and on time per day, where the time goes per hour.
	if got.S["Per hari"].Charts != 1 || got.S["Per jam"].Charts != 1 {
		t.Errorf("charts: Per hari %d, Per jam %d; want one each", got.S["Per hari"].Charts, got.S["Per jam"].Charts)
	}
	if cf := got.S["Per jam"].CF; len(cf) != 2 {
		t.Errorf("heat maps (conditional colour scales) on Per jam: %q, want 2", cf)
	}
	// And the chart parts themselves: a combo (bars and a line) and stacked bars.
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/charts/chart") {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			parts[f.Name] = string(b)
		}
	}
	combo, stacked := parts["xl/charts/chart1.xml"], parts["xl/charts/chart2.xml"]
	if len(parts) != 2 || !strings.Contains(combo, "lineChart>") || !strings.Contains(combo, "barChart>") ||
		!strings.Contains(combo, "Per hari") || !strings.Contains(stacked, `grouping val="stacked"`) || !strings.Contains(stacked, "Per jam") {
		t.Errorf("chart parts %v: want a bar+line combo and a stacked bar chart", keysOf(parts))
	}
}

func keysOf(m map[string]string) []string { return sortedKeys(m) }

// Headquarters' comparison of two offices as one workbook, read back by
// openpyxl: the offices side by side (frozen bold header, two charts), the
// ranking with each indicator's own number format, the long tables.
func TestComparisonWorkbookReadByOpenpyxl(t *testing.T) {
	python := pythonWithOpenpyxl(t)
	a, _ := monthReport(t, "mpp-a", 7)
	b, _ := monthReport(t, "mpp-b", 8)
	names := map[string]string{"mpp-a": "MPP Kota A", "mpp-b": "MPP Kabupaten B"}
	var buf bytes.Buffer
	if err := WriteComparisonXLSX(&buf, queue.Compare([]*queue.Report{a, b}, names), []*queue.Report{a, b}, names); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "perbandingan.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	got := openpyxl(t, python, path)
	want := []string{"Perbandingan", "Peringkat", "Per layanan", "Per hari", "SKM", "Revisi SOP"}
	if strings.Join(got.Sheets, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %q, want %q", got.Sheets, want)
	}
	cmp := got.S["Perbandingan"]
	if c := cmp.Cells["A3"]; c.V != "Kantor" || !c.Bold || cmp.Freeze != "B4" || cmp.Charts != 2 {
		t.Errorf("Perbandingan: header %+v, frozen at %q, %d charts; want a bold header frozen at B4 and two charts", c, cmp.Freeze, cmp.Charts)
	}
	if c := cmp.Cells["A4"]; c.V != "MPP Kota A" {
		t.Errorf("Perbandingan!A4 = %v, want the office's name", c.V)
	}
	rk := got.S["Peringkat"]
	// Rows 2–3: on-time rate of the two offices; rows 6–7 the mean wait.
	for axis, f := range map[string]string{"E2": "0.0%", "E3": "0.0%", "E6": "[m]:ss", "E7": "[m]:ss"} {
		if c := rk.Cells[axis]; c.Fmt != f {
			t.Errorf("Peringkat!%s (%v) number format %q, want %q", axis, c.V, c.Fmt, f)
		}
	}
	if c := rk.Cells["C2"]; c.V != 1.0 {
		t.Errorf("Peringkat!C2 = %v, want place 1", c.V)
	}
	if rows := len(got.S["Per hari"].Cells); rows < 40 {
		t.Errorf("Per hari has %d cells: both offices' days expected", rows)
	}
}
