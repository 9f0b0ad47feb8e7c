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
	"github.com/antri-id/antri/display"
	"github.com/antri-id/antri/queue"
)

// breachEvery is how often the standards are checked against the waiting and served
// tickets: often enough that a counter sees a breach within seconds, rarely enough to
// cost nothing on a Pi. dayCloseEvery is how often the day close looks at the date: it
// polls rather than sleeping until midnight, because midnight moves when the clock steps.
const (
	breachEvery   = 5 * time.Second
	dayCloseEvery = 30 * time.Second
)

// app is the running appliance, handed to each of its parts.
type app struct {
	cfg     *queue.Config
	store   *queue.Store
	q       *queue.Queue
	hub     *display.Hub
	srv     *display.Server
	dataDir string
	listen  string // the address actually listened on
	demo    bool
	log     *slog.Logger
	wg      sync.WaitGroup // the parts' goroutines, waited for at shutdown
}

type daemonFlags struct {
	config, data, listen string
	demo                 bool
}

func parseDaemonFlags(args []string) (daemonFlags, error) {
	var f daemonFlags
	fs := flag.NewFlagSet("antrid", flag.ContinueOnError)
	fs.StringVar(&f.config, "config", "", "config file (TOML); with -demo defaults to the built-in example")
	fs.StringVar(&f.data, "data", "./var", "data folder: database, printed tickets in demo mode")
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8080", "HTTP address")
	fs.BoolVar(&f.demo, "demo", false, "demo mode: simulated buttons and a virtual printer")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("argumen tidak dikenal: %v", fs.Args())
	}
	if f.config == "" && !f.demo {
		return f, errors.New("-config FILE wajib (atau -demo untuk mencoba dengan konfigurasi contoh)")
	}
	return f, nil
}

func loadConfig(f daemonFlags) (*queue.Config, error) {
	if f.config == "" {
		cfg, err := queue.ParseConfig("antrid.example.toml (bawaan)", deploy.ExampleConfig)
		if err == nil {
			// A newcomer tries the demo at any hour: the example office's
			// opening hours would refuse every ticket at night.
			cfg.Office.Open, cfg.Office.Close = "", ""
			cfg.Office.OpenAt, cfg.Office.CloseAt = 0, 0
		}
		return cfg, err
	}
	return queue.LoadConfig(f.config)
}

func runDaemon(args []string) error {
	f, err := parseDaemonFlags(args)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	slog.SetDefault(log)
	cfg, err := loadConfig(f)
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
	store, err := queue.OpenStore(filepath.Join(f.data, "antri.db"))
	if err != nil {
		return nil, nil, err
	}
	a := &app{cfg: cfg, store: store, dataDir: f.data, demo: f.demo, log: log, hub: display.NewHub()}
	a.q = queue.New(cfg, store, queue.NewSystemClock())
	a.srv = display.New(display.Options{Queue: a.q, Hub: a.hub, Demo: f.demo, Logger: log, DataDir: f.data})
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		store.Close()
		return nil, nil, fmt.Errorf("tidak bisa mendengarkan di %s: %w (alamat dipakai program lain?)", f.listen, err)
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
	// and runs its goroutines until compCtx ends, counted in a.wg.
	startDevices(compCtx, a)
	if err := startSync(compCtx, a); err != nil {
		a.log.Error("sinkronisasi ke headquarters tidak dimulai; antrid tetap berjalan tanpanya", "err", err)
	}
	a.run(func() { a.q.RunBreachWatch(compCtx, breachEvery) })
	a.run(func() { a.q.RunDayClose(compCtx, dayCloseEvery) })
	a.run(func() { a.srv.PrepareVoice(compCtx) }) // names' words synthesised once, before the first call needs them

	hs := &http.Server{Handler: a.srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	a.announce()
	notifyReady()
	a.run(func() { runWatchdog(compCtx, func() error { return a.store.Ping(compCtx) }) })

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
	if a.demo {
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
	if a.demo {
		fmt.Fprintf(os.Stderr, "  Coba: curl -X POST %s/api/tickets -d '{\"service\":\"%s\"}'\n", base, a.cfg.Services[0].Code)
	}
	fmt.Fprintln(os.Stderr)
}
