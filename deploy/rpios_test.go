package deploy_test

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/antri-id/antri/queue/queuetest"
)

// The Raspberry Pi OS route: the antri package plus antri-setup turn a stock
// Raspberry Pi OS Lite into the appliance. These tests run the real
// antri-setup against a scratch root holding what Raspberry Pi OS Lite has on
// disk, with the real package installed into it (dpkg --root), the real
// systemctl --root and systemd-sysusers --root, the real first-boot script and
// the real antrid check-config. Only what would reach outside the root is a
// stub: apt-get (records what it was asked and marks the packages installed),
// and dpkg --print-architecture (this machine is not arm64).
// deploy/rpios/qemu-test.sh (make rpios-test) does the same in a real Debian
// trixie arm64 root filesystem and boots it.

// rpiOSLite is a scratch Raspberry Pi OS Lite (trixie, arm64) with the antri
// package installed.
type rpiOSLite struct {
	t    *testing.T
	root string
	boot string
	bin  string // stubs, first on PATH
	apt  string // what apt-get was asked, one line per call
}

// liteInstalled are packages Raspberry Pi OS Lite already has that
// antri-setup checks for.
var liteInstalled = []string{"curl", "libpam-systemd", "avahi-daemon", "tzdata", "systemd-timesyncd"}

