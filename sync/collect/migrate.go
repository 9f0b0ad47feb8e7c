package collect

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Headquarters' schema is a list of numbered migrations, like the office's
// (queue/migrations): migrations/NNNN_name.sql runs on both databases;
// when a change cannot be written portably it is split into
// NNNN_name.sqlite.sql and NNNN_name.postgres.sql, so a version number means
// the same schema on both. Each is applied once, in order, in its own
// transaction together with its row in schema_migrations.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one numbered schema change for one database.
type migration struct {
	version int
	file    string
	sql     string
}

var migrationName = regexp.MustCompile(`^([0-9]{4})_[a-z0-9_]+(?:\.(sqlite|postgres))?\.sql$`)

// loadMigrations reads the migrations of fsys's folder "migrations" that
// apply to dialect, in version order. A version must exist for both
// databases: a portable file, or one file for each.
func loadMigrations(fsys fs.FS, dialect string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, "migrations")
	if err != nil {
		return nil, err
	}
	type files struct{ both, sqlite, postgres string }
	byVersion := map[int]*files{}
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migrasi %s: nama harus NNNN_nama.sql atau NNNN_nama.sqlite.sql / .postgres.sql", e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		f := byVersion[v]
		if f == nil {
			f = &files{}
			byVersion[v] = f
		}
		slot := map[string]*string{"": &f.both, "sqlite": &f.sqlite, "postgres": &f.postgres}[m[2]]
		if *slot != "" {
			return nil, fmt.Errorf("migrasi %04d ada dua kali: %s dan %s", v, *slot, e.Name())
		}
		*slot = e.Name()
	}
	var out []migration
	for v, f := range byVersion {
		switch {
		case v == 0:
			return nil, fmt.Errorf("migrasi %s: nomor dimulai dari 0001", f.both+f.sqlite+f.postgres)
		case f.both != "" && (f.sqlite != "" || f.postgres != ""):
			return nil, fmt.Errorf("migrasi %04d: %s untuk kedua database, jangan ditambah versi khusus", v, f.both)
		case f.both == "" && (f.sqlite == "" || f.postgres == ""):
			return nil, fmt.Errorf("migrasi %04d harus ada untuk SQLite dan PostgreSQL (NNNN_nama.sqlite.sql dan .postgres.sql)", v)
		}
		name := f.both
		if name == "" {
			name = map[string]string{"sqlite": f.sqlite, "postgres": f.postgres}[dialect]
		}
		body, err := fs.ReadFile(fsys, "migrations/"+name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, file: name, sql: string(body)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	return out, nil
}

// unnumbered is the schema antri-hq created with CREATE TABLE IF NOT EXISTS
// before its migrations were numbered: migration 0001, table by table.
var unnumbered = map[string][]string{
	"offices": {"acked_seq", "events", "id", "last_seen", "name", "timezone"},
	"events":  {"at_ms", "body", "office", "seq", "type"},
	"nonces":  {"at_ms", "nonce", "office"},
}

// migrate brings the database to the newest schema of fsys. A database from
// before numbered migrations is recognised by its tables and adopted as
// version 1; one written by a newer antri-hq is refused.
func (s *sqlStore) migrate(ctx context.Context, fsys fs.FS) error {
	ms, err := loadMigrations(fsys, s.d.name)
	if err != nil {
		return err
	}
	for {
		done, err := s.migrateStep(ctx, ms)
		if err != nil || done {
			return err
		}
	}
}

// migrateStep applies the next migration the database lacks, in one
// transaction that also records it; done is true when there was none.
func (s *sqlStore) migrateStep(ctx context.Context, ms []migration) (done bool, err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if s.d.lock != "" {
		// Two antri-hq starting on one PostgreSQL database take turns.
		if _, err := tx.ExecContext(ctx, s.d.lock); err != nil {
			return false, fmt.Errorf("mengunci migrasi: %w", err)
		}
	}
	// The bookkeeping table is the one thing created if missing: it is how a
	// database says which migrations it has.
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version       BIGINT PRIMARY KEY,
		file          TEXT   NOT NULL,
		applied_at_ms BIGINT NOT NULL
	)`); err != nil {
		return false, fmt.Errorf("membuat tabel schema_migrations: %w", err)
	}
	var have int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return false, err
	}
	if have == 0 {
		adopt, err := s.unnumberedSchema(ctx, tx)
		if err != nil {
			return false, err
		}
		if adopt {
			if err := s.recordMigration(ctx, tx, ms[0]); err != nil {
				return false, err
			}
			return false, tx.Commit()
		}
	}
	if latest := ms[len(ms)-1].version; have > latest {
		return false, fmt.Errorf("database headquarters dibuat antri-hq yang lebih baru (skema %d, program ini %d); jalankan antri-hq versi terbaru", have, latest)
	}
	i := slices.IndexFunc(ms, func(m migration) bool { return m.version > have })
	if i < 0 {
		return true, nil
	}
	if _, err := tx.ExecContext(ctx, ms[i].sql); err != nil {
		return false, fmt.Errorf("migrasi %s: %w", ms[i].file, err)
	}
	if err := s.recordMigration(ctx, tx, ms[i]); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migrasi %s: %w", ms[i].file, err)
	}
	return false, nil
}

func (s *sqlStore) recordMigration(ctx context.Context, tx *sql.Tx, m migration) error {
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, file, applied_at_ms) VALUES (?, ?, ?)`),
		m.version, m.file, time.Now().UnixMilli())
	return err
}

// unnumberedSchema reports whether the database holds exactly the tables of
// an antri-hq from before numbered migrations (adopt them as version 1), or
// none of them (a new database). Anything else is someone else's tables, and
// is refused rather than written over.
func (s *sqlStore) unnumberedSchema(ctx context.Context, tx *sql.Tx) (bool, error) {
	found := 0
	for table, want := range unnumbered {
		rows, err := tx.QueryContext(ctx, s.q(s.d.columns), table)
		if err != nil {
			return false, err
		}
		var cols []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return false, err
			}
			cols = append(cols, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return false, err
		}
		if len(cols) == 0 {
			continue
		}
		slices.Sort(cols)
		if !slices.Equal(cols, want) {
			return false, fmt.Errorf("database sudah berisi tabel %s dengan kolom %s, bukan buatan antri-hq; pakai database kosong untuk headquarters", table, strings.Join(cols, ", "))
		}
		found++
	}
	if found != 0 && found != len(unnumbered) {
		return false, fmt.Errorf("database berisi sebagian tabel headquarters (%d dari %d); pulihkan dari cadangan atau pakai database kosong", found, len(unnumbered))
	}
	return found == len(unnumbered), nil
}
