//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/device/button"
)

// TestOfficeMorning boots the image with its kiosk screen and runs an office
// morning on real kernel drivers: buttons on gpio-sim lines read by periph's
// gpioioctl driver, tickets through usblp and /dev/antri-printer to the USB
// printer gadget, the board in cage + Chromium on a virtio GPU.
func TestOfficeMorning(t *testing.T) {
	// E2E_QUICK (CI's subset) leaves out the kiosk screen: cage and
	// Chromium are the slowest part of the emulated boot.
	full := os.Getenv("E2E_QUICK") == ""
	v := boot(t, freshDisk(t), vmOptions{kiosk: full, name: "morning"})
	dir := artefacts(t)
	fig := figures{}
	fig.HealthzS = v.waitUp().Seconds()

	if full {
		// The board first: Chromium starting is the heaviest work of the
		// boot, and the rest of the morning should not race it.
		v.step(t, "board-on-the-kiosk-screen", func(t *testing.T) {
			_, at := v.screenShows(t, officeName, 10*time.Minute)
			fig.BoardOnScreenS = at.Seconds()
			if err := v.screendump(filepath.Join(dir, "display-after-boot.png")); err != nil {
				t.Errorf("screendump: %v", err)
			}
		})
	}

	v.step(t, "buttons-and-printer-come-up", func(t *testing.T) {
		// gpio-sim lines start pulled down; only antrid's own pull-up bias
		// request makes an idle button read high.
		var line struct{ Value, Chip string }
		must(t, v.get(v.agent+"/line?pin=GPIO17", "", &line))
		if line.Value != "1" {
			t.Errorf("GPIO17 reads %q with antrid running, want 1: antrid did not ask for the pull-up", line.Value)
		}
		v.waitHealth("buttons", true, time.Minute)
		v.waitHealth("printer", true, time.Minute)
		if p := v.printed(); p.Answered["ok"] == 0 {
			t.Errorf("antrid never asked the printer for its status through usblp (DLE EOT): %+v", p)
		}
	})

	v.step(t, "ticket-buttons-print-through-usblp", func(t *testing.T) {
		from := v.ticketsPrinted()
		want := []string{"A-001", "A-002", "B-001"}
		for i, pin := range []string{"GPIO17", "GPIO17", "GPIO27"} {
			v.pressFor(pin, want[i])
		}
		got := v.waitTickets(from, 3, 2*time.Minute, dir)
		for i, tk := range got {
			if tk.Number != want[i] {
				t.Errorf("ticket %d on paper is %q, want %s:\n%s", i, tk.Number, want[i], tk.Text)
			}
			if !strings.Contains(tk.QR, "/t/"+want[i]) || tk.Scan != tk.QR {
				t.Errorf("ticket %s: QR payload %q, zbarimg read %q (want the same link to /t/%s)", want[i], tk.QR, tk.Scan, want[i])
			}
		}
		if w := numbers(v.state().Waiting); strings.Join(w, " ") != "A-001 A-002 B-001" {
			t.Errorf("/api/state waiting = %v, want A-001 A-002 B-001", w)
		}
		fig.PressToByteMS = v.printed().LatenciesMS
	})

	v.step(t, "call-shows-on-the-kiosk-screen", func(t *testing.T) {
		v.press("GPIO23", 150*time.Millisecond, 0) // call, loket 1
		var called string
		v.waitFor("loket 1 calling a ticket", time.Minute, func() bool {
			for _, c := range v.state().Counter {
				if c.ID == "1" && c.Current != nil {
					called = c.Current.Number
				}
			}
			return called != ""
		})
		if called != "A-001" {
			t.Errorf("loket 1 called %s, want A-001 (the first waiting)", called)
		}
		if full {
			text, _ := v.screenShows(t, called, 2*time.Minute)
			shot := filepath.Join(dir, "display-after-call.png")
			if err := v.screendump(shot); err != nil {
				t.Errorf("screendump: %v", err)
			} else {
				t.Logf("screen after the call: %s", shot)
			}
			os.WriteFile(filepath.Join(dir, "display-after-call.txt"), []byte(text), 0o644)
		}
		v.press("GPIO25", 150*time.Millisecond, 0) // finish
		v.waitFor("loket 1 finishing", time.Minute, func() bool {
			for _, c := range v.state().Counter {
				if c.ID == "1" {
					return c.Current == nil
				}
			}
			return false
		})
	})

	// While the printer cannot print, a ticket button gives no number (a number the
	// citizen never gets in hand would be called to an empty counter); it says why on
	// the counter page. A ticket the kiosk's touch screen gives meanwhile is kept and
	// reprinted from /admin once the printer is back (issue 11's rule).
	v.step(t, "paper-out-keeps-the-ticket-and-reprints", func(t *testing.T) {
		from, printedBefore := v.ticketsPrinted(), len(v.printed().Bytes)
		v.setPrinter("paper-out")
		if why := v.waitHealth("printer", false, time.Minute); !strings.Contains(why, "Kertas habis") {
			t.Errorf("/healthz printer says %q, want Kertas habis", why)
		}
		v.refusedPress(t, "GPIO17", "kertas habis")
		if n := v.kioskTicket(t, "A"); n != "A-003" {
			t.Errorf("the kiosk's ticket while out of paper is %s, want A-003", n)
		}
		v.failedPrint(t, "A-003")
		if p := v.printed(); len(p.Bytes) != printedBefore {
			t.Errorf("the printer printed %d bytes while out of paper", len(p.Bytes)-printedBefore)
		}
		v.setPrinter("ok")
		v.waitHealth("printer", true, time.Minute)
		must(t, v.post(v.api+"/api/admin/tickets/A-003/reprint", adminToken, nil, nil))
		got := v.waitTickets(from, 1, time.Minute, dir)
		if got[0].Number != "A-003" {
			t.Errorf("after paper in the reprint is %q, want A-003", got[0].Number)
		}
	})

	v.step(t, "cable-pulled-and-plugged", func(t *testing.T) {
		from := v.ticketsPrinted()
		v.cable(false)
		why := v.waitHealth("printer", false, time.Minute)
		t.Logf("printer with the cable out: %s", why)
		v.refusedPress(t, "GPIO17", "printer")
		if n := v.kioskTicket(t, "A"); n != "A-004" {
			t.Errorf("the kiosk's ticket with the cable out is %s, want A-004", n)
		}
		v.failedPrint(t, "A-004")
		v.cable(true)
		v.waitHealth("printer", true, 2*time.Minute)
		must(t, v.post(v.api+"/api/admin/tickets/A-004/reprint", adminToken, nil, nil))
		v.pressFor("GPIO17", "A-005")
		got := v.waitTickets(from, 2, time.Minute, dir)
		if got[0].Number != "A-004" || got[1].Number != "A-005" {
			t.Errorf("after the cable is back: %s, %s; want A-004 (reprint), A-005", got[0].Number, got[1].Number)
		}
	})

	v.step(t, "bouncing-button-gives-one-ticket", func(t *testing.T) {
		from, before := v.ticketsPrinted(), len(v.state().issued())
		bounced := v.press("GPIO27", 80*time.Millisecond, 6) // six bounces within ~4 ms, then a steady press
		t.Logf("six bounces took %v before the steady press", bounced)
		if bounced > button.DefaultLockout {
			// Longer than antrid's lockout it is no bounce but separate presses.
			t.Errorf("the emulated board took %v to bounce the contact six times, more than the %v a bounce must stay within: the machine is too loaded for this check", bounced, button.DefaultLockout)
		}
		v.waitTickets(from, 1, time.Minute, dir)
		time.Sleep(3 * time.Second)
		if n := len(v.state().issued()) - before; n != 1 {
			t.Errorf("a bouncing press issued %d tickets, want 1", n)
		}
	})

	v.step(t, "held-button-gives-one-ticket-and-a-stuck-notice", func(t *testing.T) {
		notices := v.adminSocket(t)
		from, before := v.ticketsPrinted(), len(v.state().issued())
		done := make(chan error, 1)
		go func() { // the agent answers when it lets the button go
			done <- v.post(v.agent+"/press?pin=GPIO17&hold="+heldFor.String(), "", nil, nil)
		}()
		// antrid calls a button stuck 10 s after its press (device/button
		// DefaultStuckAfter) and tells staff at once, on /ws and /healthz.
		ev := waitNotice(t, notices, "button_stuck", heldFor)
		var st struct {
			Pin     string    `json:"pin"`
			Stuck   bool      `json:"stuck"`
			Since   time.Time `json:"since"`
			HeldS   float64   `json:"held_s"`
			Message string    `json:"message"`
		}
		must(t, json.Unmarshal(ev.Data, &st))
		if !st.Stuck || st.Pin != "GPIO17" || st.HeldS < 10 || ev.Service != "A" {
			t.Errorf("stuck notice %+v (service %q), want GPIO17 stuck after 10 s", st, ev.Service)
		}
		t.Logf("stuck-button notice after %.1f s of holding: %s", st.HeldS, st.Message)
		if h := v.health(); h["buttons"].OK || !strings.Contains(h["buttons"].Error, "GPIO17") {
			t.Errorf("/healthz buttons during the hold: %+v, want GPIO17 stuck", h["buttons"])
		}
		if n := len(v.state().issued()) - before; n != 1 {
			t.Errorf("a button held 10 s issued %d tickets, want 1", n)
		}
		ev = waitNotice(t, notices, "button_stuck", heldFor+time.Minute)
		must(t, json.Unmarshal(ev.Data, &st))
		if st.Stuck {
			t.Errorf("second notice %+v, want the release", st)
		}
		must(t, <-done)
		v.waitHealth("buttons", true, time.Minute)
		if n := len(v.state().issued()) - before; n != 1 {
			t.Errorf("a held button issued %d tickets in all, want 1", n)
		}
		v.waitTickets(from, 1, time.Minute, dir)
	})

	v.step(t, "memory-with-kiosk-running", func(t *testing.T) {
		var m struct {
			Free    string         `json:"free"`
			Meminfo map[string]int `json:"meminfo"`
			RSS     map[string]int `json:"rss_kib"`
		}
		must(t, v.get(v.agent+"/memory", "", &m))
		fig.Free, fig.MemAvailableMiB, fig.RSSKiB = m.Free, m.Meminfo["MemAvailable"]/1024, m.RSS
		procs := []string{"antrid"}
		if full {
			procs = append(procs, "cage", "chromium")
		}
		for _, p := range procs {
			if m.RSS[p] == 0 {
				t.Errorf("no %s process running (RSS by name: %v)", p, m.RSS)
			}
		}
	})

	v.step(t, "watchdog-restarts-a-hung-antrid", func(t *testing.T) {
		// antrid pets systemd's watchdog (WatchdogSec=30s) only while its
		// store answers; a stopped process is a hung one.
		var before, after map[string]string
		must(t, v.get(v.agent+"/unit?unit=antrid.service", "", &before))
		tickets := numbers(v.state().Waiting)
		v.agentPost("/signal", url.Values{"unit": {"antrid.service"}, "signal": {"SIGSTOP"}}, nil)
		hung := time.Now()
		v.waitFor("systemd restarting the hung antrid", 5*time.Minute, func() bool {
			if v.get(v.agent+"/unit?unit=antrid.service", "", &after) != nil {
				return false
			}
			return after["MainPID"] != before["MainPID"] && after["MainPID"] != "0" && after["ActiveState"] == "active"
		})
		t.Logf("antrid stopped (SIGSTOP) → restarted by the watchdog after %.0f s: pid %s → %s, restarts %s → %s",
			time.Since(hung).Seconds(), before["MainPID"], after["MainPID"], before["NRestarts"], after["NRestarts"])
		v.waitHealth("printer", true, 2*time.Minute)
		v.waitHealth("buttons", true, time.Minute)
		if w := numbers(v.state().Waiting); strings.Join(w, " ") != strings.Join(tickets, " ") {
			t.Errorf("waiting after the restart %v, before %v", w, tickets)
		}
	})

	v.step(t, "clean-shutdown-leaves-clean-file-systems", func(t *testing.T) {
		v.poweroff(3 * time.Minute)
		checkFilesystems(t, v.disk)
	})
	v.t = t
	b, _ := json.MarshalIndent(fig, "", "  ")
	os.WriteFile(filepath.Join(dir, "figures.json"), b, 0o644)
	t.Logf("figures: %s", b)
}

