package printer

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"time"

	"github.com/antri-id/antri/device/escpos"
)

const (
	dialTimeout  = 3 * time.Second
	writeTimeout = 10 * time.Second // a long ticket with images over a slow Wi-Fi bridge
)

// tcpPort talks to a network printer's raw port. The connection is opened on first use and
// reopened after any failure, because office printers are power-cycled and DHCP-renewed.
type tcpPort struct {
	addr string
	mu   sync.Mutex
	conn net.Conn
}

func (p *tcpPort) connect(ctx context.Context) (net.Conn, error) {
	if p.conn != nil {
		return p.conn, nil
	}
	d := net.Dialer{Timeout: dialTimeout}
	c, err := d.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return nil, err
	}
	p.conn = c
	return c, nil
}

func (p *tcpPort) drop() {
	if p.conn != nil {
		p.conn.Close()
		p.conn = nil
	}
}

// Write sends b. If nothing could be sent, it reconnects and tries once more; a partial
// send is an error (the ticket may be half printed; the caller reprints).
func (p *tcpPort) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for attempt := 0; ; attempt++ {
		c, err := p.connect(context.Background())
		if err != nil {
			return 0, err
		}
		c.SetWriteDeadline(time.Now().Add(writeTimeout))
		n, err := c.Write(b)
		if err == nil {
			return n, nil
		}
		p.drop()
		if n > 0 || attempt == 1 {
			return n, err
		}
	}
}

// Status sends DLE EOT over the same socket. A dead connection (the printer restarted) is
// reopened once; a printer that does not answer is an error, since network printers do.
func (p *tcpPort) Status(ctx context.Context) (escpos.Status, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for attempt := 0; ; attempt++ {
		c, err := p.connect(ctx)
		if err != nil {
			return escpos.Status{}, err
		}
		s, err := queryStatus(ctx, c)
		if err == nil {
			return s, nil
		}
		p.drop()
		if attempt == 1 || errors.Is(err, errNoAnswer) || errors.Is(err, os.ErrDeadlineExceeded) || ctx.Err() != nil {
			return escpos.Status{}, err
		}
	}
}

func (p *tcpPort) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drop()
	return nil
}
