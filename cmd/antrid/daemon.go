package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/antri-id/antri/deploy"
	"github.com/antri-id/antri/device/memory"
	"github.com/antri-id/antri/device/printer"
	"github.com/antri-id/antri/display"
	"github.com/antri-id/antri/queue"
)

// breachEvery is how often the standards are checked against the waiting and served
// tickets: often enough that a counter sees a breach within seconds, rarely enough to
// cost nothing on a Pi.
const breachEvery = 5 * time.Second

// dayCloseEvery is how often the day close looks at the date: it polls rather than
// sleeping until midnight, because midnight moves when the clock steps. A variable only
// so that the clock tests' build (clock_testhook.go) can look more often.
var dayCloseEvery = 30 * time.Second

// app is the running appliance, handed to each of its parts.
type app struct {
	cfg     *queue.Config
	store   *queue.Store
	clock   queue.Clock
	q       *queue.Queue
	hub     *display.Hub
	srv     *display.Server
	dataDir string
	listen  string // the address actually listened on
	ln      *display.LimitListener
	demo    bool
	log     *slog.Logger
	wg      sync.WaitGroup // the parts' goroutines, waited for at shutdown
	fleet   *fleetHealth   // what headquarters and /metrics see of the office (health.go)

	// A training office (antrid -training, training.go): its clock runs speed times
	// faster, so the periodic checks run as often in simulated time; its scenario plays
	// while it serves; its demo printer is the one the scenario breaks.
	speed    float64
	training *trainingRun
	printer  *printer.Virtual

	noTicketBase sync.Once // ticketBase has said it knows no address a phone opens
	baseMu       sync.Mutex
	base         string    // ticketBase's last answer, guarded by baseMu
	baseAt       time.Time // when it was worked out (monotonic)
}

// interval is d of the office's time in real time: d itself, except in a training office
// whose clock runs faster (never below a tenth of a second).
func (a *app) interval(d time.Duration) time.Duration {
	if a.speed <= 1 {
		return d
	}
	return max(time.Duration(float64(d)/a.speed), 100*time.Millisecond)
}

// incidentEvery is how often antrid looks for incidents of its own (a surge, the printer
// down too long): each look reads the board once.
const incidentEvery = 30 * time.Second

type daemonFlags struct {
	config, data, listen string
	demo                 bool
	allowNewDatabase     bool
	// -training (training.go): the scenario, its speed, the folder of its database.
	training, trainingDir string
	speed                 float64
	trainingStay          bool
	listenSet             bool
}

func parseDaemonFlags(args []string) (daemonFlags, error) {
	var f daemonFlags
	fs := flag.NewFlagSet("antrid", flag.ContinueOnError)
	fs.StringVar(&f.config, "config", "", "config file (TOML); with -demo defaults to the built-in example")
	fs.StringVar(&f.data, "data", "./var", "data folder: database, printed tickets in demo mode")
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8080", "HTTP address")
	fs.BoolVar(&f.demo, "demo", false, "demo mode: simulated buttons and a virtual printer")
	fs.BoolVar(&f.allowNewDatabase, "allow-new-database", false,
		"create an empty database even though the data folder once held one (it is missing or empty): the office's history starts again; see deploy/README.md, Pemulihan")
	fs.StringVar(&f.training, "training", "",
		"training office: play scenario FILE (or a shipped one by name) in a new database of its own, never the real one; see docs/CRISIS.md")
	fs.Float64Var(&f.speed, "speed", 0, "with -training: simulated seconds per real second (default: the scenario's speed)")
	fs.StringVar(&f.trainingDir, "training-dir", "", "with -training: where its new database folder is made (default: the system's temporary folder)")
	fs.BoolVar(&f.trainingStay, "training-stay", false, "with -training: after the summary, keep the pages open for the debrief (the clock stopped at the end) until Ctrl-C")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	fs.Visit(func(fl *flag.Flag) { f.listenSet = f.listenSet || fl.Name == "listen" })
	if fs.NArg() > 0 {
		return f, fmt.Errorf("argumen tidak dikenal: %v", fs.Args())
	}
	if f.config == "" && !f.demo && f.training == "" {
		return f, errors.New("-config FILE wajib (atau -demo untuk mencoba dengan konfigurasi contoh)")
	}
	return f, nil
}