// figures are the emulated run's numbers for docs/PERFORMANCE.md.
type figures struct {
	HealthzS        float64        `json:"boot_to_healthz_s"`
	BoardOnScreenS  float64        `json:"boot_to_board_with_call_on_screen_s"`
	PressToByteMS   []float64      `json:"press_to_first_printed_byte_ms"`
	MemAvailableMiB int            `json:"mem_available_mib"`
	Free            string         `json:"free_m"`
	RSSKiB          map[string]int `json:"rss_kib"`
}

// ticketsPrinted is how many tickets the printer has cut so far.
func (v *vm) ticketsPrinted() int {
	v.t.Helper()
	return bytes.Count(v.printed().Bytes, []byte{0x1d, 'V'})
}

// waitTickets waits until the printer has cut n tickets more than the from
// it had, and decodes those n. Every step counts from where it began, so a
// ticket a failed step did not print fails that step only.
func (v *vm) waitTickets(from, n int, d time.Duration, dir string) []printedTicket {
	v.t.Helper()
	var raw []byte
	v.waitFor(fmt.Sprintf("%d more tickets on paper (%d before)", n, from), d, func() bool {
		raw = v.printed().Bytes
		return bytes.Count(raw, []byte{0x1d, 'V'}) >= from+n
	})
	got := tickets(v.t, raw, dir)
	if len(got) != from+n {
		v.t.Fatalf("%d tickets on paper, want %d (%d before, %d more)", len(got), from+n, from, n)
	}
	return got[from:]
}

