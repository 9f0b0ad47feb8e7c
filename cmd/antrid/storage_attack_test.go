package main

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// The storage rows of issue 10's attack table, against the real antrid binary: the
// database deleted, emptied or overwritten under it, and the card full. Each attack must
// end in a clear refusal (503 with words for the citizen, /healthz 503, or an exit with
// the reason and status 4 at start), never in an empty database silently put in place of
// the office's history, and never in a loop of 500s.

// appliance is one office's config and data folder, and the build of antrid that runs it.
type appliance struct {
	t         *testing.T
	bin       string
	cfg, data string
}

// newAppliance is the "office" fixture with long tokens (longTokens) and [storage]
// min_free_mb = minFreeMB, a data
// folder not yet created, and the build of antrid that build gives (skipped with -short).
func newAppliance(t *testing.T, build func() (string, error), minFreeMB int) *appliance {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the antrid binary; skipped with -short")
	}
	bin, err := build()
	if err != nil {
		t.Fatal(err)
	}
	cfg := queuetest.ConfigFile(t, "office", longTokens, func(c *queue.Config) { c.Storage.MinFreeMB = minFreeMB })
	return &appliance{t: t, bin: bin, cfg: cfg, data: filepath.Join(t.TempDir(), "data")}
}

// db is the office's database file.
func (a *appliance) db() string { return filepath.Join(a.data, "antri.db") }

// start runs antrid on the office with extra flags and waits until /healthz answers.
func (a *appliance) start(extra ...string) *antridtest.Daemon {
	a.t.Helper()
	args := append([]string{"-config", a.cfg, "-data", a.data}, extra...)
	return antridtest.StartBinary(a.t, a.bin, antridtest.FreeAddr(a.t), args...)
}

// wantRefusedStart runs antrid expecting it to refuse the database: exit status 4 and
// every one of words in what it says.
func (a *appliance) wantRefusedStart(words ...string) {
	a.t.Helper()
	wantExit(a.t, a.bin, []string{"-config", a.cfg, "-data", a.data, "-listen", antridtest.FreeAddr(a.t)}, exitStoreRefused, words...)
}

// wantExit runs the antrid binary bin with args, expecting it to stop by itself with
// exit status want and to say every one of words on its standard error.
func wantExit(t *testing.T, bin string, args []string, want int, words ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var out bytes.Buffer
	cmd.Stderr = &out
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(queuetest.WaitLimit):
		cmd.Process.Kill()
		t.Fatalf("antrid kept running, want it to exit with status %d:\n%s", want, out.String())
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != want {
		t.Fatalf("antrid exited with %v, want status %d\n%s", err, want, out.String())
	}
	for _, w := range words {
		if !strings.Contains(out.String(), w) {
			t.Errorf("antrid does not say %q:\n%s", w, out.String())
		}
	}
}

// stop stops the daemon as systemd does and wants a clean exit.
func stop(t *testing.T, d *antridtest.Daemon) {
	t.Helper()
	if err := d.Stop(); err != nil {
		t.Fatalf("antrid did not exit cleanly on SIGTERM: %v", err)
	}
}

// issue takes a ticket for service A; it returns the status and the ticket (201) or the
// refusal's words.
func issue(t *testing.T, d *antridtest.Daemon) (int, *queue.Ticket, string) {
	t.Helper()
	code, raw, _ := queuetest.Send(t, "POST", d.URL+"/api/tickets", "", strings.NewReader(`{"service":"A"}`))
	var out struct {
		queue.Ticket
		Error string `json:"error"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("POST /api/tickets answered %d with %q: not JSON", code, raw)
	}
	if code == http.StatusCreated {
		return code, &out.Ticket, ""
	}
	return code, nil, out.Error
}

// mustIssue takes n tickets and returns their numbers.
func mustIssue(t *testing.T, d *antridtest.Daemon, n int) []string {
	t.Helper()
	var nums []string
	for range n {
		code, tk, msg := issue(t, d)
		if code != http.StatusCreated {
			t.Fatalf("ticket refused: %d %s", code, msg)
		}
		nums = append(nums, tk.Number)
	}
	return nums
}

// healthz is /healthz's status and whether its "database" part is ok.
func healthz(t *testing.T, d *antridtest.Daemon) (int, bool) {
	t.Helper()
	var h health
	code := queuetest.Call(t, "GET", d.URL+"/healthz", "", nil, &h)
	return code, h["database"].OK
}

// wantUnhealthy waits until /healthz answers 503 with the database part not ok.
func wantUnhealthy(t *testing.T, d *antridtest.Daemon, why string) {
	t.Helper()
	queuetest.Eventually(t, "/healthz 503 because "+why, func() bool {
		code, ok := healthz(t, d)
		return code == http.StatusServiceUnavailable && !ok
	})
}

func sum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// storedNumbers opens the database after antrid stopped (quick_check included) and lists
// its tickets' numbers in issue order.
func storedNumbers(t *testing.T, path string) []string {
	t.Helper()
	st, err := queue.OpenStore(path)
	if err != nil {
		t.Fatalf("the database after the attack: %v", err)
	}
	defer st.Close()
	rows, err := st.Reader().Query(`SELECT number FROM tickets ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var nums []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		nums = append(nums, n)
	}
	return nums
}

