package main

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
)

// The storage rows of issue 10's attack table, against the real antrid binary: the
// database deleted, emptied or overwritten under it, and the card full. Each attack must
// end in a clear refusal (503 with words for the citizen, /healthz 503, or an exit with
// the reason and status 4 at start), never in an empty database silently put in place of
// the office's history, and never in a loop of 500s.

const storageConfig = `
[office]
id = "mpp-uji-simpan"
name = "MPP Uji Penyimpanan"
admin_token = "admin-uji-penyimpanan-0001"

[[service]]
code = "A"
name = "Perizinan"
wait_standard = "15m"
service_standard = "10m"

[[counter]]
id = "1"
name = "Loket 1"
services = ["A"]
token = "loket-uji-penyimpanan-0001"

[storage]
min_free_mb = %d
`

// antridProc is the real antrid binary running as a child process.
type antridProc struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string
	log  *lockedBuffer
	done chan error
}

// lockedBuffer collects a child's stderr while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// storageFixture builds antrid and writes storageConfig with the given free-space
// threshold; it gives the binary, the config and the data folder (not yet created).
func storageFixture(t *testing.T, minFreeMB int) (bin, cfgPath, data string) {
	t.Helper()
	cfgPath, data = writeFixture(t, fmt.Sprintf(storageConfig, minFreeMB))
	return built(t, buildAntrid), cfgPath, data
}

// built is the binary a build gives, or the test fails; it skips with -short.
func built(t *testing.T, build func() (string, error)) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the daemon; skipped with -short")
	}
	bin, err := build()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// writeFixture writes a config in a fresh folder; it gives the config and the data
