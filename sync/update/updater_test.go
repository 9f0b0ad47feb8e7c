package update_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
	"github.com/antri-id/antri/sync/release"
	"github.com/antri-id/antri/sync/update"
	"github.com/antri-id/antri/sync/update/updatetest"
	"github.com/antri-id/antri/sync/wire"
)

// office is an updater running 1.0.0 from a slot, with a fake health and restart;
// pkg is the Debian package's binary ("": none installed).
type office struct {
	u        *update.Updater
	dir      string
	restarts atomic.Int32
	quiet    atomic.Bool
	cancel   context.CancelFunc
	done     chan struct{}
}

func newOffice(t *testing.T, hq string, pub release.PublicKey, pkg string) *office {
	t.Helper()
	o := &office{dir: t.TempDir(), done: make(chan struct{})}
	exe := filepath.Join(t.TempDir(), "antrid")
	os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755)
	if pkg == "" {
		pkg = filepath.Join(t.TempDir(), "not-installed")
	}
	u, err := update.New(update.Options{Dir: o.dir, Version: "1.0.0", Executable: exe, PackageBin: pkg,
		Keys:       []release.PublicKey{pub},
		Client:     &update.Client{URL: hq, Office: "mpp-uji", Secret: "rahasia-kantor-uji-pembaruan", HTTP: http.DefaultClient},
		CheckEvery: 50 * time.Millisecond, HealthWindow: 20 * time.Second,
		Quiet:   func(context.Context) bool { return o.quiet.Load() },
		Health:  func(context.Context) (map[string]bool, error) { return map[string]bool{"database": true}, nil },
		Restart: func() { o.restarts.Add(1) },
		Logger:  slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	o.u = u
	ctx, cancel := context.WithCancel(context.Background())
	o.cancel = cancel
	go func() { defer close(o.done); u.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-o.done })
	return o
}

func build(t *testing.T, version string) string {
	t.Helper()
	bin, err := antridtest.Build(updatetest.BrokenPackage, version)
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func waitState(t *testing.T, o *office, state string) update.Status {
	t.Helper()
	var st update.Status
	queuetest.Eventually(t, "the update state "+state, func() bool {
		st = o.u.Status()
		return st.Update.State == state
	})
	return st
}

// TestRefusesMigrationsThePreviousVersionCannotRead: a release whose migration the
// running version could not use after a switch back is refused before anything is
// downloaded, and the refusal reaches headquarters.
func TestRefusesMigrationsThePreviousVersionCannotRead(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	sk, pub := updatetest.Key(t)
	hq := updatetest.NewOffer(t)
	hq.Release(t, sk, build(t, "2.0.0"), func(m *release.Manifest) {
		last := m.Migrations[len(m.Migrations)-1].Version
		m.Migrations = append(m.Migrations,
			queue.Migration{Version: last + 1, OldestReader: last},     // readable by 1.0.0
			queue.Migration{Version: last + 2, OldestReader: last + 2}) // not
		m.Schema = last + 2
	})
	o := newOffice(t, hq.URL, pub, "")
	st := waitState(t, o, wire.UpdateRefused)
	if st.Update.Code != release.RefusedSchema || st.Update.Version != "2.0.0" || !strings.Contains(st.Update.Reason, "migrasi") {
		t.Errorf("refusal %+v", st.Update)
	}
	if n := hq.Downloads(); n != 0 {
		t.Errorf("%d downloads of a refused release", n)
	}
	queuetest.Eventually(t, "headquarters to hear of the refusal", func() bool {
		rep := <-hq.Reports
		return rep.State == wire.UpdateRefused && rep.Code == release.RefusedSchema && rep.Running == "1.0.0"
	})
}

// TestWaitsForAQuietOfficeUnlessTheAdminSaysNow: an installed release waits while
// the office is busy, the admin's apply switches at once, and the switch leaves the
// running binary as the fallback and the new one on trial.
func TestWaitsForAQuietOfficeUnlessTheAdminSaysNow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	sk, pub := updatetest.Key(t)
	hq := updatetest.NewOffer(t)
	bin := build(t, "2.0.0")
	hq.Release(t, sk, bin, nil)
	o := newOffice(t, hq.URL, pub, "")
	st := waitState(t, o, wire.UpdateInstalled)
	time.Sleep(300 * time.Millisecond) // several checks: still busy
	if n := o.restarts.Load(); n != 0 || o.u.Status().Update.State != wire.UpdateInstalled {
		t.Fatalf("restarted %d times while the office was busy (%+v)", n, st)
	}
	// The admin's button: POST /api/admin/update/apply.
	mux := http.NewServeMux()
	o.u.Routes(mux)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/admin/update/apply", nil))
	if rec.Code != http.StatusAccepted || o.restarts.Load() != 1 {
		t.Fatalf("apply: %d %s, %d restarts", rec.Code, rec.Body, o.restarts.Load())
	}
	current, _ := os.Readlink(filepath.Join(o.dir, "current"))
	if b, err := os.ReadFile(current); err != nil || string(b) != string(hq.Binary()) {
		t.Errorf("current -> %s, not the release (%v)", current, err)
	}
	trial, _ := os.ReadFile(filepath.Join(o.dir, "trial"))
	if !strings.Contains(string(trial), "version=2.0.0\nfrom=1.0.0\nwindow=20\n") {
		t.Errorf("trial file:\n%s", trial)
	}
	if fb, _ := os.Readlink(filepath.Join(o.dir, "fallback")); filepath.Base(fb) != "antrid" || fb == current {
		t.Errorf("fallback -> %q, want the running binary", fb)
	}
	if st := o.u.Status(); st.Update.State != wire.UpdateTrial {
		t.Errorf("after the switch the state is %+v", st.Update)
	}
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/admin/update/apply", nil))
	if rec.Code != http.StatusConflict {
		t.Errorf("a second apply: %d %s", rec.Code, rec.Body)
	}
}

