package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/antri-id/antri/sync/collect"
	"github.com/antri-id/antri/sync/wire"
)

// Fleet health: every office headquarters knows, with its latest health (what antrid
// sends with each batch and heartbeat, wire.Health), those that need someone first:
// offices silent for longer than silent_after (an hour by default), printers out of
// paper, failed updates.

// DefaultSilentAfter is how long an office may send nothing before it is listed as
// silent. antrid sends a heartbeat every few minutes even when it has no events, so an
// hour of silence means the office is off, its link is down, or antrid is not running.
const DefaultSilentAfter = time.Hour

// Attention codes: why an office is listed where it is. The first three put it before
// every office without them, in this order.
const (
	attnSilent       = "silent"        // nothing received for longer than silent_after, or never
	attnPaperOut     = "paper_out"     // the ticket printer is out of paper
	attnUpdateFailed = "update_failed" // the last update failed or was switched back
	attnPrinter      = "printer"       // another printer problem
	attnClock        = "clock"         // the clock is not known to be right
	attnDisk         = "disk"          // the card is nearly full
	attnBreaches     = "breaches"      // waits or services past their standard now
)

// rank orders the attention codes: lower comes first; the rest are listed as they are.
var rank = map[string]int{attnSilent: 0, attnPaperOut: 1, attnUpdateFailed: 2}

// lowDiskMB is the free space below which an office's card is flagged, the same bound
// antrid's own /healthz uses by default ([storage] min_free_mb).
const lowDiskMB = 64

// attention is one reason an office needs someone, in Indonesian.
type attention struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// officeStatus is one office in GET /api/v1/offices (DOMAIN.md "Fleet": id, last_seen,
// version, health) and in the page's fleet table.
type officeStatus struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Timezone string     `json:"timezone"`
	AckedSeq int64      `json:"acked_seq"`
	Events   int64      `json:"events"`
	LastSeen *time.Time `json:"last_seen"` // null: never sent anything
	Version  string     `json:"version"`   // "" until the office sends its health
	// Health is the office's latest health as it sent it (wire.Health); null when none.
	Health json.RawMessage `json:"health"`
	// Attention lists what needs someone, the most urgent first; empty when nothing does.
	Attention []attention `json:"attention"`

	health *wire.Health // Health decoded, nil when none
	first  int          // rank of the most urgent attention
}

