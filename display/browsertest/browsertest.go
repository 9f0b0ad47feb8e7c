// Package browsertest starts the real headless Chromium that the browser tests
// drive with chromedp: the pages' tests in display and the kiosk loader's in
// deploy. It is for tests only; production never imports it.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/antri-id/antri/queue/queuetest"
)

// Chromium is the browser of the browser tests (ANTRI_CHROMIUM, or chromium
// on PATH); the test is skipped when there is none, except in CI, which
// installs it with apt-get install chromium.
func Chromium(t testing.TB) string {
	t.Helper()
	path := os.Getenv("ANTRI_CHROMIUM")
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path != "" {
			break
		}
		if p, err := exec.LookPath(name); err == nil {
			path = p
		}
	}
	if path == "" {
		queuetest.SkipUnlessCI(t, "chromium not installed: browser tests skipped (apt-get install -y chromium, or set ANTRI_CHROMIUM)")
	}
	return path
}

// New starts a headless Chromium with a 1920×1080 window for one test and
// returns its first tab; the browser is stopped when the test ends.
func New(t testing.TB) context.Context {
	t.Helper()
	path := Chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1920, 1080),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		cancelBrowser()
		cancelAlloc()
		t.Fatalf("starting chromium %s: %v", path, err)
	}
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	return bctx
}
