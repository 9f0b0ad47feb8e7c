package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/export"
	"github.com/antri-id/antri/queue/queuetest"
	"github.com/antri-id/antri/sync/collect/collecttest"
	"github.com/antri-id/antri/sync/wire"
)

// reportOffice is the "reports" office under id, with January and February
// 2025 behind it: officers at its counters, SKM responses, a revision of
// A's standards effective 10 February (its "before" window reaches into
// January) and, at the second office, a complaint every Monday.
func reportOffice(t *testing.T, id string, seed uint64) *queue.Queue {
	t.Helper()
	cfg := queuetest.Office(t, "reports", func(c *queue.Config) { c.Office.ID = id })
	q, clk := queuetest.OpenConfig(t, cfg, time.Date(2025, 1, 1, 7, 0, 0, 0, cfg.Location))
	ctx := context.Background()
	for _, month := range []string{"2025-01", "2025-02"} {
		queuetest.Month(t, q, clk, queuetest.MonthPlan{Month: month, PerDay: 3 + int(seed), Seed: seed, Surveys: 1,
			Officers: map[string]string{"1": "Petugas A " + id, "2": "Petugas B " + id},
			Morning: func(day time.Time) {
				if day.Month() == time.February && day.Day() == 3 {
					if _, err := q.Do(ctx, queue.ReviseStandard{Service: "A", Wait: 8 * time.Minute, ServiceTime: 4 * time.Minute,
						Reason: "Revisi SOP triwulan I", Effective: time.Date(2025, 2, 10, 8, 0, 0, 0, cfg.Location)}); err != nil {
						t.Fatal(err)
					}
				}
				if seed == 1 && day.Month() == time.February && day.Day() == 5 {
					// The printer was down the afternoon before: the paper log is entered
					// (issue 15), and its manual-numbers incident goes to headquarters too.
					at := func(hm string) *time.Time {
						h, _ := time.ParseInLocation("15:04", hm, cfg.Location)
						t := time.Date(2025, 2, 4, h.Hour(), h.Minute(), 0, 0, cfg.Location)
						return &t
					}
					if _, err := q.Backfill(ctx, queue.BackfillRequest{Note: "Printer mati", Tickets: []queue.BackfillTicket{
						{Number: "A-M01", Service: "A", Issued: *at("13:00"), Called: at("13:10"), Started: at("13:11"), Finished: at("13:20"), Outcome: "done"},
						{Number: "A-M02", Service: "A", Issued: *at("13:05"), Called: at("13:25"), Outcome: "no_show"},
					}}); err != nil {
						t.Fatal(err)
					}
				}
				if seed == 2 && day.Weekday() == time.Monday {
					if _, err := q.ReceiveComplaint(ctx, queue.ReceiveComplaint{Channel: "kiosk", Topic: "Waktu tunggu", Text: "Lama", Ticket: "A-001"}); err != nil {
						t.Fatal(err)
					}
				}
			}})
	}
	return q
}

// sendAll hands every event of q to headquarters, in batches within its limits.
func sendAll(t *testing.T, q *queue.Queue, id, secret, url string) {
	t.Helper()
	ctx := context.Background()
	for after := int64(0); ; {
		seqs, bodies, err := q.Store().RawEventsAfter(ctx, after, 2000)
		if err != nil {
			t.Fatal(err)
		}
		if len(seqs) == 0 {
			return
		}
		b := newSigned(id, secret, bodies, seqs[0], seqs[len(seqs)-1])
		names := export.LabelsOf(q.Config()) // as antrid's uploader sends them
		b.batch.Labels = &wire.Labels{Services: names.Services, Counters: names.Counters}
		req := b.request(url, nil)
		if code, b, _ := do(t, req); code != 200 {
			t.Fatalf("ingest %s %d–%d: %d %s", id, seqs[0], seqs[len(seqs)-1], code, b)
		}
		after = seqs[len(seqs)-1]
	}
}

