package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/export"
	"github.com/antri-id/antri/sync/collect"
)

// The comparison page: every office side by side on the seed's indicators,
// a table and CSS bar charts, embedded (works without internet).
//
//go:embed page.html
var pageHTML string

//go:embed page.css
var pageCSS []byte

//go:embed offices_health.html
var fleetHTML string

// pageStyle is GET /page.css, the page's stylesheet.
func pageStyle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Write(pageCSS)
}

var pageTmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"pct": func(v *float64) string { return orDash(v, func(f float64) string { return fmt.Sprintf("%.1f%%", f) }) },
	"mins": func(v *float64) string {
		return orDash(v, func(f float64) string { return fmt.Sprintf("%.1f mnt", f/60) })
	},
	"num": func(v *float64) string { return orDash(v, func(f float64) string { return fmt.Sprintf("%.2f", f) }) },
}).Parse(pageHTML + fleetHTML))

func orDash(v *float64, f func(float64) string) string {
	if v == nil {
		return "–"
	}
	return f(*v)
}

type pageRow struct {
	ID, Name string
	Office   collect.Office
	R        *queue.Report
	Err      string
}

type bar struct {
	Label string
	Width float64 // percent of the chart's width
	Text  string
	Warn  bool
}

type chart struct {
	Title string
	Bars  []bar
}

// page is GET /: the comparison, for the admin (the admin token in the
// Authorization header; a browser asks for it with its own dialog).
func (s *server) page(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		signInPage(w)
		return
	}
	per, err := pagePeriod(r, s.now())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	offs, err := s.store.Offices(r.Context())
	if err != nil {
		http.Error(w, "membaca daftar kantor: "+err.Error(), http.StatusInternalServerError)
		return
	}
	held := map[string]collect.Office{}
	for _, o := range offs {
		held[o.ID] = o
	}
	var rows []pageRow
	add := func(id, name string) {
		row := pageRow{ID: id, Name: name, Office: held[id]}
		if row.Name == "" {
			row.Name = held[id].Name
		}
		if _, ok := held[id]; !ok {
			row.Err = "belum pernah mengirim data"
		} else if rep, _, err := s.report(r.Context(), id, per.Kind, per.Key); err != nil {
			row.Err = err.Error()
		} else {
			row.R = rep
		}
		rows = append(rows, row)
	}
	seen := map[string]bool{}
	for _, o := range s.cfg.Offices {
		seen[o.ID] = true
		add(o.ID, o.Name)
	}
	for _, o := range offs { // removed from the config but still held
		if !seen[o.ID] {
			add(o.ID, "")
		}
	}
	fleet, err := s.fleet(r.Context())
	if err != nil {
		http.Error(w, "membaca kesehatan kantor: "+err.Error(), http.StatusInternalServerError)
		return
	}
	data := struct {
		Month   string // the form's month: the period's month, or its first
		Fleet   []fleetRow
		Period  queue.Period
		Label   string
		Param   string // month, quarter or year: the period's parameter
		Route   string // monthly, quarterly, yearly
		Rows    []pageRow
		Charts  []chart
		Ranking []ranking
	}{Month: per.Start.Format("2006-01"), Fleet: fleetRows(fleet, s.now()), Period: per, Label: export.PeriodLabel(per), Param: string(per.Kind),
		Route: routeOf(per.Kind), Rows: rows, Charts: charts(rows), Ranking: rankings(rows)}
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

var jakarta = func() *time.Location {
	l, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		return time.FixedZone("WIB", 7*3600)
	}
	return l
}()

// charts are the bar charts under the table: rates on a 0–100 scale, the
// mean wait scaled to the longest.
func charts(rows []pageRow) []chart {
	rate := func(title string, get func(*queue.Report) *float64, warnBelow float64) chart {
		c := chart{Title: title}
		for _, r := range rows {
			if r.R == nil {
				continue
			}
			b := bar{Label: r.Name, Text: "–"}
			if v := get(r.R); v != nil {
				b.Width, b.Text, b.Warn = *v, fmt.Sprintf("%.1f%%", *v), *v < warnBelow
			}
			c.Bars = append(c.Bars, b)
		}
		return c
	}
	out := []chart{
		rate("Tepat waktu (tunggu dan layanan sesuai standar)", func(r *queue.Report) *float64 { return r.Overall.OnTimePct }, 80),
		rate("Selesai sekali datang", func(r *queue.Report) *float64 { return r.Overall.FirstVisitPct }, 80),
	}
	wait := chart{Title: "Tunggu rata-rata (menit)"}
	longest := 0.0
	for _, r := range rows {
		if r.R != nil && r.R.Overall.WaitMeanS != nil {
			longest = max(longest, *r.R.Overall.WaitMeanS)
		}
	}
	for _, r := range rows {
		if r.R == nil {
			continue
		}
		b := bar{Label: r.Name, Text: "–"}
		if v := r.R.Overall.WaitMeanS; v != nil && longest > 0 {
			b.Width, b.Text = *v/longest*100, fmt.Sprintf("%.1f", *v/60)
		}
		wait.Bars = append(wait.Bars, b)
	}
	return append(out, wait)
}
