package collect

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // pure Go, like the office
)

// OpenSQLite opens (creating if needed) headquarters' SQLite database at path.
func OpenSQLite(ctx context.Context, path string) (Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("membuat folder data: %w", err)
	}
	dsn := func(extra string) string {
		q := url.Values{}
		for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(FULL)"} {
			q.Add("_pragma", p)
		}
		return "file:" + path + "?" + q.Encode() + extra
	}
	w, err := sql.Open("sqlite", dsn("&_txlock=immediate"))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("membuka database %s: %w (periksa izin folder)", path, err)
	}
	s := &sqlStore{w: w, rowsPer: 500}
	if err := s.init(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if s.r, err = sql.Open("sqlite", dsn("&mode=ro")); err != nil {
		w.Close()
		return nil, err
	}
	s.r.SetMaxOpenConns(4)
	return s, nil
}
