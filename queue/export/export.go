// Package export writes a queue.Report as a workbook a manager opens
// (XLSX), as CSV or as JSON. The HTTP API (/api/reports/monthly.xlsx, .csv
// and their quarterly and yearly kin) and `antrid report` both use it, so
// the files are the same whichever way they are made. Headings are Indonesian: the files go to the office's superiors.
package export

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

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

// Labels are the names the files show instead of codes: the office's name,
// each service's and each counter's. A code without a name is shown as
// "Layanan A", "Loket 3" (headquarters knows only the codes an office sends).
type Labels struct {
	Office   string
	Services map[string]string // code → name
	Counters map[string]string // id → name
}

// LabelsOf are the names of an office's config.
func LabelsOf(cfg *queue.Config) Labels {
	l := Labels{Office: cfg.Office.Name, Services: map[string]string{}, Counters: map[string]string{}}
	for _, s := range cfg.Services {
		l.Services[s.Code] = s.Name
	}
	for _, k := range cfg.Counters {
		l.Counters[k.ID] = k.Name
	}
	return l
}

// Service is a service's name, or "Layanan <code>".
func (l Labels) Service(code string) string {
	if n := l.Services[code]; n != "" {
		return n
	}
	if code == "" {
		return "(tanpa layanan)"
	}
	return "Layanan " + code
}

// Counter is a counter's name, or "Loket <id>".
func (l Labels) Counter(id string) string {
	if n := l.Counters[id]; n != "" {
		return n
	}
	return "Loket " + id
}

// OfficeName is the office's name, or its id.
func (l Labels) OfficeName(r *queue.Report) string {
	if l.Office != "" {
		return l.Office
	}
	return r.Office
}

// Options shape a file.
type Options struct {
	Labels Labels
	// Plain gives the CSV for tools: no byte order mark, commas between
	// fields and decimal points. Without it the CSV is for a spreadsheet in
	// an Indonesian locale: a UTF-8 byte order mark, ";" and decimal commas.
	Plain bool
}

// Write writes r to w in format f.
func Write(w io.Writer, r *queue.Report, f Format, o Options) error {
	switch f {
	case JSON:
		return WriteJSON(w, r)
	case CSV:
		return WriteCSV(w, r, o)
	case XLSX:
		return WriteXLSX(w, r, o.Labels)
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

// FileName is the report's download name: laporan-<office>-<period>.<ext>.
func FileName(r *queue.Report, f Format) string {
	return "laporan-" + r.Office + "-" + r.Period.Key + "." + string(f)
}

var months = queue.MonthNames

// Weekdays are the days of the week from Monday, as queue.Heatmap orders them.
var Weekdays = [7]string{"Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"}

var romans = [5]string{"", "I", "II", "III", "IV"}

// PeriodLabel names a period as a report's title does: "November 2026",
// "Triwulan IV 2026", "Tahun 2026", "Senin, 2 November 2026".
func PeriodLabel(p queue.Period) string {
	s := p.Start
	switch p.Kind {
	case queue.PeriodDay:
		return Weekdays[(int(s.Weekday())+6)%7] + ", " + strconv.Itoa(s.Day()) + " " + months[s.Month()-1] + " " + strconv.Itoa(s.Year())
	case queue.PeriodQuarter:
		return "Triwulan " + romans[(int(s.Month())+2)/3] + " " + strconv.Itoa(s.Year())
	case queue.PeriodYear:
		return "Tahun " + strconv.Itoa(s.Year())
	}
	return months[s.Month()-1] + " " + strconv.Itoa(s.Year())
}

// ReportTitle is "Laporan Bulanan Pelayanan" and its quarterly, yearly and
// daily kin.
func ReportTitle(p queue.Period) string {
	switch p.Kind {
	case queue.PeriodDay:
		return "Laporan Harian Pelayanan"
	case queue.PeriodQuarter:
		return "Laporan Triwulanan Pelayanan"
	case queue.PeriodYear:
		return "Laporan Tahunan Pelayanan"
	}
	return "Laporan Bulanan Pelayanan"
}

// kind is how a number is shown.
type kind int

const (
	kText     kind = iota
	kInt           // a count
	kDuration      // seconds, shown [m]:ss in the workbook
	kPercent       // 0–100, shown as a percentage
	kNumber        // anything else (NRR, IKM)
	kDate          // a local date
	kDateTime      // a local date and time
)

// field is one indicator of I: its JSON key, Indonesian label and kind.
type field struct {
	key, label string
	kind       kind
}

// indicatorFields are the fields of I in the order a manager reads them.
var indicatorFields = []field{
	{"issued", "Tiket terbit", kInt}, {"transferred_in", "Rujukan masuk", kInt}, {"called", "Dipanggil", kInt},
	{"done", "Selesai tuntas", kInt}, {"incomplete", "Belum lengkap", kInt}, {"no_show", "Tidak hadir", kInt},
	{"transferred", "Dirujuk keluar", kInt}, {"expired", "Kedaluwarsa", kInt}, {"open", "Belum berakhir", kInt},
	{"finished", "Dilayani sampai selesai", kInt},
	{"wait_mean_s", "Rata-rata tunggu", kDuration}, {"wait_p90_s", "Persentil 90 tunggu", kDuration},
	{"walk_mean_s", "Rata-rata jalan ke loket", kDuration}, {"service_mean_s", "Rata-rata layanan", kDuration},
	{"service_p90_s", "Persentil 90 layanan", kDuration},
	{"on_time_pct", "Tepat waktu", kPercent}, {"wait_on_time_pct", "Tunggu sesuai standar", kPercent},
	{"service_on_time_pct", "Layanan sesuai standar", kPercent}, {"first_visit_pct", "Tuntas sekali datang", kPercent},
	{"no_show_pct", "Tidak hadir dari yang dipanggil", kPercent},
	{"wait_breaches", "Melewati standar tunggu", kInt}, {"service_breaches", "Melewati standar layanan", kInt},
	{"recalls", "Panggilan ulang", kInt}, {"priority", "Prioritas", kInt},
	{"manual", "Nomor manual (dari kertas)", kInt},
}

// fieldsFor are the indicator fields of a table of services, counters,
// officers or days: counters and officers issue no tickets.
func fieldsFor(issuing bool) []field {
	if issuing {
		return indicatorFields
	}
	var out []field
	for _, f := range indicatorFields {
		if f.key != "issued" && f.key != "priority" {
			out = append(out, f)
		}
	}
	return out
}

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

// sortedKeys are a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }

// parseDay reads a YYYY-MM-DD date (as a wall date, no zone).
func parseDay(day string) (time.Time, error) { return time.Parse("2006-01-02", day) }

// ServiceCodes are the report's services in order.
func ServiceCodes(r *queue.Report) []string { return sortedKeys(r.Services) }
