package updatetest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/antri-id/antri/queue/queuetest"
)

// Systemd runs antrid.service, antri-update-watch.service and its timer under a real
// systemd: the user manager (`systemd --user`, the same program and version as PID 1
// on the image) in a private mount namespace, where a tmpfs on /run makes it believe
// the machine booted with systemd. So ExecStart through antri-update.sh, Type=notify
// readiness, Restart=always after antrid exits for an update and after each crash,
// the timer starting the watch, its privileged ExecStartPost and `systemctl
// --no-block restart` are systemd's own.
//
// The units are the files in deploy/, with what a user manager cannot apply left out
// (User=, sandboxing, device and memory limits: TestUnitsVerify and the image test
// cover those), paths pointed at the test's files, output appended to a log file (no
// journald runs here), and the timer's 30 s shortened to TimerEvery. It needs root
// (mount namespaces), unshare and nsenter (util-linux) and systemd.
type Systemd struct {
	Dir        string   // ANTRI_UPDATE_DIR
	PackageBin string   // ANTRI_PACKAGE_BIN: the first slot
	Config     string   // replaces /etc/antri/antri.toml
	Data       string   // replaces /var/lib/antri
	Listen     string   // replaces 0.0.0.0:8080
	TimerEvery string   // replaces the timer's 30s (default "2s")
	Env        []string // more Environment= for antrid.service

	t       testing.TB
	cmd     *exec.Cmd
	log     string // units' output and the manager's own
	runtime string // XDG_RUNTIME_DIR inside the namespace
}

