package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestMigrationsDeclareReaders keeps every embedded migration parseable (a bad
// "-- oldest_reader:" line would make Migrations panic in a release build), numbered in
// order, and its oldest reader no newer than itself.
func TestMigrationsDeclareReaders(t *testing.T) {
	ms := queue.Migrations()
	if len(ms) == 0 {
		t.Fatal("no migrations")
	}
	for i, m := range ms {
		if i > 0 && m.Version <= ms[i-1].Version {
			t.Errorf("migration %d after %d: numbers must grow", m.Version, ms[i-1].Version)
		}
		if m.OldestReader < 1 || m.OldestReader > m.Version {
			t.Errorf("migration %d: oldest reader %d outside 1–%d", m.Version, m.OldestReader, m.Version)
		}
	}
}

func TestParseMigrationHeader(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       queue.Migration
		bad        bool
	}{
		{"0017_x.sql", "-- adds a table\n-- oldest_reader: 16\nCREATE TABLE x (a);\n", queue.Migration{Version: 17, OldestReader: 16}, false},
		{"0017_x.sql", "-- adds a table\nCREATE TABLE x (a);\n", queue.Migration{Version: 17, OldestReader: 17}, false},
		// Only the leading comment declares: the same words further down are SQL's business.
		{"0017_x.sql", "CREATE TABLE x (a);\n-- oldest_reader: 3\n", queue.Migration{Version: 17, OldestReader: 17}, false},
		{"0017_x.sql", "-- oldest_reader: 18\n", queue.Migration{}, true},
		{"0017_x.sql", "-- oldest_reader: sixteen\n", queue.Migration{}, true},
		{"x_0017.sql", "", queue.Migration{}, true},
	} {
		got, err := queue.ParseMigration(c.name, []byte(c.body))
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("%s %q: got %+v, %v; want %+v (error %v)", c.name, c.body, got, err, c.want, c.bad)
		}
	}
}

func TestSchemaVersionIsTheNewestMigration(t *testing.T) {
	q, _ := queuetest.Open(t, "office", time.Date(2025, 3, 3, 1, 0, 0, 0, time.UTC))
	v, err := q.Store().SchemaVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ms := queue.Migrations()
	if want := ms[len(ms)-1].Version; v != want {
		t.Errorf("schema version %d, want the newest migration %d", v, want)
	}
}
