package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/antri-id/antri/display"
	"github.com/antri-id/antri/queue"
)

// trainingListen is a training office's address when -listen is not given: not the
// appliance's own 8080, so that a training runs beside the office on the same Pi.
const trainingListen = "127.0.0.1:8081"

// trainingRun is one run of a scenario in a training office (antrid -training): a new
// database in a folder of its own, the office's real pages and devices in demo mode, a
// clock that starts at the scenario's morning, the simulator, and the after-action
// summary at the end.
type trainingRun struct {
	sc       *scenario
	dir      string // the training database's folder
	config   string // the office's config file, for `antrid report` on the training database
	speed    float64
	midnight time.Time
	tokens   []string // demo tokens filled in for the trainees where the config had none
	stop     context.CancelFunc
	stay     bool // -training-stay: the pages stay open after the summary
	console  io.Writer
	sim      *trainingSim
	summary  *trainingSummary // set when the run ended
}

// runTraining runs antrid as a training office until the scenario ends (or SIGTERM,
// SIGINT), then prints the after-action summary and keeps it beside the training
// database. The real office's database is never opened: -data is not used at all.
func runTraining(f daemonFlags, log *slog.Logger) error {
	tr, cfg, err := prepareTraining(f, log)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	ctx, tr.stop = context.WithCancel(ctx)
	start := tr.midnight.Add(tr.sc.startAt)
	clock := newTrainingClock(start, tr.speed)
	tf := daemonFlags{data: tr.dir, listen: f.listen, demo: true, allowNewDatabase: true}
	if !f.listenSet {
		tf.listen = trainingListen
	}
	a, ln, err := newAppOn(cfg, tf, log, clock, &display.Training{Scenario: tr.sc.Name, Speed: tr.speed})
	if err != nil {
		return err
	}
	a.speed, a.training = tr.speed, tr
	tr.sim = newTrainingSim(tr.sc, a.q, clock, tr.midnight, tr.console)
	if err := a.serve(ctx, ln); err != nil {
		return err
	}
	if tr.summary == nil {
		return errors.New("latihan berhenti sebelum ringkasan dibuat")
	}
	return nil
}

// prepareTraining reads the scenario and its office, checks them together, and makes the
// training database's folder.
func prepareTraining(f daemonFlags, log *slog.Logger) (*trainingRun, *queue.Config, error) {
	sc, err := loadScenario(f.training)
	if err != nil {
		return nil, nil, err
	}
	var cfg *queue.Config
	switch {
	case f.config != "":
		cfg, err = queue.LoadConfig(f.config) // the real office's layout, its own database
	case sc.officeText != nil:
		cfg, err = queue.ParseConfig(sc.officeName, sc.officeText)
	default:
		err = fmt.Errorf("skenario %s tidak menyebut office; beri -config kantor.toml", sc.file)
	}
	if err != nil {
		return nil, nil, err
	}
	if err := sc.check(cfg); err != nil {
		return nil, nil, err
	}
	// A training office never talks to headquarters: its simulated citizens must not
	// reach the province's figures.
	cfg.HQ = queue.HQConfig{}
	tr := &trainingRun{sc: sc, speed: sc.Speed, console: os.Stdout, stay: f.trainingStay}
	if f.speed > 0 {
		tr.speed = f.speed
	}
	if tr.speed <= 0 {
		tr.speed = 1
	}
	if tr.speed > 3600 {
		return nil, nil, fmt.Errorf("-speed %v: paling cepat 3600 (satu jam simulasi per detik)", tr.speed)
	}
	// Empty tokens get demo ones, printed for the trainees; a real office's tokens stay
	// its own, and its trainees sign in with them as every day.
	tr.tokens = cfg.UseDemoSecrets()
	day := time.Now().In(cfg.Location)
	if sc.Day != "" {
		day, _ = time.ParseInLocation("2006-01-02", sc.Day, cfg.Location)
	}
	tr.midnight = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, cfg.Location)
	if f.trainingDir != "" {
		if err := os.MkdirAll(f.trainingDir, 0o750); err != nil {
			return nil, nil, fmt.Errorf("folder latihan: %w", err)
		}
	}
	if tr.dir, err = os.MkdirTemp(f.trainingDir, "antri-latihan-"); err != nil {
		return nil, nil, fmt.Errorf("folder latihan: %w", err)
	}
	// The office's config beside the training database, so that `antrid report` can read
	// the training day afterwards (the debrief's printable report and workbook).
	if f.config != "" {
		tr.config, _ = filepath.Abs(f.config)
	} else {
		tr.config = filepath.Join(tr.dir, "kantor.toml")
		if err := os.WriteFile(tr.config, sc.officeText, 0o640); err != nil {
			return nil, nil, fmt.Errorf("folder latihan: %w", err)
		}
	}
	if f.data != "" {
		if officeDB, err := filepath.Abs(filepath.Join(f.data, "antri.db")); err == nil {
			log.Info("kantor latihan: database kantor tidak dibuka", "database_kantor", officeDB, "database_latihan", filepath.Join(tr.dir, "antri.db"))
		}
	}
	return tr, cfg, nil
}

