package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/antri-id/antri/queue"
)

// trainingSummary is a training run's after-action summary: what the simulated citizens
// met (given a number, refused and why), and the day's report of the training office —
// waits, breaches of the standards, counters, complaints, incidents — in the same terms
// as an office's daily report. Kept as ringkasan.txt and ringkasan.json beside the
// training database.
type trainingSummary struct {
	Scenario  string        `json:"scenario"`
	Day       string        `json:"day"`
	From      string        `json:"from"`
	To        string        `json:"to"` // the simulated time the run ended at
	Speed     float64       `json:"speed"`
	Citizens  simTally      `json:"citizens"`
	Simulated []string      `json:"simulated_counters"`
	Report    *queue.Report `json:"report"`
	// StillWaiting are the tickets still waiting when the run ended, per service.
	StillWaiting map[string]int `json:"still_waiting"`
}

func (tr *trainingRun) summarize(ctx context.Context, q *queue.Queue) (*trainingSummary, error) {
	loc := q.Config().Location
	day := tr.midnight.Format("2006-01-02")
	p, err := queue.ParsePeriod(queue.PeriodDay, day, loc)
	if err != nil {
		return nil, err
	}
	rep, err := q.Report(ctx, p)
	if err != nil {
		return nil, err
	}
	st, err := q.State(ctx)
	if err != nil {
		return nil, err
	}
	s := &trainingSummary{Scenario: tr.sc.Name, Day: day, From: tr.sc.Start, Speed: tr.speed,
		To: tr.sim.clock.Now().Wall.In(loc).Format("15:04"), Citizens: tr.sim.tally, Report: rep,
		StillWaiting: map[string]int{}}
	for _, k := range tr.sc.Counters {
		s.Simulated = append(s.Simulated, k.ID)
	}
	for _, sv := range st.Services {
		if sv.Waiting > 0 {
			s.StillWaiting[sv.Code] = sv.Waiting
		}
	}
	return s, nil
}

// minutes says seconds as minutes, "–" when there is no figure.
func minutes(s *float64) string {
	if s == nil {
		return "–"
	}
	return fmt.Sprintf("%.1f mnt", *s/60)
}

// write prints the summary for the facilitator and the trainees, in Indonesian.
func (s *trainingSummary) write(w io.Writer) {
	r := s.Report
	fmt.Fprintf(w, "\n=== Ringkasan latihan: %s ===\n", s.Scenario)
	fmt.Fprintf(w, "Tanggal %s, waktu simulasi %s–%s, kecepatan %v×\n", s.Day, strings.Replace(s.From, ":", ".", 1),
		strings.Replace(s.To, ":", ".", 1), s.Speed)
	c := s.Citizens
	fmt.Fprintf(w, "Warga datang %d: mendapat nomor %d", c.Arrived, c.Given)
	if len(c.Refused) > 0 {
		var why []string
		for _, k := range slices.Sorted(maps.Keys(c.Refused)) {
			why = append(why, fmt.Sprintf("%s %d", refusalWords(k), c.Refused[k]))
		}
		fmt.Fprintf(w, ", ditolak kios %s", strings.Join(why, ", "))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "\n%-4s %6s %7s %6s %7s %7s %10s %10s %9s %9s\n", "", "nomor", "selesai", "absen", "dirujuk", "antre", "tunggu", "tunggu p90", "lewat std", "layan lwt")
	row := func(name string, in *queue.Indicators, waiting int) {
		if in == nil {
			return
		}
		fmt.Fprintf(w, "%-4s %6d %7d %6d %7d %7d %10s %10s %9d %9d\n", name, in.Issued, in.Done+in.Incomplete, in.NoShow,
			in.Transferred, waiting, minutes(in.WaitMeanS), minutes(in.WaitP90S), in.WaitBreaches, in.ServiceBreaches)
	}
	total := 0
	for _, code := range slices.Sorted(maps.Keys(r.Services)) {
		row(code, r.Services[code], s.StillWaiting[code])
		total += s.StillWaiting[code]
	}
	row("Semua", r.Overall, total)
	fmt.Fprintln(w, "(antre: masih menunggu saat latihan berakhir; lewat std: menunggu lebih lama dari standar; layan lwt: dilayani lebih lama dari standar)")
	fmt.Fprintln(w, "\nLoket:")
	for _, id := range slices.Sorted(maps.Keys(r.Counters)) {
		in := r.Counters[id]
		who := "peserta"
		if slices.Contains(s.Simulated, id) {
			who = "simulator"
		}
		fmt.Fprintf(w, "  Loket %-3s (%s): %d selesai, %d tidak hadir, %d dirujuk, rata-rata layan %s, %d lewat standar\n",
			id, who, in.Done+in.Incomplete, in.NoShow, in.Transferred, minutes(in.ServiceMeanS), in.ServiceBreaches)
	}
	cp := r.Complaints
	fmt.Fprintf(w, "\nPengaduan: %d masuk, %d selesai, %d belum selesai\n", cp.Received, cp.Closed, cp.Open)
	if len(r.Incidents) == 0 {
		fmt.Fprintln(w, "Gangguan layanan: tidak ada yang tercatat")
	} else {
		fmt.Fprintln(w, "Gangguan layanan:")
		for _, inc := range r.Incidents {
			end := "masih berlangsung"
			if inc.End != nil {
				end = inc.End.Format("15.04")
			}
			fmt.Fprintf(w, "  %s %s–%s %s: %s\n", inc.Type, inc.Start.Format("15.04"), end, inc.Service, inc.Note)
		}
	}
	if r.Manual != nil {
		fmt.Fprintf(w, "Nomor manual dimasukkan dari lembar catatan: %d\n", r.Manual.Manual)
	}
	fmt.Fprintln(w)
}

// save keeps the summary beside the training database, as text and as JSON.
func (s *trainingSummary) save(dir string) error {
	var b strings.Builder
	s.write(&b)
	if err := os.WriteFile(filepath.Join(dir, "ringkasan.txt"), []byte(b.String()), 0o640); err != nil {
		return err
	}
	js, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "ringkasan.json"), js, 0o640)
}

// refusalWords names a refusal's reason for the summary.
func refusalWords(reason string) string {
	switch reason {
	case queue.ReasonCapacity:
		return "karena tidak akan terlayani hari ini"
	case string(queue.KindQuota):
		return "karena kuota habis"
	case string(queue.KindClosed):
		return "di luar jam layanan"
	}
	return "(" + reason + ")"
}
