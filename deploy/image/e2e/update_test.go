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

	"github.com/antri-id/antri/sync/update"
	"github.com/antri-id/antri/sync/update/updatetest"
	"github.com/antri-id/antri/sync/wire"
)

// The test headquarters runs inside the board (the guest reaches nothing outside it:
// restrict=on), on this port; the host publishes and rolls out through a forward.
const (
	hqGuestPort = 8090
	hqAdmin     = "e2e-hq-admin-token-3b8e1d6f2a9c"
	hqSecret    = "e2e-office-secret-9a4c2e7b5d1f"
	// updWindow is the office's [update] health_window on the emulated board: a new
	// version must be confirmed healthy within it or it is switched back.
	updWindow = 4 * time.Minute
)

// TestImageUpdateCycle is issue 14's update cycle once on the real image, so that
// antrid.service's Restart=always, antri-update.sh as its ExecStart and the watch timer
// run under the board's own systemd as PID 1: headquarters (antri-hq, inside the board)
// rolls out 2.0.0, which the office installs, switches to and confirms, keeping a
// ticket issued before; then 3.0.0, which exits at start: systemd restarts it until
// antri-update switches back to 2.0.0 without the new binary's help, and headquarters
// shows the failed update.
func TestImageUpdateCycle(t *testing.T) {
	work := t.TempDir()
	bins := map[string]string{
		"antri-hq-host":  goBuild(t, work, "antri-hq", "", "", "./cmd/antri-hq"),
		"antri-hq-board": goBuild(t, work, "antri-hq-arm64", "arm64", "", "./cmd/antri-hq"),
		"2.0.0":          goBuild(t, work, "antrid-2.0.0", "arm64", "-X main.version=2.0.0", "./cmd/antrid"),
		"3.0.0":          goBuild(t, work, "antrid-3.0.0", "arm64", "-X main.version=3.0.0 -X main.mode=exit", updatetest.BrokenPackage),
	}
	hq := func(wantFail bool, args ...string) string {
		t.Helper()
		cmd := exec.Command(bins["antri-hq-host"], args...)
		cmd.Env = append(os.Environ(), "ANTRI_HQ_TOKEN="+hqAdmin)
		out, err := cmd.CombinedOutput()
		if (err != nil) != wantFail {
			t.Fatalf("antri-hq %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	keyFile := filepath.Join(work, "release.key")
	lines := strings.Split(strings.TrimSpace(hq(false, "release", "keygen", "-o", keyFile)), "\n")
	pub := lines[len(lines)-1]
	signed := filepath.Join(work, "signed")
	hq(false, "release", "sign", "-key", keyFile, "-o", signed, bins["2.0.0"], bins["3.0.0"])

	disk := freshDisk(t)
	boardHQ(t, work, disk, bins["antri-hq-board"], pub)
	v := boot(t, disk, vmOptions{name: "update", hq: true})
	v.waitUp()
	shipped := v.updateStatus(t).Running
	t.Logf("the image's antrid: %s", shipped)

	var before map[string]string
	must(t, v.get(v.agent+"/unit?unit=antrid.service", "", &before))
	waiting := v.kioskTicket(t, "A")

	rollOut := func(version string) {
		file := filepath.Join(signed, "antrid-"+version+"-arm64")
		hq(false, "release", "publish", "-hq", v.hq, file)
		hq(false, "release", "rollout", "-hq", v.hq, "-group", "pilot", "-version", version)
	}

	v.step(t, "2.0.0-installed-switched-and-confirmed", func(t *testing.T) {
		rollOut("2.0.0")
		st := v.waitUpdate(t, "running 2.0.0, confirmed", updWindow+5*time.Minute, func(st update.Status) bool {
			return st.Running == "2.0.0" && st.Update.State == wire.UpdateConfirmed
		})
		if st.Update.From != shipped || st.Trial {
			t.Errorf("after 2.0.0 the office says %+v, want confirmed from %s", st, shipped)
		}
		var after map[string]string
		must(t, v.get(v.agent+"/unit?unit=antrid.service", "", &after))
		if after["MainPID"] == before["MainPID"] {
			t.Errorf("antrid.service still runs pid %s: systemd did not restart it into 2.0.0", after["MainPID"])
		}
		t.Logf("antrid.service: pid %s → %s, restarts %s → %s", before["MainPID"], after["MainPID"], before["NRestarts"], after["NRestarts"])
		if w := numbers(v.state().Waiting); len(w) != 1 || w[0] != waiting {
			t.Errorf("after the update the waiting list is %v, want %s issued before it", w, waiting)
		}
		v.waitHQUpdate(t, wire.UpdateConfirmed, "2.0.0")
	})

	v.step(t, "3.0.0-exits-at-start-and-is-switched-back", func(t *testing.T) {
		var from map[string]string
		must(t, v.get(v.agent+"/unit?unit=antrid.service", "", &from))
		rollOut("3.0.0")
		st := v.waitUpdate(t, "back on 2.0.0 after 3.0.0 failed", updWindow+5*time.Minute, func(st update.Status) bool {
			return st.Running == "2.0.0" && st.Update.State == wire.UpdateRolledBack && st.Update.Version == "3.0.0"
		})
		if st.Update.Code != "crashed" || st.Update.From != "2.0.0" {
			t.Errorf("after 3.0.0 the office says %+v, want code crashed from 2.0.0", st.Update)
		}
		var after map[string]string
		must(t, v.get(v.agent+"/unit?unit=antrid.service", "", &after))
		t.Logf("antrid.service restarts %s → %s (3.0.0's failed starts, then 2.0.0)", from["NRestarts"], after["NRestarts"])
		var n0, n1 int
		fmt.Sscan(from["NRestarts"], &n0)
		fmt.Sscan(after["NRestarts"], &n1)
		if n1-n0 < 4 {
			t.Errorf("systemd restarted antrid %d times since 3.0.0 was rolled out; want its failed starts and 2.0.0's", n1-n0)
		}
		row := v.waitHQUpdate(t, wire.UpdateRolledBack, "3.0.0")
		if !row.Failed || !strings.Contains(row.Update.Reason, "dikembalikan") {
			t.Errorf("headquarters shows %+v, want the failed update with its reason", row)
		}
		if w := numbers(v.state().Waiting); len(w) != 1 || w[0] != waiting {
			t.Errorf("after the switch back the waiting list is %v, want %s", w, waiting)
		}
	})

	v.step(t, "clean-shutdown-leaves-clean-file-systems", func(t *testing.T) {
		v.poweroff(3 * time.Minute)
		checkFilesystems(t, v.disk)
	})
}

// goBuild builds pkg as it ships (CGO_ENABLED=0) for goarch ("" for this machine),
// with ldflags, into dir/name.
func goBuild(t *testing.T, dir, name, goarch, ldflags, pkg string) string {
	t.Helper()
	out, err := crossBuild(dir, name, goarch, ldflags, pkg)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// crossBuild is goBuild for TestMain, which has no t.
func crossBuild(dir, name, goarch, ldflags, pkg string) (string, error) {
	out := filepath.Join(dir, name)
	args := []string{"build", "-trimpath", "-o", out}
	if ldflags != "" {
		args = append(args, "-ldflags", ldflags)
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Dir = top
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if goarch != "" {
		cmd.Env = append(cmd.Env, "GOOS=linux", "GOARCH="+goarch)
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return out, nil
}

// boardHQ puts a headquarters on disk (antri-hq for arm64 and a unit that starts it
// before antrid, test only) and an antri.toml that syncs with it and takes its
// releases signed by pub, applied at once.
func boardHQ(t *testing.T, work, disk, bin, pub string) {
	t.Helper()
	cfg := filepath.Join(work, "hq.toml")
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(cfg, fmt.Sprintf("data = \"/var/lib/antri-e2e-hq\"\nadmin_token = %q\nrelease_keys = [%q]\n\n[[office]]\nid = \"mpp-e2e\"\nsecret = %q\ngroup = \"pilot\"\n",
		hqAdmin, pub, hqSecret))
	unit := filepath.Join(work, "antri-e2e-hq.service")
	write(unit, fmt.Sprintf(`[Unit]
Description=Antri e2e headquarters (test only)
Before=antrid.service

[Service]
ExecStart=/usr/local/lib/antri-e2e/antri-hq -config /etc/antri-e2e-hq.toml -listen 0.0.0.0:%d
StateDirectory=antri-e2e-hq

[Install]
WantedBy=multi-user.target
`, hqGuestPort))
	script := strings.Join([]string{
		"write " + bin + " /usr/local/lib/antri-e2e/antri-hq",
		"sif /usr/local/lib/antri-e2e/antri-hq mode 0100755",
		"write " + cfg + " /etc/antri-e2e-hq.toml",
		"write " + unit + " /etc/systemd/system/antri-e2e-hq.service",
		"symlink /etc/systemd/system/multi-user.target.wants/antri-e2e-hq.service /etc/systemd/system/antri-e2e-hq.service",
	}, "\n")
	if out, err := debugfs(disk, img.root, true, script); err != nil {
		t.Fatalf("writing the headquarters onto the disk: %v\n%s", err, out)
	}
	office, err := os.ReadFile(filepath.Join(top, "deploy/image/e2e/e2e.toml"))
	if err != nil {
		t.Fatal(err)
	}
	toml := filepath.Join(work, "antri.toml")
	write(toml, string(office)+fmt.Sprintf(`
[hq]
url = "http://127.0.0.1:%d/"
secret = %q

[update]
public_keys = [%q]
apply = "now"
health_window = %q
check_every = "5s"
`, hqGuestPort, hqSecret, pub, updWindow.String()))
	if out, err := exec.Command("mcopy", "-o", "-i", fmt.Sprintf("%s@@%d", disk, img.boot.offset), toml, "::/antri.toml").CombinedOutput(); err != nil {
		t.Fatalf("mcopy antri.toml: %v\n%s", err, out)
	}
}

// updateStatus is the office's GET /api/admin/update.
func (v *vm) updateStatus(t *testing.T) update.Status {
	t.Helper()
	var st update.Status
	must(t, v.get(v.api+"/api/admin/update", adminToken, &st))
	return st
}

// waitUpdate waits until the office answers GET /api/admin/update with a status for
// which cond holds (it does not answer while it restarts).
func (v *vm) waitUpdate(t *testing.T, what string, d time.Duration, cond func(update.Status) bool) update.Status {
	t.Helper()
	var last update.Status
	v.waitFor("the office: "+what, d, func() bool {
		var st update.Status
		if v.get(v.api+"/api/admin/update", adminToken, &st) != nil {
			return false
		}
		last = st
		return cond(st)
	})
	return last
}

// hqUpdateRow is an office's row of headquarters' GET /api/v1/updates.
type hqUpdateRow struct {
	ID     string             `json:"id"`
	Update *wire.UpdateReport `json:"update"`
	Failed bool               `json:"failed"`
}

// waitHQUpdate waits until headquarters shows the office's update in state about version.
func (v *vm) waitHQUpdate(t *testing.T, state, version string) hqUpdateRow {
	t.Helper()
	var row hqUpdateRow
	v.waitFor("headquarters to show the update "+state+" "+version, 3*time.Minute, func() bool {
		var got struct {
			Offices []hqUpdateRow `json:"offices"`
		}
		if v.get(v.hq+"/api/v1/updates", hqAdmin, &got) != nil || len(got.Offices) != 1 {
			return false
		}
		row = got.Offices[0]
		return row.Update != nil && row.Update.State == state && row.Update.Version == version
	})
	return row
}
