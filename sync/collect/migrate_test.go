package collect_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/antri-id/antri/sync/collect"
	"github.com/antri-id/antri/sync/collect/collecttest"
	"github.com/antri-id/antri/sync/wire"
)

// unnumberedSchema is what antri-hq created, with CREATE TABLE IF NOT
// EXISTS, before its migrations were numbered (sync/collect/sql.go until
// then): the database an upgraded headquarters finds.
var unnumberedSchema = []string{
	`CREATE TABLE IF NOT EXISTS offices (
		id        TEXT   PRIMARY KEY,
		name      TEXT   NOT NULL DEFAULT '',
		timezone  TEXT   NOT NULL DEFAULT '',
		acked_seq BIGINT NOT NULL DEFAULT 0,
		events    BIGINT NOT NULL DEFAULT 0,
		last_seen BIGINT NOT NULL DEFAULT 0
	)`,
	`CREATE TABLE IF NOT EXISTS events (
		office TEXT   NOT NULL,
		seq    BIGINT NOT NULL,
		at_ms  BIGINT NOT NULL,
		type   TEXT   NOT NULL,
		body   TEXT   NOT NULL,
		PRIMARY KEY (office, seq)
	)`,
	`CREATE INDEX IF NOT EXISTS events_at ON events (office, at_ms)`,
	`CREATE INDEX IF NOT EXISTS events_type ON events (office, type)`,
	`CREATE TABLE IF NOT EXISTS nonces (
		office TEXT   NOT NULL,
		nonce  TEXT   NOT NULL,
		at_ms  BIGINT NOT NULL,
		PRIMARY KEY (office, nonce)
	)`,
	`CREATE INDEX IF NOT EXISTS nonces_at ON nonces (at_ms)`,
}

// versions lists the migrations a store's database records.
func versions(t *testing.T, s collect.Store) string {
	t.Helper()
	var v string
	err := collect.QueryRow(context.Background(), s,
		`SELECT COALESCE(MIN(version), 0) || '..' || COALESCE(MAX(version), 0) || ' (' || COUNT(*) || ')' FROM schema_migrations`).Scan(&v)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMigrateAdoptsADatabaseFromBeforeNumberedMigrations(t *testing.T) {
	for _, kind := range collecttest.Kinds {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			open, db := collecttest.OpenerDB(t, kind)
			for _, stmt := range unnumberedSchema {
				if _, err := db.ExecContext(ctx, stmt); err != nil {
					t.Fatal(err)
				}
			}
			// What the older antri-hq held: three events of one office and
			// the nonce of the batch that brought them.
			at := ms(t0)
			for _, stmt := range []string{
				fmt.Sprintf(`INSERT INTO offices (id, name, timezone, acked_seq, events, last_seen) VALUES ('mpp-a', 'MPP mpp-a', 'Asia/Jakarta', 3, 3, %d)`, at),
				fmt.Sprintf(`INSERT INTO events (office, seq, at_ms, type, body) VALUES ('mpp-a', 1, %d, 'issued', '{"seq":1}'), ('mpp-a', 2, %d, 'issued', '{"seq":2}'), ('mpp-a', 3, %d, 'issued', '{"seq":3}')`, at, at, at),
				fmt.Sprintf(`INSERT INTO nonces (office, nonce, at_ms) VALUES ('mpp-a', 'nonce-before-upgrade', %d)`, at),
			} {
				if _, err := db.ExecContext(ctx, stmt); err != nil {
					t.Fatal(err)
				}
			}
			s, err := open()
			if err != nil {
				t.Fatalf("opening the older database: %v", err)
			}
			if v := versions(t, s); v != embedded() {
				t.Fatalf("schema_migrations %s, want version 1 adopted and the rest applied (%s)", v, embedded())
			}
			o, ok, err := s.Office(ctx, "mpp-a")
			if err != nil || !ok || o.AckedSeq != 3 || o.Events != 3 || o.Name != "MPP mpp-a" {
				t.Fatalf("office after migration %+v ok %v err %v", o, ok, err)
			}
			// The nonce kept before the upgrade is still refused...
			old := batch("mpp-a", events(4, 5))
			old.Nonce = "nonce-before-upgrade"
			if _, _, err := s.Ingest(ctx, old); !errors.Is(err, wire.ErrReplay) {
				t.Fatalf("nonce from before the upgrade: %v, want ErrReplay", err)
			}
			// ...and the office goes on where it was.
			if acked, stored, err := s.Ingest(ctx, batch("mpp-a", events(3, 5))); err != nil || acked != 5 || stored != 2 {
				t.Fatalf("after migration: acked %d stored %d err %v, want 5 2", acked, stored, err)
			}
			s.Close()
			s, err = open()
			if err != nil {
				t.Fatal(err)
			}
			if v := versions(t, s); v != embedded() {
				t.Fatalf("reopened: schema_migrations %s", v)
			}
			if got := seqsOf(t, s, "mpp-a", time.Time{}, time.Time{}); fmt.Sprint(got) != "[1 2 3 4 5]" {
				t.Fatalf("held %v", got)
			}
		})
	}
}