// folder (not yet created).
func writeFixture(t *testing.T, config string) (cfgPath, data string) {
	t.Helper()
	dir := t.TempDir()
	cfgPath = filepath.Join(dir, "antri.toml")
	if err := os.WriteFile(cfgPath, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath, filepath.Join(dir, "data")
}

// antridCmd is the daemon's command line on a free port, with extra flags.
func antridCmd(t *testing.T, bin, cfg, data string, extra ...string) (*exec.Cmd, string) {
	addr := freeAddr(t)
	args := append([]string{"-config", cfg, "-data", data, "-listen", addr}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET=")
	return cmd, "http://" + addr
}

// runDaemonProc starts antrid and waits until /healthz answers (healthy or not).
func runDaemonProc(t *testing.T, bin, cfg, data string, extra ...string) *antridProc {
	t.Helper()
	cmd, base := antridCmd(t, bin, cfg, data, extra...)
	d := &antridProc{t: t, cmd: cmd, base: base, log: &lockedBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = d.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { d.done <- cmd.Wait() }()
	t.Cleanup(func() {
		d.cmd.Process.Kill()
		if t.Failed() {
			t.Logf("antrid's log:\n%s", d.log.String())
		}
	})
	eventually(t, "antrid answering /healthz", func() bool {
		select {
		case err := <-d.done:
			t.Fatalf("antrid exited at start: %v\n%s", err, d.log.String())
		default:
		}
		res, err := http.Get(d.base + "/healthz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return true
	})
	return d
}

// stop sends SIGTERM, as systemd does, and waits for a clean exit.
func (d *antridProc) stop() {
	d.t.Helper()
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-d.done:
		if err != nil {
			d.t.Fatalf("antrid did not exit cleanly on SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		d.t.Fatal("antrid did not stop within 30 s of SIGTERM")
	}
}

// do makes a request without a token and returns the status and body.
func (d *antridProc) do(method, path, body string) (int, []byte) {
	d.t.Helper()
	return d.doAs(method, path, "", body)
}

// doAs makes a request with a bearer token ("" for none) and returns the status and body.
func (d *antridProc) doAs(method, path, token, body string) (int, []byte) {
	d.t.Helper()
	req, err := http.NewRequest(method, d.base+path, strings.NewReader(body))
	if err != nil {
		d.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw
}

// issue takes a ticket for service A; it returns the status and, when 201, the ticket.
func (d *antridProc) issue() (int, *queue.Ticket, string) {
	d.t.Helper()
	code, raw := d.do("POST", "/api/tickets", `{"service":"A"}`)
	var out struct {
		queue.Ticket
		Error string `json:"error"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		d.t.Fatalf("POST /api/tickets answered %d with %q: not JSON", code, raw)
	}
	if code == http.StatusCreated {
		return code, &out.Ticket, ""
	}
	return code, nil, out.Error
}

// mustIssue takes n tickets and returns their numbers.
func (d *antridProc) mustIssue(n int) []string {
	d.t.Helper()
	var nums []string
	for range n {
		code, tk, msg := d.issue()
		if code != http.StatusCreated {
			d.t.Fatalf("ticket refused: %d %s", code, msg)
		}
		nums = append(nums, tk.Number)
	}
	return nums
}

// healthz is /healthz's status and its "database" part.
func (d *antridProc) healthz() (int, bool) {
	d.t.Helper()
	code, raw := d.do("GET", "/healthz", "")
	var h health
	if err := json.Unmarshal(raw, &h); err != nil {
		d.t.Fatalf("/healthz: %v in %s", err, raw)
	}
	return code, h["database"].OK
}

// wantUnhealthy waits until /healthz answers 503 with the database part not ok.
func (d *antridProc) wantUnhealthy(why string) {
	d.t.Helper()
	eventually(d.t, "/healthz 503 because "+why, func() bool {
		code, ok := d.healthz()
		return code == http.StatusServiceUnavailable && !ok
	})
}

// wantRefusedStart runs antrid expecting it to refuse the database: exit status 4 and
// every one of words in what it says.
func wantRefusedStart(t *testing.T, bin, cfg, data string, words ...string) {
	t.Helper()
	cmd, _ := antridCmd(t, bin, cfg, data)
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
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("antrid kept running on a database it must refuse:\n%s", out.String())
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitStoreRefused {
		t.Fatalf("antrid exited with %v, want status %d\n%s", err, exitStoreRefused, out.String())
	}
	for _, w := range words {
		if !strings.Contains(out.String(), w) {
			t.Errorf("the refusal does not say %q:\n%s", w, out.String())
		}
	}
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
	bin, cfg, data := storageFixture(t, 1)
	db := filepath.Join(data, "antri.db")
	d := runDaemonProc(t, bin, cfg, data)
	d.mustIssue(8)
	if code, ok := d.healthz(); code != http.StatusOK || !ok {
		t.Fatalf("healthy daemon: /healthz %d, database ok %v", code, ok)
	}

	if err := os.Remove(db); err != nil { // rm antri.db, as the attacker did
		t.Fatal(err)
	}
	d.wantUnhealthy("the database file was removed")
	code, _, msg := d.issue()
	if code != http.StatusServiceUnavailable || !strings.Contains(msg, "dihapus") {
		t.Fatalf("a ticket after the removal: %d %q, want 503 saying the file was removed", code, msg)
	}
	rescued, _ := filepath.Glob(db + ".rescued-*")
	if len(rescued) != 1 {
		t.Fatalf("rescued copies: %v", rescued)
	}
	d.stop()

	// A restart refuses to put an empty database where the office's history was.
	wantRefusedStart(t, bin, cfg, data, "tidak ada", "-allow-new-database", "Pemulihan")
	if _, err := os.Stat(db); err == nil {
		t.Fatal("the refused start created a database")
	}

	// The technician puts the rescued copy back: all eight tickets, numbering goes on.
	if err := os.Rename(rescued[0], db); err != nil {
		t.Fatal(err)
	}
	d = runDaemonProc(t, bin, cfg, data)
	if nums := d.mustIssue(1); nums[0] != "A-009" {
		t.Fatalf("after restoring the rescued copy the next ticket is %s, want A-009", nums[0])
	}
	d.stop()
}

func TestStorageAttackNewDatabaseOnlyWithTheFlag(t *testing.T) {
	bin, cfg, data := storageFixture(t, 1)
	db := filepath.Join(data, "antri.db")
	d := runDaemonProc(t, bin, cfg, data)
	d.mustIssue(2)
	d.stop()
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		os.Remove(f)
	}
	wantRefusedStart(t, bin, cfg, data, "-allow-new-database")

	d = runDaemonProc(t, bin, cfg, data, "-allow-new-database")
	if nums := d.mustIssue(1); nums[0] != "A-001" {
		t.Fatalf("first ticket of the new database: %s", nums[0])
	}
	d.stop()
	// The flag was for that start only; the new database is protected like the old one.
	os.Remove(db)
	wantRefusedStart(t, bin, cfg, data, "-allow-new-database")
}

func TestStorageAttackZeroLengthFile(t *testing.T) {
	bin, cfg, data := storageFixture(t, 1)
	db := filepath.Join(data, "antri.db")
	d := runDaemonProc(t, bin, cfg, data)
	d.mustIssue(3)
	d.stop()

	if err := os.Truncate(db, 0); err != nil {
		t.Fatal(err)
	}
	wantRefusedStart(t, bin, cfg, data, "0 byte", "-allow-new-database")
	if fi, _ := os.Stat(db); fi.Size() != 0 {
		t.Fatalf("the refused start wrote %d bytes into the emptied file", fi.Size())
	}

	// Emptied under the running daemon: refused at once, and nothing is written back.
	if err := os.Remove(db); err != nil {
		t.Fatal(err)
	}
	d = runDaemonProc(t, bin, cfg, data, "-allow-new-database")
	d.mustIssue(2)
	if err := os.Truncate(db, 0); err != nil {
		t.Fatal(err)
	}
	d.wantUnhealthy("the database file was emptied")
	if code, _, msg := d.issue(); code != http.StatusServiceUnavailable || !strings.Contains(msg, "dikosongkan") {
		t.Fatalf("a ticket after the file was emptied: %d %q", code, msg)
	}
	d.stop()
	if fi, _ := os.Stat(db); fi.Size() != 0 {
		t.Fatalf("stopping wrote %d bytes into the emptied file", fi.Size())
	}
	wantRefusedStart(t, bin, cfg, data, "0 byte")
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
	bin, cfg, data := storageFixture(t, 1)
	db := filepath.Join(data, "antri.db")
	d := runDaemonProc(t, bin, cfg, data)
	d.mustIssue(300)
	d.stop() // checkpointed: every page is in the main file
	// A page inside the file, past the header, that every request reads.
	page := rootPage(t, db, "tickets")
	d = runDaemonProc(t, bin, cfg, data)

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
				code, raw := d.do("GET", "/api/state", "")
				mu.Lock()
				defer mu.Unlock()
				codes[code]++
				if code != http.StatusOK && (code != http.StatusServiceUnavailable || !strings.Contains(string(raw), "rusak")) {
					t.Errorf("/api/state on a corrupt database: %d %s", code, raw)
				}
			}()
		}
		wg.Wait()
		if code, _, msg := d.issue(); code != http.StatusCreated && (code != http.StatusServiceUnavailable || msg == "") {
			t.Errorf("a ticket on a corrupt database: %d %q", code, msg)
		}
	}
	if codes[http.StatusServiceUnavailable] == 0 {
		t.Fatalf("no request met the overwritten page: %v", codes)
	}
	d.wantUnhealthy("a request met a corrupt page")
	d.stop()

	// Refused at every start from now on, the same way, and the file left as it is.
	before := sum(t, db)
	wantRefusedStart(t, bin, cfg, data, "rusak", "quick_check", "Pemulihan")
	wantRefusedStart(t, bin, cfg, data, "rusak")
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
		msg := fmt.Sprintf("mounting a %s tmpfs for the full-card test needs root: %v", size, err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg + "; CI runs as root, so it must not skip")
		}
		t.Skip(msg)
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
	bin, cfg, data := storageFixture(t, 2)
	mountSmallDisk(t, data, "24m")
	d := runDaemonProc(t, bin, cfg, data)
	acked := d.mustIssue(5)

	filler := fill(t, data)
	d.wantUnhealthy("the card is full")
	// The WAL may still have room from before: tickets go on until it must grow.
	var refusal string
	for range 2000 {
		code, tk, msg := d.issue()
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
		if code, _, msg := d.issue(); code != http.StatusServiceUnavailable || msg != refusal {
			t.Fatalf("a repeated ticket on a full card: %d %q", code, msg)
		}
	}
	if code, _ := d.do("GET", "/api/state", ""); code != http.StatusOK {
		t.Fatalf("the displays cannot read the queue on a full card: %d", code)
	}
	if n := strings.Count(d.log.String(), "database or disk is full"); n < 1 || n > 3 {
		t.Fatalf("%d log lines about the full card for 31 refusals; want it logged once per kind per minute:\n%s", n, d.log.String())
	}

	// Space returns: healthy again without a restart, and numbering goes on.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	eventually(t, "/healthz 200 once space returned", func() bool {
		code, ok := d.healthz()
		return code == http.StatusOK && ok
	})
	next := d.mustIssue(1)[0]
	if want := queue.FormatNumber("A", len(acked)+1); next != want {
		t.Fatalf("after the card recovered the next ticket is %s, want %s", next, want)
	}
	acked = append(acked, next)
	d.stop()

	stored := storedNumbers(t, filepath.Join(data, "antri.db"))
	if strings.Join(stored, " ") != strings.Join(acked, " ") {
		t.Fatalf("stored %v\nacknowledged %v", stored, acked)
	}
}