// newRPiOSLite builds the scratch system: os-release, users (pi, the gpio
// group Raspberry Pi OS creates), apt sources, the FAT partition's files, the
// board's device-tree model, time zones, and the units of the packages Lite
// has; then installs the antri package with dpkg --root.
func newRPiOSLite(t *testing.T) *rpiOSLite {
	t.Helper()
	need(t, "dpkg", "dpkg-query", "systemd-sysusers", "systemctl")
	if os.Geteuid() != 0 {
		queuetest.SkipUnlessCI(t, "dpkg --root and antri-setup need root; CI runs as root")
	}
	deb := buildDeb(t, "2.0.0")
	s := &rpiOSLite{t: t, root: t.TempDir(), bin: t.TempDir()}
	s.boot = s.path("boot/firmware")
	s.apt = filepath.Join(s.bin, "apt.log")

	files := map[string]string{
		"etc/os-release":                               "PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"13\"\nVERSION_CODENAME=trixie\nID=debian\n",
		"etc/rpi-issue":                                "Raspberry Pi reference 2025-10-01\n",
		"etc/passwd":                                   "root:x:0:0:root:/root:/bin/bash\npi:x:1000:1000:,,,:/home/pi:/bin/bash\n",
		"etc/group":                                    "root:x:0:\nlp:x:7:\ndialout:x:20:pi\naudio:x:29:pi\nvideo:x:44:pi\ninput:x:105:pi\nrender:x:106:pi\ngpio:x:997:pi\npi:x:1000:\n",
		"etc/hostname":                                 "raspberrypi\n",
		"etc/hosts":                                    "127.0.0.1\tlocalhost\n127.0.1.1\traspberrypi\n",
		"etc/timezone":                                 "Europe/London\n",
		"etc/apt/sources.list.d/debian.sources":        "Types: deb\nURIs: http://deb.debian.org/debian/\nSuites: trixie trixie-updates\nComponents: main contrib non-free non-free-firmware\n",
		"etc/apt/sources.list.d/raspi.sources":         "Types: deb\nURIs: http://archive.raspberrypi.com/debian/\nSuites: trixie\nComponents: main\n",
		"boot/firmware/config.txt":                     "dtoverlay=vc4-kms-v3d\n[all]\n",
		"boot/firmware/cmdline.txt":                    "console=serial0,115200 console=tty1 root=PARTUUID=1234-02 rootfstype=ext4 fsck.repair=yes rootwait quiet\n",
		"proc/device-tree/model":                       "Raspberry Pi 5 Model B Rev 1.0\x00",
		"lib/systemd/system/graphical.target":          "[Unit]\nDescription=Graphical Interface\n",
		"lib/systemd/system/multi-user.target":         "[Unit]\nDescription=Multi-User System\n",
		"lib/systemd/system/getty@.service":            "[Unit]\nDescription=Getty on %I\n[Service]\nExecStart=/sbin/agetty %I\n[Install]\nWantedBy=getty.target\n",
		"lib/systemd/system/avahi-daemon.service":      "[Service]\nExecStart=/usr/sbin/avahi-daemon\n[Install]\nWantedBy=multi-user.target\n",
		"lib/systemd/system/systemd-timesyncd.service": "[Service]\nExecStart=/lib/systemd/systemd-timesyncd\n[Install]\nWantedBy=sysinit.target\n",
	}
	for p, c := range files {
		write(t, s.path(p), c)
	}
	for _, tz := range []string{"Asia/Jakarta", "Asia/Makassar", "Europe/London"} {
		write(t, s.path("usr/share/zoneinfo/"+tz), read(t, "/usr/share/zoneinfo/"+tz))
	}
	if err := os.Symlink("/usr/share/zoneinfo/Europe/London", s.path("etc/localtime")); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"var/lib/dpkg/info", "var/lib/dpkg/updates"} {
		if err := os.MkdirAll(s.path(d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	status := ""
	for _, p := range liteInstalled {
		status += dpkgStatus(p)
	}
	write(t, s.path("var/lib/dpkg/status"), status)
	run(t, nil, "dpkg", "--root="+s.root, "--force-script-chrootless", "--force-depends", "--force-architecture", "-i", deb.path)

	// apt-get: log the call; "install" marks the packages installed. It
	// fails on demand (APT_FAIL) like an office without network.
	stub := func(name, body string) {
		write(t, filepath.Join(s.bin, name), "#!/bin/sh\n"+body)
		if err := os.Chmod(filepath.Join(s.bin, name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	stub("apt-get", `echo "$*" >>`+s.apt+`
[ -z "$APT_FAIL" ] || { echo "E: Gagal mengambil http://deb.debian.org/" >&2; exit 100; }
[ "$1" = install ] || exit 0
for p in "$@"; do
	case "$p" in -*|install) continue ;; esac
	printf 'Package: %s\nStatus: install ok installed\nPriority: optional\nSection: misc\nMaintainer: x\nArchitecture: arm64\nVersion: 1\nDescription: x\n\n' "$p" >>`+s.path("var/lib/dpkg/status")+`
	# seatd ships the unit antri-setup enables (Debian's, abridged).
	[ "$p" != seatd ] || printf '[Service]\nExecStart=/usr/bin/seatd -g video\n[Install]\nWantedBy=multi-user.target\n' >`+s.path("lib/systemd/system/seatd.service")+`
done
`)
	stub("dpkg", `[ "$1" = --print-architecture ] && { echo "${FAKE_ARCH:-arm64}"; exit 0; }
exec /usr/bin/dpkg "$@"
`)
	return s
}

func dpkgStatus(pkg string) string {
	return "Package: " + pkg + "\nStatus: install ok installed\nPriority: optional\nSection: misc\nMaintainer: x\nArchitecture: arm64\nVersion: 1\nDescription: x\n\n"
}

func (s *rpiOSLite) path(p string) string { return filepath.Join(s.root, p) }

// setup runs antri-setup and returns its output and exit code.
func (s *rpiOSLite) setup(env ...string) (string, int) {
	s.t.Helper()
	cmd := exec.Command("sh", "rpios/antri-setup.sh")
	cmd.Env = append(os.Environ(),
		"PATH="+s.bin+":"+os.Getenv("PATH"),
		"ANTRI_ROOT="+s.root,
		"ANTRI_TTY="+filepath.Join(s.root, "tty1"),
		"TMPDIR="+s.t.TempDir(),
	)
	cmd.Env = append(cmd.Env, env...)
	return outputAndExitCode(s.t, cmd)
}

// outputAndExitCode runs a script and returns its combined output and exit
// code; only a failure to start it fails the test.
func outputAndExitCode(t *testing.T, cmd *exec.Cmd) (string, int) {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return string(out), ee.ExitCode()
		}
		t.Fatal(err)
	}
	return string(out), 0
}

// snapshot describes every file, link and folder under the root (mode,
// link target, content hash), to prove a run changed nothing.
func (s *rpiOSLite) snapshot() string {
	s.t.Helper()
	var lines []string
	err := filepath.WalkDir(s.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(s.root, p)
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		line := fmt.Sprintf("%s %v", rel, info.Mode())
		switch {
		case info.Mode()&os.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			line += " -> " + target
		case info.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			line += fmt.Sprintf(" %x", sha256.Sum256(b))
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func (s *rpiOSLite) link(p string) string {
	s.t.Helper()
	target, err := os.Readlink(s.path(p))
	if err != nil {
		s.t.Errorf("%s: %v", p, err)
	}
	return target
}

// The technician's antri.toml (saved by Notepad, tokens left empty) for an
// office in WITA.
var makassarConfig = strings.Replace(goodConfig, "id = \"mpp-kota-contoh-01\"\r\n",
	"id = \"mpp-kota-contoh-01\"\r\ntimezone = \"Asia/Makassar\"\r\n", 1)

func TestAntriSetupRaspberryPiOS(t *testing.T) {
	s := newRPiOSLite(t)
	write(t, filepath.Join(s.boot, "antri.toml"), makassarConfig)
	sources := read(t, s.path("etc/apt/sources.list.d/raspi.sources")) + read(t, s.path("etc/apt/sources.list.d/debian.sources"))
	passwdPi := "pi:x:1000:1000:,,,:/home/pi:/bin/bash\n"
	cmdline := read(t, s.path("boot/firmware/cmdline.txt"))

	out, code := s.setup()
	if code != 0 {
		t.Fatalf("antri-setup exit %d:\n%s", code, out)
	}
	for _, want := range []string{
		"Raspberry Pi OS trixie arm64, Raspberry Pi 5 Model B Rev 1.0",
		"[1/6]", "[6/6]",
		"antri-setup: SELESAI / DONE",
		"sudo reboot",
		"http://mpp-kota-contoh-01.local:8080/admin",
		"zona waktu / time zone: Asia/Makassar",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// Only what Lite lacks is installed, from the sources as they were.
	if got := read(t, s.apt); got != "update -q\ninstall -y -q --no-install-recommends cage xwayland chromium fonts-dejavu-core seatd libnss-systemd avahi-utils\n" {
		t.Errorf("apt-get calls:\n%s", got)
	}
	if got := read(t, s.path("etc/apt/sources.list.d/raspi.sources")) + read(t, s.path("etc/apt/sources.list.d/debian.sources")); got != sources {
		t.Errorf("apt sources changed:\n%s", got)
	}

	// Users: the pi account untouched; antri in Raspberry Pi OS's own gpio
	// group (GID kept); the kiosk user in the display, input and sound groups.
	passwd := read(t, s.path("etc/passwd"))
	if !strings.Contains(passwd, passwdPi) {
		t.Errorf("user pi changed:\n%s", passwd)
	}
	if !strings.Contains(passwd, "\nantri-kiosk:x:") || !strings.Contains(passwd, ":/run/antri-kiosk:/usr/sbin/nologin\n") {
		t.Errorf("no antri-kiosk system user:\n%s", passwd)
	}
	group := read(t, s.path("etc/group"))
	for _, want := range []struct{ group, gid, members string }{
		{"gpio", "997", "antri pi"},
		{"video", "44", "antri-kiosk pi"},
		{"render", "106", "antri-kiosk pi"},
		{"input", "105", "antri-kiosk pi"},
		{"audio", "29", "antri-kiosk pi"},
		{"lp", "7", "antri"},
		{"dialout", "20", "antri pi"},
	} {
		if gid, members := groupLine(group, want.group); gid != want.gid || members != want.members {
			t.Errorf("group %s: gid %s, members %q; want gid %s, members %q", want.group, gid, members, want.gid, want.members)
		}
	}

	// Boot: antrid and first boot on multi-user, the kiosk on graphical
	// (the default now), tty1 given to the kiosk.
	for link, unit := range map[string]string{
		"etc/systemd/system/multi-user.target.wants/antrid.service":           "antrid.service",
		"etc/systemd/system/multi-user.target.wants/antri-firstboot.service":  "antri-firstboot.service",
		"etc/systemd/system/multi-user.target.wants/antri-mdns-alias.service": "antri-mdns-alias.service",
		"etc/systemd/system/multi-user.target.wants/avahi-daemon.service":     "avahi-daemon.service",
		"etc/systemd/system/multi-user.target.wants/seatd.service":            "seatd.service",
		"etc/systemd/system/graphical.target.wants/antri-kiosk.service":       "antri-kiosk.service",
	} {
		if got := s.link(link); filepath.Base(got) != unit {
			t.Errorf("%s -> %q, want the %s unit", link, got, unit)
		}
	}
	if got := s.link("etc/systemd/system/default.target"); filepath.Base(got) != "graphical.target" {
		t.Errorf("default.target -> %q, want graphical.target", got)
	}
	if got := s.link("etc/systemd/system/getty@tty1.service"); got != "/dev/null" {
		t.Errorf("getty@tty1.service -> %q, want masked (/dev/null)", got)
	}
	// The kiosk session is the SD image's, shipped by the package.
	for p, src := range map[string]string{
		"usr/lib/antri/antri-kiosk":               "image/antri-kiosk.sh",
		"lib/systemd/system/antri-kiosk.service":  "image/antri-kiosk.service",
		"etc/pam.d/antri-kiosk":                   "image/pam.d-antri-kiosk",
		"lib/udev/rules.d/60-antri-gpio.rules":    "udev/60-antri-gpio.rules",
		"lib/udev/rules.d/60-antri-printer.rules": "udev/60-antri-printer.rules",
	} {
		if read(t, s.path(p)) != read(t, src) {
			t.Errorf("/%s is not deploy/%s", p, src)
		}
	}

	// antri.toml applied by the first-boot script: tokens generated and
	// written back to the FAT partition, hostname and WITA time zone set
	// the way timedatectl sets them.
	installed := read(t, s.path("etc/antri/antri.toml"))
	if back := read(t, filepath.Join(s.boot, "antri.toml")); back != installed {
		t.Errorf("boot partition antri.toml differs from the installed one:\n%s", back)
	}
	if !hex32.MatchString(secretsIn(t, installed)["admin_token"]) {
		t.Errorf("admin_token not generated:\n%s", installed)
	}
	if got := s.link("etc/localtime"); got != "../usr/share/zoneinfo/Asia/Makassar" {
		t.Errorf("/etc/localtime -> %q, want ../usr/share/zoneinfo/Asia/Makassar", got)
	}
	if got := read(t, s.path("etc/timezone")); got != "Asia/Makassar\n" {
		t.Errorf("/etc/timezone = %q", got)
	}
	if got := read(t, s.path("etc/hostname")); got != "mpp-kota-contoh-01\n" {
		t.Errorf("hostname = %q", got)
	}
	if read(t, s.path("boot/firmware/cmdline.txt")) != cmdline {
		t.Error("cmdline.txt changed")
	}
	for _, f := range []string{"BACA-SAYA.txt", "wifi.txt.contoh"} {
		if read(t, filepath.Join(s.boot, f)) != read(t, "image/"+f) {
			t.Errorf("%s on the boot partition is not deploy/image/%s", f, f)
		}
	}

	// Idempotent: a second run changes nothing and installs nothing.
	before := s.snapshot()
	out, code = s.setup()
	if code != 0 {
		t.Fatalf("second run exit %d:\n%s", code, out)
	}
	if after := s.snapshot(); after != before {
		t.Errorf("second run changed the system:\n%s", diffLines(before, after))
	}
	if !strings.Contains(out, "sudah terpasang / already installed") {
		t.Errorf("second run did not see the packages installed:\n%s", out)
	}
}

// groupLine returns a group's GID and its members, sorted and space-separated.
func groupLine(etcGroup, name string) (gid, members string) {
	for _, line := range strings.Split(etcGroup, "\n") {
		f := strings.Split(line, ":")
		if len(f) == 4 && f[0] == name {
			m := strings.Split(f[3], ",")
			sort.Strings(m)
			return f[2], strings.Join(m, " ")
		}
	}
	return "", ""
}

// diffLines lists the lines only in a or only in b.
func diffLines(a, b string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	ma, mb := in(a), in(b)
	var d []string
	for l := range ma {
		if !mb[l] {
			d = append(d, "- "+l)
		}
	}
	for l := range mb {
		if !ma[l] {
			d = append(d, "+ "+l)
		}
	}
	sort.Strings(d)
	return strings.Join(d, "\n")
}

// Without antri.toml on the boot partition, antri-setup puts the example
// there and applies it, as the SD image's first boot does; it tells the
// technician to fill it in.
func TestAntriSetupPutsExampleConfig(t *testing.T) {
	s := newRPiOSLite(t)
	out, code := s.setup()
	if code != 0 {
		t.Fatalf("antri-setup exit %d:\n%s", code, out)
	}
	toml := read(t, filepath.Join(s.boot, "antri.toml"))
	if !strings.Contains(toml, "[office]") || read(t, s.path("etc/antri/antri.toml")) != toml {
		t.Errorf("example not placed and applied:\n%s", toml)
	}
	if !strings.Contains(out, "Isi antri.toml") || !strings.Contains(out, "Fill in antri.toml") || !strings.Contains(out, `drive "bootfs"`) {
		t.Errorf("no next step for the example config:\n%s", out)
	}
	if got := s.link("etc/localtime"); got != "../usr/share/zoneinfo/Asia/Jakarta" {
		t.Errorf("/etc/localtime -> %q, want the example's Asia/Jakarta", got)
	}
}

// A broken antri.toml: the system is set up, the problem is shown with its
// line (and on the screen after a reboot), nothing of it is installed.
func TestAntriSetupBadConfig(t *testing.T) {
	s := newRPiOSLite(t)
	write(t, filepath.Join(s.boot, "antri.toml"), strings.Replace(goodConfig, `wait_standard = "15m"`, `wait_standard = "15 menit"`, 1))
	out, code := s.setup()
	if code != 1 {
		t.Fatalf("antri-setup exit %d, want 1 (set up, config to fix):\n%s", code, out)
	}
	for _, want := range []string{"antri.toml: baris 9:", "PERLU DIPERBAIKI / DONE, BUT antri.toml NEEDS FIXING", "sudo antri-setup"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(read(t, s.path("run/antri/firstboot-error.html")), "Antri belum bisa dipakai") {
		t.Error("no error page for the kiosk screen")
	}
	if _, err := os.Lstat(s.path("etc/systemd/system/graphical.target.wants/antri-kiosk.service")); err != nil {
		t.Errorf("kiosk not enabled although only the config is wrong: %v", err)
	}
}

// No network: the step that failed is named, with what to check.
func TestAntriSetupNoNetwork(t *testing.T) {
	s := newRPiOSLite(t)
	out, code := s.setup("APT_FAIL=1")
	if code != 4 {
		t.Fatalf("exit %d, want 4:\n%s", code, out)
	}
	for _, want := range []string{"GAGAL / FAILED", "cage xwayland chromium fonts-dejavu-core seatd libnss-systemd avahi-utils tidak bisa dipasang", "Check the network", "sudo antri-setup"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// Unsupported systems are refused before anything changes, in Indonesian
// then English, with what to do next.
func TestAntriSetupRefuses(t *testing.T) {
	base := newRPiOSLite(t)
	cases := []struct {
		name   string
		change func(s *rpiOSLite)
		env    []string
		want   string
	}{
		{"bullseye", func(s *rpiOSLite) {
			write(t, s.path("etc/os-release"), "ID=debian\nVERSION_CODENAME=bullseye\nPRETTY_NAME=\"Debian GNU/Linux 11 (bullseye)\"\n")
		}, nil, "terlalu lama"},
		{"32-bit Raspberry Pi OS", func(s *rpiOSLite) {
			write(t, s.path("etc/os-release"), "ID=raspbian\nID_LIKE=debian\nVERSION_CODENAME=bookworm\nPRETTY_NAME=\"Raspbian GNU/Linux 12 (bookworm)\"\n")
		}, []string{"FAKE_ARCH=armhf"}, "Raspberry Pi OS 32-bit"},
		{"amd64", func(*rpiOSLite) {}, []string{"FAKE_ARCH=amd64"}, "butuh arm64"},
		{"Ubuntu", func(s *rpiOSLite) {
			write(t, s.path("etc/os-release"), "ID=ubuntu\nVERSION_CODENAME=noble\nPRETTY_NAME=\"Ubuntu 24.04 LTS\"\n")
		}, nil, "bukan Raspberry Pi OS atau Debian"},
		{"no /boot/firmware", func(s *rpiOSLite) {
			if err := os.RemoveAll(s.boot); err != nil {
				t.Fatal(err)
			}
		}, nil, "tidak ada partisi boot di /boot/firmware"},
		{"desktop", func(s *rpiOSLite) {
			if err := os.Symlink("/lib/systemd/system/lightdm.service", s.path("etc/systemd/system/display-manager.service")); err != nil {
				t.Fatal(err)
			}
		}, nil, "ada desktop (lightdm.service)"},
		{"package missing", func(s *rpiOSLite) {
			if err := os.Remove(s.path("usr/bin/antrid")); err != nil {
				t.Fatal(err)
			}
		}, nil, "paket antri belum terpasang"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := *base
			s.t = t
			s.root = t.TempDir()
			s.boot = s.path("boot/firmware")
			run(t, nil, "cp", "-a", base.root+"/.", s.root)
			c.change(&s)
			before := s.snapshot()
			out, code := s.setup(c.env...)
			if code != 3 {
				t.Fatalf("exit %d, want 3 (refused):\n%s", code, out)
			}
			for _, want := range []string{"DITOLAK / REFUSED", "Sistem ini tidak didukung: ", c.want, "This system is not supported: ", "Yang perlu dilakukan: ", "What to do: "} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if after := s.snapshot(); after != before {
				t.Errorf("a refused run changed the system:\n%s", diffLines(before, after))
			}
		})
	}
	if _, err := os.Stat(base.apt); err == nil {
		t.Error("apt-get ran on a refused system")
	}
}

// The package ships antri-setup and the kiosk session, and removing it gives
// tty1 its console login back.
func TestDebShipsRaspberryPiOSRoute(t *testing.T) {
	s := newRPiOSLite(t)
	if _, code := s.setup(); code != 0 {
		t.Fatal("antri-setup failed")
	}
	if st, err := os.Stat(s.path("usr/sbin/antri-setup")); err != nil || st.Mode().Perm() != 0o755 {
		t.Fatalf("/usr/sbin/antri-setup: %v", err)
	}
	if read(t, s.path("usr/sbin/antri-setup")) != read(t, "rpios/antri-setup.sh") {
		t.Error("/usr/sbin/antri-setup is not deploy/rpios/antri-setup.sh")
	}
	run(t, nil, "dpkg", "--root="+s.root, "--force-script-chrootless", "--force-depends", "-r", "antri")
	if _, err := os.Lstat(s.path("etc/systemd/system/getty@tty1.service")); !os.IsNotExist(err) {
		t.Errorf("tty1 login still masked after remove: %v", err)
	}
	if _, err := os.Lstat(s.path("etc/systemd/system/graphical.target.wants/antri-kiosk.service")); !os.IsNotExist(err) {
		t.Errorf("kiosk still enabled after remove: %v", err)
	}
}

func TestRaspberryPiOSScriptsParse(t *testing.T) {
	for _, s := range []string{"rpios/antri-setup.sh", "rpios/qemu-test.sh"} {
		if out, err := exec.Command("sh", "-n", s).CombinedOutput(); err != nil {
			t.Errorf("sh -n %s: %v\n%s", s, err, out)
		}
	}
}
