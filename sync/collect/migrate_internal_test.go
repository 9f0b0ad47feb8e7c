package collect

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

func files(names ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for _, n := range names {
		m["migrations/"+n] = &fstest.MapFile{Data: []byte("-- " + n)}
	}
	return m
}

func TestLoadMigrationsPicksEachDatabasesFileInOrder(t *testing.T) {
	fsys := files("0010_later.sql", "0001_first.sql", "0002_split.sqlite.sql", "0002_split.postgres.sql")
	for _, d := range []string{"sqlite", "postgres"} {
		ms, err := loadMigrations(fsys, d)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range ms {
			got = append(got, fmt.Sprintf("%d:%s", m.version, m.sql))
		}
		want := fmt.Sprintf("[1:-- 0001_first.sql 2:-- 0002_split.%s.sql 10:-- 0010_later.sql]", d)
		if fmt.Sprint(got) != want {
			t.Errorf("%s: %v, want %s", d, got, want)
		}
	}
}

func TestLoadMigrationsRefusesAmbiguousSets(t *testing.T) {
	for _, c := range []struct {
		fsys fstest.MapFS
		want string
	}{
		{files("0001_a.sql", "0001_b.sql"), "dua kali"},
		{files("0001_a.sqlite.sql"), "SQLite dan PostgreSQL"},
		{files("0001_a.sql", "0001_a.postgres.sql"), "kedua database"},
		{files("1_a.sql"), "nama harus"},
		{files("0001_a.txt"), "nama harus"},
		{files("0000_a.sql"), "dimulai dari 0001"},
	} {
		_, err := loadMigrations(c.fsys, "sqlite")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err %v, want %q", c.fsys, err, c.want)
		}
	}
}

func TestEmbeddedMigrationsHaveTheSameVersionsOnBothDatabases(t *testing.T) {
	lite, err := loadMigrations(migrationFS, "sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := loadMigrations(migrationFS, "postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || len(lite) != len(pg) || lite[0].version != 1 {
		t.Fatalf("sqlite %d migrations, postgres %d, first %d", len(lite), len(pg), lite[0].version)
	}
	for _, m := range lite {
		if strings.Contains(strings.ToUpper(m.sql), "IF NOT EXISTS") {
			t.Errorf("%s: a numbered migration runs once; IF NOT EXISTS would hide a database that is not what its version says", m.file)
		}
	}
}
