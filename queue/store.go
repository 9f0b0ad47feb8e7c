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
}

// OpenStore opens (creating if needed) the database at path and applies any
// migrations it lacks. Every ticket is durable before Do returns (OpenSQLite).
func OpenStore(path string) (*Store, error) {
	db, err := OpenSQLite(path, "foreign_keys(1)")
	if err != nil {
		return nil, err
	}
	s := &Store{w: db.W, r: db.R, path: path}
	if err := s.migrate(); err != nil {
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
func (s *Store) Close() error {
	if s.w == nil {
		return s.r.Close()
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

// Ping checks that the database answers; /healthz uses it.
func (s *Store) Ping(ctx context.Context) error {
	var n int
	return s.r.QueryRowContext(ctx, "SELECT count(*) FROM meta").Scan(&n)
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
