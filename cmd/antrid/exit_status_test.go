package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestInvalidConfigExitsWithoutRestart: with the config refused (here the image's
// example with its tokens still empty, what is left when first boot refuses the
// technician's file) antrid exits with status 5, which antrid.service lists in
// RestartPreventExitStatus: on the emulated board it had been restarted every 2 s,
// 147 times in five minutes, each time writing the same 21 problems to the card.
func TestInvalidConfigExitsWithoutRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the antrid binary; skipped with -short")
	}
	bin, err := antridtest.Binary()
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "antri.toml")
	text := strings.Replace(string(queuetest.Fixture("office")), "admin_token = ", "admin_token = \"\"\n# ", 1)
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-config", cfg, "-data", filepath.Join(t.TempDir(), "data"), "-listen", antridtest.FreeAddr(t))
	var out bytes.Buffer
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(queuetest.WaitLimit):
		cmd.Process.Kill()
		t.Fatalf("antrid kept running on an invalid config:\n%s", out.String())
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitConfigRefused {
		t.Fatalf("antrid exited with %v, want status %d\n%s", err, exitConfigRefused, out.String())
	}
	if !strings.Contains(out.String(), "office.admin_token") || !strings.Contains(out.String(), "check-config") {
		t.Errorf("antrid does not name the problem and the check to run:\n%s", out.String())
	}
}
