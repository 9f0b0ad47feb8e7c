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
