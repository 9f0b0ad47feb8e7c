package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/sync/upload"
	"github.com/antri-id/antri/sync/wire"
)

// restoreCmd rebuilds an office's database on a new SD card (docs/FLEET.md, "Restore a
// dead card"): from headquarters' copy of the office's events, or from a backup file
// (the USB drive ANTRI-BACKUP) topped up with the events headquarters holds after it.
// It never touches an existing database: it writes antri.db.restoring beside it and
// renames it antri.db only when the whole history is in.
//
//	antrid restore -config FILE -data DIR [-from BACKUP.db]
func restoreCmd(args []string) int {
	fs := flag.NewFlagSet("antrid restore", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "config file (TOML) of the office to restore")
	data := fs.String("data", "./var", "data folder where antri.db is to be restored (must have none)")
	from := fs.String("from", "", "a backup file (antrid backup) to restore from instead of headquarters alone")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *cfgPath == "" || fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "pemakaian: antrid restore -config FILE -data DIR [-from CADANGAN.db]")
		return 2
	}
	cfg, err := queue.LoadConfig(*cfgPath)
	if err == nil {
		var sum queue.RebuildSummary
		sum, err = restore(context.Background(), cfg, *data, *from, os.Stderr)
		if err == nil {
			printRestored(os.Stdout, cfg, filepath.Join(*data, dbName), sum)
			return 0
		}
	}
	fmt.Fprintln(os.Stderr, "antrid restore:", err)
	return 1
}

// dbName is the office database's file in the data folder.
const dbName = "antri.db"

// createdMarker is the file the store writes beside a database it created (queue
// storeopen.go): a folder with it once held a database, even if the file is gone now.
const createdMarker = dbName + ".created"

// refuseExisting says why the data folder must not be restored into: it holds a
// database, the WAL of one, or the marker that one was created there.
func refuseExisting(dir string) error {
	for _, name := range []string{dbName, dbName + "-wal", createdMarker} {
		p := filepath.Join(dir, name)
		if _, err := os.Lstat(p); err == nil {
			if name == createdMarker {
				return fmt.Errorf("folder %s pernah berisi database antrean (%s ada). Pemulihan tidak menimpa apa pun: "+
					"bila database di sana memang hilang dan akan diganti, pindahkan dulu %s ke tempat lain, lalu ulangi", dir, p, p)
			}
			return fmt.Errorf("%s sudah ada: pemulihan tidak pernah menimpa database. Pulihkan ke folder kosong "+
				"(kartu SD baru), atau pindahkan database lama bila memang akan diganti", p)
		} else if !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("memeriksa %s: %w", p, err)
		}
	}
	return nil
}

// restore writes dir/antri.db back and returns what it restored; progress goes to log.
func restore(ctx context.Context, cfg *queue.Config, dir, from string, log *os.File) (queue.RebuildSummary, error) {
	var sum queue.RebuildSummary
	if from == "" && cfg.HQ.URL == "" {
		return sum, errors.New("kantor ini tanpa [hq] url: pulihkan dari cadangan dengan -from /media/ANTRI-BACKUP/…/antri-….db")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return sum, err
	}
	if err := refuseExisting(dir); err != nil {
		return sum, err
	}
	tmp := filepath.Join(dir, dbName+".restoring")
	for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return sum, err // a restore interrupted earlier: its file is started again
		}
	}
	if from != "" {
		office, err := queue.OfficeOf(ctx, from)
		if err != nil {
			return sum, err
		}
		if office != "" && office != cfg.Office.ID {
			return sum, fmt.Errorf("cadangan %s milik kantor %q, bukan %q: pakai cadangan kantor ini sendiri", from, office, cfg.Office.ID)
		}
		fmt.Fprintf(log, "menyalin cadangan %s…\n", from)
		if err := queue.Backup(ctx, from, tmp, queue.BackupOptions{Pause: -1}); err != nil {
			return sum, err
		}
	}
	st, err := queue.OpenStore(tmp) // a backup of an older antrid is migrated here
	if err != nil {
		return sum, err
	}
	rb, err := st.Rebuild(ctx, cfg)
	hqHolds := int64(-1) // no headquarters: the uploader's progress stays as the backup had it
	if err == nil && cfg.HQ.URL != "" {
		hqHolds, err = fromHQ(ctx, cfg, st, rb, log)
	}
	if err == nil {
		sum, err = rb.Finish(hqHolds, time.Now())
	} else {
		rb.Abort()
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return sum, fmt.Errorf("%w (berkas sementara %s boleh dihapus; ulangi antrid restore)", err, tmp)
	}
	if err := refuseExisting(dir); err != nil { // something started an antrid meanwhile
		return sum, err
	}
	if err := os.Rename(tmp, filepath.Join(dir, dbName)); err != nil {
		return sum, err
	}
	os.Remove(tmp + ".created") // a marker the store may write beside the file it made: antri.db gets its own
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return sum, ownLikeFolder(dir, filepath.Join(dir, dbName))
}

