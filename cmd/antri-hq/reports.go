package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/antri-id/antri/display"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/export"
	"github.com/antri-id/antri/queue/httpjson"
)

// hqPeriods are the periods of headquarters' reports: /reports/{name}?{param}=key.
var hqPeriods = []struct {
	name, param string
	kind        queue.PeriodKind
	example     string
}{
	{"monthly", "month", queue.PeriodMonth, "2025-03"},
	{"quarterly", "quarter", queue.PeriodQuarter, "2025-Q1"},
	{"yearly", "year", queue.PeriodYear, "2025"},
}

// printable is the printable report of /admin/laporan, as one file.
const printable = "html"

// reportRoutes adds, with the admin token:
//
//	GET /api/v1/offices/{office}/reports/{monthly|quarterly|yearly}[.xlsx|.csv|.html]?month=|quarter=|year=
//	GET /api/v1/reports/compare[.xlsx]?month=|quarter=|year=
//
// An office's report is the one the office computes itself (JSON, workbook,
// CSV with ?plain=1 for tools, the printable page); the comparison ranks
// every office on the same figures, as JSON or as one workbook.
func (s *server) reportRoutes(mux *http.ServeMux) {
	for _, p := range hqPeriods {
		for _, f := range []string{"", "xlsx", "csv", printable} {
			path := "GET /api/v1/offices/{office}/reports/" + p.name
			if f != "" {
				path += "." + f
			}
			s.handle(mux, path, s.officeReport(p.kind, p.param, p.example, f))
		}
	}
	s.handle(mux, "GET /api/v1/reports/compare", s.compare(false))
	s.handle(mux, "GET /api/v1/reports/compare.xlsx", s.compare(true))
}

func (s *server) handle(mux *http.ServeMux, pattern string, h http.HandlerFunc) {
	mux.HandleFunc(pattern, s.admin(h))
}

// officeName is the office's name: the config's, else the one it sends.
func (s *server) officeName(id, sent string) string {
	if n := s.names[id]; n != "" {
		return n
	}
	if sent != "" {
		return sent
	}
	return id
}

// reportError answers the error of s.report, saying what to do.
func (s *server) reportError(w http.ResponseWriter, office string, err error) {
	var qe *queue.Error
	switch {
	case errors.Is(err, errNoOffice):
		if _, known := s.secrets[office]; known {
			httpjson.Error(w, http.StatusNotFound, fmt.Sprintf("kantor %q terdaftar tetapi belum mengirim data; periksa [hq] url dan secret di kantor", office))
		} else {
			httpjson.Error(w, http.StatusNotFound, fmt.Sprintf("kantor %q tidak dikenal; lihat GET /api/v1/offices", office))
		}
	case errors.As(err, &qe):
		httpjson.Error(w, http.StatusBadRequest, err.Error())
	default:
		httpjson.Error(w, http.StatusInternalServerError, "menghitung laporan: "+err.Error())
	}
}

// periodKey is the period a request asks for; it answers 400 when there is none.
func periodKey(w http.ResponseWriter, r *http.Request, param, example string) (string, bool) {
	key := r.URL.Query().Get(param)
	if key == "" {
		httpjson.Error(w, http.StatusBadRequest, fmt.Sprintf("parameter %s wajib, contoh ?%s=%s", param, param, example))
	}
	return key, key != ""
}

// officeReport answers an office's report in format f ("" for JSON).
// X-Antri-Acked-Seq says how far the office's events are complete.
func (s *server) officeReport(kind queue.PeriodKind, param, example, f string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		office := r.PathValue("office")
		key, ok := periodKey(w, r, param, example)
		if !ok {
			return
		}
		rep, o, err := s.report(r.Context(), office, kind, key)
		if err != nil {
			s.reportError(w, office, err)
			return
		}
		w.Header().Set("X-Antri-Acked-Seq", strconv.FormatInt(o.AckedSeq, 10))
		if f == "" {
			httpjson.Write(w, http.StatusOK, rep)
			return
		}
		// The office's names for its services and counters come with its batches
		// (wire.Labels); an office that never sent them is shown by code.
		name := s.officeName(office, o.Name)
		var buf bytes.Buffer
		ctype := "text/html; charset=utf-8"
		if f == printable {
			err = display.WritePrintable(&buf, rep, display.Letterhead{Office: office, Name: name,
				Services: o.Labels.Services, Counters: o.Labels.Counters})
		} else {
			format := export.Format(f)
			ctype = format.ContentType()
			labels := export.Labels{Office: name, Services: o.Labels.Services, Counters: o.Labels.Counters}
			err = export.Write(&buf, rep, format, export.Options{Labels: labels, Plain: r.URL.Query().Get("plain") == "1"})
		}
		if err != nil {
			httpjson.Error(w, http.StatusInternalServerError, "menulis laporan: "+err.Error())
			return
		}
		// Every file is a download: the printable page runs its own scripts,
		// which headquarters' pages may not (Content-Security-Policy), so it is
		// saved and opened from the disk, where it prints offline.
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", `attachment; filename="`+export.FileName(rep, export.Format(f))+`"`)
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
	}
}

