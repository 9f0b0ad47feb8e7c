package deploy_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// stubs puts stand-ins for the commands antri-backup.sh runs as root (blkid, mount,
// umount, setpriv, id) first in PATH; each logs its arguments to log. setpriv runs the
// rest of its command line as the test's own user.
func stubs(t *testing.T, fstype, log string) []string {
	t.Helper()
	bin := t.TempDir()
	for name, body := range map[string]string{
		"blkid":   "echo " + fstype,
		"mount":   `echo "mount $*" >>"$STUB_LOG"`,
		"umount":  `echo "umount $*" >>"$STUB_LOG"`,
		"chown":   `echo "chown $*" >>"$STUB_LOG"`,
		"id":      `[ "$1" = -u ] && echo 1234 || echo 4321`,
		"setpriv": `echo "setpriv $*" >>"$STUB_LOG"; while [ "$1" != -- ]; do shift; done; shift; exec "$@"`,
	} {
		write(t, filepath.Join(bin, name), "#!/bin/sh\n"+body+"\n")
		os.Chmod(filepath.Join(bin, name), 0o755)
	}
	return []string{"PATH=" + bin + ":" + os.Getenv("PATH"), "STUB_LOG=" + log}
}

// TestBackupScriptMountsWritesAndUnmounts runs antri-backup.sh with stand-ins for the
// root-only commands and the real antrid: nothing without the drive; with a FAT drive
// it is mounted for the antri user without exec, the real antrid writes a backup of the
// office's database into antri/ as that user, and the drive is unmounted at the end; a
// drive of another format is refused with what to do.
func TestBackupScriptMountsWritesAndUnmounts(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	st, err := queue.OpenStore(filepath.Join(data, "antri.db"))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	cfg := queuetest.ConfigFile(t, "office")
	drive, device, log := filepath.Join(dir, "drive"), filepath.Join(dir, "sda1"), filepath.Join(dir, "stub.log")
	env := append(stubs(t, "vfat", log), "ANTRI_BACKUP_DEVICE="+device, "ANTRI_BACKUP_MOUNT="+drive,
		"ANTRID="+antrid, "ANTRI_CONFIG="+cfg, "ANTRI_DATA="+data)

	out := run(t, env, "sh", "backup/antri-backup.sh")
	if !strings.Contains(out, "tidak ada drive USB berlabel ANTRI-BACKUP") {
		t.Errorf("without the drive: %s", out)
	}
	write(t, device, "")
	out = run(t, env, "sh", "backup/antri-backup.sh")
	files, _ := filepath.Glob(filepath.Join(drive, "antri", "antri-mpp-uji-*.db"))
	if len(files) != 1 || !strings.Contains(out, "Cadangan tersimpan") {
		t.Fatalf("no backup written: %v\n%s", files, out)
	}
	calls := read(t, log)
	for _, want := range []string{
		"mount -t vfat -o noexec,nosuid,nodev,noatime,uid=1234,gid=4321,umask=0077 " + device + " " + drive,
		"setpriv --reuid=1234 --regid=4321 --init-groups -- " + antrid + " backup -config " + cfg + " -data " + data + " -to " + drive + "/antri -keep 14",
		"umount " + drive,
	} {
		if !strings.Contains(calls, want+"\n") {
			t.Errorf("antri-backup.sh did not run %q:\n%s", want, calls)
		}
	}
	cmd := exec.Command("sh", "backup/antri-backup.sh")
	cmd.Env = append(os.Environ(), append(stubs(t, "ntfs", log), "ANTRI_BACKUP_DEVICE="+device, "ANTRI_BACKUP_MOUNT="+drive)...)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "FAT32, exFAT atau ext4") {
		t.Errorf("an NTFS drive: %v\n%s", err, out)
	}
}

// TestBackupUnitsPromises: the backup runs at the lowest priorities, only with the drive
// present, at night and when the drive is plugged in.
func TestBackupUnitsPromises(t *testing.T) {
	svc, timer, rules := read(t, "backup/antri-backup.service"), read(t, "backup/antri-backup.timer"), read(t, "backup/90-antri-backup.rules")
	for _, want := range []string{"Nice=19", "IOSchedulingClass=idle", "ConditionPathExists=/dev/disk/by-label/ANTRI-BACKUP", "ExecStart=/usr/lib/antri/antri-backup"} {
		if !strings.Contains(svc, "\n"+want+"\n") {
			t.Errorf("antri-backup.service lacks %q", want)
		}
	}
	for _, want := range []string{"OnCalendar=*-*-* 02:30", "Persistent=true", "WantedBy=timers.target"} {
		if !strings.Contains(timer, "\n"+want+"\n") {
			t.Errorf("antri-backup.timer lacks %q", want)
		}
	}
	rule := regexp.MustCompile(`(?m)^ACTION=="add", SUBSYSTEM=="block", .*ENV\{ID_FS_LABEL\}=="ANTRI-BACKUP", TAG\+="systemd", ENV\{SYSTEMD_WANTS\}\+="antri-backup.service"$`)
	if !rule.MatchString(rules) {
		t.Errorf("90-antri-backup.rules does not start the backup when the drive comes:\n%s", rules)
	}
}
