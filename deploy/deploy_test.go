package deploy_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/queue/queuetest"
)

// antrid is the real daemon, built once for these tests; logged is a wrapper
// around it that also appends each invocation to $ANTRID_LOG, so a test can
// see how first boot ran it.
var antrid, logged string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "antri-deploy-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// This machine's architecture: the first-boot tests run the binary here, a Pi included.
	if antrid, err = antridtest.Binary(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	logged = filepath.Join(dir, "antrid-logged")
	wrapper := "#!/bin/sh\n[ -n \"$ANTRID_LOG\" ] && echo \"$*\" >>\"$ANTRID_LOG\"\nexec " + antrid + " \"$@\"\n"
	if err := os.WriteFile(logged, []byte(wrapper), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// need skips the test without the tools, failing it in CI (queuetest.NeedTool).
func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		queuetest.NeedTool(t, tool, debianPackage[tool])
	}
}

var debianPackage = map[string]string{
	"systemd-analyze":  "systemd",
	"systemd-sysusers": "systemd",
	"systemctl":        "systemd",
	"dpkg-deb":         "dpkg",
	"dpkg":             "dpkg",
	"mkfs.vfat":        "dosfstools",
	"mcopy":            "mtools",
	"mdir":             "mtools",
	"sfdisk":           "fdisk",
	"mke2fs":           "e2fsprogs",
	"debugfs":          "e2fsprogs",
	"e2label":          "e2fsprogs",
}

func run(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// exampleConfig is deploy/antrid.example.toml once the lead's tree has it,
// else a minimal placeholder in the test's temp dir.
func exampleConfig(t *testing.T) string {
	if _, err := os.Stat("antrid.example.toml"); err == nil {
		p, _ := filepath.Abs("antrid.example.toml")
		return p
	}
	p := filepath.Join(t.TempDir(), "antrid.example.toml")
	write(t, p, "[office]\nid = \"mpp-contoh\"\nadmin_token = \"change-me\"\n")
	return p
}

// --- systemd units ----------------------------------------------------------

var execLine = regexp.MustCompile(`(?m)^(Exec[A-Za-z]*=[-@:+!]*)(/\S+)`)

// units are every unit file deploy ships, in the package or in the image.
var units = []string{
	"antrid.service",
	"antri-update-watch.service",
	"antri-update-watch.timer",
	"firstboot/antri-firstboot.service",
	"image/antri-kiosk.service",
	"image/antri-mdns-alias.service",
	"image/antri-os-reboot.service",
	"image/antri-os-reboot.timer",
	"backup/antri-backup.service",
	"backup/antri-backup.timer",
}

// TestUnitsVerify runs systemd-analyze verify on each unit. verify exits 0
// on many parse errors (it logs "ignoring"), so any output is a failure.
// The programs units start are not installed on the build machine: their
// paths are pointed at the antrid the tests built, and TestDebContents checks that the
// package ships them at the real paths.
func TestUnitsVerify(t *testing.T) {
	need(t, "systemd-analyze")
	dir := t.TempDir()
	for _, u := range units {
		text := read(t, u)
		text = execLine.ReplaceAllString(text, "${1}"+antrid)
		p := filepath.Join(dir, filepath.Base(u))
		write(t, p, text)
		cmd := exec.Command("systemd-analyze", "verify", "--man=no", p)
		out, err := cmd.CombinedOutput()
		if err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("systemd-analyze verify %s: %v\n%s", u, err, out)
		}
	}
}

