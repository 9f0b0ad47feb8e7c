package main

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// smallDrive mounts a tmpfs of sizeMB: a USB drive that fills up. It needs root (CI
// runs as root).
func smallDrive(t *testing.T, sizeMB int) string {
	t.Helper()
	if os.Geteuid() != 0 {
		queuetest.SkipUnlessCI(t, "mounting a small tmpfs as the backup drive needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+strconv.Itoa(sizeMB)+"m", "tmpfs", dir).CombinedOutput(); err != nil {
		queuetest.SkipUnlessCI(t, "mount tmpfs: "+err.Error()+" "+string(out))
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	return dir
}

// bigOffice is an office database of about mb megabytes.
func bigOffice(t *testing.T, mb int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), dbName)
	st, err := queue.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO meta (key, value) VALUES ('ballast', randomblob(?))`, mb<<20); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBackupRotatesAndRespectsTheDrivesSpace: backups of the office are kept to -keep;
// when the drive is short of room the oldest are deleted first, never the newest; when
// even that is not enough nothing is written and the last good backup stays.
func TestBackupRotatesAndRespectsTheDrivesSpace(t *testing.T) {
	drive := smallDrive(t, 44)
	db := bigOffice(t, 10) // ~10 MB: with the 16 MB margin each backup needs ~26 MB free
	at := time.Date(2026, 11, 2, 19, 30, 0, 0, time.UTC)
	names := func() []string {
		b, err := backups(drive, "mpp-uji")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for night := range 3 {
		if _, err := backup(context.Background(), "mpp-uji", db, drive, 14, at.AddDate(0, 0, night), io.Discard); err != nil {
			t.Fatalf("night %d: %v", night, err)
		}
	}
	// 44 MB hold two backups; the third night the oldest made room.
	if got := names(); len(got) != 2 || got[0] != "antri-mpp-uji-20261103-193000.db" || got[1] != "antri-mpp-uji-20261104-193000.db" {
		t.Fatalf("backups on the drive: %v", got)
	}
	if _, err := backup(context.Background(), "mpp-uji", db, drive, 1, at.AddDate(0, 0, 3), io.Discard); err != nil {
		t.Fatal(err)
	}
	if got := names(); len(got) != 1 || got[0] != "antri-mpp-uji-20261105-193000.db" {
		t.Fatalf("keep 1: %v", got)
	}
	huge := bigOffice(t, 40)
	if _, err := backup(context.Background(), "mpp-uji", huge, drive, 14, at.AddDate(0, 0, 4), io.Discard); err == nil || !strings.Contains(err.Error(), "drive yang lebih besar") {
		t.Fatalf("a backup larger than the drive: %v", err)
	}
	if got := names(); len(got) != 1 || got[0] != "antri-mpp-uji-20261105-193000.db" {
		t.Fatalf("the last good backup must stay: %v", got)
	}
	if ents, _ := os.ReadDir(drive); len(ents) != 1 {
		t.Fatalf("a refused backup left files: %v", ents)
	}
}

// TestRestoreFromAUSBBackup: an office without headquarters backs up while it runs
// (antrid backup beside the daemon), its card dies, antrid restore -from brings it back
// with the same report and numbering; another office's backup is refused.
func TestRestoreFromAUSBBackup(t *testing.T) {
	cfg := queuetest.OfficeFile(t, "office", func(c *queue.Config) { c.Office.ID = "mpp-usb" })
	data := filepath.Join(t.TempDir(), "var")
	addr := antridtest.FreeAddr(t)
	d := antridtest.Start(t, addr, "-demo", "-config", cfg, "-data", data)
	for _, step := range [][2]string{{"/api/tickets", `{"service":"A"}`}, {"/api/tickets", `{"service":"A"}`}, {"/api/tickets", `{"service":"B"}`},
		{"/api/counters/1/call", ""}, {"/api/counters/1/finish", `{"outcome":"done"}`}, {"/api/surveys", `{"answers":[4,4,4,4,4,4,4,4,4]}`}} {
		d.Post(step[0], officeAdm, step[1])
	}
	drive := t.TempDir()
	code, out := antridtest.Run(t, "backup", "-config", cfg, "-data", data, "-to", drive)
	if code != 0 {
		t.Fatalf("antrid backup beside the running daemon: exit %d\n%s", code, out)
	}
	files, _ := filepath.Glob(filepath.Join(drive, "antri-mpp-usb-*.db"))
	if len(files) != 1 {
		t.Fatalf("backup files %v\n%s", files, out)
	}
	month := time.Now().In(time.FixedZone("WIB", 7*3600)).Format("2006-01")
	report := get(t, d.URL, "/api/reports/monthly?month="+month, officeAdm)
	if err := d.Stop(); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(data)

	other := queuetest.OfficeFile(t, "office", func(c *queue.Config) { c.Office.ID = "mpp-lain" })
	if code, out := antridtest.Run(t, "restore", "-config", other, "-data", data, "-from", files[0]); code == 0 || !strings.Contains(out, `milik kantor "mpp-usb"`) {
		t.Fatalf("another office's backup: exit %d\n%s", code, out)
	}
	if code, out := antridtest.Run(t, "restore", "-config", cfg, "-data", data, "-from", files[0]); code != 0 {
		t.Fatalf("antrid restore -from: exit %d\n%s", code, out)
	}
	d = antridtest.Start(t, addr, "-demo", "-config", cfg, "-data", data)
	if after := get(t, d.URL, "/api/reports/monthly?month="+month, officeAdm); string(after) != string(report) {
		t.Errorf("report differs after restoring the backup:\nbefore: %s\nafter:  %s", report, after)
	}
	var tk queue.Ticket
	if code := queuetest.Call(t, http.MethodPost, d.URL+"/api/tickets", "", strings.NewReader(`{"service":"A"}`), &tk); code != 201 || tk.Number != "A-003" {
		t.Fatalf("the next ticket: %d %s, want A-003", code, tk.Number)
	}
}

// TestRestoreFromABackupToppedUpFromHeadquarters: an office that syncs restores from an
// older backup; the events headquarters holds after the backup come too, and the
// uploader starts from what headquarters holds.
func TestRestoreFromABackupToppedUpFromHeadquarters(t *testing.T) {
	const id = "mpp-tambal"
	hq := fleetHQ(t, "", id)
	cfg := fleetOffice(t, id, hq)
	data := filepath.Join(t.TempDir(), "var")
	d := antridtest.Start(t, antridtest.FreeAddr(t), "-demo", "-config", cfg, "-data", data)
	d.Post("/api/tickets", "", `{"service":"A"}`)
	d.Post("/api/tickets", "", `{"service":"A"}`)
	synced(t, d)
	drive := t.TempDir()
	if code, out := antridtest.Run(t, "backup", "-config", cfg, "-data", data, "-to", drive); code != 0 {
		t.Fatalf("antrid backup: exit %d\n%s", code, out)
	}
	d.Post("/api/tickets", "", `{"service":"A"}`)
	d.Post("/api/tickets", "", `{"service":"A"}`)
	synced(t, d)
	if err := d.Stop(); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(data)
	holds := held(t, hq, id).Acked
	files, _ := filepath.Glob(filepath.Join(drive, "antri-"+id+"-*.db"))
	code, out := antridtest.Run(t, "restore", "-config", cfg, "-data", data, "-from", files[0])
	if code != 0 || !strings.Contains(out, "A-004") {
		t.Fatalf("antrid restore -from with headquarters: exit %d\n%s", code, out)
	}
	st, err := queue.OpenStoreReadOnly(filepath.Join(data, dbName))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acked, _, _ := st.SyncAcked(context.Background())
	last, _ := st.LastSeq(context.Background())
	if acked != holds || last != holds {
		t.Errorf("restored: acked %d, last event %d, want both %d", acked, last, holds)
	}
}
