// Package export writes a monthly queue.Report as a spreadsheet (XLSX), as
// CSV or as JSON. The HTTP API (/api/reports/monthly.xlsx, .csv) and
// `antrid report` both use it, so the files are the same whichever way they
// are made. Headings are Indonesian: the files go to the office's superiors.
package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/antri-id/antri/queue"
)

// Format is a file format of the report.
type Format string

// The formats.
const (
	JSON Format = "json"
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// FormatOf picks the format from a file name's extension.
func FormatOf(name string) (Format, error) {
	switch strings.ToLower(strings.TrimPrefix(filepath.Ext(name), ".")) {
	case "json":
		return JSON, nil
	case "csv":
		return CSV, nil
	case "xlsx":
		return XLSX, nil
	}
	return "", fmt.Errorf("format berkas %q tidak dikenal; akhiri nama dengan .xlsx, .csv atau .json", name)
}

// ContentType is the MIME type of a format.
func (f Format) ContentType() string {
	switch f {
	case CSV:
		return "text/csv; charset=utf-8"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/json; charset=utf-8"
}

// Write writes r to w in format f.
func Write(w io.Writer, r *queue.Report, f Format) error {
	switch f {
	case JSON:
		return WriteJSON(w, r)
	case CSV:
		return WriteCSV(w, r)
	case XLSX:
		return WriteXLSX(w, r)
	}
	return fmt.Errorf("format %q tidak dikenal", f)
}

// WriteJSON writes the report JSON of DOMAIN.md, indented.
func WriteJSON(w io.Writer, r *queue.Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Row is one indicator of the report, in the long form the CSV has and
// every XLSX indicator sheet is built from.
type Row struct {
	Group     string // antrian, pengaduan, kepuasan, skm, rujukan
	Service   string // service code, "semua" for the office
	Indicator string // the JSON field name of DOMAIN.md
	Label     string // Indonesian label
	Value     *float64
}

// indicatorFields are the I fields in DOMAIN.md order, then the additions.
var indicatorFields = []struct{ key, label string }{
	{"issued", "Tiket terbit"}, {"done", "Selesai"}, {"incomplete", "Belum lengkap"}, {"no_show", "Tidak hadir"},
	{"transferred", "Dirujuk keluar"}, {"expired", "Kedaluwarsa"}, {"wait_mean_s", "Rata-rata tunggu (detik)"},
	{"wait_p90_s", "Persentil 90 tunggu (detik)"}, {"walk_mean_s", "Rata-rata jalan ke loket (detik)"},
	{"service_mean_s", "Rata-rata layanan (detik)"}, {"service_p90_s", "Persentil 90 layanan (detik)"},
	{"on_time_pct", "Tepat waktu (%)"}, {"wait_on_time_pct", "Tunggu sesuai standar (%)"},
	{"service_on_time_pct", "Layanan sesuai standar (%)"}, {"first_visit_pct", "Selesai kunjungan pertama (%)"},
	{"no_show_pct", "Tidak hadir (%)"}, {"transferred_in", "Rujukan masuk"}, {"called", "Dipanggil"},
	{"finished", "Dilayani sampai selesai"}, {"open", "Belum berakhir"}, {"priority", "Prioritas"}, {"recalls", "Panggilan ulang"},
	{"wait_breaches", "Melewati standar tunggu"}, {"service_breaches", "Melewati standar layanan"},
}

func num(v int) *float64 { f := float64(v); return &f }

// values reads indicators as the report JSON has them, field name → number
// (nil for null), so the files can never disagree with the JSON on a key.
func values(ind *queue.Indicators) map[string]*float64 {
	m := map[string]*float64{}
	if ind == nil {
		return m
	}
	b, err := json.Marshal(ind)
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		panic("export: Indicators is not a flat object of numbers: " + err.Error())
	}
	return m
}

// Rows lists every number of the report: the indicators of the office
// ("semua") and of each service, then complaints, satisfaction and SKM.
func Rows(r *queue.Report) []Row {
	var out []Row
	add := func(ind *queue.Indicators, svc string) {
		v := values(ind)
		for _, f := range indicatorFields {
			out = append(out, Row{"antrian", svc, f.key, f.label, v[f.key]})
		}
	}
	add(r.Overall, "semua")
	for _, code := range ServiceCodes(r) {
		add(r.Services[code], code)
	}
	c := r.Complaints
	out = append(out,
		Row{"pengaduan", "semua", "received", "Pengaduan diterima", num(c.Received)},
		Row{"pengaduan", "semua", "closed", "Pengaduan selesai", num(c.Closed)},
		Row{"pengaduan", "semua", "open", "Pengaduan terbuka akhir bulan", num(c.Open)},
		Row{"pengaduan", "semua", "closed_within_standard_pct", "Selesai dalam standar (%)", c.ClosedWithinStandardPct},
		Row{"kepuasan", "semua", "responses", "Jumlah penilaian", num(r.Satisfaction.Responses)},
		Row{"kepuasan", "semua", "mean", "Rata-rata nilai (1–4)", r.Satisfaction.Mean},
		Row{"kepuasan", "semua", "satisfied_pct", "Puas, nilai ≥ 3 (%)", r.Satisfaction.SatisfiedPct},
		Row{"skm", "semua", "responses", "Jumlah responden SKM", num(r.SKM.Responses)},
	)
	for i, v := range r.SKM.NRR {
		out = append(out, Row{"skm", "semua", fmt.Sprintf("nrr_%d", i+1), fmt.Sprintf("NRR U%d %s", i+1, queue.SKMElements[i]), v})
	}
	out = append(out, Row{"skm", "semua", "ikm", "IKM", r.SKM.IKM})
	for _, ref := range r.Referrals {
		out = append(out, Row{"rujukan", ref.From, "to_" + ref.To, "Dirujuk ke " + ref.To + unitSuffix(ref.Unit), num(ref.Count)})
	}
	return out
}

func unitSuffix(u string) string {
	if u == "" {
		return ""
	}
	return " (" + u + ")"
}

// ServiceCodes are the report's services in order.
func ServiceCodes(r *queue.Report) []string {
	codes := make([]string, 0, len(r.Services))
	for c := range r.Services {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes
}

// FormatValue writes a number as the JSON does (shortest exact form), and
// null as an empty cell.
func FormatValue(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

// WriteCSV writes the report in long form, one number a line:
// kantor,bulan,kelompok,layanan,indikator,keterangan,nilai. The SKM grade
// is the last line (a letter, not a number).
func WriteCSV(w io.Writer, r *queue.Report) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"kantor", "bulan", "kelompok", "layanan", "indikator", "keterangan", "nilai"})
	for _, row := range Rows(r) {
		_ = cw.Write([]string{r.Office, r.Month, row.Group, row.Service, row.Indicator, row.Label, FormatValue(row.Value)})
	}
	grade := ""
	if r.SKM.Grade != nil {
		grade = *r.SKM.Grade
	}
	_ = cw.Write([]string{r.Office, r.Month, "skm", "semua", "grade", "Mutu pelayanan", grade})
	cw.Flush()
	return cw.Error()
}
