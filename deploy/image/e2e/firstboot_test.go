//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFirstBootErrorOnScreen gives first boot a technician's antri.toml with
// a mistake in it: first boot refuses it, and the HDMI screen (cage +
// Chromium on the virtio GPU) shows the red error page naming the problem and
// how to fix it, instead of a board that would never work.
func TestFirstBootErrorOnScreen(t *testing.T) {
	if os.Getenv("E2E_QUICK") != "" {
		t.Skip("E2E_QUICK: the kiosk screen is in the full drill only (make image-e2e)")
	}
	disk := freshDisk(t)
	good, err := os.ReadFile(filepath.Join(top, "deploy/image/e2e/e2e.toml"))
	must(t, err)
	bad := strings.Replace(string(good), `wait_standard = "15m"`, `wait_standard = "15 menit"`, 1)
	if bad == string(good) {
		t.Fatal("e2e.toml has no wait_standard = \"15m\" to break")
	}
	f := filepath.Join(t.TempDir(), "antri.toml")
	must(t, os.WriteFile(f, []byte(bad), 0o644))
	if out, err := exec.Command("mcopy", "-o", "-i", fmt.Sprintf("%s@@%d", disk, img.boot.offset), f, "::/antri.toml").CombinedOutput(); err != nil {
		t.Fatalf("mcopy: %v\n%s", err, out)
	}

	v := boot(t, disk, vmOptions{kiosk: true, name: "firstboot-error"})
	var text string
	at := v.waitFor("the first-boot error page on the kiosk screen", 15*time.Minute, func() bool {
		s, err := v.pageText("firstboot-error.html")
		text = s
		return err == nil && strings.Contains(s, "Antri belum bisa dipakai")
	})
	t.Logf("error page on screen %.0f s after power on", at.Seconds())
	dir := artefacts(t)
	os.WriteFile(filepath.Join(dir, "firstboot-error.txt"), []byte(text), 0o644)
	if err := v.screendump(filepath.Join(dir, "firstboot-error.png")); err != nil {
		t.Errorf("screendump: %v", err)
	}
	for _, want := range []string{"wait_standard", "15 menit", "cabut kartu SD"} {
		if !strings.Contains(text, want) {
			t.Errorf("the error page does not say %q:\n%s", want, text)
		}
	}
	if err := v.get(v.api+"/healthz", "", nil); err == nil {
		t.Error("antrid answers /healthz although first boot refused its config")
	}
	v.poweroff(3 * time.Minute)
}
