package main

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/sync/release"
)

// TestSignABinaryForAnotherBoard: the release manager signs on a laptop the binaries
// `make build-pi` made for the Pi. The binary cannot tell its version there, so sign
// needs -version; the manifest then names the binary's own board (read from its Go
// build information, armv7 here) and this program's migrations, and it verifies
// against the key's public half.
func TestSignABinaryForAnotherBoard(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "antrid")
	build := exec.Command("go", "build", "-o", bin, "./testdata/otherboard")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm", "GOARM=7")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build for linux/arm: %v\n%s", err, out)
	}
	pemKey, pub, err := release.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "release.key")
	if err := os.WriteFile(key, pemKey, 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "signed")

	if err := releaseSign([]string{"-key", key, "-o", out, bin}); err == nil || !strings.Contains(err.Error(), "-version") {
		t.Errorf("signing without -version a binary that cannot say its version: %v, want a refusal naming -version", err)
	}
	if err := releaseSign([]string{"-key", key, "-o", out, "-version", "1.2.0-dirty", bin}); err == nil {
		t.Error("a development version was signed")
	}
	if err := releaseSign([]string{"-key", key, "-o", out, "-version", "1.2.0", bin}); err != nil {
		t.Fatalf("sign -version 1.2.0: %v", err)
	}
	base := filepath.Join(out, "antrid-1.2.0-armv7")
	raw, err := os.ReadFile(base + ".manifest.json")
	if err != nil {
		t.Fatalf("no manifest for armv7: %v", err)
	}
	sig, err := os.ReadFile(base + ".sig")
	if err != nil {
		t.Fatal(err)
	}
	sigRaw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(sig)))
	if err != nil {
		t.Fatalf("the signature file is not base64: %v", err)
	}
	m, err := release.Verify([]release.PublicKey{pub}, raw, sigRaw)
	if err != nil {
		t.Fatalf("the signed manifest does not verify: %v", err)
	}
	ms := queue.Migrations()
	if m.Version != "1.2.0" || m.OS != "linux" || m.Arch != "armv7" || m.Schema != ms[len(ms)-1].Version || len(m.Migrations) != len(ms) {
		t.Errorf("manifest %+v", m)
	}
	size, sum, err := release.HashFile(base)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.CheckBinary(size, sum); err != nil {
		t.Errorf("the copied binary does not match its manifest: %v", err)
	}
}
