package display

import (
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/display/browsertest"
	"github.com/antri-id/antri/queue"
)

// An office without a time server: the admin page says the clock is not known, and the
// admin sets it from the browser's own clock after confirming the time it shows.
func TestBrowserAdminSetsTheClock(t *testing.T) {
	clk := queue.NewFakeClock(time.Now().Add(-14 * time.Hour)) // a Pi restored yesterday's time
	clk.SetSynchronized(false)
	o := newOfficeOnClock(t, clk)
	b := browsertest.New(t)
	page := unlockAdmin(t, o, b)
	waitJS(t, page, "the clock card saying the time is not known",
		`document.getElementById("clock").innerText.includes("belum pasti") && `+textOf("clock-problem")+`.includes("setel jam") && !document.getElementById("clock-set").hidden`)
	scrollTo(t, page, "clock-card")
	screenshot(t, page, "admin-clock-unknown")

	click(t, page, "#clock-set")
	waitJS(t, page, "the confirmation with this device's time", `!document.getElementById("clock-confirm").hidden && `+textOf("clock-confirm-text")+`.includes("pukul")`)
	if !eval[bool](t, page, `document.getElementById("clock-set").hidden`) {
		t.Error("the set button stays while the confirmation is shown")
	}
	screenshot(t, page, "admin-clock-confirm")
	click(t, page, "#clock-yes")
	waitJS(t, page, "the clock set", `document.getElementById("clock-msg").classList.contains("ok") && document.getElementById("clock").innerText.includes("disetel admin")`)
	if d := time.Since(clk.Now().Wall); d > time.Minute || d < -time.Minute {
		t.Fatalf("the clock was set %v away from the browser's time", d)
	}
	st := o.q.ClockStatus(t.Context())
	if !st.Known || st.Source != queue.SourceAdmin || !st.Settable { // still settable: an admin may correct a mistake
		t.Fatalf("after the admin set the clock: %+v", st)
	}
	if msg := eval[string](t, page, textOf("clock-problem")); strings.TrimSpace(msg) != "" && !eval[bool](t, page, `document.getElementById("clock-problem").hidden`) {
		t.Errorf("a problem still shown after the clock was set: %q", msg)
	}
	screenshot(t, page, "admin-clock-set")
}
