package export

import (
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/antri-id/antri/queue"
)

// Sheet names of headquarters' comparison workbook, in order.
const (
	SheetCompare       = "Perbandingan"
	SheetRanking       = "Peringkat"
	SheetCompareServ   = "Per layanan"
	SheetCompareDays   = "Per hari"
	SheetCompareSKM    = "SKM"
	SheetCompareRevise = "Revisi SOP"
)

// compareFields are the columns of the comparison sheet.
var compareFields = []field{
	{"issued", "Tiket terbit", kInt}, {"done", "Selesai tuntas", kInt}, {"no_show", "Tidak hadir", kInt},
	{"wait_mean_s", "Rata-rata tunggu", kDuration}, {"wait_p90_s", "Persentil 90 tunggu", kDuration},
	{"service_mean_s", "Rata-rata layanan", kDuration}, {"on_time_pct", "Tepat waktu", kPercent},
	{"first_visit_pct", "Tuntas sekali datang", kPercent}, {"wait_breaches", "Melewati standar tunggu", kInt},
	{"service_breaches", "Melewati standar layanan", kInt},
}

// WriteComparisonXLSX writes headquarters' comparison of offices over one
// period as one workbook: the offices side by side with charts of the
// on-time rate and the mean wait, the ranking per indicator, then every
// office's services, days, SKM and revisions in long tables a manager can
// filter by office. reports are the offices' own reports the comparison
// was made of; names are the offices' names.
func WriteComparisonXLSX(w io.Writer, c *queue.Comparison, reports []*queue.Report, names map[string]string) error {
	b := newBook()
	defer b.x.Close()
	for i, s := range []string{SheetCompare, SheetRanking, SheetCompareServ, SheetCompareDays, SheetCompareSKM, SheetCompareRevise} {
		b.sheet(s, i == 0)
	}
	name := func(id string) string {
		if n := names[id]; n != "" {
			return n
		}
		return id
	}
	title := "Perbandingan Kantor"
	var period queue.Period
	if len(reports) > 0 {
		period = reports[0].Period
		title += " — " + PeriodLabel(period)
	}
	if b.err == nil {
		b.err = b.x.SetDocProps(&excelize.DocProperties{Title: title, Creator: "Antri", Language: "id-ID"})
	}

	// Side by side.
	s := SheetCompare
	b.text(s, 1, title, "title")
	cols := append([]col{{"Kantor", 34, kText}, {"Kode", 18, kText}}, indicatorCols(compareFields)...)
	cols = append(cols, col{"Pengaduan diterima", 11, kInt}, col{"Pengaduan terbuka", 11, kInt},
		col{"Pengaduan selesai dalam standar", 12, kPercent}, col{"Penilaian cepat (1–4)", 10, kNumber},
		col{"IKM", 9, kNumber}, col{"Mutu", 7, kText}, col{"Sampel SKM cukup", 9, kText})
	var rows [][]any
	for _, o := range c.Offices {
		row := append([]any{name(o.Office), o.Office}, indicatorVals(o.Overall, compareFields)...)
		grade, ok := "", "tidak"
		if o.Grade != nil {
			grade = *o.Grade
		}
		if o.SampleOK {
			ok = "ya"
		}
		rows = append(rows, append(row, o.Complaints.Received, o.Complaints.Open, o.Complaints.ClosedWithinStandardPct,
			o.Satisfaction.Mean, o.IKM, grade, ok))
	}
	const head = 3
	n := b.table(s, head, cols, rows, nil)
	b.freeze(s, head, 1)
	if len(rows) > 0 && b.err == nil {
		last := head + len(rows)
		one := false
		chart := func(cell, key, titleText, numFmt string) {
			if b.err != nil {
				return
			}
			c := 3 + indexOf(compareFields, key)
			b.err = b.x.AddChart(s, cell, &excelize.Chart{Type: excelize.Bar, VaryColors: &one,
				Series:    []excelize.ChartSeries{{Name: "'" + s + "'!$" + colName(c) + "$" + itoa(head), Categories: ref(s, 1, head+1, last), Values: ref(s, c, head+1, last)}},
				Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: titleText}}},
				Legend:    excelize.ChartLegend{Position: "none"},
				Dimension: excelize.ChartDimension{Width: 560, Height: uint(120 + 28*len(rows))},
				XAxis:     excelize.ChartAxis{ReverseOrder: true},
				YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: numFmt}},
			})
		}
		chart(at(1, n+1), "on_time_pct", "Tepat waktu per kantor", "0%")
		chart(at(8, n+1), "wait_mean_s", "Rata-rata tunggu per kantor (menit:detik)", fmtDuration)
	}

	// The ranking, indicator by indicator.
	s = SheetRanking
	var rrows [][]any
	for _, ri := range queue.RankedIndicators {
		arrow := "makin tinggi makin baik"
		if !ri.HigherBetter {
			arrow = "makin rendah makin baik"
		}
		for _, p := range c.Rankings[ri.Key] {
			place := any(p.Place)
			if p.Place == 0 {
				place = "—"
			}
			var v any
			if p.Value != nil {
				switch {
				case ri.Duration:
					v = *p.Value / 86400
				case ri.Key == "ikm":
					v = *p.Value
				default:
					v = *p.Value / 100
				}
			}
			rrows = append(rrows, []any{ri.Label, arrow, place, name(p.Office), v})
		}
	}
	b.table(s, 1, []col{{"Indikator", 30, kText}, {"Arah", 22, kText}, {"Peringkat", 10, kInt}, {"Kantor", 34, kText}, {"Nilai", 12, kText}}, rrows, nil)
	b.freeze(s, 1, 1)
	// The values column holds three kinds: each row gets its own format.
	r := 2
	for _, ri := range queue.RankedIndicators {
		style := "pct"
		switch {
		case ri.Duration:
			style = "dur"
		case ri.Key == "ikm":
			style = "num"
		}
		for range c.Rankings[ri.Key] {
			b.restyle(s, 5, r, style)
			r++
		}
	}

	// Every office's services and days, and their SKM and revisions.
	s = SheetCompareServ
	var srows [][]any
	for _, rep := range reports {
		for _, code := range ServiceCodes(rep) {
			srows = append(srows, append([]any{name(rep.Office), code}, indicatorVals(rep.Services[code], indicatorFields)...))
		}
	}
	b.table(s, 1, append([]col{{"Kantor", 34, kText}, {"Layanan", 9, kText}}, indicatorCols(indicatorFields)...), srows, nil)
	b.freeze(s, 1, 2)
	s = SheetCompareDays
	var drows [][]any
	for _, rep := range reports {
		for _, d := range rep.ByDay {
			t, _ := parseDay(d.Day)
			drows = append(drows, append([]any{name(rep.Office), t, dayName(d.Day)}, indicatorVals(d.Indicators, indicatorFields)...))
		}
	}
	b.table(s, 1, append([]col{{"Kantor", 34, kText}, {"Tanggal", 12, kDate}, {"Hari", 9, kText}}, indicatorCols(indicatorFields)...), drows, nil)
	b.freeze(s, 1, 3)
	s = SheetCompareSKM
	var krows [][]any
	for _, rep := range reports {
		k := rep.SKM
		grade, ok := "", "tidak"
		if k.Grade != nil {
			grade = *k.Grade + " (" + *k.GradeLabel + ")"
		}
		if k.SampleOK {
			ok = "ya"
		}
		row := []any{name(rep.Office), k.Responses, k.Population, k.SampleRequired, ok, k.IKM, grade}
		for _, v := range k.NRR {
			row = append(row, v)
		}
		krows = append(krows, row)
	}
	kcols := []col{{"Kantor", 34, kText}, {"Responden", 10, kInt}, {"Penerima layanan", 10, kInt}, {"Responden minimal", 10, kInt},
		{"Sampel cukup", 8, kText}, {"IKM", 9, kNumber}, {"Mutu", 16, kText}}
	for i := range queue.SKMElements {
		kcols = append(kcols, col{"NRR U" + itoa(i+1), 8, kNumber})
	}
	b.table(s, 1, kcols, krows, nil)
	b.freeze(s, 1, 1)
	s = SheetCompareRevise
	var vrows [][]any
	for _, rep := range reports {
		for _, rv := range rep.Revisions {
			bv, av := values(rv.Before), values(rv.After)
			vrows = append(vrows, []any{name(rep.Office), rv.Service, rv.Effective, rv.Reason, rv.ComplaintsBefore, rv.ComplaintsAfter,
				bv["service_mean_s"], av["service_mean_s"], bv["wait_mean_s"], av["wait_mean_s"], bv["on_time_pct"], av["on_time_pct"],
				bv["first_visit_pct"], av["first_visit_pct"]})
		}
	}
	b.table(s, 1, []col{{"Kantor", 34, kText}, {"Layanan", 9, kText}, {"Berlaku mulai", 17, kDateTime}, {"Alasan", 30, kText},
		{"Pengaduan sebelum", 10, kInt}, {"Pengaduan sesudah", 10, kInt},
		{"Rata-rata layanan sebelum (menit:detik)", 11, kDuration}, {"Rata-rata layanan sesudah (menit:detik)", 11, kDuration},
		{"Rata-rata tunggu sebelum (menit:detik)", 11, kDuration}, {"Rata-rata tunggu sesudah (menit:detik)", 11, kDuration},
		{"Tepat waktu sebelum", 10, kPercent}, {"Tepat waktu sesudah", 10, kPercent},
		{"Tuntas sekali datang sebelum", 10, kPercent}, {"Tuntas sekali datang sesudah", 10, kPercent}}, vrows, nil)
	b.freeze(s, 1, 1)
	if b.err != nil {
		return b.err
	}
	return b.x.Write(w)
}

func indexOf(fields []field, key string) int {
	for i, f := range fields {
		if f.key == key {
			return i
		}
	}
	panic("export: no field " + key)
}
