//go:build e2e

package e2e

import (
	"net/url"
	"testing"
	"time"
)

// wrongRTC is the emulated board's real-time clock: months behind the truth
// (a Pi without RTC and without network comes up with whatever time it has
// kept), later than systemd's own build-time floor so systemd does not move
// it. 01:00 UTC is 08:00 in Asia/Jakarta.
const wrongRTC = "2026-06-15T01:00:00"

// TestClockWrongRTC boots with a wrong real-time clock and no time server
// (timesyncd masked, the network restricted to the forwarded ports), steps
// the wall clock forward and back within the day, and cuts the power once.
// It asserts what antrid guarantees today: numbering stays contiguous and no
// acknowledged ticket is lost. The day rule of issue 10 is
// issue10LastKnownGoodDay below.
func TestClockWrongRTC(t *testing.T) {
	disk := freshDisk(t)
	v := boot(t, disk, vmOptions{rtc: wrongRTC, name: "clock"})
	v.waitUp()
	if s := v.state(); s.Day != "2026-06-15" {
		t.Errorf("with the RTC at %s UTC antrid's day is %q, want 2026-06-15 (the only clock it has)", wrongRTC, s.Day)
	}
	acked := map[string]bool{}
	issue := func(n int) {
		for i := 0; i < n; i++ {
			var tk ticket
			must(t, v.post(v.api+"/api/tickets", kioskToken, map[string]any{"service": "A"}, &tk))
			acked[tk.Number] = true
		}
	}
	step := func(d time.Duration) {
		var r struct{ Was, Now time.Time }
		v.agentPost("/clock", url.Values{"step": {d.String()}}, &r)
		t.Logf("wall clock stepped %v: %s -> %s", d, r.Was.Format(time.RFC3339), r.Now.Format(time.RFC3339))
	}
	issue(3)
	step(3 * time.Hour) // an NTP-like step forward, same local day
	issue(3)
	step(-2 * time.Hour) // and back
	issue(3)
	afterCut(t, v, acked)

	v.kill() // power cut: the RTC (qemu's) keeps the wrong base time
	v = boot(t, disk, vmOptions{rtc: wrongRTC, name: "clock-after-cut"})
	v.waitUp()
	issue(2)
	afterCut(t, v, acked)
	if len(acked) != 11 {
		t.Errorf("%d distinct numbers acknowledged, want 11", len(acked))
	}

	t.Run("issue-10-day-stays-last-known-good", func(t *testing.T) {
		v.t = t
		issue10LastKnownGoodDay(t, v)
	})
	v.t = t
	v.agentPost("/poweroff", nil, nil)
	must(t, v.waitExit(3*time.Minute))
	checkFilesystems(t, disk)
}

// issue10LastKnownGoodDay is where issue 10's rule is asserted once antrid
// implements it: "until the clock is known to be synchronised, the day is the
// last known good day; a wall-clock step never restarts numbering". The
// scenario is ready: with no time server, the wall clock jumps past local
// midnight; today's antrid takes the stepped clock's day and restarts at
// The assertion to add: the next ticket's day is still 2026-06-15 and
// its number follows the last one, then remove the Skip.
func issue10LastKnownGoodDay(t *testing.T, v *vm) {
	before := v.state()
	v.agentPost("/clock", url.Values{"step": {"20h"}}, nil)
	var tk ticket
	must(t, v.post(v.api+"/api/tickets", kioskToken, map[string]any{"service": "A"}, &tk))
	after := v.state()
	t.Logf("unsynchronised clock stepped 20 h: day %s -> %s, next ticket %s of day %s (issue 10 wants day %s and A-012)",
		before.Day, after.Day, tk.Number, tk.Day, before.Day)
	t.Skip("issue 10 (day and numbering safe from clock steps) is not in antrid yet: assertion to be added here")
}
