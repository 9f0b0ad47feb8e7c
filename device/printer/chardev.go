package printer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/antri-id/antri/device/escpos"
)

// charPort is a printer behind a character device: the USB printer class (/dev/usb/lp0)
// or a serial line. Bidirectional devices answer DLE EOT on the same file; one-way ones
// never answer, and their status is reported as unknown rather than as a fault.
type charPort struct {
	path string
	mu   sync.Mutex
	f    *os.File
	rw   bool // opened for reading too
}

func openCharDevice(path string) (*charPort, error) {
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOCTTY, 0)
	rw := true
	if err != nil && !errors.Is(err, os.ErrNotExist) && !errors.Is(err, os.ErrPermission) {
		// Some one-way printer drivers refuse O_RDWR; printing still works write-only.
		f, err = os.OpenFile(path, os.O_WRONLY|syscall.O_NOCTTY, 0)
		rw = false
	}
	if err != nil {
		if errors.Is(err, os.ErrPermission) {
			return nil, fmt.Errorf("printer: %v; add the antrid user to the lp group (or dialout for serial)", err)
		}
		return nil, fmt.Errorf("printer: %v; check the cable and [printer] device", err)
	}
	return &charPort{path: path, f: f, rw: rw}, nil
}

func (p *charPort) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	// usblp blocks while the printer is busy and fails with ENOSPC (paper out) or EIO
	// (offline); a deadline keeps a stuck printer from holding the ticket path forever.
	if err := p.f.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil && !errors.Is(err, os.ErrNoDeadline) {
		return 0, err
	}
	return p.f.Write(b)
}

// Status asks DLE EOT where the device can be read with a timeout. A device that cannot
// be polled, or a printer that stays silent, gives an unknown (and so printable) status.
func (p *charPort) Status(ctx context.Context) (escpos.Status, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.rw {
		return escpos.Status{}, nil
	}
	if err := p.f.SetReadDeadline(time.Time{}); err != nil {
		return escpos.Status{}, nil // not pollable: never block a ticket on a read
	}
	s, err := queryStatus(ctx, p.f)
	if errors.Is(err, errNoAnswer) {
		return escpos.Status{}, nil
	}
	return s, err
}

func (p *charPort) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.f.Close()
}
