package export

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/antri-id/antri/queue"
)

// Sheet names of the workbook, in order. SheetOfficers is there only when
// officers sign in (a segment carries its officer).
const (
	SheetSummary    = "Ringkasan"
	SheetServices   = "Per layanan"
	SheetCounters   = "Per loket"
	SheetOfficers   = "Per petugas"
	SheetDays       = "Per hari"
	SheetHours      = "Per jam"
	SheetComplaints = "Pengaduan"
	SheetSKM        = "SKM"
	SheetRevisions  = "Revisi SOP"
	SheetTickets    = "Tiket"
)

// Sheets are the sheet names of r's workbook, in order.
func Sheets(r *queue.Report) []string {
	out := []string{SheetSummary, SheetServices, SheetCounters}
	if len(r.Officers) > 0 {
		out = append(out, SheetOfficers)
	}
	out = append(out, SheetDays, SheetHours, SheetComplaints, SheetSKM, SheetRevisions)
	if hasIncidents(r) {
		out = append(out, SheetIncidents)
	}
	return append(out, SheetTickets)
}

// WriteXLSX writes the report as a workbook a head of office opens: a
// summary, the indicators per service, counter, officer and day, where the
// hours go (with a weekday × hour heat map), complaints, the SKM, the
// before-and-after of each standards revision, and every ticket segment.
// Headers are bold and stay in view; durations are minutes:seconds and
// percentages percentages, as numbers Excel can still add; services and
// counters are named as l names them. Native charts show the tickets and
// on-time rate per day and where the time goes per hour.
func WriteXLSX(w io.Writer, r *queue.Report, l Labels) error {
	b := newBook()
	defer b.x.Close()
	for i, s := range Sheets(r) {
		b.sheet(s, i == 0)
	}
	if b.err == nil {
		b.err = b.x.SetDocProps(&excelize.DocProperties{Title: ReportTitle(r.Period) + " " + PeriodLabel(r.Period) + " — " + l.OfficeName(r),
			Creator: "Antri", Language: "id-ID"})
	}
	b.summary(r, l)
	b.services(r, l)
	b.entities(SheetCounters, "Loket", r.Counters, l.Counter, fieldsFor(false))
	if len(r.Officers) > 0 {
		b.entities(SheetOfficers, "Petugas", r.Officers, func(s string) string { return s }, fieldsFor(false))
	}
	b.days(r)
	b.hours(r, l)
	b.complaints(r, l)
	b.skm(r, l)
	b.revisions(r, l)
	b.incidents(r, l)
	b.tickets(r, l)
	if b.err != nil {
		return b.err
	}
	return b.x.Write(w)
}

// indicatorCols are the header columns of indicator fields.
func indicatorCols(fields []field) []col {
	out := make([]col, len(fields))
	for i, f := range fields {
		h := f.label
		switch f.kind {
		case kDuration:
			h += " (menit:detik)"
		}
		out[i] = col{h, 12, f.kind}
	}
	return out
}

func indicatorVals(ind *queue.Indicators, fields []field) []any {
	v := values(ind)
	out := make([]any, len(fields))
	for i, f := range fields {
		out[i] = v[f.key]
	}
	return out
}

