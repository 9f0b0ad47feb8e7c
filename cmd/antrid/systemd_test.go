package main

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// fakeSystemd is the receiving end of NOTIFY_SOCKET, as systemd would hold it.
type fakeSystemd struct {
	t    *testing.T
	conn *net.UnixConn
}

// listenNotify opens a unixgram socket and points NOTIFY_SOCKET at it for the
// duration of the test.
func listenNotify(t *testing.T) *fakeSystemd {
	t.Helper()
	// Unix socket paths are limited to 108 bytes and t.TempDir can be longer.
	dir, err := os.MkdirTemp("", "antrid-sd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "notify")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	return &fakeSystemd{t: t, conn: conn}
}

// pending returns every datagram already queued on the socket, without
// waiting: SdNotify's write has completed before it returns, so what a caller
// sent before this point is already here. No sleeps, no timing.
func (f *fakeSystemd) pending() []string {
	f.t.Helper()
	raw, err := f.conn.SyscallConn()
	if err != nil {
		f.t.Fatal(err)
	}
	var msgs []string
	buf := make([]byte, 4096)
	for {
		var n int
		var rerr error
		if err := raw.Read(func(fd uintptr) bool {
			n, _, rerr = unix.Recvfrom(int(fd), buf, unix.MSG_DONTWAIT)
			return true
		}); err != nil {
			f.t.Fatal(err)
		}
		if errors.Is(rerr, unix.EAGAIN) {
			return msgs
		}
		if rerr != nil {
			f.t.Fatal(rerr)
		}
		msgs = append(msgs, string(buf[:n]))
	}
}

// tally is how many times systemd got each message.
func tally(msgs []string) map[string]int {
	times := map[string]int{}
	for _, m := range msgs {
		times[m]++
	}
	return times
}

func TestNotifyReadyAndStopping(t *testing.T) {
	sd := listenNotify(t)
	notifyReady()
	notifyStopping()
	got := sd.pending()
	if len(got) != 2 || got[0] != "READY=1" || got[1] != "STOPPING=1" {
		t.Fatalf("systemd received %q, want [READY=1 STOPPING=1]", got)
	}
}

func TestNotifyWithoutSystemdDoesNothing(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	t.Setenv("WATCHDOG_USEC", "")
	notifyReady()
	notifyStopping()
	done := make(chan struct{})
	go func() {
		runWatchdog(context.Background(), func() error { t.Error("health checked without a watchdog"); return nil })
		close(done)
	}()
	<-done // must return by itself: no watchdog configured
}

// TestWatchdogPetsOnlyWhileHealthy runs a scripted health sequence
// healthy, healthy, hung store ×3, healthy and checks, at each health check,
// what systemd has received so far.
func TestWatchdogPetsOnlyWhileHealthy(t *testing.T) {
	sd := listenNotify(t)
	// 20 ms watchdog: petted every 10 ms. The test waits on health checks,
	// never on the clock, so a slow machine only makes it slower.
	t.Setenv("WATCHDOG_USEC", "20000")
	t.Setenv("WATCHDOG_PID", "")

	hung := errors.New("database: query timed out")
	script := []error{nil, nil, hung, hung, hung, nil}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var seen [][]string // datagrams received before health check i
	call := 0
	healthy := func() error {
		seen = append(seen, sd.pending())
		if call == len(script) {
			cancel()
			return hung // not petted either way: ctx already ended
		}
		err := script[call]
		call++
		return err
	}
	done := make(chan struct{})
	go func() {
		runWatchdog(ctx, healthy)
		close(done)
	}()
	<-done

	if len(seen) != len(script)+1 {
		t.Fatalf("health checked %d times, want %d", len(seen), len(script)+1)
	}
	// Before check i, systemd has the reaction to check i-1.
	for i := 1; i < len(seen); i++ {
		pets := tally(seen[i])["WATCHDOG=1"]
		if script[i-1] == nil && pets != 1 {
			t.Errorf("after healthy check %d systemd got %q, want one WATCHDOG=1", i, seen[i])
		}
		if script[i-1] != nil && pets != 0 {
			t.Errorf("after failing check %d (%v) systemd got %q: the watchdog was petted while the store hung", i, script[i-1], seen[i])
		}
	}
	// The reason is visible in `systemctl status`.
	var status []string
	for _, s := range seen {
		for _, m := range s {
			if strings.HasPrefix(m, "STATUS=") {
				status = append(status, m)
			}
		}
	}
	if len(status) == 0 || !strings.Contains(strings.Join(status, "\n"), "database: query timed out") {
		t.Errorf("STATUS messages %q do not name the failing check", status)
	}
}

// TestWatchdogHungCheckStopsPets: a health check that never returns must stop
// the pets (that is how systemd notices a deadlock) and must not keep
// runWatchdog from returning when the daemon shuts down.
func TestWatchdogHungCheckStopsPets(t *testing.T) {
	sd := listenNotify(t)
	t.Setenv("WATCHDOG_USEC", "20000")
	t.Setenv("WATCHDOG_PID", "")

	ctx, cancel := context.WithCancel(context.Background())
	block := make(chan struct{})
	defer close(block)
	entered := make(chan struct{}, 16)
	calls := 0
	healthy := func() error {
		calls++
		entered <- struct{}{}
		if calls == 1 {
			return nil
		}
		<-block // the store hangs from the second check on
		return nil
	}
	done := make(chan struct{})
	go func() {
		runWatchdog(ctx, healthy)
		close(done)
	}()
	<-entered
	<-entered // second check is now hanging
	if got := sd.pending(); tally(got)["WATCHDOG=1"] != 1 {
		t.Fatalf("systemd got %q, want exactly the one pet from the first check", got)
	}
	cancel()
	<-done
	if got := sd.pending(); tally(got)["WATCHDOG=1"] != 0 {
		t.Fatalf("petted during a hung check: %q", got)
	}
	if len(entered) != 0 {
		t.Fatalf("a second health check was started while one hung")
	}
}