// TestQuietOfficeSwitchesByItself: once the office is quiet, the installed release
// is started without anyone asking.
func TestQuietOfficeSwitchesByItself(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	sk, pub := updatetest.Key(t)
	hq := updatetest.NewOffer(t)
	hq.Release(t, sk, build(t, "2.0.0"), nil)
	o := newOffice(t, hq.URL, pub, "")
	waitState(t, o, wire.UpdateInstalled)
	o.quiet.Store(true)
	o.u.Check()
	queuetest.Eventually(t, "the restart into 2.0.0", func() bool { return o.restarts.Load() == 1 })
}

// TestConfirmAndSwitchBackEndTheTrialOnce: antrid's confirmation and the script's
// switch back both end a trial by renaming the trial file; whichever comes second
// changes nothing.
func TestConfirmAndSwitchBackEndTheTrialOnce(t *testing.T) {
	script := updatetest.Script(t)
	for _, first := range []string{"confirm", "switch back"} {
		t.Run(first, func(t *testing.T) {
			dir := t.TempDir()
			old, next := filepath.Join(dir, "old"), filepath.Join(dir, "slot-a", "antrid")
			os.MkdirAll(filepath.Dir(next), 0o755)
			os.WriteFile(old, []byte("#!/bin/sh\necho old\n"), 0o755)
			os.WriteFile(next, []byte("#!/bin/sh\necho next\n"), 0o755)
			os.Symlink(old, filepath.Join(dir, "fallback"))
			os.Symlink(next, filepath.Join(dir, "current"))
			os.WriteFile(filepath.Join(dir, "trial"), []byte("version=2.0.0\nfrom=1.0.0\nwindow=0\nmax_starts=3\nparts=database\n"), 0o644)
			boot, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
			os.WriteFile(filepath.Join(dir, "trial-clock"), []byte("boot="+strings.TrimSpace(string(boot))+"\nsince=0\n"), 0o644)
			watch := func() {
				cmd := exec.Command("sh", script, "watch")
				cmd.Env = append(os.Environ(), "ANTRI_UPDATE_DIR="+dir)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("antri-update watch: %v %s", err, out)
				}
			}
			confirm := func() {
				// What the trial antrid does: start on the trial, confirm once healthy.
				hs := httptest.NewServer(http.NotFoundHandler())
				defer hs.Close()
				u, err := update.New(update.Options{Dir: dir, Version: "2.0.0", Executable: next,
					Keys:         []release.PublicKey{{}},
					Client:       &update.Client{URL: hs.URL, Office: "x", Secret: "y", HTTP: http.DefaultClient},
					ConfirmAfter: time.Millisecond, CheckEvery: time.Hour,
					Health:  func(context.Context) (map[string]bool, error) { return map[string]bool{"database": true}, nil },
					Restart: func() {}, Logger: slog.New(slog.DiscardHandler)})
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				go func() { defer close(done); u.Run(ctx) }()
				queuetest.Eventually(t, "the trial to end", func() bool {
					_, err := os.Stat(filepath.Join(dir, "trial"))
					return os.IsNotExist(err)
				})
				time.Sleep(100 * time.Millisecond)
				cancel()
				<-done
			}
			if first == "confirm" {
				confirm()
				watch()
			} else {
				watch()
				confirm()
			}
			out, _ := os.ReadFile(filepath.Join(dir, "outcome.json"))
			var got struct{ State, Code string }
			json.Unmarshal(out, &got)
			cur, _ := os.Readlink(filepath.Join(dir, "current"))
			want, wantCur := wire.UpdateConfirmed, next
			if first == "switch back" {
				want, wantCur = wire.UpdateRolledBack, old
			}
			if got.State != want || cur != wantCur {
				t.Errorf("outcome %s (current -> %s), want %s (current -> %s)", out, cur, want, wantCur)
			}
			for _, left := range []string{"trial", "trial.ended", "trial.confirmed", "attempts", "fallback", "trial-clock"} {
				if _, err := os.Lstat(filepath.Join(dir, left)); err == nil {
					t.Errorf("%s left behind", left)
				}
			}
		})
	}
}