func (b *book) summary(r *queue.Report, l Labels) {
	s := SheetSummary
	b.text(s, 1, ReportTitle(r.Period), "title")
	b.text(s, 2, l.OfficeName(r), "section")
	b.text(s, 3, PeriodLabel(r.Period)+" (kode kantor "+r.Office+")", "")
	o := r.Overall
	grade := "—"
	if r.SKM.Grade != nil {
		grade = *r.SKM.Grade + " (" + *r.SKM.GradeLabel + ")"
	}
	rows := [][]any{
		{"Tiket terbit", o.Issued, kInt}, {"Selesai tuntas", o.Done, kInt}, {"Belum lengkap (harus datang lagi)", o.Incomplete, kInt},
		{"Tidak hadir saat dipanggil", o.NoShow, kInt}, {"Dirujuk ke layanan lain", o.Transferred, kInt}, {"Kedaluwarsa (belum dipanggil saat tutup)", o.Expired, kInt},
		{"Rata-rata tunggu (menit:detik)", o.WaitMeanS, kDuration}, {"Persentil 90 tunggu (menit:detik)", o.WaitP90S, kDuration},
		{"Rata-rata jalan ke loket (menit:detik)", o.WalkMeanS, kDuration}, {"Rata-rata layanan (menit:detik)", o.ServiceMeanS, kDuration},
		{"Persentil 90 layanan (menit:detik)", o.ServiceP90S, kDuration},
		{fmt.Sprintf("Tepat waktu (dari %d tiket yang selesai dilayani)", o.Finished), o.OnTimePct, kPercent},
		{"Tuntas sekali datang", o.FirstVisitPct, kPercent}, {"Tidak hadir (persen dari yang dipanggil)", o.NoShowPct, kPercent},
		{"Melewati standar tunggu", o.WaitBreaches, kInt}, {"Melewati standar layanan", o.ServiceBreaches, kInt},
		{"Pengaduan diterima", r.Complaints.Received, kInt}, {"Pengaduan selesai", r.Complaints.Closed, kInt},
		{"Pengaduan terbuka di akhir periode", r.Complaints.Open, kInt},
		{"Pengaduan selesai dalam standar", r.Complaints.ClosedWithinStandardPct, kPercent},
		{"Penilaian cepat: jumlah", r.Satisfaction.Responses, kInt}, {"Penilaian cepat: rata-rata (1–4)", r.Satisfaction.Mean, kNumber},
		{"Penilaian cepat: puas (nilai 3 atau 4)", r.Satisfaction.SatisfiedPct, kPercent},
		{"Responden SKM", r.SKM.Responses, kInt}, {"IKM (Indeks Kepuasan Masyarakat)", r.SKM.IKM, kNumber}, {"Mutu pelayanan", grade, kText},
		{"Revisi standar yang berlaku dalam periode", len(r.Revisions), kInt},
	}
	const head = 5
	b.pairs(s, head, "Indikator", "Nilai", 52, rows)
	b.freeze(s, head, 0)
	n := head + len(rows) + 2
	for _, note := range summaryNotes(r) {
		b.text(s, n, note.text, note.style)
		if b.err == nil {
			b.err = b.x.MergeCell(s, at(1, n), at(4, n))
		}
		if b.err == nil {
			b.err = b.x.SetRowHeight(s, n, 45)
		}
		n++
	}
}

type note struct{ text, style string }

// pairs writes a two-column table of labels and values, each row
// {label, value, kind}, and returns the next free row.
func (b *book) pairs(s string, row int, head1, head2 string, width float64, rows [][]any) int {
	b.set(s, 1, row, head1, "head")
	b.set(s, 2, row, head2, "head")
	b.width(s, 1, width)
	b.width(s, 2, 16)
	for i, r := range rows {
		b.set(s, 1, row+1+i, r[0], "text")
		v, st := cellValue(r[2].(kind), r[1])
		b.set(s, 2, row+1+i, v, st)
	}
	return row + 1 + len(rows)
}

// summaryNotes say what the headline figures count, and warn where the SKM
// sample is too small to stand for the office.
func summaryNotes(r *queue.Report) []note {
	out := []note{{fmt.Sprintf("Tepat waktu dihitung dari %d tiket yang selesai dilayani (tunggu dan layanan dalam standar); "+
		"tiket yang masih menunggu, tidak hadir, dirujuk atau kedaluwarsa tidak ikut dihitung. %d kali standar tunggu terlewati.",
		r.Overall.Finished, r.Overall.WaitBreaches), "note"}}
	if w := SampleWarning(&r.SKM); w != "" {
		out = append(out, note{w, "warn"})
	}
	return append(out, note{"Durasi ditulis menit:detik; persentase dihitung tanpa pembulatan. Definisi: docs/INDICATORS.md.", "note"})
}

