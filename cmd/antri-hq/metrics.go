package main

import (
	"bytes"
	"net/http"

	"github.com/antri-id/antri/queue/httpjson"
	"github.com/antri-id/antri/queue/metrics"
	"github.com/antri-id/antri/sync/wire"
)

// metricsPage is GET /metrics (admin token): the fleet in the Prometheus text format,
// for a headquarters that runs its own monitoring and alerting (docs/FLEET.md, "Fleet
// health"). One series per office and measure, labelled office="id".
func (s *server) metricsPage(w http.ResponseWriter, r *http.Request) {
	offs, err := s.fleet(r.Context())
	if err != nil {
		s.log.Error("membaca daftar kantor untuk metrik", "err", err)
		httpjson.Error(w, http.StatusInternalServerError, "database headquarters tidak terbaca; coba lagi")
		return
	}
	var b bytes.Buffer
	m := metrics.New(&b)
	m.Gauge("antri_hq_info", "antri-hq's version (always 1).", metrics.S(1, "version", version))
	m.Gauge("antri_hq_offices", "Offices headquarters knows (configured or holding events).", metrics.S(float64(len(offs))))
	per := func(f func(o officeStatus) (float64, bool)) []metrics.Sample {
		var out []metrics.Sample
		for _, o := range offs {
			if v, ok := f(o); ok {
				out = append(out, metrics.S(v, "office", o.ID))
			}
		}
		return out
	}
	has := func(o officeStatus, code string) bool {
		for _, a := range o.Attention {
			if a.Code == code {
				return true
			}
		}
		return false
	}
	health := func(f func(h *wire.Health) float64) func(o officeStatus) (float64, bool) {
		return func(o officeStatus) (float64, bool) {
			if o.health == nil {
				return 0, false
			}
			return f(o.health), true
		}
	}
	var info []metrics.Sample
	for _, o := range offs {
		if o.Version != "" {
			info = append(info, metrics.S(1, "office", o.ID, "version", o.Version))
		}
	}
	m.Gauge("antri_hq_office_info", "The antrid version each office last reported (always 1).", info...)
	m.Gauge("antri_hq_office_last_seen_timestamp_seconds", "When headquarters last heard from the office, unix seconds.",
		per(func(o officeStatus) (float64, bool) {
			if o.LastSeen == nil {
				return 0, false
			}
			return float64(o.LastSeen.Unix()), true
		})...)
	m.Gauge("antri_hq_office_silent", "1 when nothing came from the office for longer than silent_after (or ever).",
		per(func(o officeStatus) (float64, bool) { return metrics.Bool(has(o, attnSilent)), true })...)
	m.Gauge("antri_hq_office_acked_seq", "Highest event of the office held without a gap.",
		per(func(o officeStatus) (float64, bool) { return float64(o.AckedSeq), true })...)
	m.Counter("antri_hq_office_events_total", "Events of the office held.",
		per(func(o officeStatus) (float64, bool) { return float64(o.Events), true })...)
	m.Gauge("antri_hq_office_printer_paper_out", "1 when the office's printer reports an empty roll.",
		per(health(func(h *wire.Health) float64 { return metrics.Bool(h.Printer.PaperOut) }))...)
	m.Gauge("antri_hq_office_printer_ok", "1 when the office's tickets print (or it has no printer).",
		per(health(func(h *wire.Health) float64 { return metrics.Bool(h.Printer.OK || !h.Printer.Configured) }))...)
	m.Gauge("antri_hq_office_update_failed", "1 when the office's last update failed or was switched back.",
		per(func(o officeStatus) (float64, bool) { return metrics.Bool(has(o, attnUpdateFailed)), true })...)
	m.Gauge("antri_hq_office_clock_synchronized", "1 when the office's clock is kept right by a time server.",
		per(func(o officeStatus) (float64, bool) {
			if o.health == nil || o.health.Clock.Synchronized == nil {
				return 0, false
			}
			return metrics.Bool(*o.health.Clock.Synchronized), true
		})...)
	m.Gauge("antri_hq_office_disk_free_bytes", "Free space on the office's card.",
		per(health(func(h *wire.Health) float64 { return float64(h.Disk.FreeMB << 20) }))...)
	m.Gauge("antri_hq_office_waiting", "Tickets waiting at the office when it last reported.",
		per(health(func(h *wire.Health) float64 { return float64(h.Queue.Waiting) }))...)
	m.Gauge("antri_hq_office_breaches", "Waits and services past their standard at the office when it last reported.",
		per(health(func(h *wire.Health) float64 { return float64(h.Queue.Breaches) }))...)
	if err := m.Err(); err != nil {
		httpjson.Error(w, http.StatusInternalServerError, "menyusun metrik: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", metrics.ContentType)
	w.Write(b.Bytes())
}
