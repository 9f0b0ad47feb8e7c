package main

import (
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"sync"
	"time"
)

// flakyProxy is a loopback TCP proxy between an office and headquarters that
// misbehaves on demand, the way an office's internet does: it refuses every
// connection (outage), or per connection drops it, stalls it, cuts the
// request half-way, or delivers the request and loses the answer.
type flakyProxy struct {
	ln net.Listener

	mu      sync.Mutex
	backend string
	down    bool    // outage: every connection is closed at once
	flaky   float64 // share of connections that misbehave
	rnd     *rand.Rand
	conns   map[net.Conn]bool
	stats   map[string]int
	closing bool
}

func newFlakyProxy(backend string, seed uint64) (*flakyProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &flakyProxy{ln: ln, backend: backend, rnd: rand.New(rand.NewPCG(seed, 7)), conns: map[net.Conn]bool{}, stats: map[string]int{}}
	go p.accept()
	return p, nil
}

// Stats counts the connections by what the proxy did to them.
func (p *flakyProxy) Stats() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.stats)
}

func (p *flakyProxy) URL() string { return "http://" + p.ln.Addr().String() }

// set changes the backend (a restarted headquarters) and the weather.
func (p *flakyProxy) set(backend string, down bool, flaky float64) {
	p.mu.Lock()
	if backend != "" {
		p.backend = backend
	}
	p.down, p.flaky = down, flaky
	p.mu.Unlock()
}

// cutAll closes every open connection (a link that drops mid-transfer).
func (p *flakyProxy) cutAll() {
	p.mu.Lock()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
}

func (p *flakyProxy) Close() {
	p.mu.Lock()
	p.closing = true
	p.mu.Unlock()
	p.ln.Close()
	p.cutAll()
}

func (p *flakyProxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closing {
		c.Close()
		return false
	}
	p.conns[c] = true
	return true
}

func (p *flakyProxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	c.Close()
}

func (p *flakyProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			continue
		}
		p.mu.Lock()
		mode := "pass"
		switch {
		case p.down:
			mode = "drop"
		case p.rnd.Float64() < p.flaky:
			mode = []string{"drop", "stall", "cut-request", "lose-answer"}[p.rnd.IntN(4)]
		}
		backend := p.backend
		p.stats[mode]++
		p.mu.Unlock()
		go p.serve(c, backend, mode)
	}
}

func (p *flakyProxy) serve(c net.Conn, backend, mode string) {
	defer p.untrack(c)
	switch mode {
	case "drop":
		return
	case "stall":
		// Read and hold: the office's request timeout has to end it.
		io.Copy(io.Discard, c)
		return
	}
	b, err := net.DialTimeout("tcp", backend, time.Second)
	if err != nil {
		return // headquarters down: the office sees a dropped connection
	}
	if !p.track(b) {
		return
	}
	defer p.untrack(b)
	switch mode {
	case "cut-request":
		io.CopyN(b, c, 300)
		return
	case "lose-answer":
		// Everything the office sends reaches headquarters; nothing comes back.
		// Headquarters stores the batch, the office never learns it.
		go func() { io.Copy(io.Discard, b) }()
		io.Copy(b, c)
		return
	}
	go func() { io.Copy(c, b); c.Close() }()
	io.Copy(b, c)
}
