package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/antri-id/antri/queue"
)

// TestSIGTERMDrainsAndRestartRestores stops antrid the way systemd does and
// starts it again: it must exit cleanly with the WAL checkpointed into the
// database file, and the restarted daemon must serve exactly the same queue.
func TestSIGTERMDrainsAndRestartRestores(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the daemon; skipped with -short")
	}
	bin, cfgPath, data := antridFixture(t)
	addr := freeAddr(t)
	cmd := startAntrid(t, bin, cfgPath, data, addr)
	base := "http://" + addr
	post := func(path, token, body string) {
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode >= 300 {
			t.Fatalf("%s: %v %v", path, err, res.Status)
		}
		res.Body.Close()
	}
	for _, s := range []string{"A", "B", "A", "B", "A"} {
		post("/api/tickets", "", `{"service":"`+s+`"}`)
	}
	post("/api/tickets", "", `{"service":"B","priority":true}`)
	post("/api/counters/1/call", crashCounterToken, ``)
	post("/api/counters/1/start", crashCounterToken, ``)
	state := func() (queue.State, string) {
		res, err := http.Get(base + "/api/state")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		var st queue.State
		if err := json.Unmarshal(raw, &st); err != nil {
			t.Fatal(err)
		}
		return st, string(raw)
	}
	before, _ := state()

	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("antrid did not exit cleanly on SIGTERM: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(data, "antri.db-wal")); err == nil && fi.Size() != 0 {
		t.Errorf("WAL not checkpointed at shutdown: %d bytes left", fi.Size())
	}

	cmd = startAntrid(t, bin, cfgPath, data, addr)
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	after, raw := state()
	if after.Seq != before.Seq || len(after.Waiting) != len(before.Waiting) {
		t.Fatalf("restart changed the queue: seq %d→%d, waiting %d→%d", before.Seq, after.Seq, len(before.Waiting), len(after.Waiting))
	}
	for i := range before.Waiting {
		if before.Waiting[i].Number != after.Waiting[i].Number {
			t.Fatalf("waiting order changed: %s", raw)
		}
	}
	if c := after.Counters[0].Current; c == nil || c.Number != before.Counters[0].Current.Number || c.Stage != queue.StageStarted {
		t.Fatalf("counter 1 after restart: %s", raw)
	}
}
