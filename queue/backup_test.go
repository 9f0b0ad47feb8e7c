package queue_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestBackupNeverStallsTicketIssuance: while a backup holds its snapshot of the
// database, step after step, tickets are issued and durable as usual; the backup is the
// database as it was when it began, whole and sound.
func TestBackupNeverStallsTicketIssuance(t *testing.T) {
	q, _ := queuetest.Open(t, "office", jakartaNoon)
	for range 300 {
		do(t, q, queue.Issue{Service: "A"})
	}
	dst := filepath.Join(t.TempDir(), "cadangan.db")
	issued, steps := 0, 0
	err := queue.Backup(ctx, q.Store().Path(), dst, queue.BackupOptions{PagesPerStep: 2, Pause: -1, Step: func(done, total int) {
		steps++
		if done < total && issued < 20 {
			// The writer commits (synchronous=FULL) while the backup reads its snapshot:
			// a blocked writer would fail here with "database is locked" after its
			// busy timeout.
			do(t, q, queue.Issue{Service: "B"})
			issued++
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if issued < 20 || steps <= issued {
		t.Fatalf("only %d tickets issued in %d steps of the backup", issued, steps)
	}
	count := func(path string) (n int) {
		db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.QueryRow(`SELECT count(*) FROM tickets`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := count(dst); got != 300 {
		t.Errorf("the backup holds %d tickets, want the 300 of the instant it began", got)
	}
	if got := count(q.Store().Path()); got != 320 {
		t.Errorf("the office holds %d tickets, want 320", got)
	}
	if office, err := queue.OfficeOf(ctx, dst); err != nil || office != "mpp-uji" {
		t.Errorf("the backup's office: %q %v", office, err)
	}
}
