package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/sync/release"
	"github.com/antri-id/antri/sync/update"
	"github.com/antri-id/antri/sync/upload"
)

// startUpdate starts the office's updater when [update] public_keys is set
// (docs/FLEET.md): it checks with the headquarters of [hq], installs a release into
// the other slot, and restarts antrid into it when the office is quiet; on trial it
// confirms the new version once it has been healthy for a while.
func startUpdate(ctx context.Context, a *app) error {
	uc := a.cfg.Update
	if !uc.Enabled() {
		return nil
	}
	keys, err := release.ParsePublicKeys(uc.PublicKeys)
	if err != nil {
		return err
	}
	hc, err := upload.NewHTTPClient(a.cfg.HQ.CAFile, 0) // each request bounds itself
	if err != nil {
		return err
	}
	dir := uc.Dir
	if dir == "" {
		dir = filepath.Join(a.dataDir, "update")
	}
	u, err := update.New(update.Options{
		Dir: dir, Version: version, Keys: keys,
		// The Debian package's binary, the first slot; the same variable tells
		// deploy/antri-update.sh (tests, installs outside the package).
		PackageBin: os.Getenv("ANTRI_PACKAGE_BIN"),
		Client:     &update.Client{URL: a.cfg.HQ.URL, Office: a.cfg.Office.ID, Secret: a.cfg.HQ.Secret, HTTP: hc},
		CheckEvery: uc.CheckEveryDur, HealthWindow: uc.HealthWindowDur,
		ApplyNow: uc.Apply == "now",
		Quiet:    func(ctx context.Context) bool { return officeQuiet(ctx, a, time.Now()) },
		Health:   func(ctx context.Context) (map[string]bool, error) { return ownHealth(ctx, a.listen) },
		// SIGTERM to ourselves: the same orderly stop as systemd's, after which
		// systemd (Restart=always) runs antri-update start, which starts `current`.
		Restart: func() { syscall.Kill(os.Getpid(), syscall.SIGTERM) },
		// The uploader sends the health (with the update's report) at once; the admin
		// page reloads its card.
		Changed: func() { _ = a.q.Publish(queue.Event{Type: queue.NoticeUpdateStatus}) },
		Logger:  a.log.With("component", "update"),
	})
	if err != nil {
		return err
	}
	u.Routes(a.srv)
	// Headquarters' fleet list and /metrics show a failed update from the health
	// report (docs/FLEET.md, "Fleet health"): the updater's own report, as it is.
	a.fleet.Update = func() any { return u.Report() }
	a.run(func() { _ = u.Run(ctx) })
	return nil
}

// officeQuiet reports whether restarting antrid at now disturbs no one: the office is
// closed (an office without opening hours: between 01.00 and 04.00 local time) and no
// one waits or is at a counter. Officers serve the last tickets after closing time.
func officeQuiet(ctx context.Context, a *app, now time.Time) bool {
	if a.cfg.Office.OpenAt == 0 && a.cfg.Office.CloseAt == 0 {
		if h := now.In(a.cfg.Location).Hour(); h < 1 || h >= 4 {
			return false
		}
	} else if a.cfg.OpenAt(now) {
		return false
	}
	st, err := a.q.State(ctx)
	if err != nil || len(st.Waiting) > 0 {
		return false
	}
	for _, c := range st.Counters {
		if c.Current != nil {
			return false
		}
	}
	return true
}

// ownHealth asks antrid's own /healthz over the network, as a client would, so that
// the HTTP server is part of what a new version must show healthy.
func ownHealth(ctx context.Context, listen string) (map[string]bool, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	// The parts are objects with "ok"; fields beside them ("version") are not parts.
	var body map[string]json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("/healthz menjawab %s tanpa JSON: %w", resp.Status, err)
	}
	out := make(map[string]bool, len(body))
	for name, raw := range body {
		var p struct {
			OK *bool `json:"ok"`
		}
		if json.Unmarshal(raw, &p) != nil || p.OK == nil {
			continue
		}
		out[name] = *p.OK
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("/healthz menjawab %s tanpa satu pun bagian", resp.Status)
	}
	return out, nil
}

// releaseInfo is `antrid release-info`: what this binary says of itself for a release
// manifest (sync/release.Info), as JSON. It opens nothing.
func releaseInfo([]string) int {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(release.Running(version)); err != nil {
		fmt.Fprintln(os.Stderr, "antrid release-info:", err)
		return 1
	}
	return 0
}
