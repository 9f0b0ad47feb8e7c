package printjob

import (
	"context"
	"sync"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/printer"
)

// Reopen is a printer.Port that opens its device on first use and again
// after any error, so a USB printer plugged in after antrid started, or
// unplugged and plugged back (a new /dev/usb/lp0), is found without a
// restart. It is the Port the daemon prints through.
type Reopen struct {
	Device string
	Open   func(device string) (printer.Port, error) // printer.Open

	mu   sync.Mutex
	port printer.Port
}

func (r *Reopen) get() (printer.Port, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.port == nil {
		p, err := r.Open(r.Device)
		if err != nil {
			return nil, err
		}
		r.port = p
	}
	return r.port, nil
}

// drop closes the port after an error; the next call opens it again.
func (r *Reopen) drop(p printer.Port) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.port == p {
		r.port.Close()
		r.port = nil
	}
}

// Write sends b to the device, opening it first if needed.
func (r *Reopen) Write(b []byte) (int, error) {
	p, err := r.get()
	if err != nil {
		return 0, err
	}
	n, err := p.Write(b)
	if err != nil {
		r.drop(p)
	}
	return n, err
}

// Status asks the device's status, opening it first if needed. A device that
// cannot be opened is an error, like a connection that failed.
func (r *Reopen) Status(ctx context.Context) (escpos.Status, error) {
	p, err := r.get()
	if err != nil {
		return escpos.Status{}, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		r.drop(p)
	}
	return st, err
}

// Close closes the device if it is open.
func (r *Reopen) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.port == nil {
		return nil
	}
	err := r.port.Close()
	r.port = nil
	return err
}
