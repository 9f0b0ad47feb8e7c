package deploy_test

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// antrid.service grants exactly what setting the clock from the admin page needs
// (CAP_SYS_TIME, adjtimex and clock_settime) and keeps systemd from restarting antrid in
// a loop on a database or a config it refused (exit status 4, 5); the rest of its hardening stands.
func TestUnitClockAndStorageSettings(t *testing.T) {
	unit := read(t, "antrid.service")
	for _, want := range []string{
		"CapabilityBoundingSet=CAP_SYS_TIME",
		"AmbientCapabilities=CAP_SYS_TIME",
		"SystemCallFilter=@system-service",
		"SystemCallFilter=adjtimex clock_settime clock_settime64",
		"RestartPreventExitStatus=4 5",
		"NoNewPrivileges=yes",
	} {
		if !strings.Contains(unit, "\n"+want+"\n") {
			t.Errorf("antrid.service lacks %q", want)
		}
	}
	if regexp.MustCompile(`(?m)^ProtectClock=yes`).MatchString(unit) {
		t.Error("ProtectClock=yes takes CAP_SYS_TIME away: the admin page could not set the clock")
	}
}

// systemd's own judgement of the unit's exposure, offline: setting the clock costs a
// little (1.9 before, 2.5 with it on systemd 252); it must stay in systemd's "OK" band.
func TestUnitExposure(t *testing.T) {
	need(t, "systemd-analyze")
	p := filepath.Join(t.TempDir(), "antrid.service")
	write(t, p, execLine.ReplaceAllString(read(t, "antrid.service"), "${1}"+antrid))
	out, err := exec.Command("systemd-analyze", "security", "--offline=true", p).CombinedOutput()
	m := regexp.MustCompile(`Overall exposure level for antrid.service: ([0-9.]+) (\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, out)
	}
	level, _ := strconv.ParseFloat(string(m[1]), 64)
	if level > 3.0 || string(m[2]) != "OK" {
		t.Fatalf("exposure %s %s, want at most 3.0 OK:\n%s", m[1], m[2], out)
	}
	t.Logf("exposure %s %s", m[1], m[2])
}