// TestNewerPackageInstalledByHandRuns: a technician installed a newer Debian package
// while a release from headquarters runs from a slot: antrid switches to the
// package's binary, on trial like any update, with the slot as the fallback.
func TestNewerPackageInstalledByHandRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	_, pub := updatetest.Key(t)
	hq := updatetest.NewOffer(t)
	pkg := build(t, "3.0.0")
	o := newOffice(t, hq.URL, pub, pkg)
	queuetest.Eventually(t, "the restart into the package's 3.0.0", func() bool { return o.restarts.Load() == 1 })
	if cur, _ := os.Readlink(filepath.Join(o.dir, "current")); cur != pkg {
		t.Errorf("current -> %q, want the package's binary %q", cur, pkg)
	}
	if st := o.u.Status(); st.Update.State != wire.UpdateTrial || st.Update.Version != "3.0.0" {
		t.Errorf("state %+v", st.Update)
	}
}

// TestInterruptedSwitchIsNotASwitchBack: antrid was cut off while switching, after the
// trial was written but before `current` moved. The next start runs the binary that
// ran before and records no switch back: the release was never tried.
func TestInterruptedSwitchIsNotASwitchBack(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(t.TempDir(), "antrid")
	os.WriteFile(pkg, []byte("#!/bin/sh\necho package \"$@\"\n"), 0o755)
	os.Symlink(pkg, filepath.Join(dir, "fallback"))
	os.WriteFile(filepath.Join(dir, "trial"), []byte("version=2.0.0\nfrom=1.0.0\nwindow=300\nmax_starts=3\nparts=database\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "trial-clock"), []byte("boot=x\nsince=0\n"), 0o644)
	cmd := exec.Command("sh", updatetest.Script(t), "start", "-config", "antri.toml")
	cmd.Env = append(os.Environ(), "ANTRI_UPDATE_DIR="+dir, "ANTRI_PACKAGE_BIN="+pkg)
	out, err := cmd.Output()
	if err != nil || strings.TrimSpace(string(out)) != "package -config antri.toml" {
		t.Fatalf("antri-update start: %v %q", err, out)
	}
	for _, left := range []string{"trial", "trial-clock", "fallback", "outcome.json", "current"} {
		if _, err := os.Lstat(filepath.Join(dir, left)); err == nil {
			t.Errorf("%s after the interrupted switch", left)
		}
	}
}

// TestStartSwitchesBackWithoutTheNewBinary: antri-update start switches back when the
// trial binary is gone or has been started max_starts times, runs the version before
// in the same start, and gives a trial its full window again after a reboot.
func TestStartSwitchesBackWithoutTheNewBinary(t *testing.T) {
	boot, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		t.Skip("no /proc/sys/kernel/random/boot_id")
	}
	for _, c := range []struct {
		name     string
		attempts string
		gone     bool
		clock    string
		want     string // the binary run
		code     string // "": still on trial
	}{
		{name: "second start", attempts: "1", clock: "boot=another-boot\nsince=999999\n", want: "next"},
		{name: "fourth start", attempts: "3", want: "old", code: "crashed"},
		{name: "binary gone", attempts: "0", gone: true, want: "old", code: "missing"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			old, next := filepath.Join(dir, "old"), filepath.Join(dir, "slot-b", "antrid")
			os.MkdirAll(filepath.Dir(next), 0o755)
			os.WriteFile(old, []byte("#!/bin/sh\necho old\n"), 0o755)
			if !c.gone {
				os.WriteFile(next, []byte("#!/bin/sh\necho next\n"), 0o755)
			}
			os.Symlink(old, filepath.Join(dir, "fallback"))
			os.Symlink(next, filepath.Join(dir, "current"))
			os.WriteFile(filepath.Join(dir, "trial"), []byte("version=2.0.0\nfrom=1.0.0\nwindow=300\nmax_starts=3\nparts=database\n"), 0o644)
			os.WriteFile(filepath.Join(dir, "attempts"), []byte(c.attempts+"\n"), 0o644)
			if c.clock == "" {
				c.clock = "boot=" + strings.TrimSpace(string(boot)) + "\nsince=0\n"
			}
			os.WriteFile(filepath.Join(dir, "trial-clock"), []byte(c.clock), 0o644)
			cmd := exec.Command("sh", updatetest.Script(t), "start")
			cmd.Env = append(os.Environ(), "ANTRI_UPDATE_DIR="+dir, "ANTRI_PACKAGE_BIN=/nonexistent")
			out, err := cmd.Output()
			if err != nil || strings.TrimSpace(string(out)) != c.want {
				t.Fatalf("ran %q (%v), want %s", out, err, c.want)
			}
			outcome, _ := os.ReadFile(filepath.Join(dir, "outcome.json"))
			_, trialErr := os.Stat(filepath.Join(dir, "trial"))
			if c.code == "" {
				clock, _ := os.ReadFile(filepath.Join(dir, "trial-clock"))
				attempts, _ := os.ReadFile(filepath.Join(dir, "attempts"))
				if trialErr != nil || len(outcome) > 0 || strings.TrimSpace(string(attempts)) != "2" ||
					!strings.Contains(string(clock), strings.TrimSpace(string(boot))) {
					t.Errorf("still on trial: trial %v, outcome %s, attempts %q, clock %q", trialErr, outcome, attempts, clock)
				}
				return
			}
			var got struct{ State, Version, From, Code string }
			json.Unmarshal(outcome, &got)
			if got.State != wire.UpdateRolledBack || got.Code != c.code || got.Version != "2.0.0" || got.From != "1.0.0" || trialErr == nil {
				t.Errorf("outcome %s (trial %v), want rolled_back %s", outcome, trialErr, c.code)
			}
			if cur, _ := os.Readlink(filepath.Join(dir, "current")); cur != old {
				t.Errorf("current -> %q, want the version before", cur)
			}
		})
	}
}

