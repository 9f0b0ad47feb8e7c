package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/antri-id/antri/queue"
)

// Sheet names of the workbook, in order.
const (
	SheetSummary    = "Ringkasan"
	SheetCounts     = "Jumlah"
	SheetTimes      = "Waktu"
	SheetCompliance = "Kepatuhan"
	SheetComplaints = "Pengaduan"
	SheetSatisfied  = "Kepuasan"
	SheetSKM        = "SKM"
	SheetReferrals  = "Rujukan"
	SheetTickets    = "Tiket"
)

// IndicatorSheets are the indicator groups: sheet name and the I fields it
// holds (JSON names), one row each, one column per service.
var IndicatorSheets = []struct {
	Sheet string
	Keys  []string
}{
	{SheetCounts, []string{"issued", "done", "incomplete", "no_show", "transferred", "expired", "transferred_in", "called", "finished", "open", "priority", "recalls"}},
	{SheetTimes, []string{"wait_mean_s", "wait_p90_s", "walk_mean_s", "service_mean_s", "service_p90_s"}},
	{SheetCompliance, []string{"on_time_pct", "wait_on_time_pct", "service_on_time_pct", "first_visit_pct", "no_show_pct"}},
}

func label(key string) string {
	for _, f := range indicatorFields {
		if f.key == key {
			return f.label
		}
	}
	return key
}

func cell(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// WriteXLSX writes the report as a workbook: a summary sheet, one sheet per
// indicator group (counts, times, compliance, complaints, quick
// satisfaction, SKM, referrals) and a ticket-level sheet, one row per
// segment. Empty cells are nulls of the JSON. In indicator sheets column A
// is the Indonesian label, B the JSON key, C the office ("Semua"), then one
// column per service.
func WriteXLSX(w io.Writer, r *queue.Report) error {
	x := excelize.NewFile()
	defer x.Close()
	var err error
	set := func(sheet string, row int, vals ...any) {
		for i, v := range vals {
			if err != nil || v == nil {
				continue
			}
			var axis string
			if axis, err = excelize.CoordinatesToCellName(i+1, row); err != nil {
				return
			}
			if f, ok := v.(float64); ok {
				// Every digit of the JSON number, not Excel's 15: the
				// sheet must agree with the JSON to the last bit.
				err = x.SetCellFloat(sheet, axis, f, decimals(f), 64)
				continue
			}
			err = x.SetCellValue(sheet, axis, v)
		}
	}
	if err = x.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	for _, name := range []string{SheetCounts, SheetTimes, SheetCompliance, SheetComplaints, SheetSatisfied, SheetSKM, SheetReferrals, SheetTickets} {
		if _, err := x.NewSheet(name); err != nil {
			return err
		}
	}
	grade := ""
	if r.SKM.Grade != nil {
		grade = *r.SKM.Grade + " (" + *r.SKM.GradeLabel + ")"
	}
	o := r.Overall
	summary := [][]any{
		{"Laporan Bulanan Pelayanan", ""},
		{"Kantor", r.Office},
		{"Bulan", r.Month},
		{label("issued"), o.Issued},
		{label("done"), o.Done},
		{label("wait_mean_s"), cell(o.WaitMeanS)},
		{label("service_mean_s"), cell(o.ServiceMeanS)},
		{label("on_time_pct"), cell(o.OnTimePct)},
		{label("first_visit_pct"), cell(o.FirstVisitPct)},
		{label("no_show_pct"), cell(o.NoShowPct)},
		{"Pengaduan diterima", r.Complaints.Received},
		{"Pengaduan selesai dalam standar (%)", cell(r.Complaints.ClosedWithinStandardPct)},
		{"Rata-rata nilai kepuasan (1–4)", cell(r.Satisfaction.Mean)},
		{"IKM", cell(r.SKM.IKM)},
		{"Mutu pelayanan", grade},
	}
	for i, row := range summary {
		set(SheetSummary, i+1, row...)
	}

	codes := ServiceCodes(r)
	head := []any{"Indikator", "Kunci", "Semua"}
	for _, c := range codes {
		head = append(head, "Layanan "+c)
	}
	columns := []map[string]*float64{values(r.Overall)}
	for _, c := range codes {
		columns = append(columns, values(r.Services[c]))
	}
	for _, g := range IndicatorSheets {
		set(g.Sheet, 1, head...)
		for i, key := range g.Keys {
			row := []any{label(key), key}
			for _, col := range columns {
				row = append(row, cell(col[key]))
			}
			set(g.Sheet, i+2, row...)
		}
	}
	groupRows := func(sheet, group string) {
		set(sheet, 1, "Indikator", "Kunci", "Nilai")
		n := 2
		for _, row := range Rows(r) {
			if row.Group == group {
				set(sheet, n, row.Label, row.Indicator, cell(row.Value))
				n++
			}
		}
	}
	groupRows(SheetComplaints, "pengaduan")
	groupRows(SheetSatisfied, "kepuasan")

	set(SheetSKM, 1, "Unsur", "Kunci", "NRR")
	for i, v := range r.SKM.NRR {
		set(SheetSKM, i+2, fmt.Sprintf("U%d %s", i+1, queue.SKMElements[i]), fmt.Sprintf("nrr_%d", i+1), cell(v))
	}
	set(SheetSKM, 11, "Jumlah responden", "responses", r.SKM.Responses)
	set(SheetSKM, 12, "IKM", "ikm", cell(r.SKM.IKM))
	set(SheetSKM, 13, "Mutu pelayanan", "grade", grade)

	set(SheetReferrals, 1, "Dari layanan", "Ke layanan", "Unit tujuan", "Jumlah")
	for i, ref := range r.Referrals {
		set(SheetReferrals, i+2, ref.From, ref.To, ref.Unit, ref.Count)
	}

	set(SheetTickets, 1, "Nomor", "Tanggal", "Segmen", "Layanan", "Loket", "Prioritas", "Rujukan dari",
		"Masuk antrian", "Panggilan pertama", "Panggilan terakhir", "Mulai", "Berakhir", "Jumlah panggilan",
		"Akhir", "Hasil", "Dirujuk ke", "Catatan rujukan", "Unit rujukan", "Tunggu (detik)", "Jalan (detik)",
		"Layanan (detik)", "Standar tunggu (detik)", "Standar layanan (detik)")
	ts := func(t *time.Time) any {
		if t == nil {
			return nil
		}
		return t.Format("2006-01-02 15:04:05")
	}
	for i, s := range r.Segments {
		q := s.Queued
		set(SheetTickets, i+2, s.Number, s.Day, s.Segment, s.Service, s.Counter, yesNo(s.Priority), s.TransferredFrom,
			ts(&q), ts(s.FirstCall), ts(s.LastCall), ts(s.Started), ts(s.Ended), s.Calls, string(s.End), string(s.Outcome),
			s.TransferTo, s.Note, s.Unit, cell(s.WaitS), cell(s.WalkS), cell(s.ServiceS), s.WaitStandardS, s.ServiceStandardS)
	}
	if err != nil {
		return err
	}
	return x.Write(w)
}

func yesNo(b bool) string {
	if b {
		return "ya"
	}
	return "tidak"
}

// decimals is how many decimals the shortest exact form of f has.
func decimals(f float64) int {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}