// compareReports computes the report of the period of every office that has
// sent something, with the comparison of them; names are the offices' names.
func (s *server) compareReports(r *http.Request, kind queue.PeriodKind, key string) (*queue.Comparison, []*queue.Report, map[string]string, error) {
	offs, err := s.store.Offices(r.Context())
	if err != nil {
		return nil, nil, nil, err
	}
	sort.Slice(offs, func(i, j int) bool { return offs[i].ID < offs[j].ID })
	names := map[string]string{}
	var reports []*queue.Report
	for _, o := range offs {
		rep, _, err := s.report(r.Context(), o.ID, kind, key)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("kantor %s: %w", o.ID, err)
		}
		names[o.ID] = s.officeName(o.ID, o.Name)
		reports = append(reports, rep)
	}
	return queue.Compare(reports, names), reports, names, nil
}

// compare answers GET /api/v1/reports/compare[.xlsx]: one of ?month=,
// ?quarter=, ?year=.
func (s *server) compare(workbook bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var kind queue.PeriodKind
		var key string
		for _, p := range hqPeriods {
			if v := r.URL.Query().Get(p.param); v != "" {
				kind, key = p.kind, v
			}
		}
		if key == "" {
			httpjson.Error(w, http.StatusBadRequest, "sebutkan periodenya: ?month=2025-03, ?quarter=2025-Q1 atau ?year=2025")
			return
		}
		if _, err := queue.ParsePeriod(kind, key, time.UTC); err != nil {
			httpjson.Error(w, http.StatusBadRequest, err.Error())
			return
		}
		c, reports, names, err := s.compareReports(r, kind, key)
		var qe *queue.Error
		switch {
		case errors.As(err, &qe):
			httpjson.Error(w, http.StatusBadRequest, qe.Msg)
			return
		case err != nil:
			httpjson.Error(w, http.StatusInternalServerError, "menghitung perbandingan: "+err.Error())
			return
		}
		if c.Key == "" { // no office yet: the period is still the one asked for
			c.Kind, c.Key = kind, key
		}
		if !workbook {
			httpjson.Write(w, http.StatusOK, c)
			return
		}
		var buf bytes.Buffer
		if err := export.WriteComparisonXLSX(&buf, c, reports, names); err != nil {
			httpjson.Error(w, http.StatusInternalServerError, "menulis buku kerja: "+err.Error())
			return
		}
		w.Header().Set("Content-Type", export.XLSX.ContentType())
		w.Header().Set("Content-Disposition", `attachment; filename="perbandingan-kantor-`+key+`.xlsx"`)
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
	}
}

// pagePeriod is the period the comparison page shows: ?month=, ?quarter= or
// ?year=, else the current month in WIB.
func pagePeriod(r *http.Request, now time.Time) (queue.Period, error) {
	for _, p := range hqPeriods {
		if v := r.URL.Query().Get(p.param); v != "" {
			return queue.ParsePeriod(p.kind, v, jakarta)
		}
	}
	return queue.PeriodOf(queue.PeriodMonth, now.In(jakarta)), nil
}

// routeOf is the report route of a period kind.
func routeOf(k queue.PeriodKind) string {
	for _, p := range hqPeriods {
		if p.kind == k {
			return p.name
		}
	}
	return "monthly"
}

// ranking is one indicator's places on the comparison page.
type ranking struct {
	Label  string
	Better string
	Places []rankPlace
}

type rankPlace struct {
	Place      int
	Name, Text string
}

// rankings are the places of the offices with a report, per indicator,
// from the same queue.Compare the comparison workbook uses.
func rankings(rows []pageRow) []ranking {
	var reports []*queue.Report
	names := map[string]string{}
	for _, r := range rows {
		if r.R != nil {
			reports = append(reports, r.R)
			names[r.ID] = r.Name
		}
	}
	if len(reports) == 0 {
		return nil
	}
	c := queue.Compare(reports, names)
	var out []ranking
	for _, ri := range queue.RankedIndicators {
		rk := ranking{Label: ri.Label, Better: "↑"}
		if !ri.HigherBetter {
			rk.Better = "↓"
		}
		for _, p := range c.Rankings[ri.Key] {
			text := "–"
			if v := p.Value; v != nil {
				switch {
				case ri.Duration:
					text = fmt.Sprintf("%.1f mnt", *v/60)
				case ri.Key == "ikm":
					text = fmt.Sprintf("%.2f", *v)
				default:
					text = fmt.Sprintf("%.1f%%", *v)
				}
			}
			rk.Places = append(rk.Places, rankPlace{Place: p.Place, Name: names[p.Office], Text: text})
		}
		out = append(out, rk)
	}
	return out
}
