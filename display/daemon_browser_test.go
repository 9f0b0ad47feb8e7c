package display

import (
	"testing"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/display/browsertest"
)

// TestBrowserDisplayReconnectsAfterDaemonRestart is the waiting-room TV
// across a real restart of the appliance: the antrid binary in demo mode is
// stopped the way systemd stops it and started again on the same address and
// data. The page must show that it is cut off, come back by itself, and show
// the calls made since.
func TestBrowserDisplayReconnectsAfterDaemonRestart(t *testing.T) {
	addr, data := antridtest.FreeAddr(t), t.TempDir()
	d := antridtest.Start(t, addr, "-demo", "-data", data) // skips with -short
	b := browsertest.New(t)                                // skips without chromium
	d.Post("/api/tickets", "", `{"service":"A"}`)
	d.Post("/api/counters/1/call", "token-loket-1", ``)
	page := tab(t, b, d.URL+"/display", 1920, 1080)
	waitJS(t, page, "online with A-001 called", `document.getElementById("offline").hidden && `+textOf("now-number")+` === "A-001"`)

	if err := d.Stop(); err != nil {
		t.Fatalf("antrid did not stop cleanly: %v", err)
	}
	waitJS(t, page, "the offline mark while antrid is down", `!document.getElementById("offline").hidden`)

	d = antridtest.Start(t, addr, "-demo", "-data", data)
	defer d.Stop()
	waitJS(t, page, "back online by itself", `document.getElementById("offline").hidden`)
	d.Post("/api/tickets", "", `{"service":"A"}`)
	d.Post("/api/counters/1/finish", "token-loket-1", ``)
	d.Post("/api/counters/1/call", "token-loket-1", ``)
	waitJS(t, page, "a call made after the restart", textOf("now-number")+` === "A-002" && `+textOf("now-counter")+` === "Loket 1"`)
	screenshot(t, page, "display-after-daemon-restart")
}
