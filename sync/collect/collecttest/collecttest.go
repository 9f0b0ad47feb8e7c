// Package collecttest gives tests a fresh headquarters store of each kind,
// so one suite runs on SQLite and on PostgreSQL.
//
// PostgreSQL tests need a server: set ANTRI_TEST_POSTGRES to a DSN whose role
// may create schemas (e.g. "postgres://antri:antri@127.0.0.1/antri_test");
// without it they are skipped with a message saying so (and fail in CI, where
// .ci/run sets it: see queuetest.SkipUnlessCI). Every test gets its
// own schema, dropped at its end, so packages may run in parallel.
package collecttest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/antri-id/antri/queue/queuetest"
	"github.com/antri-id/antri/sync/collect"
)

// EnvPostgres names the environment variable with the test server's DSN.
const EnvPostgres = "ANTRI_TEST_POSTGRES"

// Kinds are the store kinds every suite runs on.
var Kinds = []string{"sqlite", "postgres"}

// Run runs fn as a subtest per store kind; open opens (or reopens, keeping
// the data) that subtest's database. Stores opened are closed at the end.
func Run(t *testing.T, fn func(t *testing.T, open func() collect.Store)) {
	for _, kind := range Kinds {
		t.Run(kind, func(t *testing.T) {
			fn(t, Opener(t, kind))
		})
	}
}

// Opener returns a function opening the test's database of kind ("sqlite"
// or "postgres"), skipping the test when PostgreSQL is not configured.
func Opener(t testing.TB, kind string) func() collect.Store {
	t.Helper()
	open, _ := OpenerDB(t, kind)
	return func() collect.Store {
		t.Helper()
		s, err := open()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}

// OpenerDB is Opener whose open returns the error (a database the Store
// refuses), with a plain connection to the same database beside it, for
// tests that set up tables as something other than the Store left them (an
// older antri-hq's, for example). Stores opened and the connection are
// closed at the end.
func OpenerDB(t testing.TB, kind string) (open func() (collect.Store, error), db *sql.DB) {
	t.Helper()
	ctx := context.Background()
	var openStore func() (collect.Store, error)
	switch kind {
	case "sqlite":
		path := filepath.Join(t.TempDir(), "hq.db")
		openStore = func() (collect.Store, error) { return collect.OpenSQLite(ctx, path) }
		var err error
		if db, err = sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
	case "postgres":
		dsn := os.Getenv(EnvPostgres)
		if dsn == "" {
			queuetest.SkipUnlessCI(t, "PostgreSQL tidak diuji: set "+EnvPostgres+"=postgres://user:pass@127.0.0.1/db (lihat .ci/run)")
		}
		b := make([]byte, 6)
		rand.Read(b)
		schema := "t_" + hex.EncodeToString(b)
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			admin.Close()
			t.Fatalf("membuat schema uji di %s: %v", EnvPostgres, err)
		}
		t.Cleanup(func() {
			admin.Exec("DROP SCHEMA " + schema + " CASCADE")
			admin.Close()
		})
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		qs := u.Query()
		qs.Set("search_path", schema)
		u.RawQuery = qs.Encode()
		openStore = func() (collect.Store, error) { return collect.OpenPostgres(ctx, u.String()) }
		if db, err = sql.Open("pgx", u.String()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() }) // before the schema is dropped (cleanups run last first)
	default:
		t.Fatalf("jenis store %q tidak dikenal", kind)
	}
	return func() (collect.Store, error) {
		s, err := openStore()
		if err == nil {
			t.Cleanup(func() { s.Close() })
		}
		return s, err
	}, db
}