// TestUnitPromises checks the settings the appliance relies on, which
// verify accepts in any form.
func TestUnitPromises(t *testing.T) {
	unit := read(t, "antrid.service")
	for _, want := range []string{
		"Type=notify",
		"WatchdogSec=",
		"Restart=always",
		"User=antri",
		"SupplementaryGroups=gpio lp dialout",
		"StateDirectory=antri",
		"ExecStart=/usr/lib/antri/antri-update start -config /etc/antri/antri.toml -data /var/lib/antri -listen 0.0.0.0:8080",
		"Wants=antri-update-watch.timer",
		"ProtectSystem=strict",
		"DevicePolicy=closed",
		"DeviceAllow=char-gpiochip rw",
		"DeviceAllow=char-usb rw",
		"DeviceAllow=char-ttyUSB rw",
		"MemoryMax=",
		"After=network.target time-sync.target antri-firstboot.service",
	} {
		if !strings.Contains(unit, "\n"+want) {
			t.Errorf("antrid.service lacks %q", want)
		}
	}
}

// --- Debian package -----------------------------------------------------------

type builtDeb struct {
	path    string
	version string
}

func buildDeb(t *testing.T, version string) builtDeb {
	t.Helper()
	need(t, "dpkg-deb")
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin", "amd64")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(antrid, filepath.Join(bin, "antrid")); err != nil {
		write(t, filepath.Join(bin, "antrid"), read(t, antrid))
	}
	dist := filepath.Join(tmp, "dist")
	out := run(t, []string{
		"VERSION=" + version,
		"DIST=" + dist,
		"ANTRI_BIN_DIR=" + filepath.Join(tmp, "bin"),
		"EXAMPLE_CONFIG=" + exampleConfig(t),
		"DEB_COMPRESS=none",
	}, "sh", "deb/build.sh", "amd64")
	want := filepath.Join(dist, "antri_"+version+"_amd64.deb")
	if strings.TrimSpace(out) != want {
		t.Fatalf("build.sh printed %q, want %q", out, want)
	}
	return builtDeb{path: want, version: version}
}

func TestDebContents(t *testing.T) {
	deb := buildDeb(t, "1.2.3")

	info := run(t, nil, "dpkg-deb", "-I", deb.path)
	for _, want := range []string{
		"Package: antri", "Version: 1.2.3", "Architecture: amd64",
		"Depends: systemd", " postinst", " prerm", " postrm", " conffiles",
	} {
		if !strings.Contains(info, want) {
			t.Errorf("dpkg-deb -I lacks %q:\n%s", want, info)
		}
	}

	// Every file root-owned, with the mode it needs.
	listing := run(t, nil, "dpkg-deb", "-c", deb.path)
	wantFiles := map[string]string{
		"./usr/bin/antrid":                                "-rwxr-xr-x",
		"./usr/lib/antri/antri-firstboot":                 "-rwxr-xr-x",
		"./usr/lib/antri/antri-update":                    "-rwxr-xr-x",
		"./lib/systemd/system/antri-update-watch.service": "-rw-r--r--",
		"./lib/systemd/system/antri-update-watch.timer":   "-rw-r--r--",
		"./lib/systemd/system/antrid.service":             "-rw-r--r--",
		"./lib/systemd/system/antri-firstboot.service":    "-rw-r--r--",
		"./lib/udev/rules.d/60-antri-printer.rules":       "-rw-r--r--",
		"./lib/udev/rules.d/60-antri-gpio.rules":          "-rw-r--r--",
		"./usr/lib/systemd/journald.conf.d/antri.conf":    "-rw-r--r--",
		"./usr/lib/sysusers.d/antri.conf":                 "-rw-r--r--",
		"./usr/lib/tmpfiles.d/antri.conf":                 "-rw-r--r--",
		"./usr/share/antri/antrid.example.toml":           "-rw-r--r--",
		"./etc/antri/antri.toml":                          "-rw-r-----",
		"./usr/share/doc/antri/README.md":                 "-rw-r--r--",
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(listing), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 {
			continue
		}
		mode, owner, name := f[0], f[1], f[5]
		if owner != "root/root" {
			t.Errorf("%s owned by %s, want root/root", name, owner)
		}
		if want, ok := wantFiles[name]; ok {
			seen[name] = true
			if mode != want {
				t.Errorf("%s has mode %s, want %s", name, mode, want)
			}
		}
	}
	for name := range wantFiles {
		if !seen[name] {
			t.Errorf("package lacks %s", name)
		}
	}

	// Control files.
	ctl := t.TempDir()
	run(t, nil, "dpkg-deb", "-e", deb.path, ctl)
	if got := read(t, filepath.Join(ctl, "conffiles")); got != "/etc/antri/antri.toml\n/etc/pam.d/antri-kiosk\n" {
		t.Errorf("conffiles = %q, want /etc/antri/antri.toml and /etc/pam.d/antri-kiosk", got)
	}
	for _, s := range []string{"postinst", "prerm", "postrm"} {
		run(t, nil, "sh", "-n", filepath.Join(ctl, s))
	}

	// Unpacked files: checksums match, the config is the example, and
	// every program a unit starts is shipped where the unit says.
	root := t.TempDir()
	run(t, nil, "dpkg-deb", "-x", deb.path, root)
	md5 := exec.Command("md5sum", "--check", "--quiet", filepath.Join(ctl, "md5sums"))
	md5.Dir = root
	if out, err := md5.CombinedOutput(); err != nil {
		t.Errorf("md5sums do not match the files: %v\n%s", err, out)
	}
	if read(t, filepath.Join(root, "etc/antri/antri.toml")) != read(t, exampleConfig(t)) {
		t.Error("/etc/antri/antri.toml is not the example config")
	}
	for _, u := range []string{"lib/systemd/system/antrid.service", "lib/systemd/system/antri-firstboot.service", "lib/systemd/system/antri-update-watch.service"} {
		for _, m := range execLine.FindAllStringSubmatch(read(t, filepath.Join(root, u)), -1) {
			if st, err := os.Stat(filepath.Join(root, m[2])); err != nil || st.Mode()&0o111 == 0 {
				t.Errorf("%s starts %s, which the package does not ship executable", u, m[2])
			}
		}
	}
}

