package queue_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// Storage faults (issue 10, item 6): the database is never silently replaced, a corrupt
// file is refused untouched, and a failing card refuses changes clearly while /healthz
// (Store.Health) says why. The same attacks on the real daemon are in
// cmd/antrid/storage_attack_test.go.

// officeWithTickets opens a queue on a fresh store, issues n tickets and closes it,
// leaving the database file at the returned path.
func officeWithTickets(t *testing.T, n int) string {
	t.Helper()
	q, _ := queuetest.Open(t, "office", jakartaNoon)
	for range n {
		do(t, q, queue.Issue{Service: "A"})
	}
	q.Close()
	if err := q.Store().Close(); err != nil {
		t.Fatal(err)
	}
	return q.Store().Path()
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func wantRefused(t *testing.T, err error, words ...string) {
	t.Helper()
	if !errors.Is(err, queue.ErrStoreRefused) {
		t.Fatalf("want a refusal (ErrStoreRefused), got %v", err)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("refusal does not say %q: %v", w, err)
		}
	}
}

func TestOpenRefusesToReplaceARemovedDatabase(t *testing.T) {
	path := officeWithTickets(t, 8)
	if _, err := os.Stat(path + queue.MarkerSuffix); err != nil {
		t.Fatalf("no marker after the first creation: %v", err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(f)
	}
	_, err := queue.OpenStore(path)
	wantRefused(t, err, "tidak ada", "-allow-new-database", "Pemulihan")
	if _, serr := os.Stat(path); serr == nil {
		t.Fatal("the refused open created a database file")
	}

	st, err := queue.OpenStoreWith(path, queue.StoreOptions{AllowNew: true})
	if err != nil {
		t.Fatalf("-allow-new-database: %v", err)
	}
	defer st.Close()
	var n int
	st.Reader().QueryRow(`SELECT count(*) FROM tickets`).Scan(&n)
	if n != 0 {
		t.Fatalf("new database has %d tickets", n)
	}
}

func TestOpenRefusesAZeroLengthDatabase(t *testing.T) {
	path := officeWithTickets(t, 3)
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	_, err := queue.OpenStore(path)
	wantRefused(t, err, "0 byte", "-allow-new-database")
	if fi, _ := os.Stat(path); fi.Size() != 0 {
		t.Fatalf("the refused file was written: %d bytes", fi.Size())
	}
	st, err := queue.OpenStoreWith(path, queue.StoreOptions{AllowNew: true})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
}

// A zero-length file where no database was ever created (a technician's touch) holds no
// history: it becomes the new database, and the marker is written.
func TestOpenTakesAnEmptyFileWhereNoDatabaseWas(t *testing.T) {
	path := filepath.Join(t.TempDir(), "antri.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := queue.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, err := os.Stat(path + queue.MarkerSuffix); err != nil {
		t.Fatal("no marker")
	}
}

// A database made before markers existed gets one on its first open.
func TestOpenMarksAnExistingDatabase(t *testing.T) {
	path := officeWithTickets(t, 1)
	os.Remove(path + queue.MarkerSuffix)
	st, err := queue.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	b, err := os.ReadFile(path + queue.MarkerSuffix)
	if err != nil || !bytes.Contains(b, []byte("ditemukan")) {
		t.Fatalf("marker %q, %v", b, err)
	}
}

// overwritePage writes junk over one page in the middle of the database file, as a bad
// sector or a stray dd would.
func overwritePage(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	pages := fi.Size() / page
	if pages < 4 {
		t.Fatalf("database too small to corrupt its middle: %d pages", pages)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, page), pages/2*page); err != nil {
		t.Fatal(err)
	}
}

// bigDatabase fills a store with enough small rows that the middle of the file is b-tree
// pages, and that quick_check takes a noticeable time.
func bigDatabase(t *testing.T, rows int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "antri.db")
	st, err := queue.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	err = st.WriterExec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO meta (key, value) SELECT 'filler-' || i, printf('%.80c', 'x') FROM n`, rows)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpenRefusesACorruptDatabaseAndLeavesItUntouched(t *testing.T) {
	path := bigDatabase(t, 2000)
	overwritePage(t, path)
	before := fileSum(t, path)
	_, err := queue.OpenStore(path)
	wantRefused(t, err, "rusak", "quick_check", "tidak mengubah")
	if fileSum(t, path) != before {
		t.Fatal("the refused database was written to")
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		if fi, _ := os.Stat(path + "-wal"); fi.Size() > 0 {
			t.Fatal("the refused open left a WAL with frames")
		}
	}
	// Refused again on the next start, the same way: no loop of half-opens.
	_, err = queue.OpenStore(path)
	wantRefused(t, err, "rusak")
}

func TestOpenRefusesAFileThatIsNotADatabase(t *testing.T) {
	path := officeWithTickets(t, 2)
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte("bukan database sama sekali, hanya teks"), 0)
	f.Close()
	before := fileSum(t, path)
	_, err = queue.OpenStore(path)
	wantRefused(t, err, "bukan database SQLite")
	if fileSum(t, path) != before {
		t.Fatal("the refused file was written to")
	}
}

// On a big database and a slow card the check outlasts its bound: the office opens, and
// what the check finds later shows on Health.
func TestQuickCheckPastItsBoundReportsThroughHealth(t *testing.T) {
	path := bigDatabase(t, 200000)
	overwritePage(t, path)
	st, err := queue.OpenStoreWith(path, queue.StoreOptions{CheckWait: time.Nanosecond})
	if err != nil {
		t.Fatalf("past its bound the check must not stop the open: %v", err)
	}
	defer st.Close()
	if !st.WaitBackgroundCheck() {
		t.Fatal("the check finished within a nanosecond; the database is too small for this test")
	}
	h := st.Health(context.Background())
	if h.OK || !strings.Contains(h.Problem, "database rusak") {
		t.Fatalf("health after the background check: %+v", h)
	}
}

func TestRemovedDatabaseRefusesChangesAndIsRescued(t *testing.T) {
	q, _ := queuetest.Open(t, "office", jakartaNoon)
	path := q.Store().Path()
	for range 8 {
		do(t, q, queue.Issue{Service: "A"})
	}
	if h := q.Store().Health(ctx); !h.OK {
		t.Fatalf("healthy store reports %+v", h)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	_, err := q.Do(ctx, queue.Issue{Service: "A"})
	wantKind(t, err, queue.KindStorage)
	if !strings.Contains(err.Error(), "dihapus") {
		t.Errorf("refusal: %v", err)
	}
	h := q.Store().Health(ctx)
	if h.OK || !strings.Contains(h.Problem, "dihapus") || h.Rescued == "" {
		t.Fatalf("health: %+v", h)
	}
	// The rescued copy holds every acknowledged ticket.
	db, err := sql.Open("sqlite", "file:"+h.Rescued+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM tickets`).Scan(&n); err != nil || n != 8 {
		t.Fatalf("rescued copy has %d tickets (%v), want 8", n, err)
	}
	// And nothing recreates the file behind the office's back.
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a database file reappeared at the removed path")
	}
}

