package export

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestWorkbookListsIncidentsAndManualTickets: a period with an outage and a paper log
// has the "Gangguan layanan" sheet — each incident with its start, end, length and note,
// and the manual tickets' written times apart — and marks the manual tickets in "Tiket".
func TestWorkbookListsIncidentsAndManualTickets(t *testing.T) {
	cfg := queuetest.Office(t, "office")
	loc := cfg.Location
	q, clk := queuetest.OpenConfig(t, cfg, time.Date(2024, 3, 5, 11, 0, 0, 0, loc))
	ctx := context.Background()
	hm := func(h, m int) *time.Time { t := time.Date(2024, 3, 5, h, m, 0, 0, loc); return &t }
	if _, err := q.Do(ctx, queue.OpenIncident{Type: queue.IncidentOutage, Start: *hm(8, 0), End: *hm(9, 30), Note: "Listrik padam"}); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Backfill(ctx, queue.BackfillRequest{Tickets: []queue.BackfillTicket{
		{Number: "A-M01", Issued: *hm(8, 5), Called: hm(8, 20), Finished: hm(8, 30), Outcome: "done", Counter: "1"},
		{Number: "B-M01", Issued: *hm(8, 10), Called: hm(8, 40), Outcome: "no_show", Counter: "2"},
	}}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	rep, err := q.MonthlyReport(ctx, "2024-03")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, rep, LabelsOf(cfg)); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); len(got) < 2 || got[len(got)-2] != SheetIncidents || got[len(got)-1] != SheetTickets {
		t.Fatalf("sheets %v: want %q before %q", got, SheetIncidents, SheetTickets)
	}
	cell := func(sheet, axis string) string {
		t.Helper()
		v, err := x.GetCellValue(sheet, axis)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// By start: the outage (08:00), then the manual numbers (08:05–08:40).
	for axis, want := range map[string]string{"A1": "No.", "B2": "Sistem antrean mati", "H2": "Listrik padam", "B3": "Nomor manual (kertas)", "G2": "Admin"} {
		if got := cell(SheetIncidents, axis); got != want {
			t.Errorf("%s!%s = %q, want %q", SheetIncidents, axis, got, want)
		}
	}
	if got := cell(SheetIncidents, "F2"); got != "90:00" && got != "1:30:00" {
		t.Errorf("the outage's length %q, want 90 minutes", got)
	}
	rows, err := x.GetRows(SheetTickets)
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	if head[len(head)-1] != "Nomor manual" {
		t.Fatalf("Tiket's last column %q", head[len(head)-1])
	}
	marked := 0
	for _, r := range rows[1:] {
		if len(r) == len(head) && r[len(r)-1] == "ya" {
			marked++
		}
	}
	if marked != 2 {
		t.Fatalf("%d tickets marked manual, want 2", marked)
	}
}