// TestRunIsTheRunningBinary: `antri-update run` gives a technician's command to the
// antrid that runs now (the slot `current` names, on trial or not), the package's
// when there is none or it cannot run, and never counts a start of a trial.
func TestRunIsTheRunningBinary(t *testing.T) {
	dir := t.TempDir()
	pkg, next := filepath.Join(dir, "pkg"), filepath.Join(dir, "slot-b", "antrid")
	os.MkdirAll(filepath.Dir(next), 0o755)
	os.WriteFile(pkg, []byte("#!/bin/sh\necho package \"$@\"\n"), 0o755)
	run := func() string {
		t.Helper()
		cmd := exec.Command("sh", updatetest.Script(t), "run", "report", "-month", "2026-11")
		cmd.Env = append(os.Environ(), "ANTRI_UPDATE_DIR="+dir, "ANTRI_PACKAGE_BIN="+pkg)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("antri-update run: %v %q", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := run(); got != "package report -month 2026-11" {
		t.Errorf("before any update: ran %q, want the package's binary", got)
	}
	os.WriteFile(next, []byte("#!/bin/sh\necho next \"$@\"\n"), 0o755)
	os.Symlink(next, filepath.Join(dir, "current"))
	os.WriteFile(filepath.Join(dir, "trial"), []byte("version=2.0.0\nfrom=1.0.0\nwindow=300\nmax_starts=3\nparts=database\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "attempts"), []byte("3\n"), 0o644)
	if got := run(); got != "next report -month 2026-11" {
		t.Errorf("during a trial: ran %q, want the slot's binary", got)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "attempts")); string(b) != "3\n" {
		t.Errorf("attempts %q after run: a technician's command counted as a start", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "outcome.json")); err == nil {
		t.Error("run switched back")
	}
	os.Chmod(next, 0o644)
	if got := run(); got != "package report -month 2026-11" {
		t.Errorf("slot binary not executable: ran %q, want the package's binary", got)
	}
}
