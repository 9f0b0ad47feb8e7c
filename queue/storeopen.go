package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	sqlite3 "modernc.org/sqlite/lib"
)

// StoreOptions are how the office's database is opened (OpenStoreWith).
type StoreOptions struct {
	// AllowNew lets the open create an empty database where the data folder's marker says
	// one existed before (antrid -allow-new-database): the office's history is then gone,
	// which must be a technician's decision, never a side effect of a restart.
	AllowNew bool
	// CheckWait bounds how long the open waits for PRAGMA quick_check (DefaultCheckWait
	// when zero). A big database on a slow SD card can take minutes; past the bound the
	// database opens and the check goes on in the background, and a problem it finds
	// then shows on Health (/healthz 503) instead of stopping the office at the door.
	CheckWait time.Duration
	// MinFree is the free space, in bytes, on the database's file system below which
	// Health reports a fault (DefaultMinFree when zero).
	MinFree int64
}

// DefaultCheckWait is how long opening the database waits for its quick_check: well
// inside the unit's TimeoutStartSec (deploy/antrid.service), and long enough to finish a
// year of a busy office's tickets on a Pi 3's card.
const DefaultCheckWait = 20 * time.Second

// DefaultMinFree is the free space below which Health reports the card nearly full (64
// MiB): about two weeks of a busy MPP's growth on the 1 GiB data partition, and room for
// SQLite's WAL and a checkpoint. [storage] min_free_mb changes it.
const DefaultMinFree = 64 << 20

func (o *StoreOptions) defaults() {
	if o.CheckWait <= 0 {
		o.CheckWait = DefaultCheckWait
	}
	if o.MinFree <= 0 {
		o.MinFree = DefaultMinFree
	}
}

// ErrStoreRefused matches the errors of OpenStoreWith that a restart cannot mend: the
// database is missing or empty where one existed, or it is corrupt. A technician must
// act (deploy/README.md, "Pemulihan"); antrid exits with its own status so that systemd
// does not restart it in a loop.
var ErrStoreRefused = errors.New("database ditolak")

// refusal is an error of OpenStoreWith that matches ErrStoreRefused.
type refusal string

func (r refusal) Error() string        { return string(r) }
func (r refusal) Is(target error) bool { return target == ErrStoreRefused }

// markerSuffix names the file beside the database that says one was created here.
const markerSuffix = ".created"

// recovery is where every refusal sends the technician.
const recovery = `lihat deploy/README.md, bagian "Pemulihan"`

// prepare decides, before SQLite touches the file, whether the open may go on: it refuses
// a missing or empty database where the marker says one existed (unless o.AllowNew), and
// checks an existing one. created reports that the open will create the database.
func (s *Store) prepare(o StoreOptions) (created bool, err error) {
	marker, hadDB := readMarker(s.path)
	fi, err := os.Stat(s.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if hadDB && !o.AllowNew {
			return false, refusal(fmt.Sprintf("database %s tidak ada, padahal folder ini pernah berisi database antrean (%s). "+
				"antrid tidak membuat database kosong baru agar riwayat antrean tidak hilang tanpa disadari. "+
				"Kembalikan berkas itu dari cadangan, atau bila memang ingin mulai dari kosong jalankan antrid sekali dengan -allow-new-database (%s)",
				s.path, marker, recovery))
		}
		if hadDB {
			slog.Warn("membuat database kosong baru atas perintah -allow-new-database; riwayat lama tidak ada di sini", "path", s.path)
		}
		return true, nil
	case err != nil:
		return false, fmt.Errorf("memeriksa database %s: %w (periksa izin folder dan kartu SD)", s.path, err)
	case fi.IsDir():
		return false, refusal(fmt.Sprintf("%s adalah folder, bukan database; periksa -data", s.path))
	case fi.Size() == 0:
		if hadDB && !o.AllowNew {
			return false, refusal(fmt.Sprintf("database %s kosong (0 byte), padahal folder ini pernah berisi database antrean (%s). "+
				"antrid tidak mengisinya sebagai database baru dan tidak mengubahnya. "+
				"Kembalikan berkas itu dari cadangan, atau bila memang ingin mulai dari kosong jalankan antrid sekali dengan -allow-new-database (%s)",
				s.path, marker, recovery))
		}
		return true, nil
	}
	return false, s.startCheck(o.CheckWait)
}

// readMarker reads the marker beside the database: its first line, and whether it exists.
func readMarker(dbPath string) (string, bool) {
	b, err := os.ReadFile(dbPath + markerSuffix)
	if err != nil {
		return "", false
	}
	first, _, _ := strings.Cut(string(b), "\n")
	return "penanda " + dbPath + markerSuffix + ": " + strings.TrimSpace(first), true
}