// pressFor presses a ticket button and waits until antrid has issued number.
func (v *vm) pressFor(pin, number string) {
	v.t.Helper()
	v.press(pin, 150*time.Millisecond, 0)
	v.waitFor(number+" issued", time.Minute, func() bool { _, ok := v.state().issued()[number]; return ok })
}

// refusedPress presses a ticket button while the printer cannot print and checks
// that antrid refused it: a button_refused notice of kind "printer" whose message
// names why (in the citizen's words), and no number issued.
func (v *vm) refusedPress(t *testing.T, pin, why string) {
	t.Helper()
	notices := v.adminSocket(t)
	before := len(v.state().issued())
	v.press(pin, 150*time.Millisecond, 0)
	ev := waitNotice(t, notices, button.EventRefused, time.Minute)
	var r button.Refusal
	must(t, json.Unmarshal(ev.Data, &r))
	if r.Pin != pin || r.Kind != button.KindPrinter || !strings.Contains(strings.ToLower(r.Message), why) {
		t.Errorf("refusal of %s: %+v, want kind %q naming %q", pin, r, button.KindPrinter, why)
	}
	t.Logf("%s refused: %s", pin, r.Message)
	time.Sleep(2 * time.Second) // a wrongly issued number would show by now
	if n := len(v.state().issued()) - before; n != 0 {
		t.Errorf("a press while the printer cannot print issued %d tickets, want none", n)
	}
}

// kioskTicket issues a ticket as the kiosk's touch screen does and returns its number.
func (v *vm) kioskTicket(t *testing.T, service string) string {
	t.Helper()
	var tk ticket
	must(t, v.post(v.api+"/api/tickets", kioskToken, map[string]any{"service": service}, &tk))
	return tk.Number
}

// failedPrint checks that antrid lists number as not printed (what /admin
// shows staff, with its reprint button).
func (v *vm) failedPrint(t *testing.T, number string) {
	t.Helper()
	var body json.RawMessage
	v.waitFor(number+" in /api/admin/print-failures", time.Minute, func() bool {
		must(t, v.get(v.api+"/api/admin/print-failures", adminToken, &body))
		return strings.Contains(string(body), `"`+number+`"`)
	})
}