func TestReplacedDatabaseRefusesChanges(t *testing.T) {
	q, _ := queuetest.Open(t, "office", jakartaNoon)
	path := q.Store().Path()
	do(t, q, queue.Issue{Service: "A"})
	other := filepath.Join(filepath.Dir(path), "lain.db")
	if err := os.WriteFile(other, []byte("berkas lain"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(other, path); err != nil {
		t.Fatal(err)
	}
	_, err := q.Do(ctx, queue.Issue{Service: "A"})
	wantKind(t, err, queue.KindStorage)
	if h := q.Store().Health(ctx); h.OK || !strings.Contains(h.Problem, "diganti") {
		t.Fatalf("health: %+v", h)
	}
	if b, _ := os.ReadFile(path); string(b) != "berkas lain" {
		t.Fatal("the file put in place was touched")
	}
}

// A full card (SQLite's SQLITE_FULL, here from max_page_count): the ticket is refused with
// words for the citizen, nothing of it is stored, Health says writes fail, and both
// recover when space returns, with the next number following on.
func TestFullCardRefusesTicketsAndRecovers(t *testing.T) {
	q, _ := queuetest.Open(t, "office", jakartaNoon)
	do(t, q, queue.Issue{Service: "A"})
	st := q.Store()
	pages, err := st.WriterInt(`PRAGMA page_count`)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.WriterExec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal(err)
	}
	var refusals int
	for range 50 { // enough to need a new page
		_, err := q.Do(ctx, queue.Issue{Service: "A"})
		if err != nil {
			wantKind(t, err, queue.KindStorage)
			if !strings.Contains(err.Error(), "penuh") {
				t.Fatalf("refusal: %v", err)
			}
			refusals++
			break
		}
	}
	if refusals == 0 {
		t.Fatal("max_page_count never refused a ticket")
	}
	var issued, events, last int
	st.Reader().QueryRow(`SELECT count(*) FROM tickets`).Scan(&issued)
	st.Reader().QueryRow(`SELECT count(*) FROM events WHERE type = 'issued'`).Scan(&events)
	st.Reader().QueryRow(`SELECT last FROM day_numbers WHERE service = 'A'`).Scan(&last)
	if issued != events || issued != last {
		t.Fatalf("half-written: %d tickets, %d issued events, last number %d", issued, events, last)
	}
	if h := st.Health(ctx); h.OK || !strings.Contains(h.Problem, "penulisan database gagal") {
		t.Fatalf("health while full: %+v", h)
	}
	if err := st.WriterExec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	st.ProbeNow()
	if h := st.Health(ctx); !h.OK {
		t.Fatalf("health once space returned: %+v", h)
	}
	tk := do(t, q, queue.Issue{Service: "A"})
	if want := queue.FormatNumber("A", issued+1); tk.Number != want {
		t.Fatalf("next ticket %s, want %s", tk.Number, want)
	}
}

func TestNearlyFullCardIsAHealthFault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "antri.db")
	st, err := queue.OpenStoreWith(path, queue.StoreOptions{MinFree: 1 << 62})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := st.Health(ctx)
	if h.OK || !strings.Contains(h.Problem, "min_free_mb") || h.FreeMB < 0 {
		t.Fatalf("health below the threshold: %+v", h)
	}
}

func TestStorageFaultsAreLoggedOncePerInterval(t *testing.T) {
	var out bytes.Buffer
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	l := &queue.QuietLog{Log: slog.New(slog.NewTextHandler(&out, nil)), Every: time.Minute, Now: func() time.Time { return now }}
	for range 500 {
		l.Error("full", "penulisan database gagal")
		now = now.Add(100 * time.Millisecond)
	}
	// 50 s of failures, then one more after the minute, and another kind.
	now = now.Add(15 * time.Second)
	l.Error("full", "penulisan database gagal")
	l.Warn("io", "kartu gagal")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "serupa_dilewati=499") || !strings.Contains(lines[2], "level=WARN") {
		t.Fatalf("logged %d lines:\n%s", len(lines), out.String())
	}
}