// fleet is every office headquarters knows, configured or held, in the order a person
// should look at them.
func (s *server) fleet(ctx context.Context) ([]officeStatus, error) {
	offs, err := s.store.Offices(ctx)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, o := range offs {
		have[o.ID] = true
	}
	for _, o := range s.cfg.Offices {
		if !have[o.ID] {
			offs = append(offs, collect.Office{ID: o.ID, Name: o.Name})
		}
	}
	now := s.now()
	out := make([]officeStatus, 0, len(offs))
	for _, o := range offs {
		if n := s.names[o.ID]; n != "" {
			o.Name = n
		}
		out = append(out, s.status(o, now))
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].first != out[j].first {
			return out[i].first < out[j].first
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// status judges one office at time now.
func (s *server) status(o collect.Office, now time.Time) officeStatus {
	st := officeStatus{ID: o.ID, Name: o.Name, Timezone: o.Timezone, AckedSeq: o.AckedSeq, Events: o.Events,
		Attention: []attention{}, first: len(rank)}
	add := func(code, text string) {
		st.Attention = append(st.Attention, attention{code, text})
		if r, ok := rank[code]; ok && r < st.first {
			st.first = r
		}
	}
	silentAfter := s.cfg.silentAfter()
	switch {
	case o.LastSeen.IsZero():
		add(attnSilent, "Belum pernah mengirim data: periksa antrid berjalan dan [hq] url serta secret kantor")
	default:
		seen := o.LastSeen
		st.LastSeen = &seen
		if quiet := now.Sub(seen); quiet > silentAfter {
			add(attnSilent, fmt.Sprintf("Tidak ada kabar selama %s (sejak %s UTC): kantor mati, jaringan putus, atau antrid tidak berjalan",
				durationText(quiet), seen.UTC().Format("2006-01-02 15:04")))
		}
	}
	if len(o.Health) > 0 {
		var h wire.Health
		if err := json.Unmarshal(o.Health, &h); err == nil {
			st.health, st.Health, st.Version = &h, o.Health, h.Version
		}
	}
	if h := st.health; h != nil {
		p := h.Printer
		switch {
		case p.PaperOut:
			add(attnPaperOut, "Printer tiket kehabisan kertas: warga tidak mendapat tiket tercetak")
		case p.Configured && !p.OK:
			add(attnPrinter, "Printer tiket: "+or(p.Problem, p.Status))
		}
		if version, reason, failed := h.UpdateFailed(); failed {
			add(attnUpdateFailed, fmt.Sprintf("Pembaruan ke versi %s gagal: %s", version, or(reason, "lihat log kantor")))
		}
		if c := h.Clock.Synchronized; c != nil && !*c {
			add(attnClock, "Jam kantor belum tersinkron dengan server waktu (NTP)")
		}
		if h.Disk.TotalMB > 0 && h.Disk.FreeMB < lowDiskMB {
			add(attnDisk, fmt.Sprintf("Kartu SD hampir penuh: sisa %d MB", h.Disk.FreeMB))
		}
		if h.Queue.Breaches > 0 {
			add(attnBreaches, fmt.Sprintf("%d antrean melewati standar pelayanan saat ini", h.Queue.Breaches))
		}
	}
	sort.SliceStable(st.Attention, func(i, j int) bool {
		ri, iok := rank[st.Attention[i].Code]
		rj, jok := rank[st.Attention[j].Code]
		if !iok {
			ri = len(rank)
		}
		if !jok {
			rj = len(rank)
		}
		return ri < rj
	})
	return st
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// durationText says a duration as a person would: "3 hari 2 jam", "2 jam 5 menit", "40 menit".
func durationText(d time.Duration) string {
	m := int(d / time.Minute)
	switch {
	case m >= 24*60:
		return fmt.Sprintf("%d hari %d jam", m/(24*60), m%(24*60)/60)
	case m >= 60:
		return fmt.Sprintf("%d jam %d menit", m/60, m%60)
	}
	return fmt.Sprintf("%d menit", m)
}

// maxHealth bounds the health JSON kept per office. antrid's is well under 2 KiB; a
// larger one (from a client with a stolen secret) is dropped rather than the batch
// refused: the events matter more than the health that came with them.
const maxHealth = 16 << 10

// keptHealth is the health of a batch as headquarters stores it, or nil.
func (s *server) keptHealth(office string, h *wire.Health) json.RawMessage {
	if h == nil {
		return nil
	}
	b, err := json.Marshal(h)
	if err != nil || len(b) > maxHealth {
		s.quiet.Warn(office+" health", "kesehatan kantor terlalu besar, tidak disimpan", "office", office, "bytes", len(b))
		return nil
	}
	return b
}

// fleetRow is one office in the page's fleet table, in words.
type fleetRow struct {
	ID, Name, LastSeen, Version, Printer, Clock, Disk, Boot, Waiting, Breaches string
	Attention                                                                  []attention
	Urgent                                                                     bool
}

// fleetRows puts the fleet in words for the page.
func fleetRows(offs []officeStatus, now time.Time) []fleetRow {
	out := make([]fleetRow, 0, len(offs))
	for _, o := range offs {
		r := fleetRow{ID: o.ID, Name: or(o.Name, o.ID), LastSeen: "belum pernah", Version: "–", Printer: "–", Clock: "–",
			Disk: "–", Boot: "–", Waiting: "–", Breaches: "–", Attention: o.Attention, Urgent: o.first < len(rank)}
		if o.LastSeen != nil {
			r.LastSeen = durationText(now.Sub(*o.LastSeen)) + " lalu"
		}
		if h := o.health; h != nil {
			r.Version = or(h.Version, "–")
			switch {
			case !h.Printer.Configured:
				r.Printer = "tidak dipakai"
			default:
				r.Printer = or(h.Printer.Status, "–")
			}
			if c := h.Clock.Synchronized; c != nil {
				r.Clock = map[bool]string{true: "tersinkron", false: "belum tersinkron"}[*c]
			}
			if h.Disk.TotalMB > 0 {
				r.Disk = fmt.Sprintf("%d MB", h.Disk.FreeMB)
			}
			if !h.Boot.At.IsZero() {
				r.Boot = h.Boot.At.UTC().Format("2006-01-02 15:04") + " UTC"
			}
			r.Waiting, r.Breaches = fmt.Sprint(h.Queue.Waiting), fmt.Sprint(h.Queue.Breaches)
		}
		out = append(out, r)
	}
	return out
}