func TestStorageAttackDatabaseDeletedWhileRunning(t *testing.T) {
	a := newAppliance(t, antridtest.Binary, 1)
	db := a.db()
	d := a.start()
	mustIssue(t, d, 8)
	if code, ok := healthz(t, d); code != http.StatusOK || !ok {
		t.Fatalf("healthy daemon: /healthz %d, database ok %v", code, ok)
	}

	if err := os.Remove(db); err != nil { // rm antri.db, as the attacker did
		t.Fatal(err)
	}
	wantUnhealthy(t, d, "the database file was removed")
	code, _, msg := issue(t, d)
	if code != http.StatusServiceUnavailable || !strings.Contains(msg, "dihapus") {
		t.Fatalf("a ticket after the removal: %d %q, want 503 saying the file was removed", code, msg)
	}
	rescued, _ := filepath.Glob(db + ".rescued-*")
	if len(rescued) != 1 {
		t.Fatalf("rescued copies: %v", rescued)
	}
	stop(t, d)

	// A restart refuses to put an empty database where the office's history was.
	a.wantRefusedStart("tidak ada", "-allow-new-database", "Pemulihan")
	if _, err := os.Stat(db); err == nil {
		t.Fatal("the refused start created a database")
	}

	// The technician puts the rescued copy back: all eight tickets, numbering goes on.
	if err := os.Rename(rescued[0], db); err != nil {
		t.Fatal(err)
	}
	d = a.start()
	if nums := mustIssue(t, d, 1); nums[0] != "A-009" {
		t.Fatalf("after restoring the rescued copy the next ticket is %s, want A-009", nums[0])
	}
	stop(t, d)
}

func TestStorageAttackNewDatabaseOnlyWithTheFlag(t *testing.T) {
	a := newAppliance(t, antridtest.Binary, 1)
	db := a.db()
	d := a.start()
	mustIssue(t, d, 2)
	stop(t, d)
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		os.Remove(f)
	}
	a.wantRefusedStart("-allow-new-database")

	d = a.start("-allow-new-database")
	if nums := mustIssue(t, d, 1); nums[0] != "A-001" {
		t.Fatalf("first ticket of the new database: %s", nums[0])
	}
	stop(t, d)
	// The flag was for that start only; the new database is protected like the old one.
	os.Remove(db)
	a.wantRefusedStart("-allow-new-database")
}

func TestStorageAttackZeroLengthFile(t *testing.T) {
	a := newAppliance(t, antridtest.Binary, 1)
	db := a.db()
	d := a.start()
	mustIssue(t, d, 3)
	stop(t, d)

	if err := os.Truncate(db, 0); err != nil {
		t.Fatal(err)
	}
	a.wantRefusedStart("0 byte", "-allow-new-database")
	if fi, _ := os.Stat(db); fi.Size() != 0 {
		t.Fatalf("the refused start wrote %d bytes into the emptied file", fi.Size())
	}

	// Emptied under the running daemon: refused at once, and nothing is written back.
	if err := os.Remove(db); err != nil {
		t.Fatal(err)
	}
	d = a.start("-allow-new-database")
	mustIssue(t, d, 2)
	if err := os.Truncate(db, 0); err != nil {
		t.Fatal(err)
	}
	wantUnhealthy(t, d, "the database file was emptied")
	if code, _, msg := issue(t, d); code != http.StatusServiceUnavailable || !strings.Contains(msg, "dikosongkan") {
		t.Fatalf("a ticket after the file was emptied: %d %q", code, msg)
	}
	stop(t, d)
	if fi, _ := os.Stat(db); fi.Size() != 0 {
		t.Fatalf("stopping wrote %d bytes into the emptied file", fi.Size())
	}
	a.wantRefusedStart("0 byte")
}

// rootPage is the page number of a table's b-tree root, read while antrid is stopped.
func rootPage(t *testing.T, path, table string) int64 {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var page int64
	if err := db.QueryRow(`SELECT rootpage FROM sqlite_master WHERE name = ?`, table).Scan(&page); err != nil {
		t.Fatal(err)
	}
	return page
}

// overwritePage writes junk over one page of the database file (numbered from 1), as a
// bad sector or a stray dd would.
func overwritePage(t *testing.T, path string, page int64) {
	t.Helper()
	const size = 4096
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, size), (page-1)*size); err != nil {
		t.Fatal(err)
	}
}

