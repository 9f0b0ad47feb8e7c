package main

// The HTTP face of antrid on an office network that citizens' phones share: a listener
// that bounds open connections overall and per address with a reserve for the kiosk
// (display.LimitListener), and an http.Server whose timeouts end slow and idle clients.
// Together they keep a flood of 4,000 slow connections from stopping the kiosk's
// tickets (issue 10; cmd/antrid/attack_test.go).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/antri-id/antri/display"
)

// fdReserve is how many file descriptors antrid keeps beside its connections: the
// database and its WAL (writer and readers), the printer, GPIO chips, headquarters
// uploads, voice clips, the journal. A connection flood may take the rest, never these.
const fdReserve = 64

// listenHTTP opens the HTTP listener with the office's connection limits and registers
// its health as the "connections" part of /healthz.
func (a *app) listenHTTP(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("tidak bisa mendengarkan di %s: %w (alamat dipakai program lain?)", addr, err)
	}
	a.ln = display.NewLimitListener(ln, connLimits(a), a.cfg.Kiosk.TrustsAddr, a.log)
	a.srv.SetCheck("connections", func(context.Context) display.Health {
		ok, why, st := a.ln.Health()
		return display.Health{OK: ok, Error: why, Detail: st}
	})
	return a.ln, nil
}

// connLimits are the [connections] limits, lowered when the process may not open that
// many files (systemd's LimitNOFILE; Go raises the soft limit to the hard one at start).
func connLimits(a *app) display.ConnLimits {
	c := a.cfg.Connections
	lim := display.ConnLimits{Max: c.Max, PerAddress: c.PerAddress, KioskReserve: c.KioskReserve}
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return lim
	}
	if avail := int(min(rl.Cur, 1<<20)) - fdReserve - lim.KioskReserve; avail < lim.Max {
		a.log.Warn("batas berkas terbuka proses (LimitNOFILE) lebih kecil dari [connections] max; batas koneksi diturunkan",
			"nofile", rl.Cur, "max", lim.Max, "dipakai", max(avail, 16))
		lim.Max = max(avail, 16)
		lim.PerAddress = min(lim.PerAddress, lim.Max)
	}
	return lim
}

// httpServer is antrid's http.Server with the office's timeouts: a client that sends
// its request slowly, reads the answer slowly or idles between requests is cut off.
// Websockets keep their own deadlines (display.Server.Handler clears the server's).
func (a *app) httpServer() *http.Server {
	c := a.cfg.Connections
	return &http.Server{
		Handler:           a.srv.Handler(),
		ReadHeaderTimeout: c.Header,
		ReadTimeout:       c.Read,
		WriteTimeout:      c.Write,
		IdleTimeout:       c.Idle,
		// The default 1 MB per connection would let 1,000 slow clients take a gigabyte.
		MaxHeaderBytes: 16 << 10,
		ErrorLog:       log.New(&quietWriter{log: a.log, every: 10 * time.Second}, "", 0),
	}
}

// healthy is what the systemd watchdog asks before each pet: the database answers and
// new connections are accepted. A daemon out of file descriptors answers nobody, so it
// is better restarted.
func (a *app) healthy(ctx context.Context) error {
	if err := a.store.Ping(ctx); err != nil {
		return err
	}
	if a.ln != nil {
		if ok, why, _ := a.ln.Health(); !ok {
			return errors.New(why)
		}
	}
	return nil
}

// quietWriter logs net/http's own complaints (accept errors, bad handshakes, timeouts)
// at most once per every, counting the rest: a flood must not fill the SD card with log.
type quietWriter struct {
	log     *slog.Logger
	every   time.Duration
	mu      sync.Mutex
	last    time.Time
	dropped int
}

var _ io.Writer = (*quietWriter)(nil)

func (q *quietWriter) Write(p []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if now := time.Now(); now.Sub(q.last) >= q.every {
		q.log.Warn("http: "+strings.TrimSpace(string(p)), "tidak_dicatat_sebelumnya", q.dropped)
		q.last, q.dropped = now, 0
	} else {
		q.dropped++
	}
	return len(p), nil
}
