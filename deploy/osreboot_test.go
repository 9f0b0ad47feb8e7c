package deploy_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestOSRebootWindow runs image/antri-os-reboot.sh, the reboot after a
// security update, against an office's hours and queue: it reboots only
// when a reboot is pending, the office is outside its opening hours and
// nobody is waiting or at a counter.
func TestOSRebootWindow(t *testing.T) {
	const (
		empty   = `{"waiting":[],"counters":[{"id":"1","current":null}],"services":[{"code":"A","waiting":0}]}`
		nilList = `{"waiting":null,"counters":[{"id":"1","current":null}]}`
		waiting = `{"waiting":[{"number":"A-007","service":"A"}],"counters":[{"id":"1","current":null}]}`
		serving = `{"waiting":[],"counters":[{"id":"1","current":{"number":"A-006"}}]}`
	)
	hours := "[office]\nid = \"mpp-x\"\ntimezone = \"Asia/Makassar\"\nopen = \"08:00\"   # jam ambil nomor\nclose = '15:00'\n\n[[service]]\ncode = \"A\"\nopen = \"23:00\"\n"
	night := "[office]\nopen = \"20:00\"\nclose = \"02:00\"\n"
	always := "[office]\nid = \"mpp-x\"\n\n[[counter]]\nid = \"1\"\nopen = \"08:00\"\n"
	bad := "[office]\nopen = \"8 pagi\"\nclose = \"15:00\"\n"
	for _, c := range []struct {
		name, conf, now, state string
		pending, down          bool
		reboot                 bool
		say                    string
		fails                  bool
	}{
		{name: "nothing pending", conf: hours, now: "16:00", state: empty, reboot: false},
		{name: "open hours", conf: hours, now: "10:30", state: empty, pending: true, say: "waiting for the office to close (15:00 Asia/Makassar"},
		{name: "at opening", conf: hours, now: "08:00", state: empty, pending: true, say: "waiting for the office to close"},
		{name: "closed, queue empty", conf: hours, now: "15:00", state: empty, pending: true, reboot: true},
		{name: "closed, waiting list null", conf: hours, now: "19:45", state: nilList, pending: true, reboot: true},
		{name: "closed, citizens still waiting", conf: hours, now: "15:20", state: waiting, pending: true, say: "still waiting or being served"},
		{name: "closed, a counter still serving", conf: hours, now: "15:20", state: serving, pending: true, say: "still waiting or being served"},
		{name: "before opening, antrid down", conf: hours, now: "06:59", pending: true, down: true, reboot: true},
		{name: "overnight office, open", conf: night, now: "01:00", state: empty, pending: true, say: "waiting for the office to close"},
		{name: "overnight office, closed", conf: night, now: "03:00", state: empty, pending: true, reboot: true},
		{name: "always open", conf: always, now: "03:00", state: empty, pending: true, say: "always open"},
		{name: "bad hours", conf: bad, now: "20:00", state: empty, pending: true, fails: true, say: "not HH:MM"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			conf := filepath.Join(dir, "antri.toml")
			write(t, conf, c.conf)
			flag := filepath.Join(dir, "reboot-required")
			if c.pending {
				write(t, flag, "*** System restart required ***\n")
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(c.state))
			}))
			stateURL := srv.URL + "/api/state"
			if c.down {
				srv.Close()
			} else {
				defer srv.Close()
			}
			marker := filepath.Join(dir, "rebooted")
			cmd := exec.Command("sh", "image/antri-os-reboot.sh")
			cmd.Env = append(os.Environ(), "ANTRI_CONFIG="+conf, "ANTRI_REBOOT_REQUIRED="+flag,
				"ANTRI_NOW="+c.now, "ANTRI_STATE_URL="+stateURL, "ANTRI_REBOOT=touch "+marker)
			out, err := cmd.CombinedOutput()
			if (err != nil) != c.fails {
				t.Fatalf("exit %v, want failure %v:\n%s", err, c.fails, out)
			}
			_, statErr := os.Stat(marker)
			if rebooted := statErr == nil; rebooted != c.reboot {
				t.Errorf("rebooted = %v, want %v:\n%s", rebooted, c.reboot, out)
			}
			if !strings.Contains(string(out), c.say) {
				t.Errorf("output %q does not say %q", out, c.say)
			}
		})
	}
}