// SampleWarning is the warning a report shows when the SKM has fewer
// respondents than PermenPAN-RB 14/2017 asks for, "" when it has enough.
func SampleWarning(s *queue.SKM) string {
	switch {
	case s.SampleOK:
		return ""
	case s.Responses == 0:
		return "Belum ada responden SKM dalam periode ini; IKM belum dapat dihitung."
	}
	return fmt.Sprintf("Perhatian: IKM dihitung dari %d responden, padahal untuk %d penerima layanan PermenPAN-RB 14/2017 "+
		"(tabel Krejcie–Morgan) meminta paling sedikit %d responden. Nilai IKM ini belum mewakili.", s.Responses, s.Population, s.SampleRequired)
}

func (b *book) services(r *queue.Report, l Labels) {
	s := SheetServices
	cols := append([]col{{"Kode", 7, kText}, {"Layanan", 30, kText}}, indicatorCols(indicatorFields)...)
	var rows [][]any
	for _, c := range ServiceCodes(r) {
		rows = append(rows, append([]any{c, l.Service(c)}, indicatorVals(r.Services[c], indicatorFields)...))
	}
	n := b.table(s, 1, cols, rows, append([]any{"", "Semua layanan"}, indicatorVals(r.Overall, indicatorFields)...))
	b.freeze(s, 1, 2)
	// The referral matrix: from the service of the row to that of the column.
	n++
	b.text(s, n, "Rujukan antarlayanan (dari baris ke kolom)", "section")
	n++
	codes := map[string]bool{}
	count := map[[2]string]int{}
	for _, ref := range r.Referrals {
		codes[ref.From], codes[ref.To] = true, true
		count[[2]string{ref.From, ref.To}] += ref.Count
	}
	if len(codes) == 0 {
		b.text(s, n, "Tidak ada rujukan dalam periode ini.", "note")
		return
	}
	order := sortedKeys(codes)
	mcols := []col{{"Kode", 7, kText}, {"Dari \\ ke", 30, kText}}
	for _, c := range order {
		mcols = append(mcols, col{l.Service(c), 12, kInt})
	}
	var mrows [][]any
	for _, from := range order {
		row := []any{from, l.Service(from)}
		for _, to := range order {
			row = append(row, count[[2]string{from, to}])
		}
		mrows = append(mrows, row)
	}
	n = b.table(s, n, mcols, mrows, nil) + 1
	var urows [][]any
	for _, ref := range r.Referrals {
		urows = append(urows, []any{ref.From, l.Service(ref.From), l.Service(ref.To), ref.Unit, ref.Count})
	}
	b.table(s, n, []col{{"Kode", 7, kText}, {"Dari", 30, kText}, {"Ke", 12, kText}, {"Unit tujuan", 12, kText}, {"Jumlah", 12, kInt}}, urows, nil)
}

// entities writes a sheet of indicators per counter or officer.
func (b *book) entities(s, what string, m map[string]*queue.Indicators, name func(string) string, fields []field) {
	cols := append([]col{{what, 10, kText}, {"Nama", 24, kText}}, indicatorCols(fields)...)
	var rows [][]any
	for _, k := range sortedKeys(m) {
		rows = append(rows, append([]any{k, name(k)}, indicatorVals(m[k], fields)...))
	}
	if len(rows) == 0 {
		rows = [][]any{{"", "Belum ada yang dipanggil dalam periode ini."}}
	}
	b.table(s, 1, cols, rows, nil)
	b.freeze(s, 1, 2)
}

