// Package updatetest runs antrid the way its systemd units do, without systemd, for
// the update tests: ExecStart through the real deploy/antri-update.sh, Restart=always,
// and the watch timer's two halves (`watch`, then `restart-if-needed`, whose
// `systemctl restart` is a script here that stops the running antrid). What it does not
// emulate — the real init, units, sandboxing — the systemd and image tests cover
// (docs/FLEET.md, "What the tests run"). For tests only.
package updatetest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// BrokenPackage is a bad release of antrid (testdata/broken): `-X main.mode=exit` it
// exits at start, `-X main.mode=hang` it starts and is never healthy.
const BrokenPackage = "github.com/antri-id/antri/sync/update/updatetest/testdata/broken"

// Root is the checkout's top folder (where go.mod is).
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's folder")
		}
		dir = parent
	}
}

// Script is deploy/antri-update.sh of this checkout.
func Script(t testing.TB) string { return filepath.Join(Root(t), "deploy", "antri-update.sh") }

// Unit is antrid.service and antri-update-watch.timer, emulated.
type Unit struct {
	Dir          string        // ANTRI_UPDATE_DIR
	PackageBin   string        // ANTRI_PACKAGE_BIN: the first slot
	Args         []string      // antrid's arguments (after `antri-update start`)
	RestartDelay time.Duration // between an exit and the next start (default 200ms)
	WatchEvery   time.Duration // the timer (default 1s)

	t       testing.TB
	script  string
	pidFile string
	env     []string

	log logBuffer

	mu      sync.Mutex
	cmd     *exec.Cmd
	starts  int
	stopped bool
	done    chan struct{}
}

// Start runs the unit until the test ends.
func Start(t testing.TB, u *Unit) *Unit {
	t.Helper()
	if u.RestartDelay <= 0 {
		u.RestartDelay = 200 * time.Millisecond
	}
	if u.WatchEvery <= 0 {
		u.WatchEvery = time.Second
	}
	u.t, u.script, u.done = t, Script(t), make(chan struct{})
	tmp := t.TempDir()
	u.pidFile = filepath.Join(tmp, "antrid.pid")
	// systemctl restart antrid.service: stop the running antrid; the unit's restart
	// loop starts it again, as Restart=always does.
	systemctl := filepath.Join(tmp, "systemctl")
	if err := os.WriteFile(systemctl, []byte("#!/bin/sh\n[ \"$1\" = restart ] || exit 1\nkill -TERM \"$(cat "+u.pidFile+")\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	u.env = append(os.Environ(), "ANTRI_UPDATE_DIR="+u.Dir, "ANTRI_PACKAGE_BIN="+u.PackageBin, "ANTRI_SYSTEMCTL="+systemctl)
	go u.serve()
	stopWatch := make(chan struct{})
	go u.watch(stopWatch)
	t.Cleanup(func() {
		close(stopWatch)
		u.Stop()
		if t.Failed() {
			t.Logf("antrid.service (emulated) log:\n%s", u.Log())
		}
	})
	return u
}

// serve is ExecStart with Restart=always.
func (u *Unit) serve() {
	defer close(u.done)
	for {
		u.mu.Lock()
		if u.stopped {
			u.mu.Unlock()
			return
		}
		cmd := exec.Command("sh", append([]string{u.script, "start"}, u.Args...)...)
		cmd.Env = u.env
		cmd.Stdout, cmd.Stderr = &u.log, &u.log
		err := cmd.Start()
		if err == nil {
			u.cmd = cmd
			u.starts++
			os.WriteFile(u.pidFile, []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)
		}
		u.mu.Unlock()
		if err != nil {
			fmt.Fprintf(&u.log, "updatetest: start: %v\n", err)
		} else {
			err = cmd.Wait()
			fmt.Fprintf(&u.log, "updatetest: antrid exited: %v\n", err)
			u.mu.Lock()
			u.cmd = nil
			u.mu.Unlock()
		}
		time.Sleep(u.RestartDelay)
	}
}

// watch is antri-update-watch.timer starting antri-update-watch.service.
func (u *Unit) watch(stop chan struct{}) {
	tick := time.NewTicker(u.WatchEvery)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		for _, verb := range []string{"watch", "restart-if-needed"} {
			cmd := exec.Command("sh", u.script, verb)
			cmd.Env = u.env
			if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
				fmt.Fprintf(&u.log, "updatetest: antri-update %s: %v %s\n", verb, err, out)
			}
		}
	}
}

// Starts is how often ExecStart ran.
func (u *Unit) Starts() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.starts
}

// Log is what the unit's processes wrote.
func (u *Unit) Log() string { return u.log.String() }

// logBuffer is the unit's journal, written by its processes while tests read it.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Stop stops the unit as systemctl stop does: SIGTERM, and no restart.
func (u *Unit) Stop() {
	u.mu.Lock()
	already := u.stopped
	u.stopped = true
	if u.cmd != nil && !already {
		u.cmd.Process.Signal(syscall.SIGTERM)
	}
	u.mu.Unlock()
	select {
	case <-u.done:
	case <-time.After(30 * time.Second):
		u.mu.Lock()
		if u.cmd != nil {
			u.cmd.Process.Kill()
		}
		u.mu.Unlock()
		<-u.done
	}
}

// Current is the binary `current` points at ("" when there is no link).
func (u *Unit) Current() string {
	t, err := os.Readlink(filepath.Join(u.Dir, "current"))
	if errors.Is(err, os.ErrNotExist) {
		return ""
	}
	return strings.TrimSpace(t)
}
