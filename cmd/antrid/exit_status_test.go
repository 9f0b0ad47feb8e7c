package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	wantExit(t, bin, []string{"-config", cfg, "-data", filepath.Join(t.TempDir(), "data"), "-listen", antridtest.FreeAddr(t)},
		exitConfigRefused, "office.admin_token", "check-config")
}
