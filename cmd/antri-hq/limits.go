package main

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// limits bound what any client, and any office with a valid signature, can
// make headquarters hold: memory while a batch is read, rows and bytes once
// it is stored, connections and time. docs/SYNC.md ("Caps") gives the
// reasoning: each cap is above the most an honest antrid can send, so an
// office's own batch is never refused.
type limits struct {
	// One ingest request.
	Body     int64 // bytes on the wire (gzip), by Content-Length and as read
	Inflated int64 // bytes of batch JSON after gunzip
	Events   int   // events in one batch
	Event    int   // bytes of one event's JSON

	// Fields headquarters stores beside the events.
	OfficeName int // bytes; a longer name is cut (it is only shown)
	Timezone   int // bytes of the IANA name
	Type       int // bytes of an event type
	Labels     int // services' and counters' names kept of one office (each); longer names cut to OfficeName

	// Ingests being read, parsed or stored at once. Only requests with a
	// valid signature take a place, so forgeries cannot crowd offices out.
	PerOffice int
	Overall   int

	// Connections and their time.
	Conns             int // open at once; more wait to be accepted
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration // the whole request, body included
	WriteTimeout      time.Duration // the answer (a comparison page of many offices takes longest)
	IdleTimeout       time.Duration
	MaxHeaderBytes    int
}

// defaultLimits are antri-hq's. An honest antrid sends at most 1000 events
// and 1 MiB of event JSON per batch (sync/upload), and no event larger than
// about 800 KiB (its API takes 64 KiB bodies, JSON may escape a character in
// six bytes, and a transfer note is kept twice in its event).
var defaultLimits = limits{
	Body:     4 << 20,
	Inflated: 4 << 20,
	Events:   5000,
	Event:    1 << 20,

	OfficeName: 200,
	Timezone:   64,
	Type:       64,
	Labels:     200,

	PerOffice: 2,
	Overall:   8,

	Conns:             1024,
	ReadHeaderTimeout: 5 * time.Second,
	ReadTimeout:       60 * time.Second, // the office's uploader gives up after 60 s as well
	WriteTimeout:      2 * time.Minute,
	IdleTimeout:       2 * time.Minute,
	MaxHeaderBytes:    64 << 10,
}

// httpServer is antri-hq's http.Server with the limits' timeouts.
func (l limits) httpServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: l.ReadHeaderTimeout, ReadTimeout: l.ReadTimeout,
		WriteTimeout: l.WriteTimeout, IdleTimeout: l.IdleTimeout, MaxHeaderBytes: l.MaxHeaderBytes}
}

// listener bounds ln to l.Conns open connections: past that, Accept waits
// for one to close, so a flood of connections cannot exhaust the process's
// file descriptors (the header timeout frees the slow ones).
func (l limits) listener(ln net.Listener) net.Listener {
	return &limitedListener{Listener: ln, slots: make(chan struct{}, l.Conns), closed: make(chan struct{})}
}

type limitedListener struct {
	net.Listener
	slots     chan struct{}
	closed    chan struct{}
	closeOnce sync.Once
}

func (ln *limitedListener) Accept() (net.Conn, error) {
	select {
	case ln.slots <- struct{}{}:
	case <-ln.closed:
		return nil, net.ErrClosed
	}
	c, err := ln.Listener.Accept()
	if err != nil {
		<-ln.slots
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-ln.slots }}, nil
}

// Close also ends an Accept waiting for a place.
func (ln *limitedListener) Close() error {
	ln.closeOnce.Do(func() { close(ln.closed) })
	return ln.Listener.Close()
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// gate counts the ingests in progress, per office and overall.
type gate struct {
	perOffice, overall int

	mu     sync.Mutex
	total  int
	office map[string]int
}

func newGate(l limits) *gate {
	return &gate{perOffice: l.PerOffice, overall: l.Overall, office: map[string]int{}}
}

// enter takes a place for one ingest of office; ok is false when the office,
// or headquarters as a whole, has all its places taken. leave gives it back.
func (g *gate) enter(office string) (leave func(), ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.total >= g.overall || g.office[office] >= g.perOffice {
		return nil, false
	}
	g.total++
	g.office[office]++
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.total--
			if g.office[office]--; g.office[office] == 0 {
				delete(g.office, office)
			}
		})
	}, true
}
