package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestSIGTERMDrainsAndRestartRestores stops antrid the way systemd does and
// starts it again: it must exit cleanly with the WAL checkpointed into the
// database file, and the restarted daemon must serve exactly the same queue.
func TestSIGTERMDrainsAndRestartRestores(t *testing.T) {
	cfgPath, data, addr := queuetest.ConfigFile(t, "office", longTokens), t.TempDir(), antridtest.FreeAddr(t)
	d := antridtest.Start(t, addr, "-config", cfgPath, "-data", data)
	for _, s := range []string{"A", "B", "A", "B", "A"} {
		d.Post("/api/tickets", "", `{"service":"`+s+`"}`)
	}
	d.Post("/api/tickets", "", `{"service":"B","priority":true}`)
	d.Post("/api/counters/1/call", daemonToken("1"), ``)
	d.Post("/api/counters/1/start", daemonToken("1"), ``)
	state := func() (queue.State, string) {
		res, err := http.Get(d.URL + "/api/state")
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

	if err := d.Stop(); err != nil {
		t.Fatalf("antrid did not exit cleanly on SIGTERM: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(data, "antri.db-wal")); err == nil && fi.Size() != 0 {
		t.Errorf("WAL not checkpointed at shutdown: %d bytes left", fi.Size())
	}

	d = antridtest.Start(t, addr, "-config", cfgPath, "-data", data)
	defer d.Stop()
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