func (b *book) days(r *queue.Report) {
	s := SheetDays
	cols := append([]col{{"Tanggal", 12, kDate}, {"Hari", 9, kText}}, indicatorCols(indicatorFields)...)
	var rows [][]any
	for _, d := range r.ByDay {
		t, _ := parseDay(d.Day)
		rows = append(rows, append([]any{t, dayName(d.Day)}, indicatorVals(d.Indicators, indicatorFields)...))
	}
	n := b.table(s, 1, cols, rows, nil)
	b.freeze(s, 1, 2)
	if len(rows) == 0 || b.err != nil {
		b.text(s, n, "Belum ada tiket dalam periode ini.", "note")
		return
	}
	issued, onTime := 3+indexOf(indicatorFields, "issued"), 3+indexOf(indicatorFields, "on_time_pct")
	last := len(rows) + 1
	cats := ref(s, 1, 2, last)
	one := false // one colour per series, not per bar
	b.err = b.x.AddChart(s, at(3, n+1), &excelize.Chart{
		Type:       excelize.Col,
		VaryColors: &one,
		Series:     []excelize.ChartSeries{{Name: "'" + s + "'!$" + colName(issued) + "$1", Categories: cats, Values: ref(s, issued, 2, last)}},
		Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Tiket terbit dan tepat waktu per hari"}}},
		Legend:     excelize.ChartLegend{Position: "bottom"},
		Dimension:  excelize.ChartDimension{Width: 720, Height: 320},
		XAxis:      excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "dd/mm"}},
		YAxis:      excelize.ChartAxis{MajorGridLines: true, Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Tiket"}}}},
	}, &excelize.Chart{
		Type:   excelize.Line,
		Series: []excelize.ChartSeries{{Name: "'" + s + "'!$" + colName(onTime) + "$1", Categories: cats, Values: ref(s, onTime, 2, last)}},
		YAxis:  excelize.ChartAxis{Secondary: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Tepat waktu"}}}},
	})
}

func colName(i int) string {
	s, _ := excelize.ColumnNumberToName(i)
	return s
}

func (b *book) hours(r *queue.Report, l Labels) {
	s := SheetHours
	hourCols := []col{{"Jam", 13, kText}, {"Kedatangan (tiket terbit)", 12, kInt}, {"Dilayani sampai selesai", 12, kInt},
		{"Rata-rata tunggu (menit:detik)", 12, kDuration}, {"Rata-rata jalan ke loket (menit:detik)", 12, kDuration},
		{"Rata-rata layanan (menit:detik)", 12, kDuration}}
	hourRow := func(h queue.HourFigures) []any {
		return []any{hourLabel(h.Hour), h.Arrivals, h.Served, h.WaitMeanS, h.WalkMeanS, h.ServiceMeanS}
	}
	var rows [][]any
	for _, h := range r.ByHour {
		rows = append(rows, hourRow(h))
	}
	n := b.table(s, 1, hourCols, rows, nil)
	b.freeze(s, 1, 1)
	if b.err == nil {
		var series []excelize.ChartSeries
		for c := 4; c <= 6; c++ {
			series = append(series, excelize.ChartSeries{Name: "'" + s + "'!$" + colName(c) + "$1", Categories: ref(s, 1, 2, 25), Values: ref(s, c, 2, 25)})
		}
		one := false
		b.err = b.x.AddChart(s, "H2", &excelize.Chart{
			Type: excelize.ColStacked, Series: series, VaryColors: &one,
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Ke mana waktu warga pergi: tunggu, jalan ke loket, layanan (rata-rata per jam kedatangan)"}}},
			Legend:    excelize.ChartLegend{Position: "bottom"},
			Dimension: excelize.ChartDimension{Width: 760, Height: 360},
			YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: fmtDuration}},
		})
	}
	// The heat maps: the week folded onto one, by weekday and hour.
	heat := func(title string, k kind, val func(wd, h int) any, color string) {
		n++
		b.text(s, n, title, "section")
		n++
		cols := []col{{"Hari", 13, kText}}
		for h := range 24 {
			cols = append(cols, col{fmt.Sprintf("%02d", h), 7, k})
		}
		var rows [][]any
		for wd, day := range Weekdays {
			row := []any{day}
			for h := range 24 {
				row = append(row, val(wd, h))
			}
			rows = append(rows, row)
		}
		top := n
		n = b.table(s, n, cols, rows, nil)
		if b.err == nil {
			b.err = b.x.SetConditionalFormat(s, at(2, top+1)+":"+at(25, top+7), []excelize.ConditionalFormatOptions{{
				Type: "2_color_scale", Criteria: "=", MinType: "min", MaxType: "max", MinColor: "#FFFFFF", MaxColor: color}})
		}
	}
	heat("Kedatangan menurut hari dan jam (peta panas)", kInt, func(wd, h int) any { return r.Heatmap.Arrivals[wd][h] }, "#F8696B")
	heat("Rata-rata tunggu menurut hari dan jam (menit:detik)", kDuration, func(wd, h int) any { return r.Heatmap.WaitMeanS[wd][h] }, "#F8696B")

	// Titik rawan keterlambatan: the hours of each service with the longest mean wait.
	n++
	b.text(s, n, "Titik rawan keterlambatan: jam dengan rata-rata tunggu terlama", "section")
	n++
	type spot struct {
		svc  string
		h    queue.HourFigures
		wait float64
	}
	var spots []spot
	for svc, hs := range r.ServiceHours {
		for _, h := range hs {
			if h.WaitMeanS != nil {
				spots = append(spots, spot{svc, h, *h.WaitMeanS})
			}
		}
	}
	sort.Slice(spots, func(i, j int) bool {
		if spots[i].wait != spots[j].wait {
			return spots[i].wait > spots[j].wait
		}
		if spots[i].svc != spots[j].svc {
			return spots[i].svc < spots[j].svc
		}
		return spots[i].h.Hour < spots[j].h.Hour
	})
	var srows [][]any
	for i, sp := range spots {
		if i == 10 {
			break
		}
		srows = append(srows, []any{l.Service(sp.svc), hourLabel(sp.h.Hour), sp.h.WaitMeanS, sp.h.Arrivals, sp.h.ServiceMeanS})
	}
	if len(srows) == 0 {
		b.text(s, n, "Belum ada tiket yang dipanggil.", "note")
		n += 2
	} else {
		n = b.table(s, n, []col{{"Layanan", 30, kText}, {"Jam", 13, kText}, {"Rata-rata tunggu (menit:detik)", 12, kDuration},
			{"Kedatangan", 12, kInt}, {"Rata-rata layanan (menit:detik)", 12, kDuration}}, srows, nil) + 1
	}
	b.text(s, n, "Per layanan dan jam", "section")
	var lrows [][]any
	for _, svc := range sortedKeys(r.ServiceHours) {
		for _, h := range r.ServiceHours[svc] {
			if h.Arrivals == 0 && h.Served == 0 && h.WaitMeanS == nil {
				continue
			}
			lrows = append(lrows, append([]any{l.Service(svc)}, hourRow(h)...))
		}
	}
	b.table(s, n+1, append([]col{{"Layanan", 30, kText}}, hourCols...), lrows, nil)
}

