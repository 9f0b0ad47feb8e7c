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

// Binary builds antrid (once per test binary) as it ships: CGO_ENABLED=0,
// for this machine. It lies in a folder of the temporary directory named
// after the test's package folder, so runs replace it instead of piling up
// copies.
var Binary = sync.OnceValues(func() (string, error) { return Build("github.com/antri-id/antri/cmd/antrid", "") })

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
	builtMu.Lock()
	defer builtMu.Unlock()
	key := strings.Join(append([]string{pkg, version}, set...), " ")
	if bin, ok := built[key]; ok {
		return bin, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(wd))
	dir := filepath.Join(os.TempDir(), "antridtest-"+hex.EncodeToString(sum[:6]))
	name := filepath.Base(pkg)
	if version != "" {
		name += "-" + version
	}
	for _, x := range set {
		name += "-" + strings.NewReplacer("=", "-", ".", "-").Replace(x)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, name)
	var ldflags []string
	if version != "" {
		set = append([]string{"main.version=" + version}, set...)
	}
	for _, x := range set {
		ldflags = append(ldflags, "-X", x)
	}
	args := []string{"build", "-o", bin}
	if len(ldflags) > 0 {
		args = append(args, "-ldflags", strings.Join(ldflags, " "))
	}
	build := exec.Command("go", append(args, pkg)...)
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	built[key] = bin
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
	log    bytes.Buffer
	waited bool
	err    error
}

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
	queuetest.Eventually(t, "antrid to answer "+d.URL+"/healthz", func() bool {
		res, err := http.Get(d.URL + "/healthz")
		if err == nil {
			res.Body.Close()
		}
		return err == nil
	})
	return d
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