// play runs the simulator until the scenario's end, then writes the after-action summary
// and stops the training office. Stopped early (SIGINT), it still writes the summary of
// what was played.
func (tr *trainingRun) play(ctx context.Context, a *app) {
	tr.sim.printer = a.printer
	tr.sim.plan()
	tr.sim.run(ctx)
	s, err := tr.summarize(context.WithoutCancel(ctx), a.q)
	if err != nil {
		fmt.Fprintf(tr.console, "Ringkasan latihan tidak dapat dibuat: %v\n", err)
	} else {
		tr.summary = s
		s.write(tr.console)
		if err := s.save(tr.dir); err != nil {
			fmt.Fprintf(tr.console, "Ringkasan latihan tidak tersimpan: %v\n", err)
		} else {
			fmt.Fprintf(tr.console, "Ringkasan tersimpan di %s\n", filepath.Join(tr.dir, "ringkasan.txt"))
			fmt.Fprintf(tr.console, "Laporan lengkap untuk pembahasan: antrid report -config %s -data %s -day %s -o latihan.html\n",
				tr.config, tr.dir, s.Day)
		}
	}
	if tr.stay && ctx.Err() == nil {
		// The clock stays at the end (the simulator held it there): the pages show the
		// morning as it ended, /admin/laporan the training day, for the debrief.
		fmt.Fprintln(tr.console, "Halaman kantor latihan tetap terbuka untuk pembahasan (jam berhenti di akhir skenario); tekan Ctrl-C untuk selesai.")
		<-ctx.Done()
	}
	tr.stop()
}

// announce tells the facilitator what is played, at which speed, and the trainees' tokens.
func (tr *trainingRun) announce(w io.Writer) {
	fmt.Fprintf(w, "  Skenario           : %s — %s\n", tr.sc.Name, tr.sc.Description)
	lasts := time.Duration(float64(tr.sc.endAt-tr.sc.startAt) / tr.speed)
	fmt.Fprintf(w, "  Waktu simulasi     : %s–%s, kecepatan %v× (sekitar %d menit %d detik waktu nyata)\n",
		strings.Replace(tr.sc.Start, ":", ".", 1), strings.Replace(tr.sc.End, ":", ".", 1), tr.speed,
		int(lasts/time.Minute), int(lasts%time.Minute/time.Second))
	fmt.Fprintf(w, "  Database latihan   : %s (bukan database kantor)\n", filepath.Join(tr.dir, "antri.db"))
	var sim []string
	for _, k := range tr.sc.Counters {
		sim = append(sim, k.ID)
	}
	fmt.Fprintf(w, "  Loket simulator    : %v; loket lain untuk peserta\n", sim)
	for _, t := range tr.tokens {
		fmt.Fprintf(w, "  Token latihan      : %s\n", t)
	}
	fmt.Fprintln(w)
}
