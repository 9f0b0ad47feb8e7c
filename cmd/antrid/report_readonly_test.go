package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestReportBesideARunningDaemonOnlyReads: antrid report run while the daemon's queue
// has the database open leaves it as it was — no migration, no checkpoint (the daemon's
// write-ahead log keeps its frames), no goroutine left behind — and a database from a
// newer antrid is refused without being touched.
func TestReportBesideARunningDaemonOnlyReads(t *testing.T) {
	cfgPath, q := marchOffice(t)
	db := q.Store().Path()
	dir := filepath.Dir(db)
	walBefore := fileSize(t, db+"-wal")
	if walBefore == 0 {
		t.Fatal("the daemon's WAL is empty before the report; the test would prove nothing")
	}
	goroutines := runtime.NumGoroutine()
	out := filepath.Join(dir, "maret.json")
	if code := reportCmd([]string{"-config", cfgPath, "-data", dir, "-month", "2024-03", "-o", out}); code != 0 {
		t.Fatalf("report beside the daemon: exit %d", code)
	}
	if got := fileSize(t, db+"-wal"); got < walBefore {
		t.Errorf("the WAL shrank from %d to %d bytes: the report checkpointed the daemon's database", walBefore, got)
	}
	queuetest.Eventually(t, fmt.Sprintf("the report's goroutines to end (%d before it; one left running means a leak)", goroutines),
		func() bool { return runtime.NumGoroutine() <= goroutines })
	if _, err := q.Do(context.Background(), queue.Issue{Service: "A"}); err != nil {
		t.Fatalf("the daemon cannot issue after the report: %v", err)
	}

	// A database a newer antrid migrated: refused, left as it is.
	raw, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var v int
	raw.QueryRow("PRAGMA user_version").Scan(&v)
	if _, err := raw.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	if code := reportCmd([]string{"-config", cfgPath, "-data", dir, "-month", "2024-03", "-o", out}); code != 1 {
		t.Errorf("report on a newer schema: exit %d, want 1", code)
	}
	raw.QueryRow("PRAGMA user_version").Scan(&v)
	if v != 999 {
		t.Errorf("user_version is %d after the refused report, want 999 (untouched)", v)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}
