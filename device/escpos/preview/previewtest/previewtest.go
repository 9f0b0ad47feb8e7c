// Package previewtest reads back what a printer would put on paper, as a
// citizen's phone would: the QR codes of a ticket, found by zbarimg
// (zbar-tools) in the picture package preview renders. For tests only.
package previewtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/escpos/preview"
	"github.com/antri-id/antri/queue/queuetest"
)

// ScanPNG returns every QR code zbarimg reads in the PNG at path, top to
// bottom, failing the test when it reads none. Without zbar-tools the test
// is skipped (failed in CI, see queuetest.NeedTool).
func ScanPNG(t testing.TB, path string) []string {
	t.Helper()
	bin := queuetest.NeedTool(t, "zbarimg", "zbar-tools")
	out, err := exec.Command(bin, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path).Output()
	if err != nil {
		t.Fatalf("zbarimg %s: %v (no QR code found?)", path, err)
	}
	return strings.Fields(string(out))
}

// Scan renders the ESC/POS job on paper and returns the QR codes of the
// picture, as ScanPNG.
func Scan(t testing.TB, job []byte, paper escpos.Paper) []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "job.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := preview.RenderPNG(f, job, paper); err != nil {
		t.Fatalf("rendering the job: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return ScanPNG(t, path)
}