// StartSystemd starts the user manager and antrid.service; both are stopped when the
// test ends. Without root or the tools the test is skipped (failed in CI, where
// queuetest.NeedTool fails it for a missing tool).
func StartSystemd(t testing.TB, s *Systemd) *Systemd {
	t.Helper()
	unshare := queuetest.NeedTool(t, "unshare", "util-linux")
	queuetest.NeedTool(t, "nsenter", "util-linux")
	manager := "/lib/systemd/systemd"
	if _, err := os.Stat(manager); err != nil {
		queuetest.SkipUnlessCI(t, "no "+manager+" (Debian package systemd)")
	}
	if os.Geteuid() != 0 {
		queuetest.SkipUnlessCI(t, "a private mount namespace needs root; CI runs as root")
	}
	if out, err := exec.Command(unshare, "-m", "true").CombinedOutput(); err != nil {
		t.Skipf("this machine does not allow a private mount namespace (a container without CAP_SYS_ADMIN?): %v %s", err, out)
	}
	if s.TimerEvery == "" {
		s.TimerEvery = "2s"
	}
	s.t = t
	tmp := t.TempDir()
	s.log = filepath.Join(tmp, "journal.log")
	s.runtime = "/run/user/0"
	units := filepath.Join(tmp, "config", "systemd", "user")
	if err := os.MkdirAll(units, 0o755); err != nil {
		t.Fatal(err)
	}
	// StateDirectory= of the real unit creates the data folder; a user manager would
	// put it under ~/.local/state, so it is left out and made here.
	if err := os.MkdirAll(s.Data, 0o750); err != nil {
		t.Fatal(err)
	}
	root := Root(t)
	paths := strings.NewReplacer(
		"/usr/lib/antri/antri-update", Script(t),
		"/etc/antri/antri.toml", s.Config,
		"/var/lib/antri", s.Data,
		"0.0.0.0:8080", s.Listen,
	)
	env := append([]string{"ANTRI_UPDATE_DIR=" + s.Dir, "ANTRI_PACKAGE_BIN=" + s.PackageBin}, s.Env...)
	output := []string{"StandardOutput=append:" + s.log, "StandardError=append:" + s.log}
	write := func(name string, text string) {
		if err := os.WriteFile(filepath.Join(units, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("antrid.service", userUnit(t, filepath.Join(root, "deploy", "antrid.service"), paths,
		append(quoteEnv(env), output...)))
	write("antri-update-watch.service", userUnit(t, filepath.Join(root, "deploy", "antri-update-watch.service"), paths,
		append(quoteEnv(append(env, "ANTRI_SYSTEMCTL=systemctl --user --no-block")), output...)))
	write("antri-update-watch.timer", userUnit(t, filepath.Join(root, "deploy", "antri-update-watch.timer"),
		strings.NewReplacer("=30s", "="+s.TimerEvery, "=5s", "=1s"), nil))

	holder := "set -e\nmount -t tmpfs -o mode=0755 tmpfs /run\nmkdir -p /run/systemd/system " + s.runtime + "\n" +
		"exec " + manager + " --user --log-target=console --log-level=info\n"
	s.cmd = exec.Command(unshare, "-m", "--propagation", "private", "sh", "-c", holder)
	s.cmd.Env = append(os.Environ(), "XDG_RUNTIME_DIR="+s.runtime, "HOME="+tmp, "XDG_CONFIG_HOME="+filepath.Join(tmp, "config"))
	f, err := os.OpenFile(s.log, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	s.cmd.Stdout, s.cmd.Stderr = f, f
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	t.Cleanup(s.stop)
	queuetest.Eventually(t, "systemd --user to come up", func() bool {
		out, _ := s.Systemctl("is-system-running")
		if st := strings.TrimSpace(out); st == "running" || st == "degraded" {
			return true
		}
		time.Sleep(50 * time.Millisecond)
		return false
	})
	if out, err := s.Systemctl("start", "antrid.service"); err != nil {
		status, _ := s.Systemctl("status", "antrid.service")
		t.Fatalf("systemctl --user start antrid.service: %v %s\n%s", err, out, status)
	}
	return s
}

// userUnit is the unit file at path for a user manager: the settings a user manager
// applies (every other line left out), values rewritten by paths, and add appended to
// [Service].
func userUnit(t testing.TB, path string, paths *strings.Replacer, add []string) string {
	t.Helper()
	keep := map[string]bool{
		"Description": true, "After": true, "Wants": true, "StartLimitIntervalSec": true,
		"Type": true, "NotifyAccess": true, "ExecStart": true, "ExecStartPost": true, "Restart": true,
		"RestartSec": true, "TimeoutStartSec": true, "TimeoutStopSec": true, "WatchdogSec": true,
		"LogLevelMax": true, "Environment": true, "UMask": true, "WorkingDirectory": true,
		"OnActiveSec": true, "OnUnitActiveSec": true, "AccuracySec": true,
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "["):
			b.WriteString(line + "\n")
			if line == "[Service]" {
				for _, a := range add {
					b.WriteString(a + "\n")
				}
			}
		case line == "" || strings.HasPrefix(line, "#"):
		default:
			if k, _, ok := strings.Cut(line, "="); ok && keep[k] {
				b.WriteString(paths.Replace(line) + "\n")
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func quoteEnv(env []string) []string {
	out := make([]string, len(env))
	for i, e := range env {
		out[i] = "Environment=" + strconv.Quote(e)
	}
	return out
}

// Systemctl runs `systemctl --user args...` inside the namespace.
func (s *Systemd) Systemctl(args ...string) (string, error) {
	cmd := exec.Command("nsenter", append([]string{"-t", strconv.Itoa(s.cmd.Process.Pid), "-m", "--",
		"env", "XDG_RUNTIME_DIR=" + s.runtime, "systemctl", "--user", "--no-pager"}, args...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Starts is how often systemd started antrid.service: its automatic restarts
// (NRestarts) and the first start.
func (s *Systemd) Starts() int {
	out, err := s.Systemctl("show", "antrid.service", "-p", "NRestarts", "--value")
	n, perr := strconv.Atoi(strings.TrimSpace(out))
	if err != nil || perr != nil {
		s.t.Errorf("systemctl show antrid.service: %v %s", err, out)
	}
	return n + 1
}

// Current is the binary `current` points at ("" when there is no link).
func (s *Systemd) Current() string {
	t, err := os.Readlink(filepath.Join(s.Dir, "current"))
	if err != nil {
		return ""
	}
	return t
}

// Log is the manager's and the units' output.
func (s *Systemd) Log() string {
	b, _ := os.ReadFile(s.log)
	return string(b)
}

func (s *Systemd) stop() {
	s.Systemctl("stop", "antrid.service", "antri-update-watch.timer")
	s.cmd.Process.Signal(syscall.SIGTERM) // the user manager exits on SIGTERM
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	if s.t.Failed() || testing.Verbose() {
		s.t.Logf("systemd --user and its units:\n%s", s.Log())
	}
}
