package main

// systemd integration: antrid runs as a Type=notify unit with WatchdogSec
// (deploy/antrid.service). systemd considers the unit started only once
// notifyReady is called, and restarts it when the watchdog is not petted in
// time. runWatchdog pets only while the daemon's own health check passes, so a
// hung store or a deadlocked main loop turns into a restart instead of a
// silent appliance that prints no tickets.
//
// Outside systemd (a developer's `make run`, tests) NOTIFY_SOCKET and
// WATCHDOG_USEC are unset and every function here does nothing.

import (
	"context"
	"log/slog"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
)

// notifyReady tells systemd that antrid is serving (the HTTP listener is open
// and the store is usable). Call it once, after startup has finished.
func notifyReady() {
	sdNotify(daemon.SdNotifyReady)
}

// notifyStopping tells systemd that antrid is shutting down on purpose, so the
// stop is not mistaken for a hang while open requests drain.
func notifyStopping() {
	sdNotify(daemon.SdNotifyStopping)
}

// sdNotify sends one state to systemd. Without NOTIFY_SOCKET it is a no-op;
// a send error is only logged because the daemon must keep serving the office
// even when it cannot talk to its supervisor.
func sdNotify(state string) {
	if _, err := daemon.SdNotify(false, state); err != nil {
		slog.Warn("systemd notify failed", "state", state, "err", err)
	}
}

// runWatchdog pets the systemd watchdog every half WATCHDOG_USEC for as long as
// healthy returns nil, and returns when ctx ends. It returns at once when the
// watchdog is not enabled for this process.
//
// healthy should check what the appliance cannot work without (the SQLite
// store answering a query). While it returns an error, or while it does not
// return at all, no WATCHDOG=1 is sent, so systemd kills and restarts antrid
// after WatchdogSec. Only one health check runs at a time: a check that hangs
// is not piled on with more goroutines.
//
// It also keeps systemd's STATUS= line (shown by `systemctl status antrid`)
// saying why the daemon is unhealthy, so a technician sees the reason.
func runWatchdog(ctx context.Context, healthy func() error) {
	interval, err := daemon.SdWatchdogEnabled(false)
	if err != nil {
		slog.Warn("systemd watchdog setting unreadable; watchdog not petted", "err", err)
		return
	}
	if interval <= 0 {
		return
	}
	period := interval / 2
	ticker := time.NewTicker(period)
	defer ticker.Stop()

	lastOK := true
	for {
		result := make(chan error, 1)
		go func() { result <- healthy() }()
		var err error
		select {
		case <-ctx.Done():
			return
		case err = <-result:
		}
		if err == nil {
			sdNotify(daemon.SdNotifyWatchdog)
			if !lastOK {
				sdNotify("STATUS=Antri berjalan normal")
				slog.Info("health check passes again; watchdog petted")
			}
		} else {
			sdNotify("STATUS=Antri tidak sehat: " + err.Error())
			slog.Error("health check failed; not petting the watchdog, systemd will restart antrid", "err", err)
		}
		lastOK = err == nil

		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}
