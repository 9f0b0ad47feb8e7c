package queue

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // pure Go: cross-compiles with CGO_ENABLED=0
)

// SQLite is one SQLite database file opened the way Antri keeps its data on an SD card
// (the office's queue, headquarters' collector): one writer connection, so writers are
// serialised in SQLite as well as in the program, and a small pool of readers beside it,
// which WAL allows without blocking the writer. The journal is WAL with synchronous=FULL:
// a commit is on the card before it returns, so it survives a pulled power plug.
type SQLite struct {
	W *sql.DB // the single writer (BEGIN IMMEDIATE)
	R *sql.DB // readers (read-only connections)
}

// OpenSQLite opens (creating if needed, with its folder) the database at path. pragmas
// are added to every connection (e.g. "foreign_keys(1)").
func OpenSQLite(path string, pragmas ...string) (*SQLite, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("membuat folder data: %w", err)
	}
	dsn := func(extra string) string {
		q := url.Values{}
		for _, p := range append([]string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(FULL)"}, pragmas...) {
			q.Add("_pragma", p)
		}
		return "file:" + path + "?" + q.Encode() + extra
	}
	w, err := sql.Open("sqlite", dsn("&_txlock=immediate"))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.Ping(); err != nil {
		w.Close()
		return nil, fmt.Errorf("membuka database %s: %w (periksa izin folder dan kartu SD)", path, err)
	}
	r, err := sql.Open("sqlite", dsn("&mode=ro"))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	return &SQLite{W: w, R: r}, nil
}
