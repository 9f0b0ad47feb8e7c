package antridtest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// HQBinary builds antri-hq (once per test binary), as Binary builds antrid: the fleet
// tests run both programs, an office syncing to headquarters.
var HQBinary = sync.OnceValues(func() (string, error) { return build("antri-hq", "github.com/antri-id/antri/cmd/antri-hq") })

// HQ is an antri-hq process.
type HQ struct {
	URL string // "http://127.0.0.1:port"
	cmd *exec.Cmd
	log bytes.Buffer
}

// StartHQ runs antri-hq with the config text (written to a file, its data in a
// temporary folder) on a free loopback address, and waits until it answers /healthz. It
// is killed at the end of the test, its log shown if the test failed.
func StartHQ(t testing.TB, config string) *HQ {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the antri-hq binary; skipped with -short")
	}
	bin, err := HQBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "hq.toml")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := FreeAddr(t)
	h := &HQ{URL: "http://" + addr}
	h.cmd = exec.Command(bin, "-config", cfg, "-listen", addr, "-data", filepath.Join(dir, "data"))
	h.cmd.Stderr = &h.log
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		h.cmd.Process.Kill()
		h.cmd.Wait()
		if t.Failed() {
			t.Logf("log of antri-hq:\n%s", h.log.String())
		}
	})
	answers(t, "antri-hq", h.URL)
	return h
}

// Run runs antrid with args to its end (a subcommand: restore, backup, report) and
// returns its exit code and what it printed, stdout then stderr.
func Run(t testing.TB, args ...string) (int, string) {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String()
	}
	if err != nil {
		t.Fatalf("antrid %s: %v", strings.Join(args, " "), err)
	}
	return 0, out.String()
}