// fromHQ folds the events headquarters holds after those already in the store, and
// returns the highest sequence headquarters holds without a gap.
func fromHQ(ctx context.Context, cfg *queue.Config, st *queue.Store, rb *queue.Rebuild, log *os.File) (int64, error) {
	u, err := upload.New(upload.Options{Store: st, Office: cfg.Office.ID, URL: cfg.HQ.URL, Secret: cfg.HQ.Secret, CAFile: cfg.HQ.CAFile})
	if err != nil {
		return 0, err
	}
	for {
		p, err := u.Events(ctx, rb.After())
		var se *upload.StatusError
		if errors.As(err, &se) && se.Code == wire.ErrorStale {
			p, err = u.Events(ctx, rb.After()) // signed again with headquarters' time
		}
		if errors.As(err, &se) && se.Status == http.StatusNotFound && rb.After() > 0 {
			return 0, nil // a backup of an office headquarters holds nothing of: all of it is to be sent
		}
		if err != nil {
			return 0, fmt.Errorf("mengambil event dari headquarters: %w", err)
		}
		if p.Held > p.AckedSeq {
			return 0, fmt.Errorf("headquarters memegang %d event kantor ini tetapi hanya 1–%d tanpa celah; "+
				"pemulihan tidak bisa menyusun riwayat yang lengkap, dan kantor yang dipulihkan akan menomori event baru di atas event sesudah celah itu. "+
				"Minta pengelola headquarters memeriksa kantor %s", p.Held, p.AckedSeq, cfg.Office.ID)
		}
		if len(p.Events) == 0 {
			if rb.After() < p.AckedSeq {
				return 0, fmt.Errorf("headquarters berhenti di urutan %d padahal memegang sampai %d", rb.After(), p.AckedSeq)
			}
			return p.AckedSeq, nil
		}
		for _, ev := range p.Events {
			if err := rb.Add(ev); err != nil {
				return 0, err
			}
		}
		fmt.Fprintf(log, "dipulihkan sampai event %d dari %d\n", rb.After(), p.AckedSeq)
	}
}

// ownLikeFolder gives the restored file to the data folder's owner: a technician runs
// the restore as root, antrid runs as the antri user and must be able to write it.
func ownLikeFolder(dir, file string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	return os.Chown(file, int(st.Uid), int(st.Gid))
}

// printRestored tells the technician what is back.
func printRestored(w *os.File, cfg *queue.Config, path string, s queue.RebuildSummary) {
	fmt.Fprintf(w, "Database %s dipulihkan untuk kantor %s.\n", path, cfg.Office.ID)
	if s.Events > 0 {
		fmt.Fprintf(w, "  %d event dipulihkan, sampai urutan %d (%s).\n", s.Events, s.LastSeq, s.LastAt.In(cfg.Location).Format("2006-01-02 15.04"))
	}
	fmt.Fprintf(w, "  %d tiket, %d pengaduan, %d survei.\n", s.Tickets, s.Complaints, s.Surveys)
	if s.LastDay != "" {
		var last []string
		for _, n := range s.LastNumbers {
			last = append(last, n)
		}
		sort.Strings(last)
		fmt.Fprintf(w, "  Nomor terakhir tanggal %s: %s; nomor berikutnya melanjutkannya.\n", s.LastDay, strings.Join(last, ", "))
	}
	fmt.Fprintln(w, "  Event yang belum sempat terkirim ke headquarters sebelum kartu rusak tidak ada di sini.")
	fmt.Fprintln(w, "Jalankan antrid seperti biasa (systemctl start antrid).")
}
