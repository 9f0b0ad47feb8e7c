package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/antri-id/antri/queue"
)

// backupCmd copies the office's database, while antrid runs, into a folder: the nightly
// backup to the USB drive ANTRI-BACKUP of an office without headquarters (docs/FLEET.md,
// "Restore a dead card"; deploy/backup/ mounts the drive and runs it). The copy is one
// consistent instant of the database (queue.Backup), written beside its final name and
// renamed when complete and checked. The oldest backups of the office are deleted to keep
// -keep of them, and to make room when the drive is short of it; the newest one is never
// deleted to make room, and nothing is written when the room cannot be found.
//
//	antrid backup -config FILE -data DIR -to FOLDER [-keep 14]
func backupCmd(args []string) int {
	fs := flag.NewFlagSet("antrid backup", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "config file (TOML)")
	data := fs.String("data", "./var", "data folder holding antri.db")
	to := fs.String("to", "", "folder to write the backup into (on the USB drive)")
	keep := fs.Int("keep", 14, "how many backups of this office to keep")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *cfgPath == "" || *to == "" || *keep < 1 || fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "pemakaian: antrid backup -config FILE -data DIR -to FOLDER [-keep 14]")
		return 2
	}
	cfg, err := queue.LoadConfig(*cfgPath)
	if err == nil {
		var path string
		path, err = backup(context.Background(), cfg.Office.ID, filepath.Join(*data, dbName), *to, *keep, time.Now(), os.Stdout)
		if err == nil {
			fmt.Printf("Cadangan tersimpan: %s\nPulihkan dengan: antrid restore -config %s -data DIR -from %s\n", path, *cfgPath, path)
			return 0
		}
	}
	fmt.Fprintln(os.Stderr, "antrid backup:", err)
	return 1
}

// backupMargin is room left on the drive beyond the backup itself.
const backupMargin = 16 << 20

// backupPrefix starts the file name of an office's backups; the rest is the time.
func backupPrefix(office string) string { return "antri-" + office + "-" }

// backup writes the database db into folder as antri-<office>-YYYYMMDD-HHMMSS.db and
// rotates the office's backups there; it returns the new file.
func backup(ctx context.Context, office, db, folder string, keep int, now time.Time, log io.Writer) (string, error) {
	fi, err := os.Stat(db)
	if err != nil {
		return "", fmt.Errorf("database %s tidak ada; periksa -data", db)
	}
	need := fi.Size() + backupMargin
	if wal, err := os.Stat(db + "-wal"); err == nil {
		need += wal.Size() // the copy holds what the WAL holds too
	}
	if err := os.MkdirAll(folder, 0o750); err != nil {
		return "", err
	}
	old, err := backups(folder, office)
	if err != nil {
		return "", err
	}
	// Room: the oldest go first, never the newest (the one good copy the office has).
	for {
		free, _, ok := diskSpace(folder)
		if !ok || free >= need {
			break
		}
		if len(old) <= 1 {
			return "", fmt.Errorf("ruang di %s tinggal %d MB, cadangan butuh sekitar %d MB; tidak ada cadangan lama yang boleh dihapus lagi. "+
				"Pakai drive yang lebih besar atau kosongkan drive ini (cadangan terakhir disimpan)", folder, free>>20, need>>20)
		}
		fmt.Fprintf(log, "menghapus cadangan lama %s untuk memberi ruang\n", old[0])
		if err := os.Remove(filepath.Join(folder, old[0])); err != nil {
			return "", err
		}
		old = old[1:]
	}
	name := backupPrefix(office) + now.UTC().Format("20060102-150405") + ".db"
	final := filepath.Join(folder, name)
	part := final + ".part"
	os.Remove(part) // an earlier backup cut short (the drive pulled)
	if err := queue.Backup(ctx, db, part, queue.BackupOptions{}); err != nil {
		os.Remove(part)
		return "", err
	}
	if err := os.Rename(part, final); err != nil {
		return "", err
	}
	if d, err := os.Open(folder); err == nil {
		d.Sync()
		d.Close()
	}
	old = append(old, name)
	for len(old) > keep {
		fmt.Fprintf(log, "menghapus cadangan lama %s (disimpan %d terakhir)\n", old[0], keep)
		if err := os.Remove(filepath.Join(folder, old[0])); err != nil && !errors.Is(err, os.ErrNotExist) {
			return final, err
		}
		old = old[1:]
	}
	return final, nil
}

// backups lists the office's complete backups in folder, oldest first (the names sort by
// time).
func backups(folder, office string) ([]string, error) {
	ents, err := os.ReadDir(folder)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, backupPrefix(office)) && strings.HasSuffix(n, ".db") {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out, nil
}
