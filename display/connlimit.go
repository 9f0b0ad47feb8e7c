package display

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"
)

// ConnLimits bound the connections a LimitListener holds open (the [connections] table).
type ConnLimits struct {
	// Max is how many connections all untrusted addresses together may hold.
	Max int
	// PerAddress is how many one untrusted address may hold.
	PerAddress int
	// KioskReserve is how many the trusted addresses may hold besides Max: a flood
	// from the guest Wi-Fi never takes them.
	KioskReserve int
}

// acceptErrorWindow is how long after an accept error the listener stays unhealthy.
// A listener that cannot accept (no file descriptors left) fails again at least every
// second (net/http retries with a backoff of at most one second), so a lasting fault
// stays visible and the systemd watchdog restarts antrid; a passing one heals.
const acceptErrorWindow = 10 * time.Second

// LimitListener wraps antrid's listener so that no flood of slow or idle connections
// can stop the kiosk. Trusted addresses (the kiosk, [kiosk] trusted) have a pool of
// their own. The others share Max, and each may hold at most PerAddress; when Max is
// reached, a new connection from an address holding few closes the oldest connection
// of the address holding the most, or is closed itself when no address holds more
// than it would: every address keeps its fair share, so a counter PC or a TV still
// connects while 250 addresses flood. Accept errors (EMFILE, ...) are remembered for
// Health.
type LimitListener struct {
	net.Listener
	limits  ConnLimits
	trusted func(netip.Addr) bool
	log     *slog.Logger

	mu          sync.Mutex
	byAddr      map[netip.Addr][]*limitedConn // untrusted connections, oldest first
	untrusted   int
	trustedOpen int
	refused     uint64
	evicted     uint64
	lastErr     error
	lastErrAt   time.Time
	lastWarnAt  time.Time
}

// NewLimitListener bounds the connections accepted by ln; trusted says which client
// addresses are the kiosk's.
func NewLimitListener(ln net.Listener, limits ConnLimits, trusted func(netip.Addr) bool, log *slog.Logger) *LimitListener {
	if log == nil {
		log = slog.Default()
	}
	return &LimitListener{Listener: ln, limits: limits, trusted: trusted, log: log, byAddr: map[netip.Addr][]*limitedConn{}}
}

// Accept returns the next connection within the limits, closing those beyond them.
func (l *LimitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				l.noteError(err)
			}
			return nil, err // net/http retries a temporary error (EMFILE) with a backoff
		}
		lc, victim := l.admit(c)
		if victim != nil {
			victim.Conn.Close() // its owner sees the error and closes the wrapper
		}
		if lc == nil {
			c.Close()
			continue
		}
		return lc, nil
	}
}

func (l *LimitListener) noteError(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.lastErr, l.lastErrAt = err, now
	if now.Sub(l.lastWarnAt) > time.Minute {
		l.lastWarnAt = now
		l.log.Error("koneksi baru tidak bisa diterima; /healthz tidak sehat sampai pulih", "err", err)
	}
}

