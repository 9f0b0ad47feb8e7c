package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/antri-id/antri/queue"
)

// Row is one number (or a grade) of the report in the long form of the CSV:
// which group, which service/counter/day/hour (Code and its Name), which
// indicator (the JSON name of DOMAIN.md where there is one) and its
// Indonesian label. Value nil is a null of the JSON; Text is for the few
// values that are not numbers (the SKM grade).
type Row struct {
	Group     string // antrian, loket, petugas, hari, jam, jam-layanan, pengaduan, kepuasan, skm, skm-layanan, skm-profil, rujukan, revisi
	Code      string // "semua" for the office
	Name      string
	Indicator string
	Label     string
	Value     *float64
	Text      string
}

func num(v int) *float64 { f := float64(v); return &f }

// unit is the CSV label's unit for a kind: the CSV carries seconds and
// percentages as numbers.
func unit(k kind) string {
	switch k {
	case kDuration:
		return " (detik)"
	case kPercent:
		return " (%)"
	}
	return ""
}

// Rows lists every number of the report, group by group.
func Rows(r *queue.Report, l Labels) []Row {
	var out []Row
	ind := func(group, code, name string, ind *queue.Indicators, fields []field) {
		v := values(ind)
		for _, f := range fields {
			out = append(out, Row{group, code, name, f.key, f.label + unit(f.kind), v[f.key], ""})
		}
	}
	ind("antrian", "semua", "Semua layanan", r.Overall, indicatorFields)
	for _, c := range ServiceCodes(r) {
		ind("antrian", c, l.Service(c), r.Services[c], indicatorFields)
	}
	for _, id := range sortedKeys(r.Counters) {
		ind("loket", id, l.Counter(id), r.Counters[id], fieldsFor(false))
	}
	for _, name := range sortedKeys(r.Officers) {
		ind("petugas", name, name, r.Officers[name], fieldsFor(false))
	}
	for _, d := range r.ByDay {
		ind("hari", d.Day, dayName(d.Day), d.Indicators, indicatorFields)
	}
	hours := func(group, code, name string, hs []queue.HourFigures) {
		for _, h := range hs {
			c := fmt.Sprintf("%02d", h.Hour)
			if code != "" {
				c = code + "/" + c
			}
			n := strings.TrimSpace(name + " " + hourLabel(h.Hour))
			out = append(out,
				Row{group, c, n, "arrivals", "Kedatangan (tiket terbit)", num(h.Arrivals), ""},
				Row{group, c, n, "served", "Dilayani sampai selesai", num(h.Served), ""},
				Row{group, c, n, "wait_mean_s", "Rata-rata tunggu (detik)", h.WaitMeanS, ""},
				Row{group, c, n, "walk_mean_s", "Rata-rata jalan ke loket (detik)", h.WalkMeanS, ""},
				Row{group, c, n, "service_mean_s", "Rata-rata layanan (detik)", h.ServiceMeanS, ""})
		}
	}
	hours("jam", "", "", r.ByHour)
	for _, c := range sortedKeys(r.ServiceHours) {
		hours("jam-layanan", c, l.Service(c), r.ServiceHours[c])
	}
	c := r.Complaints
	out = append(out,
		Row{"pengaduan", "semua", "", "received", "Pengaduan diterima", num(c.Received), ""},
		Row{"pengaduan", "semua", "", "closed", "Pengaduan selesai", num(c.Closed), ""},
		Row{"pengaduan", "semua", "", "open", "Pengaduan terbuka di akhir periode", num(c.Open), ""},
		Row{"pengaduan", "semua", "", "closed_within_standard_pct", "Selesai dalam standar (%)", c.ClosedWithinStandardPct, ""})
	for _, t := range sortedKeys(c.ByTopic) {
		out = append(out, Row{"pengaduan", "pokok", t, "received", "Pengaduan diterima menurut pokok", num(c.ByTopic[t]), ""})
	}
	for _, s := range sortedKeys(c.ByService) {
		out = append(out, Row{"pengaduan", "layanan:" + s, l.Service(s), "received", "Pengaduan diterima menurut layanan tiket", num(c.ByService[s]), ""})
	}
	s := r.Satisfaction
	out = append(out,
		Row{"kepuasan", "semua", "", "responses", "Jumlah penilaian", num(s.Responses), ""},
		Row{"kepuasan", "semua", "", "mean", "Rata-rata nilai (1–4)", s.Mean, ""},
		Row{"kepuasan", "semua", "", "satisfied_pct", "Puas, nilai 3 atau 4 (%)", s.SatisfiedPct, ""})
	out = append(out, skmRows("skm", "semua", "Semua layanan", &r.SKM)...)
	for _, code := range sortedKeys(r.SKM.Services) {
		out = append(out, skmRows("skm-layanan", code, l.Service(code), r.SKM.Services[code])...)
	}
	if p := r.SKM.Profile; p != nil {
		for _, part := range []struct {
			code, label string
			m           map[string]int
		}{{"gender", "Jenis kelamin", p.Gender}, {"age", "Umur", p.Age}, {"education", "Pendidikan", p.Education}, {"occupation", "Pekerjaan", p.Occupation}} {
			for _, k := range sortedKeys(part.m) {
				out = append(out, Row{"skm-profil", part.code, k, "responses", "Responden menurut " + strings.ToLower(part.label), num(part.m[k]), ""})
			}
		}
	}
	for _, ref := range r.Referrals {
		out = append(out, Row{"rujukan", ref.From, l.Service(ref.From), "to_" + ref.To,
			"Dirujuk ke " + l.Service(ref.To) + unitSuffix(ref.Unit), num(ref.Count), ""})
	}
	for _, rv := range r.Revisions {
		code, name := rv.Service, fmt.Sprintf("Revisi %d, berlaku %s", rv.ID, rv.Effective.Format("2006-01-02 15:04"))
		out = append(out,
			Row{"revisi", code, name, "complaints_before", "Pengaduan sebelum", num(rv.ComplaintsBefore), ""},
			Row{"revisi", code, name, "complaints_after", "Pengaduan sesudah", num(rv.ComplaintsAfter), ""})
		b, a := values(rv.Before), values(rv.After)
		for _, f := range indicatorFields {
			out = append(out,
				Row{"revisi", code, name, "before." + f.key, f.label + " sebelum" + unit(f.kind), b[f.key], ""},
				Row{"revisi", code, name, "after." + f.key, f.label + " sesudah" + unit(f.kind), a[f.key], ""})
		}
	}
	return out
}