// loadConfig reads the office's config, refusing one whose tokens anyone could guess.
// The demo runs the example (or -config) as it is: it fills empty tokens with demo
// ones and only warns about weak ones, so that `make run` works out of the box.
func loadConfig(f daemonFlags, log *slog.Logger) (*queue.Config, error) {
	name := f.config
	var cfg *queue.Config
	var err error
	if f.config == "" {
		name = "antrid.example.toml (bawaan)"
		cfg, err = queue.ParseConfig(name, deploy.ExampleConfig)
		if err == nil {
			// A newcomer tries the demo at any hour: the example office's
			// opening hours would refuse every ticket at night.
			cfg.Office.Open, cfg.Office.Close = "", ""
			cfg.Office.OpenAt, cfg.Office.CloseAt = 0, 0
		}
	} else {
		cfg, err = queue.LoadConfig(f.config)
	}
	if err != nil {
		return nil, err
	}
	if !f.demo {
		return cfg, refuseWeakSecrets(name, cfg)
	}
	for _, filled := range cfg.UseDemoSecrets() {
		log.Warn("mode demo: token kosong diisi token demo; jangan dipakai di kantor", "token", filled)
	}
	for _, p := range cfg.SecretProblems() {
		log.Warn("mode demo: token yang mudah ditebak diterima; antrid tanpa -demo menolaknya", "masalah", p.String())
	}
	return cfg, nil
}