func (b *book) complaints(r *queue.Report, l Labels) {
	s := SheetComplaints
	c := r.Complaints
	n := b.pairs(s, 1, "Pengaduan", "Jumlah", 44, [][]any{
		{"Diterima dalam periode", c.Received, kInt}, {"Selesai dalam periode", c.Closed, kInt},
		{"Terbuka di akhir periode", c.Open, kInt}, {"Selesai dalam standar", c.ClosedWithinStandardPct, kPercent},
	})
	b.freeze(s, 1, 0)
	n += 2
	var trows [][]any
	for _, t := range sortedKeys(c.ByTopic) {
		trows = append(trows, []any{t, c.ByTopic[t]})
	}
	n = b.table(s, n, []col{{"Pokok pengaduan", 44, kText}, {"Diterima", 12, kInt}}, trows, nil) + 1
	var srows [][]any
	for _, code := range sortedKeys(c.ByService) {
		name := "(tidak menyebut nomor antrean)"
		if code != "" {
			name = l.Service(code)
		}
		srows = append(srows, []any{name, c.ByService[code]})
	}
	n = b.table(s, n, []col{{"Layanan (menurut nomor antrean)", 44, kText}, {"Diterima", 12, kInt}}, srows, nil) + 1
	b.text(s, n, "Daftar pengaduan (isi pengaduan tidak dicantumkan: data pribadi, UU 27/2022)", "section")
	var rows [][]any
	for _, cr := range r.ComplaintRows {
		var closed any
		within := "belum selesai"
		if cr.Closed != nil {
			closed = *cr.Closed
			within = "tidak"
			if *cr.WithinStandard {
				within = "ya"
			}
		}
		svc := ""
		if cr.Service != "" {
			svc = l.Service(cr.Service)
		}
		rows = append(rows, []any{cr.ID, cr.Received, cr.Channel, cr.Topic, svc, cr.Unit, closed,
			hoursValue(cr.DurationS), hoursValue(secsOf(cr.StandardS)), within})
	}
	b.table(s, n+1, []col{{"Nomor", 8, kInt}, {"Diterima", 19, kDateTime}, {"Saluran", 10, kText}, {"Pokok", 24, kText},
		{"Layanan", 20, kText}, {"Unit", 14, kText}, {"Selesai", 19, kDateTime}, {"Lama (jam:menit)", 11, kText},
		{"Standar (jam:menit)", 11, kText}, {"Dalam standar", 12, kText}}, rows, nil)
	// The two durations are fractions of a day in [h]:mm.
	for i := range rows {
		for _, c := range []int{8, 9} {
			b.restyle(s, c, n+2+i, "hours")
		}
	}
}

