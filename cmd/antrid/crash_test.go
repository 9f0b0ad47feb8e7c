package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
)

const crashConfig = `
[office]
id = "mpp-crash"
name = "MPP Uji Crash"
admin_token = "admin-crash-uji-7f3a9c"

[[service]]
code = "A"
name = "Perizinan"
wait_standard = "15m"
service_standard = "10m"

[[service]]
code = "B"
name = "Kependudukan"
wait_standard = "15m"
service_standard = "10m"

[[counter]]
id = "1"
name = "Loket 1"
services = ["A", "B"]
token = "loket-1-crash-uji-2b8e"
`

// crashCounterToken is counter 1's token in crashConfig.
const crashCounterToken = "loket-1-crash-uji-2b8e"

// buildAntrid compiles the daemon once per test binary.
var buildAntrid = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "antrid-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "antrid")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// antridFixture builds antrid and writes its config; it gives the binary,
// the config file and an empty data folder.
func antridFixture(t *testing.T) (bin, cfgPath, data string) {
	t.Helper()
	bin, err := buildAntrid()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfgPath = filepath.Join(dir, "antri.toml")
	if err := os.WriteFile(cfgPath, []byte(crashConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	return bin, cfgPath, filepath.Join(dir, "data")
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startAntrid runs the real daemon and waits until /healthz answers.
func startAntrid(t *testing.T, bin, cfg, data, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "-config", cfg, "-data", data, "-listen", addr)
	var log bytes.Buffer
	cmd.Stderr = &log // shown only when the test fails
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("antrid's log:\n%s", log.String())
		}
	})
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(20 * time.Millisecond) {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			return cmd
		}
	}
	cmd.Process.Kill()
	t.Fatal("antrid did not answer within 30 s")
	return nil
}

// TestCrashSIGKILLDuringIssue kills antrid with SIGKILL again and again while
// clients take tickets. Every ticket the API acknowledged must be in the
// database after restart, exactly once, and the numbers must have no
// duplicates and no gaps (a number is only used by a committed ticket).
func TestCrashSIGKILLDuringIssue(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the daemon; skipped with -short")
	}
	bin, cfgPath, data := antridFixture(t)

	acked := map[string]int{} // "day number" -> times acknowledged
	var mu sync.Mutex
	const rounds = 6
	for round := range rounds {
		addr := freeAddr(t)
		cmd := startAntrid(t, bin, cfgPath, data, addr)
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var n int
		for c := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				svc := []string{"A", "B"}[c%2]
				for ctx.Err() == nil {
					res, err := http.Post("http://"+addr+"/api/tickets", "application/json", strings.NewReader(`{"service":"`+svc+`"}`))
					if err != nil {
						return // the daemon is gone
					}
					var tk queue.Ticket
					err = json.NewDecoder(res.Body).Decode(&tk)
					res.Body.Close()
					if res.StatusCode == http.StatusCreated && err == nil {
						mu.Lock()
						acked[tk.Day+" "+tk.Number]++
						n++
						mu.Unlock()
					}
				}
			}()
		}
		// Kill after a number of acknowledgements that differs per round, so
		// the kill lands at different points of a commit.
		target := 25 + round*17
		for {
			mu.Lock()
			done := n >= target
			mu.Unlock()
			if done {
				break
			}
			time.Sleep(time.Millisecond)
		}
		cmd.Process.Kill() // SIGKILL: no drain, no checkpoint
		cmd.Wait()
		stop()
		wg.Wait()
	}

	st, err := queue.OpenStore(filepath.Join(data, "antri.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.Reader().Query(`SELECT day, number FROM tickets ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int{}
	perService := map[string][]string{}
	for rows.Next() {
		var day, number string
		rows.Scan(&day, &number)
		stored[day+" "+number]++
		perService[day+" "+number[:1]] = append(perService[day+" "+number[:1]], number)
	}
	rows.Close()
	for k, times := range acked {
		if times != 1 {
			t.Errorf("%s acknowledged %d times", k, times)
		}
		if stored[k] != 1 {
			t.Errorf("acknowledged ticket %s stored %d times", k, stored[k])
		}
	}
	for key, nums := range perService {
		for i, num := range nums {
			if want := queue.FormatNumber(key[len(key)-1:], i+1); num != want {
				t.Fatalf("%s: ticket %d is %s, want %s (no gaps, no duplicates)", key, i, num, want)
			}
		}
	}
	var events int
	st.Reader().QueryRow(`SELECT count(*) FROM events WHERE type = 'issued'`).Scan(&events)
	if events != len(stored) {
		t.Fatalf("%d tickets but %d issued events", len(stored), events)
	}
	t.Logf("%d rounds, %d tickets acknowledged, %d stored", rounds, len(acked), len(stored))
}