// Headquarters' reports of each office, for a month, a quarter and a year,
// are the office's own byte for byte (revisions, counters, officers, hours,
// days and SKM included); the comparison ranks the two offices on those very
// figures, as JSON, as one workbook and on the page.
func TestHeadquartersReportsAndComparison(t *testing.T) {
	offices := map[string]*queue.Queue{officeA: reportOffice(t, officeA, 1), officeB: reportOffice(t, officeB, 2)}
	hq := collecttest.Opener(t, "sqlite")()
	_, hs := startHQ(t, hq)
	sendAll(t, offices[officeA], officeA, secretA, hs.URL)
	sendAll(t, offices[officeB], officeB, secretB, hs.URL)
	ctx := context.Background()

	var quarter []*queue.Report
	for _, id := range []string{officeA, officeB} {
		q := offices[id]
		for _, p := range []struct {
			kind       queue.PeriodKind
			route, key string
		}{{queue.PeriodMonth, "monthly?month", "2025-02"}, {queue.PeriodQuarter, "quarterly?quarter", "2025-Q1"}, {queue.PeriodYear, "yearly?year", "2025"}} {
			per, _ := queue.ParsePeriod(p.kind, p.key, q.Config().Location)
			want, err := q.Report(ctx, per)
			if err != nil {
				t.Fatal(err)
			}
			if p.kind == queue.PeriodQuarter {
				quarter = append(quarter, want)
			}
			if id == officeA && (len(want.Incidents) != 1 || want.Manual == nil || want.Manual.Manual != 2) {
				t.Fatalf("%s %s: the paper log's incident and manual tickets are missing: %+v, %+v", id, p.key, want.Incidents, want.Manual)
			}
			if len(want.Revisions) != 1 || want.Officers == nil || want.SKM.Responses == 0 {
				t.Fatalf("%s %s: the history lacks what it is for: %d revisions, officers %v, %d SKM", id, p.key, len(want.Revisions), want.Officers, want.SKM.Responses)
			}
			var wantJSON bytes.Buffer
			enc := json.NewEncoder(&wantJSON)
			enc.SetEscapeHTML(false)
			enc.Encode(want) // as the office's API writes it
			code, body := get(t, hs.URL+"/api/v1/offices/"+id+"/reports/"+p.route+"="+p.key, adminTok)
			if code != 200 || !bytes.Equal(body, wantJSON.Bytes()) {
				t.Errorf("%s %s: headquarters' report (%d) is not the office's byte for byte: %s", id, p.key, code, jsonDiff(t, wantJSON.Bytes(), body))
			}
		}
	}
	for path, want := range map[string]int{
		"/api/v1/offices/" + officeA + "/reports/quarterly?quarter=2025-Q5": 400,
		"/api/v1/offices/" + officeA + "/reports/quarterly":                 400,
		"/api/v1/offices/tidak-ada/reports/yearly?year=2025":                404,
		"/api/v1/reports/compare":                                           400,
		"/api/v1/reports/compare?year=25":                                   400,
	} {
		if code, b := get(t, hs.URL+path, adminTok); code != want {
			t.Errorf("GET %s: %d %s, want %d", path, code, b, want)
		}
	}
	if code, _ := get(t, hs.URL+"/api/v1/reports/compare?quarter=2025-Q1", ""); code != 401 {
		t.Errorf("the comparison without the admin token: %d, want 401", code)
	}

	// The comparison is queue.Compare of the offices' own quarter.
	code, body := get(t, hs.URL+"/api/v1/reports/compare?quarter=2025-Q1", adminTok)
	want, _ := json.Marshal(queue.Compare(quarter, map[string]string{officeA: "Kantor " + officeA, officeB: "MPP Kabupaten Lain"}))
	if code != 200 || jsonDiff(t, want, body) != "" {
		t.Errorf("comparison (%d) differs from the offices' own figures: %s", code, jsonDiff(t, want, body))
	}
	var c queue.Comparison
	json.Unmarshal(body, &c)
	if len(c.Offices) != 2 || c.Kind != queue.PeriodQuarter || c.Key != "2025-Q1" || len(c.Rankings["on_time_pct"]) != 2 || c.Rankings["on_time_pct"][0].Place != 1 {
		t.Errorf("comparison %+v", c)
	}

	// One workbook of every office.
	code, book := get(t, hs.URL+"/api/v1/reports/compare.xlsx?quarter=2025-Q1", adminTok)
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if code != 200 || err != nil {
		t.Fatalf("comparison workbook: %d %v", code, err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	if !names["xl/charts/chart1.xml"] || !names["xl/charts/chart2.xml"] || !names["xl/worksheets/sheet6.xml"] {
		t.Errorf("comparison workbook parts: %v", names)
	}
	// An office's own files, named by its name where headquarters knows only that.
	code, xl := get(t, hs.URL+"/api/v1/offices/"+officeB+"/reports/quarterly.xlsx?quarter=2025-Q1", adminTok)
	if code != 200 || !bytes.HasPrefix(xl, []byte("PK")) {
		t.Errorf("office workbook: %d", code)
	}
	code, csv := get(t, hs.URL+"/api/v1/offices/"+officeB+"/reports/yearly.csv?year=2025", adminTok)
	if code != 200 || !strings.HasPrefix(string(csv), "\ufeffkantor;periode;") {
		t.Errorf("office CSV: %d %.80q", code, csv)
	}
	// The services and counters by the names the office gave them, not "Layanan A".
	if !strings.Contains(string(csv), "Perizinan") || !strings.Contains(string(csv), "Loket 2") || strings.Contains(string(csv), "Layanan A") {
		t.Errorf("office CSV without the office's names for its services:\n%s", csv)
	}
	code, html := get(t, hs.URL+"/api/v1/offices/"+officeB+"/reports/monthly.html?month=2025-02", adminTok)
	if code != 200 || !strings.Contains(string(html), `id="laporan-data"`) || !strings.Contains(string(html), `"name":"MPP Kabupaten Lain"`) ||
		!strings.Contains(string(html), `"A":"Perizinan"`) {
		t.Errorf("office printable report: %d %.200s", code, html)
	}

	// The page: the quarter, each indicator's ranking, the files.
	code, page := get(t, hs.URL+"/?quarter=2025-Q1", adminTok)
	p := string(page)
	if code != 200 || !strings.Contains(p, "Perbandingan Kantor — Triwulan I 2025") || !strings.Contains(p, `<table id="peringkat">`) ||
		!strings.Contains(p, "Tepat waktu ↑") || !strings.Contains(p, "/api/v1/reports/compare.xlsx?quarter=2025-Q1") ||
		!strings.Contains(p, "/api/v1/offices/"+officeA+"/reports/quarterly.xlsx?quarter=2025-Q1") {
		t.Errorf("page: %d %s", code, p)
	}
}