func TestStorageAttackPageOverwritten(t *testing.T) {
	a := newAppliance(t, antridtest.Binary, 1)
	db := a.db()
	d := a.start()
	mustIssue(t, d, 300)
	stop(t, d) // checkpointed: every page is in the main file
	// A page inside the file, past the header, that every request reads.
	page := rootPage(t, db, "tickets")
	d = a.start()

	// Overwritten under the running daemon: every answer is a success or a clear 503,
	// never a 500, and /healthz says the database is corrupt.
	overwritePage(t, db, page)
	var mu sync.Mutex
	codes := map[int]int{}
	for range 5 {
		var wg sync.WaitGroup
		for range 8 { // several at once, so the pool opens fresh connections that read the card
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, raw, _ := queuetest.Send(t, "GET", d.URL+"/api/state", "", nil)
				mu.Lock()
				defer mu.Unlock()
				codes[code]++
				if code != http.StatusOK && (code != http.StatusServiceUnavailable || !strings.Contains(string(raw), "rusak")) {
					t.Errorf("/api/state on a corrupt database: %d %s", code, raw)
				}
			}()
		}
		wg.Wait()
		if code, _, msg := issue(t, d); code != http.StatusCreated && (code != http.StatusServiceUnavailable || msg == "") {
			t.Errorf("a ticket on a corrupt database: %d %q", code, msg)
		}
	}
	if codes[http.StatusServiceUnavailable] == 0 {
		t.Fatalf("no request met the overwritten page: %v", codes)
	}
	wantUnhealthy(t, d, "a request met a corrupt page")
	stop(t, d)

	// Refused at every start from now on, the same way, and the file left as it is.
	before := sum(t, db)
	a.wantRefusedStart("rusak", "quick_check", "Pemulihan")
	a.wantRefusedStart("rusak")
	if sum(t, db) != before {
		t.Fatal("the refused start wrote to the corrupt file")
	}
}

// mountSmallDisk mounts a size-limited tmpfs for the data folder: a card that can fill.
// It needs root (CI runs as root); elsewhere the test is skipped, in CI it fails.
func mountSmallDisk(t *testing.T, dir string, size string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		queuetest.SkipUnlessCI(t, fmt.Sprintf("mounting a %s tmpfs for the full-card test needs root: %v (CI runs as root)", size, err))
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmounting %s: %v", dir, err)
		}
	})
}

// fill writes a file until the file system is full and returns its path.
func fill(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "pengisi")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := bytes.Repeat([]byte{'x'}, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				break
			}
			t.Fatal(err)
		}
	}
	for small := bytes.Repeat([]byte{'x'}, 512); ; { // the last partial block too
		if _, err := f.Write(small); err != nil {
			break
		}
	}
	return p
}

func TestStorageAttackDiskFull(t *testing.T) {
	a := newAppliance(t, antridtest.Binary, 2)
	data := a.data
	mountSmallDisk(t, data, "24m")
	d := a.start()
	acked := mustIssue(t, d, 5)

	filler := fill(t, data)
	wantUnhealthy(t, d, "the card is full")
	// The WAL may still have room from before: tickets go on until it must grow.
	var refusal string
	for range 2000 {
		code, tk, msg := issue(t, d)
		if code == http.StatusCreated {
			acked = append(acked, tk.Number)
			continue
		}
		if code != http.StatusServiceUnavailable {
			t.Fatalf("a ticket on a full card: %d %q, want 201 or 503", code, msg)
		}
		refusal = msg
		break
	}
	if !strings.Contains(refusal, "penuh") {
		t.Fatalf("the refusal on a full card says %q", refusal)
	}
	for range 30 { // a busy kiosk keeps trying: each refused the same way
		if code, _, msg := issue(t, d); code != http.StatusServiceUnavailable || msg != refusal {
			t.Fatalf("a repeated ticket on a full card: %d %q", code, msg)
		}
	}
	if code, _, _ := queuetest.Send(t, "GET", d.URL+"/api/state", "", nil); code != http.StatusOK {
		t.Fatalf("the displays cannot read the queue on a full card: %d", code)
	}
	if n := strings.Count(d.Log(), "database or disk is full"); n < 1 || n > 3 {
		t.Fatalf("%d log lines about the full card for 31 refusals; want it logged once per kind per minute:\n%s", n, d.Log())
	}

	// Space returns: healthy again without a restart, and numbering goes on.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	queuetest.Eventually(t, "/healthz 200 once space returned", func() bool {
		code, ok := healthz(t, d)
		return code == http.StatusOK && ok
	})
	next := mustIssue(t, d, 1)[0]
	if want := queue.FormatNumber("A", len(acked)+1); next != want {
		t.Fatalf("after the card recovered the next ticket is %s, want %s", next, want)
	}
	acked = append(acked, next)
	stop(t, d)

	stored := storedNumbers(t, filepath.Join(data, "antri.db"))
	if strings.Join(stored, " ") != strings.Join(acked, " ") {
		t.Fatalf("stored %v\nacknowledged %v", stored, acked)
	}
}