func secsOf(s int64) *float64 { f := float64(s); return &f }

// hoursValue is seconds as a fraction of a day (for [h]:mm), nil stays nil.
func hoursValue(s *float64) any {
	if s == nil {
		return nil
	}
	return *s / 86400
}

// restyle gives a written cell another named style.
func (b *book) restyle(sheet string, col, row int, style string) {
	if b.err == nil {
		b.err = b.x.SetCellStyle(sheet, at(col, row), at(col, row), b.styles[style])
	}
}

func (b *book) skm(r *queue.Report, l Labels) {
	s := SheetSKM
	k := &r.SKM
	var rows [][]any
	for i := range queue.SKMElements {
		var weighted, converted any
		if v := k.NRR[i]; v != nil {
			weighted, converted = *v/9, *v*25
		}
		grade := ""
		if g := k.ElementGrades[i]; g != nil {
			grade = *g
		}
		rows = append(rows, []any{fmt.Sprintf("U%d", i+1), queue.SKMElements[i], k.Answered[i], k.NRR[i], weighted, converted, grade})
	}
	grade := ""
	if k.Grade != nil {
		grade = *k.Grade + " (" + *k.GradeLabel + ")"
	}
	n := b.table(s, 1, []col{{"Unsur", 7, kText}, {"Uraian", 40, kText}, {"Responden", 11, kInt}, {"NRR (1–4)", 10, kNumber},
		{"NRR tertimbang (× 1/9)", 12, kNumber}, {"Nilai konversi (NRR × 25)", 12, kNumber}, {"Mutu", 8, kText}},
		rows, []any{"IKM", fmt.Sprintf("Jumlah responden: %d", k.Responses), k.Responses, nil, nil, k.IKM, grade})
	for i := 2; i <= 11; i++ {
		b.restyle(s, 4, i, "nrr")
		b.restyle(s, 5, i, "nrr")
	}
	b.restyle(s, 4, 11, "nrr-total")
	b.restyle(s, 5, 11, "nrr-total")
	b.freeze(s, 1, 0)
	n++
	b.text(s, n, "Ukuran sampel (PermenPAN-RB 14/2017, tabel Krejcie–Morgan)", "section")
	cukup := "ya"
	if !k.SampleOK {
		cukup = "tidak"
	}
	n = b.pairs(s, n+1, "Sampel", "Jumlah", 40, [][]any{
		{"Penerima layanan dalam periode (populasi)", k.Population, kInt}, {"Responden minimal", k.SampleRequired, kInt},
		{"Responden", k.Responses, kInt}, {"Sampel cukup", cukup, kText}})
	if w := SampleWarning(k); w != "" {
		b.text(s, n, w, "warn")
		if b.err == nil {
			b.err = b.x.MergeCell(s, at(1, n), at(7, n))
		}
		if b.err == nil {
			b.err = b.x.SetRowHeight(s, n, 45)
		}
		n++
	}
	n++
	b.text(s, n, "SKM per layanan (responden yang menyebut layanannya)", "section")
	var srows [][]any
	for _, code := range sortedKeys(k.Services) {
		ss := k.Services[code]
		g := ""
		if ss.Grade != nil {
			g = *ss.Grade
		}
		ok := "ya"
		if !ss.SampleOK {
			ok = "tidak"
		}
		srows = append(srows, []any{l.Service(code), ss.Responses, ss.IKM, g, ss.Population, ss.SampleRequired, ok})
	}
	if len(srows) == 0 {
		srows = [][]any{{"Belum ada responden yang menyebut layanannya."}}
	}
	n = b.table(s, n+1, []col{{"Layanan", 40, kText}, {"Responden", 11, kInt}, {"IKM", 10, kNumber}, {"Mutu", 12, kText},
		{"Penerima layanan", 12, kInt}, {"Responden minimal", 12, kInt}, {"Sampel cukup", 8, kText}}, srows, nil) + 1
	b.text(s, n, "Profil responden", "section")
	n++
	p := k.Profile
	if p == nil {
		p = &queue.SKMProfile{}
	}
	genderName := map[string]string{"L": "Laki-laki", "P": "Perempuan"}
	for _, part := range []struct {
		title string
		m     map[string]int
		order []string
		name  func(string) string
	}{
		{"Jenis kelamin", p.Gender, []string{"L", "P"}, func(k string) string { return genderName[k] }},
		{"Umur (tahun)", p.Age, queue.AgeGroups, func(k string) string { return strings.Replace(k, "-", "–", 1) }},
		{"Pendidikan", p.Education, sortedKeys(p.Education), func(k string) string { return k }},
		{"Pekerjaan", p.Occupation, sortedKeys(p.Occupation), func(k string) string { return k }},
	} {
		var rows [][]any
		for _, key := range part.order {
			var share any
			if k.Responses > 0 {
				share = float64(part.m[key]) * 100 / float64(k.Responses)
			}
			rows = append(rows, []any{part.name(key), part.m[key], share})
		}
		n = b.table(s, n, []col{{part.title, 40, kText}, {"Responden", 11, kInt}, {"Persen dari responden", 12, kPercent}}, rows, nil) + 1
	}
}

