//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// top is the repository (the tests run in deploy/image/e2e).
var top, _ = filepath.Abs("../../..")

// img is the image under test and everything the overlay is made of.
var img struct {
	path, kernel, initrd string
	kver, kpkg           string // 6.1.0-57-arm64, 6.1.192-3
	root, boot, data     partition
	base                 string // the image with the test overlay and e2e.toml
	work                 string
}

type partition struct{ offset, size int64 }

func TestMain(m *testing.M) {
	if err := prepare(); err != nil {
		if os.Getenv("CI") != "" || os.Getenv("E2E_REQUIRED") != "" {
			fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "e2e: skipped: %v\n", err)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func prepare() error {
	for _, tool := range []string{"qemu-system-aarch64", "debugfs", "mcopy", "sfdisk", "e2fsck", "fsck.vfat", "zbarimg", "aarch64-linux-gnu-gcc-12"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s not installed (.ci/run installs it)", tool)
		}
	}
	img.path = os.Getenv("E2E_IMAGE")
	if img.path == "" {
		imgs, _ := filepath.Glob(filepath.Join(top, "dist/antri-*-arm64.img"))
		sort.Slice(imgs, func(i, j int) bool { return modTime(imgs[i]) > modTime(imgs[j]) })
		if len(imgs) == 0 {
			return fmt.Errorf("no dist/antri-*-arm64.img: run make image first")
		}
		img.path = imgs[0]
	}
	dir := filepath.Join(top, "dist/image")
	img.kernel, img.initrd = filepath.Join(dir, "vmlinuz"), filepath.Join(dir, "initrd.img")
	img.work = filepath.Join(top, "dist/e2e")
	if err := os.MkdirAll(filepath.Join(img.work, "artefacts"), 0o755); err != nil {
		return err
	}
	parts, err := partitions(img.path)
	if err != nil {
		return err
	}
	img.boot, img.root, img.data = parts[0], parts[1], parts[2]

	// The image's own kernel, read from its root file system.
	ls, err := debugfs(img.path, img.root, false, "ls -p /lib/modules")
	if err != nil {
		return err
	}
	m := regexp.MustCompile(`/(\d+\.\d+\.\d+-\d+-arm64)/`).FindStringSubmatch(ls)
	if m == nil {
		return fmt.Errorf("no kernel under /lib/modules in %s:\n%s", img.path, ls)
	}
	img.kver = m[1]
	status, err := debugfs(img.path, img.root, false, "cat /var/lib/dpkg/status")
	if err != nil {
		return err
	}
	m = regexp.MustCompile(`(?m)^Package: linux-image-` + regexp.QuoteMeta(img.kver) + `\n(?:[^\n]+\n)*?Version: (\S+)`).FindStringSubmatch(status)
	if m == nil {
		return fmt.Errorf("linux-image-%s not in the image's dpkg status", img.kver)
	}
	img.kpkg = m[1]
	if out, err := debugfs(img.path, img.root, false, "stat /usr/local/lib/antri-e2e"); err == nil && !strings.Contains(out, "not found") {
		return fmt.Errorf("%s contains the test overlay (/usr/local/lib/antri-e2e): it must never ship", img.path)
	}

	// The overlay: modules for exactly that kernel, the agent for arm64.
	mods := filepath.Join(img.work, "modules")
	if out, err := exec.Command("sh", filepath.Join(top, "deploy/image/e2e/gpio-sim.sh"), img.kver, img.kpkg, mods).CombinedOutput(); err != nil {
		return fmt.Errorf("gpio-sim.sh: %v\n%s", err, out)
	}
	agent, err := crossBuild(img.work, "antri-e2e-agent", "arm64", "", "./deploy/image/e2e/agent")
	if err != nil {
		return fmt.Errorf("building the agent: %v", err)
	}

	img.base = filepath.Join(img.work, "base.img")
	if err := copySparse(img.path, img.base); err != nil {
		return err
	}
	unit := filepath.Join(img.work, "antri-e2e-agent.service")
	if err := os.WriteFile(unit, []byte(agentUnit), 0o644); err != nil {
		return err
	}
	dropin := filepath.Join(img.work, "kiosk-e2e.conf")
	if err := os.WriteFile(dropin, []byte(kioskDropIn), 0o644); err != nil {
		return err
	}
	slow := filepath.Join(img.work, "e2e-slow-host.conf")
	if err := os.WriteFile(slow, []byte(slowHost), 0o644); err != nil {
		return err
	}
	d := "/usr/local/lib/antri-e2e"
	script := strings.Join([]string{
		"mkdir /etc/systemd/system.conf.d",
		"write " + slow + " /etc/systemd/system.conf.d/e2e-slow-host.conf",
		"mkdir " + d,
		"write " + agent + " " + d + "/antri-e2e-agent",
		"sif " + d + "/antri-e2e-agent mode 0100755",
		"write " + mods + "/gpio-sim.ko " + d + "/gpio-sim.ko",
		"write " + mods + "/irq_sim.ko " + d + "/irq_sim.ko",
		"write " + unit + " /etc/systemd/system/antri-e2e-agent.service",
		"symlink /etc/systemd/system/multi-user.target.wants/antri-e2e-agent.service /etc/systemd/system/antri-e2e-agent.service",
		"mkdir /etc/systemd/system/antri-kiosk.service.d",
		"write " + dropin + " /etc/systemd/system/antri-kiosk.service.d/e2e.conf",
	}, "\n")
	if out, err := debugfs(img.base, img.root, true, script); err != nil {
		return fmt.Errorf("writing the overlay: %v\n%s", err, out)
	}
	if out, err := debugfs(img.base, img.root, false, "ls -l "+d); err != nil || !strings.Contains(out, "antri-e2e-agent") {
		return fmt.Errorf("overlay not in %s: %v\n%s", img.base, err, out)
	}
	if out, err := exec.Command("mcopy", "-o", "-i", fmt.Sprintf("%s@@%d", img.base, img.boot.offset),
		filepath.Join(top, "deploy/image/e2e/e2e.toml"), "::/antri.toml").CombinedOutput(); err != nil {
		return fmt.Errorf("mcopy antri.toml: %v\n%s", err, out)
	}
	return nil
}

// agentUnit starts the agent before antrid, so the GPIO lines and the
// printer exist when antrid opens them.
const agentUnit = `[Unit]
Description=Antri e2e test agent (gpio-sim, USB printer gadget; test only)
After=systemd-udevd.service systemd-modules-load.service sys-kernel-config.mount
Wants=systemd-udevd.service
Before=antrid.service antri-kiosk.service

[Service]
Type=notify
ExecStart=/usr/local/lib/antri-e2e/antri-e2e-agent
Restart=on-failure

[Install]
WantedBy=multi-user.target
`

// slowHost gives udev more than systemd's 90 s to announce the partitions:
// on a loaded 2-core CI machine the emulated board's udev is that slow, and a
// timed-out /var/lib/antri leaves antrid failed for good (it requires the
// mount). A real Pi's udev takes seconds.
const slowHost = `[Manager]
DefaultDeviceTimeoutSec=600
`

// kioskDropIn has cage draw with wlroots' software renderer (the kiosk
// launcher itself keeps Chromium's DevTools on the VM's loopback, which the
// agent forwards for the host to read the DOM): qemu's virtio GPU without virgl
// offers no OpenGL, so Mesa's EGL refuses it ("DRI2: failed to create
// screen") and bookworm's cage then crashed at every start (SIGSEGV, 54
// restarts in 13 minutes on 1 December). A Pi's GPU has OpenGL ES (vc4, v3d);
// this drop-in is the test's only.
const kioskDropIn = `[Service]
Environment=WLR_RENDERER=pixman
`

func modTime(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.ModTime().UnixNano()
}

// partitions reads the image's MBR with sfdisk.
func partitions(path string) ([]partition, error) {
	out, err := exec.Command("sfdisk", "--json", path).Output()
	if err != nil {
		return nil, fmt.Errorf("sfdisk --json %s: %v", path, err)
	}
	var pt struct {
		PartitionTable struct {
			SectorSize int64 `json:"sectorsize"`
			Partitions []struct {
				Start, Size int64
			} `json:"partitions"`
		} `json:"partitiontable"`
	}
	if err := json.Unmarshal(out, &pt); err != nil {
		return nil, err
	}
	ss := pt.PartitionTable.SectorSize
	if ss == 0 {
		ss = 512
	}
	var ps []partition
	for _, p := range pt.PartitionTable.Partitions {
		ps = append(ps, partition{p.Start * ss, p.Size * ss})
	}
	if len(ps) != 3 {
		return nil, fmt.Errorf("%s has %d partitions, want boot, root, data", path, len(ps))
	}
	return ps, nil
}

// debugfs runs requests (one a line) on the ext4 file system at p in file.
func debugfs(file string, p partition, write bool, requests string) (string, error) {
	f, err := os.CreateTemp("", "debugfs")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	f.WriteString(requests + "\n")
	f.Close()
	args := []string{"-f", f.Name()}
	if write {
		args = append(args, "-w")
	}
	args = append(args, fmt.Sprintf("%s?offset=%d", file, p.offset))
	out, err := exec.Command("debugfs", args...).CombinedOutput()
	return string(out), err
}

// copySparse copies the image keeping its holes (3.5 GB, about 1.4 GB used).
func copySparse(from, to string) error {
	if out, err := exec.Command("cp", "--sparse=always", from, to).CombinedOutput(); err != nil {
		return fmt.Errorf("cp %s: %v\n%s", from, err, out)
	}
	return nil
}

// freshDisk is a new copy of the base disk for one test: first boot runs on it.
func freshDisk(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp(img.work, "disk-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	p := filepath.Join(dir, "sd.img")
	if err := copySparse(img.base, p); err != nil {
		t.Fatal(err)
	}
	return p
}

// artefacts is the folder kept for a test's screenshots, tickets and logs.
func artefacts(t *testing.T) string {
	d := filepath.Join(img.work, "artefacts", strings.ReplaceAll(t.Name(), "/", "_"))
	os.MkdirAll(d, 0o755)
	return d
}

// checkFilesystems runs read-only checks of the three partitions of a disk
// whose VM has shut down cleanly.
func checkFilesystems(t *testing.T, disk string) {
	t.Helper()
	for name, p := range map[string]partition{"antri-root": img.root, "antri-data": img.data} {
		out, err := exec.Command("e2fsck", "-f", "-n", fmt.Sprintf("%s?offset=%d", disk, p.offset)).CombinedOutput()
		if err != nil {
			t.Errorf("e2fsck -fn %s: %v\n%s", name, err, out)
		}
	}
	bootImg := filepath.Join(t.TempDir(), "boot.img")
	if err := extract(disk, img.boot, bootImg); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("fsck.vfat", "-n", bootImg).CombinedOutput(); err != nil {
		t.Errorf("fsck.vfat -n ANTRI-BOOT: %v\n%s", err, out)
	}
}

// extract copies one partition out of a disk image.
func extract(disk string, p partition, to string) error {
	in, err := os.Open(disk)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	defer out.Close()
	_, err = io.Copy(out, io.NewSectionReader(in, p.offset, p.size))
	return err
}
