// Command antri-hq is headquarters: it collects every office's events
// (store-and-forward, each exactly once), reports on each office with the
// same indicator code as the office, and compares offices side by side.
//
//	antri-hq -config hq.toml [-listen 127.0.0.1:9090] [-data ./var-hq]
//	antri-hq release keygen|sign|publish|rollout|status ...   (docs/FLEET.md)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/antri-id/antri/sync/collect"
)

var version = "dev"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "release" { // release.go: the release manager's tool
		os.Exit(releaseCmd(os.Args[2:]))
	}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "antri-hq:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("antri-hq", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "config file (TOML), see docs/SYNC.md")
	listen := fs.String("listen", "", "HTTP address (overrides listen in the file)")
	data := fs.String("data", "", "data folder for the SQLite store (overrides data in the file)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cfgPath == "" {
		return errors.New("-config FILE wajib; contoh ada di docs/SYNC.md")
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if *listen != "" {
		cfg.Listen = *listen
	}
	if *data != "" {
		cfg.Data = *data
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("tidak bisa mendengarkan di %s: %w", cfg.Listen, err)
	}
	lim := defaultLimits
	hs := lim.httpServer(newServer(cfg, store, log, lim))
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(lim.listener(ln)) }()
	log.Info("antri-hq berjalan", "version", version, "listen", ln.Addr().String(), "offices", len(cfg.Offices), "postgres", cfg.Postgres != "")
	select {
	case <-ctx.Done():
	case err := <-errc:
		return err
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(shut)
}

// openStore opens PostgreSQL when a DSN is configured, SQLite in the data
// folder otherwise.
func openStore(ctx context.Context, cfg *config) (collect.Store, error) {
	if cfg.Postgres != "" {
		return collect.OpenPostgres(ctx, cfg.Postgres)
	}
	return collect.OpenSQLite(ctx, filepath.Join(cfg.Data, "antri-hq.db"))
}