func (b *book) revisions(r *queue.Report, l Labels) {
	s := SheetRevisions
	pairs := []field{{"issued", "Tiket terbit", kInt}, {"service_mean_s", "Rata-rata layanan", kDuration},
		{"service_p90_s", "P90 layanan", kDuration}, {"wait_mean_s", "Rata-rata tunggu", kDuration},
		{"wait_p90_s", "P90 tunggu", kDuration}, {"on_time_pct", "Tepat waktu", kPercent}, {"first_visit_pct", "Tuntas sekali datang", kPercent}}
	cols := []col{{"Layanan", 26, kText}, {"Revisi ke-", 8, kInt}, {"Berlaku mulai", 17, kDateTime}, {"Alasan", 30, kText},
		{"Standar tunggu baru (menit:detik)", 11, kDuration}, {"Standar layanan baru (menit:detik)", 11, kDuration},
		{"Dibandingkan sejak", 17, kDateTime}, {"Sampai", 17, kDateTime},
		{"Pengaduan sebelum", 10, kInt}, {"Pengaduan sesudah", 10, kInt}}
	for _, p := range pairs {
		unit := ""
		if p.kind == kDuration {
			unit = " (menit:detik)"
		}
		cols = append(cols, col{p.label + " sebelum" + unit, 11, p.kind}, col{p.label + " sesudah" + unit, 11, p.kind})
	}
	var rows [][]any
	for _, rv := range r.Revisions {
		row := []any{l.Service(rv.Service), rv.ID, rv.Effective, rv.Reason, float64(rv.WaitStandardS), float64(rv.ServiceStandardS),
			rv.WindowStart, rv.WindowEnd, rv.ComplaintsBefore, rv.ComplaintsAfter}
		bv, av := values(rv.Before), values(rv.After)
		for _, p := range pairs {
			row = append(row, bv[p.key], av[p.key])
		}
		rows = append(rows, row)
	}
	n := b.table(s, 1, cols, rows, nil)
	b.freeze(s, 1, 1)
	if len(rows) == 0 {
		b.text(s, n, "Tidak ada revisi standar pelayanan yang mulai berlaku dalam periode ini.", "note")
		n++
	}
	b.text(s, n+1, "Sebelum dan sesudah dibandingkan atas dua rentang waktu sama panjang di sekitar saat berlaku; "+
		"tiap tiket dinilai dengan standar yang berlaku saat ia terbit.", "note")
}

