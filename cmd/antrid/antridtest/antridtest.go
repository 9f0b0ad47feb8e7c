// Package antridtest runs the real antrid binary for tests that need the
// whole program: killed mid-write, stopped the way systemd stops it, or
// restarted under a browser. For tests only.
package antridtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/antri-id/antri/queue/queuetest"
)

// antridPkg is the import path of the daemon the tests run.
const antridPkg = "github.com/antri-id/antri/cmd/antrid"

// Binary builds antrid (once per test binary) as it ships: CGO_ENABLED=0,
// for this machine. It lies in a folder of the temporary directory named
// after the test's package folder, so runs replace it instead of piling up
// copies.
var Binary = sync.OnceValues(func() (string, error) { return Build(antridPkg, "") })

// TestClockBinary builds, once, the antrid whose clock a test can step: built with
// -tags antri_testclock, it reads its wall-clock offset and NTP state from the file
// $ANTRI_TEST_CLOCK names (cmd/antrid/clock_testhook.go). Never shipped.
var TestClockBinary = sync.OnceValues(func() (string, error) {
	return build("antrid-testclock", antridPkg, "-tags", "antri_testclock")
})

var (
	builtMu sync.Mutex
	built   = map[string]string{}
)

// Build builds the main package pkg (an import path) as Binary does, with
// -X main.version=version when version is not empty (as `make build` sets it)
// and -X for each of set ("main.mode=hang"), once per test binary for each
// pkg, version and set, and returns its path: the update tests run several
// versions of antrid.
func Build(pkg, version string, set ...string) (string, error) {
	name := filepath.Base(pkg)
	if version != "" {
		name += "-" + version
	}
	for _, x := range set {
		name += "-" + strings.NewReplacer("=", "-", ".", "-").Replace(x)
	}
	if version != "" {
		set = append([]string{"main.version=" + version}, set...)
	}
	var flags []string
	if len(set) > 0 {
		var ldflags []string
		for _, x := range set {
			ldflags = append(ldflags, "-X", x)
		}
		flags = []string{"-ldflags", strings.Join(ldflags, " ")}
	}
	return build(name, pkg, flags...)
}

// build compiles the main package pkg as it ships (CGO_ENABLED=0), as name, with
// extra go build flags, into a folder of the temporary directory named after the
// test's package folder; once per test binary for each name.
func build(name, pkg string, flags ...string) (string, error) {
	builtMu.Lock()
	defer builtMu.Unlock()
	if bin, ok := built[name]; ok {
		return bin, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(wd))
	dir := filepath.Join(os.TempDir(), "antridtest-"+hex.EncodeToString(sum[:6]))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, name)
	args := append(append([]string{"build"}, flags...), "-o", bin, pkg)
	build := exec.Command("go", args...)
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	built[name] = bin
	return bin, nil
}

// FreeAddr returns a loopback address no one listens on, for a daemon that
// is to be started (and restarted) on it.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Daemon is an antrid process.
type Daemon struct {
	// URL is where it answers: "http://127.0.0.1:port".
	URL string

	t      testing.TB
	cmd    *exec.Cmd
	log    lockedBuffer
	waited bool
	err    error
}

// lockedBuffer is the daemon's stderr, written by exec's copying goroutine while a test
// reads it (Log).
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Log is what the daemon has written to its stderr so far.
func (d *Daemon) Log() string { return d.log.String() }

// Start builds antrid (once), runs it with args and -listen addr, and waits
// until /healthz answers. Its log is shown if the test fails; it is killed
// at the end of the test if still running. With -short the test is skipped:
// building and running the program is what -short leaves out.
func Start(t testing.TB, addr string, args ...string) *Daemon {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the antrid binary; skipped with -short")
	}
	bin, err := Binary()
	if err != nil {
		t.Fatal(err)
	}
	return StartBinary(t, bin, addr, args...)
}

// StartBinary is Start with another build of antrid (TestClockBinary).
func StartBinary(t testing.TB, bin, addr string, args ...string) *Daemon {
	t.Helper()
	d := &Daemon{URL: "http://" + addr, t: t}
	d.cmd = exec.Command(bin, append(args, "-listen", addr)...)
	d.cmd.Stderr = &d.log
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !d.waited {
			d.Kill()
		}
		if t.Failed() {
			t.Logf("log of antrid %s:\n%s", strings.Join(args, " "), d.log.String())
		}
	})
	answers(t, "antrid", d.URL)
	return d
}

// answers waits until the program at base answers GET /healthz.
func answers(t testing.TB, program, base string) {
	t.Helper()
	queuetest.Eventually(t, program+" to answer "+base+"/healthz", func() bool {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
		}
		return err == nil
	})
}

// PID is the daemon's process id, for a test that changes its limits (prlimit).
func (d *Daemon) PID() int { return d.cmd.Process.Pid }

// Stop sends SIGTERM, as systemd stops the daemon, and returns how it ended
// (nil: exit status 0).
func (d *Daemon) Stop() error {
	d.cmd.Process.Signal(syscall.SIGTERM)
	return d.wait()
}

// Kill ends the daemon with SIGKILL: no drain, no checkpoint, as a power cut.
func (d *Daemon) Kill() {
	d.cmd.Process.Kill()
	d.wait()
}

func (d *Daemon) wait() error {
	if !d.waited {
		d.err = d.cmd.Wait()
		d.waited = true
	}
	return d.err
}

// Post sends body to path with the bearer token (if any) and fails the test
// unless the daemon accepts it.
func (d *Daemon) Post(path, token, body string) {
	d.t.Helper()
	if code, answer, _ := queuetest.Send(d.t, "POST", d.URL+path, token, strings.NewReader(body)); code >= 300 {
		d.t.Fatalf("POST %s: %d %s", path, code, answer)
	}
}
