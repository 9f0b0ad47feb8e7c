//go:build e2e

package e2e

import (
	"strings"
	"testing"
)

// TestImageOSUpdates reads the shipped image (not the test copy): its apt
// sources name bookworm, -updates and -security on Debian's mirrors,
// unattended-upgrades is installed and limited to security fixes without its
// own reboot, and the reboot-window timer is enabled.
func TestImageOSUpdates(t *testing.T) {
	cat := func(path string) string {
		out, err := debugfs(img.path, img.root, false, "cat "+path)
		if err != nil || strings.Contains(out, "File not found") {
			t.Fatalf("%s not in the image: %v\n%s", path, err, out)
		}
		return out
	}
	src := cat("/etc/apt/sources.list.d/debian.sources")
	for _, want := range []string{
		"URIs: http://deb.debian.org/debian\n", "Suites: bookworm bookworm-updates\n",
		"URIs: http://deb.debian.org/debian-security\n", "Suites: bookworm-security\n",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("the image's apt sources lack %q:\n%s", want, src)
		}
	}
	if out, _ := debugfs(img.path, img.root, false, "stat /etc/apt/sources.list"); !strings.Contains(out, "not found") {
		t.Errorf("/etc/apt/sources.list (the build mirror) is still in the image")
	}
	status := cat("/var/lib/dpkg/status")
	if !strings.Contains(status, "Package: unattended-upgrades\nStatus: install ok installed") {
		t.Error("unattended-upgrades is not installed in the image")
	}
	uu := cat("/etc/apt/apt.conf.d/52antri-unattended-upgrades")
	for _, want := range []string{"#clear Unattended-Upgrade::Origins-Pattern;", "label=Debian-Security", `Automatic-Reboot "false"`} {
		if !strings.Contains(uu, want) {
			t.Errorf("52antri-unattended-upgrades lacks %q", want)
		}
	}
	if !strings.Contains(cat("/etc/apt/apt.conf.d/20auto-upgrades"), `APT::Periodic::Unattended-Upgrade "1";`) {
		t.Error("20auto-upgrades does not turn unattended-upgrades on")
	}
	if out, _ := debugfs(img.path, img.root, false, "stat /etc/systemd/system/timers.target.wants/antri-os-reboot.timer"); strings.Contains(out, "not found") {
		t.Error("antri-os-reboot.timer is not enabled")
	}
	// The kernel came from bookworm-security when it has a newer one: a
	// Debian security kernel's version has the -N suffix of a stable update
	// (6.1.192-3); bookworm's own point release kernel is older. Logged, as
	// the archive moves.
	t.Logf("kernel in the image: linux-image-%s %s", img.kver, img.kpkg)
}