func skmRows(group, code, name string, s *queue.SKM) []Row {
	out := []Row{{group, code, name, "responses", "Jumlah responden SKM", num(s.Responses), ""}}
	for i, v := range s.NRR {
		out = append(out, Row{group, code, name, fmt.Sprintf("nrr_%d", i+1), fmt.Sprintf("NRR U%d %s", i+1, queue.SKMElements[i]), v, ""})
	}
	grade := ""
	if s.Grade != nil {
		grade = *s.Grade
	}
	ok := 0
	if s.SampleOK {
		ok = 1
	}
	return append(out,
		Row{group, code, name, "ikm", "IKM", s.IKM, ""},
		Row{group, code, name, "grade", "Mutu pelayanan", nil, grade},
		Row{group, code, name, "population", "Penerima layanan (populasi)", num(s.Population), ""},
		Row{group, code, name, "sample_required", "Sampel minimal (Krejcie–Morgan)", num(s.SampleRequired), ""},
		Row{group, code, name, "sample_ok", "Sampel cukup (1 ya, 0 tidak)", num(ok), ""})
}

func unitSuffix(u string) string {
	if u == "" {
		return ""
	}
	return " (" + u + ")"
}

// hourLabel is an hour of the day as a span: "08.00–08.59".
func hourLabel(h int) string { return fmt.Sprintf("%02d.00–%02d.59", h, h) }

// dayName is the weekday of a YYYY-MM-DD date, "" when it is not one.
func dayName(day string) string {
	t, err := parseDay(day)
	if err != nil {
		return ""
	}
	return Weekdays[(int(t.Weekday())+6)%7]
}

// FormatValue writes a number as the JSON does (shortest exact form,
// never an exponent), and null as an empty cell. Decimal commas when comma
// is true.
func FormatValue(v *float64, comma bool) string {
	if v == nil {
		return ""
	}
	s := strconv.FormatFloat(*v, 'f', -1, 64)
	if comma {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// bom is the UTF-8 byte order mark: Excel reads a CSV as UTF-8 only with it.
const bom = "\uFEFF"

// WriteCSV writes the report in long form, one number a line:
// kantor;periode;kelompok;kode;nama;indikator;keterangan;nilai. For a
// spreadsheet in an Indonesian locale (the default) the file starts with a
// UTF-8 byte order mark and has ";" between fields and decimal commas;
// Options.Plain gives commas and decimal points for tools.
func WriteCSV(w io.Writer, r *queue.Report, o Options) error {
	if !o.Plain {
		if _, err := io.WriteString(w, bom); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	if !o.Plain {
		cw.Comma = ';'
	}
	_ = cw.Write([]string{"kantor", "periode", "kelompok", "kode", "nama", "indikator", "keterangan", "nilai"})
	for _, row := range Rows(r, o.Labels) {
		v := row.Text
		if row.Text == "" {
			v = FormatValue(row.Value, !o.Plain)
		}
		_ = cw.Write([]string{r.Office, r.Period.Key, row.Group, row.Code, row.Name, row.Indicator, row.Label, v})
	}
	cw.Flush()
	return cw.Error()
}
