package display

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"syscall"
	"testing"
	"time"
)

// limitedServer accepts through a LimitListener on 127.0.0.1 and holds every
// connection it admits until the client or the listener closes it, as net/http does.
func limitedServer(t *testing.T, limits ConnLimits) (*LimitListener, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	kiosk := netip.MustParseAddr("127.0.0.1")
	l := NewLimitListener(ln, limits, func(a netip.Addr) bool { return a == kiosk }, slog.New(slog.DiscardHandler))
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				io.Copy(io.Discard, c)
				c.Close()
			}()
		}
	}()
	return l, ln.Addr().String()
}

// dialFrom connects to addr from a loopback source address (Linux answers the whole
// 127.0.0.0/8), as a client with that address on the office network would.
func dialFrom(t *testing.T, src, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// closedByServer reports whether the server closed c (a read ends) within a while.
func closedByServer(c net.Conn, within time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(within))
	_, err := c.Read(make([]byte, 1))
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// settle waits until the listener counts n untrusted connections.
func settle(t *testing.T, l *LimitListener, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if _, _, st := l.Health(); st.Open == n {
			return
		}
	}
	_, _, st := l.Health()
	t.Fatalf("listener holds %d untrusted connections, want %d", st.Open, n)
}

func TestLimitListenerPerAddress(t *testing.T) {
	l, addr := limitedServer(t, ConnLimits{Max: 10, PerAddress: 2, KioskReserve: 2})
	a1, a2 := dialFrom(t, "127.0.0.2", addr), dialFrom(t, "127.0.0.2", addr)
	settle(t, l, 2)
	a3 := dialFrom(t, "127.0.0.2", addr)
	if !closedByServer(a3, 2*time.Second) {
		t.Error("a third connection from one address was kept")
	}
	if closedByServer(a1, 50*time.Millisecond) || closedByServer(a2, 50*time.Millisecond) {
		t.Error("the first two connections were closed")
	}
	// Another address has its own share.
	dialFrom(t, "127.0.0.3", addr)
	settle(t, l, 3)
	if _, _, st := l.Health(); st.Refused != 1 || st.Addresses != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestLimitListenerFairShareAndKioskReserve(t *testing.T) {
	l, addr := limitedServer(t, ConnLimits{Max: 4, PerAddress: 4, KioskReserve: 2})
	var flood []net.Conn
	for range 4 {
		flood = append(flood, dialFrom(t, "127.0.0.2", addr))
	}
	settle(t, l, 4)
	// The pool is full of one address: a counter PC's connection takes the flood's oldest.
	counter := dialFrom(t, "127.0.0.3", addr)
	if !closedByServer(flood[0], 2*time.Second) {
		t.Fatal("the flood's oldest connection was not closed to make room")
	}
	if closedByServer(counter, 50*time.Millisecond) {
		t.Fatal("the counter's connection was closed")
	}
	settle(t, l, 4)
	dialFrom(t, "127.0.0.3", addr) // takes one more of the flood: 2 and 2 now, the next of either address is refused
	settle(t, l, 4)
	if late := dialFrom(t, "127.0.0.3", addr); !closedByServer(late, 2*time.Second) {
		t.Error("a third connection took the place of an address with only two")
	}
	// The kiosk has its own reserve, full pool or not.
	k1, k2 := dialFrom(t, "127.0.0.1", addr), dialFrom(t, "127.0.0.1", addr)
	if closedByServer(k1, 100*time.Millisecond) || closedByServer(k2, 100*time.Millisecond) {
		t.Fatal("the kiosk was refused while the guest network filled the pool")
	}
	if k3 := dialFrom(t, "127.0.0.1", addr); !closedByServer(k3, 2*time.Second) {
		t.Error("the kiosk's reserve is not bounded")
	}
	// Closed connections give their place back.
	k1.Close()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, _, st := l.Health(); st.Kiosk == 1 {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("kiosk connections %d after one closed", st.Kiosk)
		}
	}
	if _, _, st := l.Health(); st.Evicted != 2 || st.Refused != 2 {
		t.Errorf("stats %+v", st)
	}
}

// failingListener fails every Accept as a process out of file descriptors does.
type failingListener struct{ net.Listener }

func (failingListener) Accept() (net.Conn, error) {
	return nil, &net.OpError{Op: "accept", Net: "tcp", Err: syscall.EMFILE}
}

func TestLimitListenerAcceptErrorsAreUnhealthy(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	l := NewLimitListener(failingListener{ln}, ConnLimits{Max: 1, PerAddress: 1, KioskReserve: 1}, func(netip.Addr) bool { return false }, slog.New(slog.DiscardHandler))
	if ok, _, _ := l.Health(); !ok {
		t.Fatal("unhealthy before any error")
	}
	if _, err := l.Accept(); !errors.Is(err, syscall.EMFILE) {
		t.Fatalf("accept: %v", err)
	}
	ok, why, st := l.Health()
	if ok || why == "" || st.LastError == "" {
		t.Fatalf("after EMFILE: ok=%v why=%q %+v", ok, why, st)
	}
}
