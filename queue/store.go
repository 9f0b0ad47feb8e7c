package queue

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // pure Go: cross-compiles with CGO_ENABLED=0
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is the SQLite database of one office (see SQLite: one writer, a pool of readers).
type Store struct {
	w    *sql.DB // the single writer
	r    *sql.DB // readers
	path string

	health storeHealth // faults of the card and the file, for Health (storehealth.go)
	check  *backgroundCheck
}

// OpenStore opens (creating if needed) the database at path and applies any migrations
// it lacks, with the default StoreOptions: a missing, empty or corrupt database where one
// existed before is refused (OpenStoreWith). Every ticket is durable before Do returns
// (OpenSQLite).
func OpenStore(path string) (*Store, error) {
	return OpenStoreWith(path, StoreOptions{})
}

// OpenStoreWith opens the office's database at path as OpenStore does, with options.
//
// It never puts an empty database where one existed: the first creation writes a marker
// beside the file (path + ".created"), and while the marker exists a missing or
// zero-length file is refused (an error matching ErrStoreRefused) unless o.AllowNew. An
// existing file is checked with PRAGMA quick_check on a read-only connection before
// anything writes to it; a corrupt file is refused and left exactly as it was. The wait
// for the check is bounded (o.CheckWait): past it the database opens and the check goes
// on in the background, reporting through Health.
func OpenStoreWith(path string, o StoreOptions) (*Store, error) {
	o.defaults()
	s := &Store{path: path}
	s.health.minFree = o.MinFree
	created, err := s.prepare(o)
	if err != nil {
		return nil, err
	}
	db, err := OpenSQLite(path, "foreign_keys(1)")
	if err != nil {
		s.stopCheck()
		return nil, err
	}
	s.w, s.r = db.W, db.R
	if err := s.migrate(); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.markCreated(created); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.health.remember(path); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenStoreReadOnly opens an existing database only to read it, beside a running antrid
// (antrid report): it never migrates (a newer program must not change a running daemon's
// database), never checkpoints (that would stall the daemon's tickets) and has no writer.
// It refuses a database whose schema is not the one this program knows.
func OpenStoreReadOnly(path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("database %s tidak ada; periksa -data (folder data antrid)", path)
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "query_only(1)"} {
		q.Add("_pragma", p)
	}
	r, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode()+"&mode=ro")
	if err != nil {
		return nil, err
	}
	r.SetMaxOpenConns(4)
	var have int
	if err := r.QueryRow("PRAGMA user_version").Scan(&have); err != nil {
		r.Close()
		return nil, fmt.Errorf("membaca database %s: %w", path, err)
	}
	if want := latestMigration(); have != want {
		r.Close()
		if have > want {
			return nil, fmt.Errorf("database %s dibuat antrid yang lebih baru (skema %d, program ini %d); pakai antrid yang sedang berjalan", path, have, want)
		}
		return nil, fmt.Errorf("database %s masih skema %d, program ini %d; jalankan daemon antrid versi ini sekali agar database diperbarui", path, have, want)
	}
	return &Store{r: r, path: path}, nil
}

// Close checkpoints the WAL and closes the database; a read-only store only closes.
//
// When the file was removed or replaced under the running daemon, Close leaves the
// connections to the process's exit: closing them would checkpoint into the old file and
// delete the -wal file by name, which by then may belong to the file a technician put
// back.
func (s *Store) Close() error {
	s.stopCheck()
	if s.w == nil {
		return s.r.Close()
	}
	if s.health.moved(s.path) != "" {
		return nil
	}
	_, _ = s.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	err1 := s.r.Close()
	err2 := s.w.Close()
	if err1 != nil {
		return err1
	}
	return err2
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Ping checks that the database answers on the writer's connection, which stays open
// for the life of the store: a reader may have to open the file anew, and the daemon's
// watchdog must not restart antrid because of a fault a restart cannot mend (Health
// reports those).
func (s *Store) Ping(ctx context.Context) error {
	db := s.w
	if db == nil {
		db = s.r
	}
	var n int
	return db.QueryRowContext(ctx, "SELECT count(*) FROM meta").Scan(&n)
}

// Reader is the read-only pool, for queries outside the event path.
func (s *Store) Reader() *sql.DB { return s.r }

// migrations are the embedded migrations/NNNN_name.sql files in order.
func migrations() []string {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		panic(err) // a constant pattern over an embedded folder
	}
	sort.Strings(names)
	return names
}

// latestMigration is the schema version this program writes (the last migration's number).
func latestMigration() int {
	names := migrations()
	v, _ := strconv.Atoi(strings.SplitN(filepath.Base(names[len(names)-1]), "_", 2)[0])
	return v
}

// migrate applies migrations/NNNN_name.sql files newer than user_version, each
// in its own transaction with the version bump.
func (s *Store) migrate() error {
	names := migrations()
	var have int
	if err := s.w.QueryRow("PRAGMA user_version").Scan(&have); err != nil {
		return fmt.Errorf("membaca versi database: %w", err)
	}
	for _, name := range names {
		base := filepath.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migrasi %s: nama harus diawali nomor", base)
		}
		if v <= have {
			continue
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return err
		}
		tx, err := s.w.Begin()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrasi %s: %w", base, err)
		}
		if _, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrasi %s: %w", base, err)
		}
		have = v
	}
	return nil
}