// TestDebLifecycle installs, upgrades, removes and purges the package with
// the real dpkg in a scratch root (dpkg --root, scripts run chrootless with
// DPKG_ROOT), as the SD image build does in its chroot.
func TestDebLifecycle(t *testing.T) {
	need(t, "dpkg", "systemd-sysusers", "systemctl")
	if os.Geteuid() != 0 {
		queuetest.SkipUnlessCI(t, "dpkg --root needs root to set file owners; CI runs as root")
	}
	v1 := buildDeb(t, "1.0.0")
	v2 := buildDeb(t, "1.0.1")

	root := t.TempDir()
	for _, d := range []string{"var/lib/dpkg/info", "var/lib/dpkg/updates", "etc"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(root, "var/lib/dpkg/status"), "")
	write(t, filepath.Join(root, "etc/group"), "root:x:0:\nlp:x:7:\ndialout:x:20:\n")
	write(t, filepath.Join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n")
	dpkg := func(args ...string) {
		t.Helper()
		run(t, nil, "dpkg", append([]string{"--root=" + root, "--force-script-chrootless", "--force-depends"}, args...)...)
	}

	dpkg("-i", v1.path)

	// User and groups.
	passwd := read(t, filepath.Join(root, "etc/passwd"))
	m := regexp.MustCompile(`(?m)^antri:x:(\d+):(\d+):.*:/var/lib/antri:/usr/sbin/nologin$`).FindStringSubmatch(passwd)
	if m == nil {
		t.Fatalf("no antri system user in /etc/passwd:\n%s", passwd)
	}
	group := read(t, filepath.Join(root, "etc/group"))
	for _, g := range []string{`gpio:x:\d+:antri`, `lp:x:7:antri`, `dialout:x:20:antri`} {
		if !regexp.MustCompile(`(?m)^` + g + `$`).MatchString(group) {
			t.Errorf("/etc/group has no line %s:\n%s", g, group)
		}
	}
	uid, gid := atoi(t, m[1]), atoi(t, m[2])

	// Ownership and modes.
	checkOwner(t, filepath.Join(root, "var/lib/antri"), uid, gid, 0o750|os.ModeDir)
	checkOwner(t, filepath.Join(root, "etc/antri/antri.toml"), 0, gid, 0o640)

	// Enabled at boot.
	for _, u := range []string{"antrid.service", "antri-firstboot.service"} {
		link := filepath.Join(root, "etc/systemd/system/multi-user.target.wants", u)
		if _, err := os.Lstat(link); err != nil {
			t.Errorf("%s not enabled: %v", u, err)
		}
	}

	// The office works: config edited, queue history written.
	const edited = "[office]\nid = \"mpp-kota\"\nadmin_token = \"rahasia\"\n"
	write(t, filepath.Join(root, "etc/antri/antri.toml"), edited)
	write(t, filepath.Join(root, "var/lib/antri/antri.db"), "queue history")

	dpkg("-i", v2.path) // upgrade
	if got := read(t, filepath.Join(root, "etc/antri/antri.toml")); got != edited {
		t.Errorf("upgrade replaced the edited config with:\n%s", got)
	}
	if got := read(t, filepath.Join(root, "var/lib/antri/antri.db")); got != "queue history" {
		t.Errorf("upgrade lost the data: %q", got)
	}
	checkOwner(t, filepath.Join(root, "etc/antri/antri.toml"), 0, gid, 0o640)

	dpkg("-r", "antri") // remove: config and data stay
	if _, err := os.Stat(filepath.Join(root, "usr/bin/antrid")); !os.IsNotExist(err) {
		t.Errorf("remove left /usr/bin/antrid: %v", err)
	}
	if got := read(t, filepath.Join(root, "etc/antri/antri.toml")); got != edited {
		t.Errorf("remove changed the config: %q", got)
	}
	if got := read(t, filepath.Join(root, "var/lib/antri/antri.db")); got != "queue history" {
		t.Errorf("remove lost the data: %q", got)
	}

	dpkg("--purge", "antri") // purge: config goes, queue history stays
	if _, err := os.Stat(filepath.Join(root, "etc/antri")); !os.IsNotExist(err) {
		t.Errorf("purge left /etc/antri: %v", err)
	}
	if got := read(t, filepath.Join(root, "var/lib/antri/antri.db")); got != "queue history" {
		t.Errorf("purge deleted the queue history: %q", got)
	}
}

func atoi(t *testing.T, s string) int {
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func checkOwner(t *testing.T, path string, uid, gid int, mode os.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	sys := st.Sys().(*syscall.Stat_t)
	if int(sys.Uid) != uid || int(sys.Gid) != gid || st.Mode()&(os.ModeDir|os.ModePerm) != mode {
		t.Errorf("%s is %d:%d %v, want %d:%d %v", path, sys.Uid, sys.Gid, st.Mode(), uid, gid, mode)
	}
}

// TestAssembleImage builds an SD image from a tiny root filesystem with the
// same script make image uses, and reads it back: MBR with a bootable FAT
// partition holding the firmware files and the technician's antri.toml, the
// ext4 root by label without the FAT files, and the data partition owned by
// antri. No loop devices, no mounts, no root needed.
func TestAssembleImage(t *testing.T) {
	need(t, "mkfs.vfat", "mcopy", "mdir", "sfdisk", "mke2fs", "debugfs", "e2label")
	rootfs := t.TempDir()
	write(t, filepath.Join(rootfs, "boot/firmware/cmdline.txt"), "console=tty1 root=LABEL=antri-root rw\n")
	write(t, filepath.Join(rootfs, "boot/firmware/config.txt"), "arm_64bit=1\n")
	write(t, filepath.Join(rootfs, "boot/vmlinuz-6.1.0-arm64"), "kernel")
	write(t, filepath.Join(rootfs, "boot/initrd.img-6.1.0-arm64"), "initrd")
	write(t, filepath.Join(rootfs, "etc/passwd"), "root:x:0:0::/root:/bin/sh\nantri:x:996:995::/var/lib/antri:/usr/sbin/nologin\n")
	write(t, filepath.Join(rootfs, "usr/share/antri/antrid.example.toml"), "[office]\nid = \"mpp-contoh\"\n")
	out := t.TempDir()
	img := filepath.Join(out, "antri.img")
	run(t, []string{"DATA_MIB=16", "TMPDIR=" + t.TempDir()}, "sh", "image/assemble.sh", rootfs, img, filepath.Join(out, "test"))

	// The root filesystem folder is left as it was.
	if _, err := os.Stat(filepath.Join(rootfs, "boot/firmware/cmdline.txt")); err != nil {
		t.Errorf("assemble.sh changed the rootfs: %v", err)
	}

	table := run(t, nil, "sfdisk", "--dump", img)
	parts := regexp.MustCompile(`(?m)^\S+ : start=\s*(\d+), size=\s*(\d+), type=(\w+)(, bootable)?$`).FindAllStringSubmatch(table, -1)
	if len(parts) != 3 || parts[0][3] != "c" || parts[0][4] == "" || parts[1][3] != "83" || parts[2][3] != "83" {
		t.Fatalf("partition table:\n%s", table)
	}
	extract := func(i int) string {
		p := filepath.Join(out, fmt.Sprintf("part%d", i+1))
		start, size := atoi(t, parts[i][1])*512, atoi(t, parts[i][2])*512
		run(t, nil, "dd", "if="+img, "of="+p, "bs=1M", "iflag=skip_bytes,count_bytes", "conv=sparse",
			fmt.Sprintf("skip=%d", start), fmt.Sprintf("count=%d", size), "status=none")
		return p
	}

	fat := extract(0)
	listing := run(t, nil, "mdir", "-b", "-i", fat, "::/")
	for _, f := range []string{"::/cmdline.txt", "::/config.txt", "::/antri.toml", "::/wifi.txt.contoh", "::/BACA-SAYA.txt"} {
		if !strings.Contains(listing, f) {
			t.Errorf("boot partition lacks %s:\n%s", f, listing)
		}
	}
	if label := run(t, nil, "sh", "-c", "MTOOLS_SKIP_CHECK=1 mlabel -s -i "+fat+" ::"); !strings.Contains(label, "ANTRI-BOOT") {
		t.Errorf("boot partition label: %s", label)
	}

	root := extract(1)
	if lbl := strings.TrimSpace(run(t, nil, "e2label", root)); lbl != "antri-root" {
		t.Errorf("root label %q, want antri-root (cmdline.txt boots by it)", lbl)
	}
	rootLs := run(t, nil, "debugfs", "-R", "ls -l /boot/firmware", root)
	if strings.Contains(rootLs, "cmdline.txt") {
		t.Errorf("FAT files copied into the root filesystem too:\n%s", rootLs)
	}
	if cat := run(t, nil, "debugfs", "-R", "cat /etc/passwd", root); !strings.Contains(cat, "antri:x:996") {
		t.Errorf("root filesystem lacks /etc/passwd content:\n%s", cat)
	}

	data := extract(2)
	if lbl := strings.TrimSpace(run(t, nil, "e2label", data)); lbl != "antri-data" {
		t.Errorf("data label %q, want antri-data", lbl)
	}
	stat := run(t, nil, "debugfs", "-R", "stat /", data)
	if !regexp.MustCompile(`User:\s+996\s+Group:\s+995`).MatchString(stat) || !strings.Contains(stat, "Mode:  0750") {
		t.Errorf("data partition root is not antri's 0750:\n%s", stat)
	}

	for _, f := range []string{"vmlinuz", "initrd.img"} {
		if _, err := os.Stat(filepath.Join(out, "test", f)); err != nil {
			t.Errorf("boot-test input %s missing: %v", f, err)
		}
	}
}