// markCreated writes the marker when the database was just created, or when an existing
// database has none yet (one made before markers existed).
func (s *Store) markCreated(created bool) error {
	marker := s.path + markerSuffix
	if _, err := os.Stat(marker); err == nil && !created {
		return nil
	}
	what := "ditemukan"
	if created {
		what = "dibuat"
	}
	text := fmt.Sprintf("Database %s %s oleh antrid pada %s.\n\n"+
		"Berkas ini menandai bahwa folder ini berisi database antrean. Bila database itu hilang atau kosong,\n"+
		"antrid menolak berjalan daripada membuat database kosong baru tanpa disadari.\n"+
		"Jangan hapus berkas ini; %s.\n",
		filepath.Base(s.path), what, time.Now().UTC().Format(time.RFC3339), recovery)
	if err := writeFileSynced(marker, []byte(text)); err != nil {
		return fmt.Errorf("menulis penanda database %s: %w", marker, err)
	}
	return nil
}

// writeFileSynced writes a small file so that it survives a pulled plug: a temporary
// file, fsync, rename, fsync of the folder.
func writeFileSynced(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer dir.Close()
	return dir.Sync()
}

// QuickCheck runs PRAGMA quick_check on the SQLite file at path through a read-only
// connection, which neither writes to the file nor checkpoints its WAL when it closes.
// A corrupt file, or one that is not a database, gives an error matching
// ErrStoreRefused that says what was found; ctx bounds the check (SQLite is interrupted).
func QuickCheck(ctx context.Context, path string) error {
	found, err := quickCheck(ctx, path)
	if err != nil {
		return err
	}
	return corrupt(path, found)
}

// corrupt is the refusal of a file in which quick_check found something, or nil.
func corrupt(path, found string) error {
	if found == "" {
		return nil
	}
	return refusal(fmt.Sprintf("database %s rusak menurut PRAGMA quick_check: %s. "+
		"antrid tidak membuka dan tidak mengubah berkas itu; simpan salinannya (beserta berkas -wal bila ada) untuk diperiksa dan pulihkan dari cadangan (%s)",
		path, found, recovery))
}

// quickCheck is QuickCheck's work: what quick_check found wrong ("" when the file is
// sound), or an error when it could not look.
func quickCheck(ctx context.Context, path string) (found string, err error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return "", err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var lines []string
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check(5)")
	if err == nil {
		for rows.Next() {
			var line string
			if err = rows.Scan(&line); err != nil {
				break
			}
			lines = append(lines, line)
		}
		if err == nil {
			err = rows.Err()
		}
		rows.Close()
	}
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if err != nil {
		switch storageFault(err) {
		case sqlite3.SQLITE_NOTADB:
			return "", refusal(fmt.Sprintf("berkas %s bukan database SQLite (kepala berkas rusak atau tertimpa). "+
				"antrid tidak membuka dan tidak mengubahnya; simpan salinannya untuk diperiksa dan pulihkan dari cadangan (%s)", path, recovery))
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_IOERR:
			return err.Error(), nil
		default:
			return "", fmt.Errorf("memeriksa database %s: %w", path, err)
		}
	}
	if len(lines) == 1 && lines[0] == "ok" {
		return "", nil
	}
	return strings.Join(lines, "; "), nil
}

// backgroundCheck is a quick_check that outlasted CheckWait and goes on beside the
// running store.
type backgroundCheck struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// startCheck runs QuickCheck and waits for it at most wait. A problem found in time is
// returned; otherwise the check goes on, and a problem it finds later is kept for Health.
func (s *Store) startCheck(wait time.Duration) error {
	type outcome struct {
		found string
		err   error
	}
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan outcome, 1)
	go func() {
		found, err := quickCheck(ctx, s.path)
		result <- outcome{found, err}
	}()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case o := <-result:
		cancel()
		if o.err != nil {
			return o.err
		}
		return corrupt(s.path, o.found)
	case <-timer.C:
	}
	slog.Warn("pemeriksaan database (quick_check) belum selesai; antrid tetap dibuka dan pemeriksaan dilanjutkan di latar belakang; hasilnya tampil di /healthz",
		"path", s.path, "menunggu", wait.String())
	bc := &backgroundCheck{cancel: cancel, done: make(chan struct{})}
	s.check = bc
	go func() {
		defer close(bc.done)
		o := <-result
		switch {
		case ctx.Err() != nil:
			return // the store closed first
		case o.err != nil:
			slog.Error("pemeriksaan database di latar belakang tidak selesai", "err", o.err)
			s.health.setCorrupt("pemeriksaan quick_check gagal: " + o.err.Error())
		case o.found != "":
			slog.Error("pemeriksaan database di latar belakang menemukan kerusakan", "path", s.path, "quick_check", o.found)
			s.health.setCorrupt("PRAGMA quick_check: " + o.found)
		default:
			slog.Info("pemeriksaan database di latar belakang selesai: baik", "path", s.path)
		}
	}()
	return nil
}

// stopCheck ends a background check and waits until its connection is closed.
func (s *Store) stopCheck() {
	if s.check == nil {
		return
	}
	s.check.cancel()
	<-s.check.done
}