func runDaemon(args []string) error {
	f, err := parseDaemonFlags(args)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	slog.SetDefault(log)
	if f.training != "" {
		return runTraining(f, log)
	}
	cfg, err := loadConfig(f, log)
	if err != nil {
		return err // the same message as check-config, every problem with its line
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	a, ln, err := newApp(ctx, cfg, f, log)
	if err != nil {
		return err
	}
	return a.serve(ctx, ln)
}

// newApp opens the store and builds the queue, hub and server, listening on f.listen.
func newApp(ctx context.Context, cfg *queue.Config, f daemonFlags, log *slog.Logger) (*app, net.Listener, error) {
	return newAppOn(cfg, f, log, newClock(), nil)
}

// newAppOn is newApp on clock; training, when set, marks a training office's pages.
func newAppOn(cfg *queue.Config, f daemonFlags, log *slog.Logger, clock queue.Clock, training *display.Training) (*app, net.Listener, error) {
	store, err := queue.OpenStoreWith(filepath.Join(f.data, "antri.db"),
		queue.StoreOptions{AllowNew: f.allowNewDatabase, MinFree: cfg.Storage.MinFree()})
	if err != nil {
		return nil, nil, err // ErrStoreRefused: main exits with exitStoreRefused
	}
	a := &app{cfg: cfg, store: store, dataDir: f.data, demo: f.demo, log: log, hub: display.NewHub()}
	a.clock = clock
	a.q = queue.New(cfg, store, a.clock)
	a.fleet = &fleetHealth{a: a}
	a.srv = display.New(display.Options{Queue: a.q, Hub: a.hub, Demo: f.demo, Logger: log, DataDir: f.data, Version: version,
		TicketBase: a.ticketBase, Training: training})
	// /healthz "database": the file still the one opened, writes succeeding, no
	// corruption found, free space above [storage] min_free_mb (503 otherwise).
	a.srv.SetCheck("database", func(ctx context.Context) display.Health {
		h := store.Health(ctx)
		return display.Health{OK: h.OK, Error: h.Problem, Detail: h}
	})
	ln, err := a.listenHTTP(f.listen)
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	a.listen = ln.Addr().String()
	return a, ln, nil
}

// serve runs the appliance until ctx ends, then drains: the HTTP server stops
// taking requests and finishes those in flight, components stop, the queue
// finishes its last command and the store is checkpointed and closed.
func (a *app) serve(ctx context.Context, ln net.Listener) error {
	hubCtx, stopHub := context.WithCancel(context.Background())
	go a.hub.Run(hubCtx)
	compCtx, stopComponents := context.WithCancel(ctx)
	// The parts of the appliance around the queue. Each adds its routes to the server
	// and runs its goroutines until compCtx ends, counted in a.wg. The incident watch
	// comes first, so that it hears the printer's first word.
	incidents := queue.NewIncidentWatch(a.q)
	startDevices(compCtx, a)
	// The updater before the uploader: the health the uploader sends carries the
	// updater's report (a.fleet.Update), set before anything reads it.
	if err := startUpdate(compCtx, a); err != nil {
		a.log.Error("pembaruan otomatis tidak dimulai; antrid tetap berjalan tanpanya", "err", err)
	}
	if err := startSync(compCtx, a); err != nil {
		a.log.Error("sinkronisasi ke headquarters tidak dimulai; antrid tetap berjalan tanpanya", "err", err)
	}
	a.fleet.Routes(a.srv) // GET /metrics
	a.run(func() { a.q.RunBreachWatch(compCtx, a.interval(breachEvery)) })
	a.run(func() { a.q.RunDayClose(compCtx, a.interval(dayCloseEvery)) })
	a.run(func() { incidents.Run(compCtx, a.interval(incidentEvery)) })
	a.run(func() {
		a.srv.PrepareVoice(compCtx) // names' words synthesised once, before the first call needs them
		// The voice is the last of start-up's work: what only start-up needed
		// goes back to the kernel (device/memory), for Chromium on a 1 GB board.
		if compCtx.Err() == nil {
			releaseStartupMemory(a.log)
		}
	})

	hs := a.httpServer()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	a.announce()
	if a.training != nil {
		a.run(func() { a.training.play(compCtx, a) })
	}
	notifyReady()
	a.run(func() { runWatchdog(compCtx, func() error { return a.healthy(compCtx) }) })

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	notifyStopping()
	a.log.Info("antrid berhenti: menyelesaikan permintaan yang berjalan")
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = hs.Shutdown(shutCtx)
	stopComponents()
	a.wg.Wait()
	stopHub()
	a.q.Close()
	if err := a.store.Close(); err != nil {
		return fmt.Errorf("menutup database: %w", err)
	}
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return nil
}

// run runs fn on a goroutine of its own that shutdown waits for.
func (a *app) run(fn func()) {
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		fn()
	}()
}

// announce tells a person at the terminal where to look.
func (a *app) announce() {
	base := "http://" + a.listen
	mode := ""
	switch {
	case a.training != nil:
		mode = " (KANTOR LATIHAN: " + a.training.sc.Name + ")"
	case a.demo:
		mode = " (mode demo)"
	}
	fmt.Fprintf(os.Stderr, `
Antri %s%s — %s
  Layar ruang tunggu : %s/display
  Kios ambil nomor   : %s/kiosk
  Halaman loket      : %s/counter/%s
  Admin              : %s/admin
  Status             : %s/healthz
  Data               : %s
`, version, mode, a.cfg.Office.Name, base, base, base, a.cfg.Counters[0].ID, base, base, a.dataDir)
	if a.training != nil {
		a.training.announce(os.Stderr)
	} else if a.demo {
		fmt.Fprintf(os.Stderr, "  Coba: curl -X POST -H 'Content-Type: application/json' %s/api/tickets -d '{\"service\":\"%s\"}'\n", base, a.cfg.Services[0].Code)
	}
	fmt.Fprintln(os.Stderr)
}

// releaseStartupMemory hands back start-up's heap garbage and program-file
// pages (device/memory) and logs the resident set before and after.
func releaseStartupMemory(log *slog.Logger) {
	before, after, err := memory.ReleaseStartup()
	if err != nil {
		log.Warn("memori awal hanya sebagian dikembalikan ke kernel", "err", err)
	}
	log.Info("memori awal dikembalikan ke kernel", "rss_sebelum_kb", before.Total()>>10, "rss_sesudah_kb", after.Total()>>10)
}