// maxTicketRows is Excel's row limit less the header.
const maxTicketRows = 1_048_575

var stageNames = map[queue.Stage]string{queue.StageFinished: "selesai", queue.StageNoShow: "tidak hadir",
	queue.StageTransferred: "dirujuk", queue.StageExpired: "kedaluwarsa", "": "belum berakhir"}

var outcomeNames = map[queue.Outcome]string{queue.OutcomeDone: "tuntas", queue.OutcomeIncomplete: "belum lengkap"}

// tickets writes one row per segment, through excelize's stream writer: a
// quarter of a busy office is hundreds of thousands of rows.
func (b *book) tickets(r *queue.Report, l Labels) {
	if b.err != nil {
		return
	}
	cols := []col{{"Nomor", 9, kText}, {"Tanggal", 11, kDate}, {"Segmen", 7, kInt}, {"Layanan", 24, kText}, {"Loket", 12, kText},
		{"Petugas", 14, kText}, {"Prioritas", 9, kText}, {"Rujukan dari", 14, kText}, {"Masuk antrean", 18, kDateTime},
		{"Panggilan pertama", 18, kDateTime}, {"Panggilan terakhir", 18, kDateTime}, {"Mulai dilayani", 18, kDateTime},
		{"Berakhir", 18, kDateTime}, {"Jumlah panggilan", 9, kInt}, {"Akhir", 13, kText}, {"Hasil", 12, kText},
		{"Dirujuk ke", 14, kText}, {"Catatan rujukan", 20, kText}, {"Unit rujukan", 14, kText},
		{"Tunggu (menit:detik)", 10, kDuration}, {"Jalan ke loket (menit:detik)", 10, kDuration}, {"Layanan (menit:detik)", 10, kDuration},
		{"Standar tunggu (menit:detik)", 10, kDuration}, {"Standar layanan (menit:detik)", 10, kDuration},
		{"Nomor manual", 8, kText}}
	sw, err := b.x.NewStreamWriter(SheetTickets)
	if err != nil {
		b.err = err
		return
	}
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			b.err = err
			return
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight"}); err != nil {
		b.err = err
		return
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: b.styles["head"], Value: c.head}
	}
	if err := sw.SetRow("A1", head); err != nil {
		b.err = err
		return
	}
	ptr := func(t *time.Time) any {
		if t == nil {
			return nil
		}
		return *t
	}
	name := func(f func(string) string, v string) string {
		if v == "" {
			return ""
		}
		return f(v)
	}
	for i, sg := range r.Segments {
		if i == maxTicketRows-1 {
			note := excelize.Cell{Value: fmt.Sprintf("… dan %d segmen lagi: melebihi batas baris Excel; unduh laporan bulanan untuk rinciannya.", len(r.Segments)-i)}
			if err := sw.SetRow(at(1, i+2), []any{note}); err != nil {
				b.err = err
			}
			break
		}
		day, _ := parseDay(sg.Day)
		vals := []any{sg.Number, day, sg.Segment, l.Service(sg.Service), name(l.Counter, sg.Counter), sg.Officer, yesNo(sg.Priority),
			name(l.Service, sg.TransferredFrom), sg.Queued, ptr(sg.FirstCall), ptr(sg.LastCall), ptr(sg.Started), ptr(sg.Ended),
			sg.Calls, stageNames[sg.End], outcomeNames[sg.Outcome], name(l.Service, sg.TransferTo), sg.Note, sg.Unit,
			sg.WaitS, sg.WalkS, sg.ServiceS, float64(sg.WaitStandardS), float64(sg.ServiceStandardS), manualMark(sg)}
		row := make([]any, len(cols))
		for j, c := range cols {
			v, st := cellValue(c.kind, vals[j])
			row[j] = excelize.Cell{StyleID: b.styles[st], Value: v}
		}
		if err := sw.SetRow(at(1, i+2), row); err != nil {
			b.err = err
			return
		}
	}
	if b.err == nil {
		b.err = sw.Flush()
	}
}

func yesNo(v bool) string {
	if v {
		return "ya"
	}
	return "tidak"
}
