package main

import (
	"bytes"
	"context"
	"net/http"
	"sort"

	"github.com/antri-id/antri/display"
	"github.com/antri-id/antri/queue/httpjson"
	"github.com/antri-id/antri/queue/metrics"
)

// Routes adds GET /metrics (admin token): the office in the Prometheus text format, for
// an office that runs its own monitoring (docs/FLEET.md, "Fleet health").
func (f *fleetHealth) Routes(srv *display.Server) {
	srv.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if !srv.IsAdmin(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="antri"`)
			httpjson.Error(w, http.StatusUnauthorized, "perlu token admin; kirim Authorization: Bearer <admin_token>")
			return
		}
		var b bytes.Buffer
		if err := f.writeMetrics(r.Context(), &b, srv); err != nil {
			httpjson.Error(w, http.StatusInternalServerError, "menyusun metrik: "+err.Error())
			return
		}
		w.Header().Set("Content-Type", metrics.ContentType)
		w.Write(b.Bytes())
	})
}

func (f *fleetHealth) writeMetrics(ctx context.Context, b *bytes.Buffer, srv *display.Server) error {
	h, st := f.measureState(ctx)
	m := metrics.New(b)
	office := f.a.cfg.Office.ID
	m.Gauge("antri_info", "antrid's version and the office it serves (always 1).", metrics.S(1, "version", version, "office", office))
	parts, _ := srv.HealthReport(ctx)
	names := make([]string, 0, len(parts))
	for name := range parts {
		names = append(names, name)
	}
	sort.Strings(names)
	var healthy []metrics.Sample
	for _, name := range names {
		healthy = append(healthy, metrics.S(metrics.Bool(parts[name].OK), "part", name))
	}
	m.Gauge("antri_healthy", "1 when the part of /healthz is well, 0 when not.", healthy...)
	if st != nil {
		var waiting, issued []metrics.Sample
		for _, s := range st.Services {
			waiting = append(waiting, metrics.S(float64(s.Waiting), "service", s.Code))
			issued = append(issued, metrics.S(float64(s.IssuedToday), "service", s.Code))
		}
		m.Gauge("antri_tickets_waiting", "Tickets waiting to be called now, per service.", waiting...)
		m.Gauge("antri_tickets_issued_today", "Tickets issued today (the office's local day), per service.", issued...)
		m.Counter("antri_events_total", "Events the office has stored (its last sequence number).", metrics.S(float64(st.Seq)))
	}
	m.Gauge("antri_breaches", "Waits and services past their standard now.", metrics.S(float64(h.Queue.Breaches)))
	p := h.Printer
	m.Gauge("antri_printer_ok", "1 when tickets print now (or the office has no printer).", metrics.S(metrics.Bool(p.OK || !p.Configured)))
	m.Gauge("antri_printer_paper_out", "1 when the printer reports an empty roll.", metrics.S(metrics.Bool(p.PaperOut)))
	m.Gauge("antri_print_failures_today", "Tickets of today whose last print failed.", metrics.S(float64(p.FailedToday)))
	if c := h.Clock.Synchronized; c != nil {
		m.Gauge("antri_clock_synchronized", "1 when a time server keeps the clock right.", metrics.S(metrics.Bool(*c)))
	}
	if h.Disk.TotalMB > 0 {
		m.Gauge("antri_disk_free_bytes", "Free space on the card holding the database.", metrics.S(float64(h.Disk.FreeMB<<20)))
		m.Gauge("antri_disk_size_bytes", "Size of the card's file system holding the database.", metrics.S(float64(h.Disk.TotalMB<<20)))
	}
	m.Gauge("antri_boot_time_seconds", "When the appliance booted, unix seconds.", metrics.S(float64(h.Boot.At.Unix())))
	if f.sync != nil {
		if s, err := f.sync(ctx); err == nil {
			m.Gauge("antri_sync_acked_seq", "Highest event headquarters holds without a gap.", metrics.S(float64(s.AckedSeq)))
			m.Gauge("antri_sync_backlog_events", "Events not yet acknowledged by headquarters.", metrics.S(float64(s.Backlog)))
			m.Gauge("antri_sync_oldest_unsent_age_seconds", "Age of the oldest event not yet acknowledged (0 when none).", metrics.S(s.OldestUnsentAgeS))
			m.Gauge("antri_sync_consecutive_failures", "Failed attempts to reach headquarters since the last success.", metrics.S(float64(s.Failures)))
			m.Gauge("antri_sync_parked", "1 when headquarters refused the current batch for good.", metrics.S(metrics.Bool(s.Parked)))
			if s.LastSuccess != nil {
				m.Gauge("antri_sync_last_success_timestamp_seconds", "When headquarters last acknowledged, unix seconds.", metrics.S(float64(s.LastSuccess.Unix())))
			}
		}
	}
	if len(h.Update) > 0 {
		_, _, failed := h.UpdateFailed()
		m.Gauge("antri_update_failed", "1 when the last update of antrid was refused or switched back.", metrics.S(metrics.Bool(failed)))
	}
	return m.Err()
}
