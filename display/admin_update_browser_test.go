package display

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/display/browsertest"
	"github.com/antri-id/antri/queue/queuetest"
	"github.com/antri-id/antri/sync/release"
	"github.com/antri-id/antri/sync/update"
	"github.com/antri-id/antri/sync/update/updatetest"
)

// TestBrowserAdminInstallsAnUpdateNow runs antrid's real updater, with its routes,
// against a headquarters that offers release 2.0.0 while the office is busy: the
// admin page shows it installed and waiting, and its "Pasang sekarang" button makes
// the updater switch to it and restart antrid at once.
func TestBrowserAdminInstallsAnUpdateNow(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	bin, err := antridtest.Build(updatetest.BrokenPackage, "2.0.0")
	if err != nil {
		t.Fatal(err)
	}
	sk, pub := updatetest.Key(t)
	hq := updatetest.NewOffer(t)
	hq.Release(t, sk, bin, nil)
	var restarts atomic.Int32
	u, err := update.New(update.Options{Dir: filepath.Join(t.TempDir(), "update"), Version: "1.0.0",
		Executable: stubAntrid(t), Keys: []release.PublicKey{pub},
		Client:     &update.Client{URL: hq.URL, Office: "kantor-uji", Secret: "rahasia-kantor-uji-16", HTTP: http.DefaultClient},
		CheckEvery: time.Hour,
		Quiet:      func(context.Context) bool { return false }, // citizens are waiting
		Health:     func(context.Context) (map[string]bool, error) { return map[string]bool{"database": true}, nil },
		Restart:    func() { restarts.Add(1) },
		Logger:     slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	u.Routes(o.srv)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); u.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	queuetest.Eventually(t, "the release installed", func() bool { return u.Status().Update.State == "installed" })

	page := unlockAdmin(t, o, b)
	waitJS(t, page, "the installed release, waiting", `document.getElementById("update-status")?.innerText.includes("Terpasang, menunggu dijalankan 2.0.0") && document.getElementById("update-status").innerText.includes("kantor tutup") && !!document.getElementById("update-apply")`)
	scrollTo(t, page, "update-card")
	screenshot(t, page, "admin-update")
	eval[bool](t, page, `(window.confirm = () => true, true)`) // the browser's own dialog
	click(t, page, "#update-apply")
	waitJS(t, page, "the restart announced", `document.getElementById("update-msg").classList.contains("ok") && `+textOf("update-msg")+`.includes("dimulai ulang")`)
	if n := restarts.Load(); n != 1 {
		t.Errorf("%d restarts after the button, want 1", n)
	}
	if st := u.Status(); st.Update.State != "trial" || st.Update.Version != "2.0.0" {
		t.Errorf("after the button the updater says %+v", st.Update)
	}
}

// stubAntrid is a file standing for the running antrid (the fallback of a switch).
func stubAntrid(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "antrid")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