func ms(t time.Time) int64 { return t.UnixMilli() }

// embedded is what schema_migrations holds once the embedded migrations are applied.
func embedded() string { return fmt.Sprintf("1..%d (%d)", collect.Latest(), collect.Latest()) }

func TestMigrateRefusesDatabasesItDoesNotKnow(t *testing.T) {
	for _, kind := range collecttest.Kinds {
		t.Run(kind+"/newer", func(t *testing.T) {
			open, db := collecttest.OpenerDB(t, kind)
			s, err := open()
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			if _, err := db.Exec(`INSERT INTO schema_migrations (version, file, applied_at_ms) VALUES (9999, '9999_future.sql', 0)`); err != nil {
				t.Fatal(err)
			}
			if _, err := open(); err == nil || !strings.Contains(err.Error(), "lebih baru") {
				t.Fatalf("a database from a newer antri-hq: err %v", err)
			}
		})
		t.Run(kind+"/foreign", func(t *testing.T) {
			open, db := collecttest.OpenerDB(t, kind)
			if _, err := db.Exec(`CREATE TABLE events (id BIGINT PRIMARY KEY, payload TEXT)`); err != nil {
				t.Fatal(err)
			}
			if _, err := open(); err == nil || !strings.Contains(err.Error(), "bukan buatan antri-hq") {
				t.Fatalf("someone else's events table: err %v", err)
			}
			var n int
			if err := db.QueryRow(`SELECT COUNT(*) FROM events`).Scan(&n); err != nil {
				t.Fatalf("the foreign table was touched: %v", err)
			}
		})
	}
}

func TestMigrationsApplyInOrderEachOnceAndWhole(t *testing.T) {
	collecttest.Run(t, func(t *testing.T, open func() collect.Store) {
		ctx := context.Background()
		s := open() // at the embedded schema
		n0 := collect.Latest()
		name := func(n int, rest string) string { return fmt.Sprintf("migrations/%04d_%s", n0+n, rest) }
		fsys := fstest.MapFS{
			name(1, "notes.sql"): {Data: []byte(`CREATE TABLE notes (a BIGINT NOT NULL)`)},
			// Not portable: each database its own file. The literal's ? is text.
			name(2, "label.sqlite.sql"):   {Data: []byte(`ALTER TABLE notes ADD COLUMN label TEXT NOT NULL DEFAULT 'why?'`)},
			name(2, "label.postgres.sql"): {Data: []byte(`ALTER TABLE notes ADD label TEXT NOT NULL DEFAULT 'why?'`)},
			// Fails half way: nothing of it stays.
			name(3, "fill.sql"): {Data: []byte(`INSERT INTO notes (a) VALUES (4); INSERT INTO nowhere (a) VALUES (4)`)},
		}
		for v := 1; v <= n0; v++ { // already applied: running one again would fail
			fsys[fmt.Sprintf("migrations/%04d_applied.sql", v)] = &fstest.MapFile{Data: []byte(`this is not run`)}
		}
		err := collect.MigrateWith(ctx, s, fsys)
		if err == nil || !strings.Contains(err.Error(), name(3, "fill.sql")[len("migrations/"):]) {
			t.Fatalf("a failing migration: err %v, want it named", err)
		}
		if v, want := versions(t, s), fmt.Sprintf("1..%d (%d)", n0+2, n0+2); v != want {
			t.Fatalf("after the failure schema_migrations %s, want %s", v, want)
		}
		var n int
		if err := collect.QueryRow(ctx, s, `SELECT COUNT(*) FROM notes`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("the failed migration left %d rows (err %v)", n, err)
		}
		fsys[name(3, "fill.sql")] = &fstest.MapFile{Data: []byte(`INSERT INTO notes (a) VALUES (4); INSERT INTO notes (a) VALUES (5)`)}
		for range 2 {
			if err := collect.MigrateWith(ctx, s, fsys); err != nil {
				t.Fatal(err)
			}
		}
		var label string
		if err := collect.QueryRow(ctx, s, `SELECT COUNT(*), MIN(label) || ? FROM notes WHERE label = 'why?'`, "!").Scan(&n, &label); err != nil || n != 2 || label != "why?!" {
			t.Fatalf("notes: %d rows labelled %q (err %v), want 2 'why?!' once each", n, label, err)
		}
		if v, want := versions(t, s), fmt.Sprintf("1..%d (%d)", n0+3, n0+3); v != want {
			t.Fatalf("schema_migrations %s, want %s", v, want)
		}
	})
}
