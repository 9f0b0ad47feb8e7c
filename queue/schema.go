package queue

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// Migration is one numbered file of migrations/ as a release declares it: its number
// and the oldest schema a program must know to keep using a database after it.
//
// A migration that only adds (a table, a nullable column, an index) leaves the
// database usable by the program before it; it says so in its leading comment:
//
//	-- oldest_reader: 16
//
// meaning "a program that knows the migrations up to 16 can still read and write a
// database this migration was applied to". Without that line a migration is taken to
// need itself (OldestReader = Version): the safe default, since a program that does
// not know it may misread what it changed. An update whose migrations the running
// version could not use after a switch back is refused (docs/FLEET.md), so a
// release's migrations decide how far it can be rolled back.
type Migration struct {
	Version      int `json:"version"`
	OldestReader int `json:"oldest_reader"`
}

// oldestReaderPrefix starts the line of a migration's leading comment that declares
// its OldestReader.
const oldestReaderPrefix = "-- oldest_reader:"

// Migrations lists this program's migrations in order, each with its OldestReader.
func Migrations() []Migration {
	var out []Migration
	for _, name := range migrations() {
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			panic(err) // listed from the same embedded folder
		}
		m, err := parseMigration(filepath.Base(name), body)
		if err != nil {
			panic(err) // TestMigrationsDeclareReaders keeps the files well formed
		}
		out = append(out, m)
	}
	return out
}

// parseMigration reads a migration's number from its file name and its OldestReader
// from its leading comment lines.
func parseMigration(name string, body []byte) (Migration, error) {
	v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
	if err != nil {
		return Migration{}, fmt.Errorf("migrasi %s: nama harus diawali nomor", name)
	}
	m := Migration{Version: v, OldestReader: v}
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "--") {
			break // the leading comment is over
		}
		rest, ok := strings.CutPrefix(line, oldestReaderPrefix)
		if !ok {
			continue
		}
		r, err := strconv.Atoi(strings.TrimSpace(rest))
		if err != nil || r < 1 || r > v {
			return Migration{}, fmt.Errorf("migrasi %s: %q harus nomor migrasi 1–%d", name, line, v)
		}
		m.OldestReader = r
	}
	return m, nil
}

// SchemaVersion is the newest migration applied to the database (PRAGMA
// user_version). It is higher than this program's own newest migration after a
// newer release ran on the database and was switched back.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.r.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}
