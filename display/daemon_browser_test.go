package display

import (
	"bytes"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBrowserDisplayReconnectsAfterDaemonRestart is the waiting-room TV
// across a real restart of the appliance: the antrid binary in demo mode is
// stopped the way systemd stops it and started again on the same address and
// data. The page must show that it is cut off, come back by itself, and show
// the calls made since.
func TestBrowserDisplayReconnectsAfterDaemonRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and restarts the daemon; skipped with -short")
	}
	b := newBrowser(t) // skips without chromium
	dir := t.TempDir()
	bin := filepath.Join(dir, "antrid")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/antrid").CombinedOutput(); err != nil {
		t.Fatalf("go build antrid: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr
	var logs bytes.Buffer
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "-demo", "-data", filepath.Join(dir, "var"), "-listen", addr)
		cmd.Stderr = &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(pageWait); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if res, err := http.Get(base + "/healthz"); err == nil {
				res.Body.Close()
				return cmd
			}
		}
		t.Fatalf("antrid did not answer:\n%s", logs.String())
		return nil
	}
	post := func(path, token, body string) {
		t.Helper()
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode >= 300 {
			t.Fatalf("POST %s: %v %v", path, err, res)
		}
		res.Body.Close()
	}

	cmd := start()
	post("/api/tickets", "", `{"service":"A"}`)
	post("/api/counters/1/call", "token-loket-1", ``)
	page := tab(t, b, base+"/display", 1920, 1080)
	waitJS(t, page, "online with A-001 called", `document.getElementById("offline").hidden && `+textOf("now-number")+` === "A-001"`)

	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("antrid did not stop cleanly: %v\n%s", err, logs.String())
	}
	waitJS(t, page, "the offline mark while antrid is down", `!document.getElementById("offline").hidden`)

	cmd = start()
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	waitJS(t, page, "back online by itself", `document.getElementById("offline").hidden`)
	post("/api/tickets", "", `{"service":"A"}`)
	post("/api/counters/1/finish", "token-loket-1", ``)
	post("/api/counters/1/call", "token-loket-1", ``)
	waitJS(t, page, "a call made after the restart", textOf("now-number")+` === "A-002" && `+textOf("now-counter")+` === "Loket 1"`)
	screenshot(t, page, "display-after-daemon-restart")
}