// addrOf is a connection's client address, unmapped.
func addrOf(c net.Conn) netip.Addr {
	if ap, err := netip.ParseAddrPort(c.RemoteAddr().String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}

// admit decides on a new connection: the wrapper to serve it (nil to close it) and an
// older connection to close to make room (nil for none).
func (l *LimitListener) admit(c net.Conn) (lc *limitedConn, victim *limitedConn) {
	addr := addrOf(c)
	trusted := addr.IsValid() && l.trusted(addr)
	l.mu.Lock()
	defer l.mu.Unlock()
	if trusted {
		if l.trustedOpen >= l.limits.KioskReserve {
			l.refuse("kiosk", addr)
			return nil, nil
		}
		l.trustedOpen++
		return &limitedConn{Conn: c, l: l, addr: addr, trusted: true}, nil
	}
	mine := l.byAddr[addr]
	if len(mine) >= l.limits.PerAddress {
		l.refuse("per-address", addr)
		return nil, nil
	}
	if l.untrusted >= l.limits.Max {
		var biggest netip.Addr
		for a, cs := range l.byAddr {
			if len(cs) > len(l.byAddr[biggest]) {
				biggest = a
			}
		}
		// Taking one from the biggest must leave it at least as many as this address
		// will have: otherwise the connections would only change hands.
		if len(l.byAddr[biggest]) <= len(mine)+1 {
			l.refuse("total", addr)
			return nil, nil
		}
		victim = l.byAddr[biggest][0]
		l.removeLocked(victim)
		l.evicted++
	}
	lc = &limitedConn{Conn: c, l: l, addr: addr}
	l.byAddr[addr] = append(mine, lc)
	l.untrusted++
	return lc, victim
}

// refuse counts a closed connection and says so in the log, once a minute at most.
func (l *LimitListener) refuse(limit string, addr netip.Addr) {
	l.refused++
	if now := time.Now(); now.Sub(l.lastWarnAt) > time.Minute {
		l.lastWarnAt = now
		l.log.Warn("koneksi ditutup: batas koneksi tercapai (banjir koneksi dari jaringan?)", "batas", limit, "addr", addr.String(),
			"untrusted", l.untrusted, "kiosk", l.trustedOpen)
	}
}

// removeLocked forgets c; it reports whether c was still counted.
func (l *LimitListener) removeLocked(c *limitedConn) bool {
	if c.released {
		return false
	}
	c.released = true
	if c.trusted {
		l.trustedOpen--
		return true
	}
	cs := l.byAddr[c.addr]
	for i, x := range cs {
		if x == c {
			cs = append(cs[:i:i], cs[i+1:]...)
			break
		}
	}
	if len(cs) == 0 {
		delete(l.byAddr, c.addr)
	} else {
		l.byAddr[c.addr] = cs
	}
	l.untrusted--
	return true
}

// ConnStats is what a LimitListener holds and has refused, for /healthz.
type ConnStats struct {
	Open       int    `json:"open"`        // untrusted connections open
	Addresses  int    `json:"addresses"`   // untrusted addresses with one open
	Kiosk      int    `json:"kiosk"`       // trusted connections open
	Max        int    `json:"max"`         // the limits
	PerAddress int    `json:"per_address"` //
	Reserve    int    `json:"kiosk_reserve"`
	Refused    uint64 `json:"refused"` // connections closed at once since start
	Evicted    uint64 `json:"evicted"` // older connections closed to make room
	LastError  string `json:"last_accept_error,omitempty"`
}

// Health reports whether new connections are accepted: not while accept fails (no file
// descriptors left, ...), nor for acceptErrorWindow after it last failed.
func (l *LimitListener) Health() (ok bool, why string, st ConnStats) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st = ConnStats{Open: l.untrusted, Addresses: len(l.byAddr), Kiosk: l.trustedOpen, Max: l.limits.Max,
		PerAddress: l.limits.PerAddress, Reserve: l.limits.KioskReserve, Refused: l.refused, Evicted: l.evicted}
	if l.lastErr != nil {
		st.LastError = l.lastErr.Error()
	}
	if !l.lastErrAt.IsZero() && time.Since(l.lastErrAt) < acceptErrorWindow {
		return false, fmt.Sprintf("koneksi baru tidak bisa diterima: %v; bila berlanjut, antrid dimulai ulang oleh systemd", l.lastErr), st
	}
	return true, "", st
}

// limitedConn is an accepted connection, counted until it is closed.
type limitedConn struct {
	net.Conn
	l        *LimitListener
	addr     netip.Addr
	trusted  bool
	released bool // guarded by l.mu
}

func (c *limitedConn) Close() error {
	c.l.mu.Lock()
	c.l.removeLocked(c)
	c.l.mu.Unlock()
	return c.Conn.Close()
}
