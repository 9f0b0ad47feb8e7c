// Package printer sends ESC/POS jobs to the ticket printer over the transport named by the
// config key `[printer] device`, asks the printer how it is (DLE EOT real-time status), and
// offers a virtual printer for demo mode that saves each job and its picture.
//
// Every transport is a Port; Print is the one call the ticket subscriber needs.
package printer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/antri-id/antri/device/escpos"
)

// Port is one printer connection.
type Port interface {
	// Write sends raw ESC/POS bytes. Print writes each job with a single call.
	io.Writer
	// Status asks the printer for its real-time status. A printer that cannot answer (a
	// one-way USB printer) gives a Status with Known false and a nil error; an error means
	// the connection itself failed.
	Status(ctx context.Context) (escpos.Status, error)
	// Close releases the device.
	Close() error
}

// Open opens the printer named by `[printer] device`:
//
//	/dev/usb/lp0                       USB printer class device (any path without a scheme)
//	tcp://192.168.1.50:9100            raw TCP ("JetDirect") port, reconnected on failure
//	serial:///dev/ttyUSB0?baud=19200   serial line, raw 8N1; add &flow=rtscts for RTS/CTS
//	file:///var/lib/antri/tickets.bin  appends every job to a file; status always OK
//
// Open connects nowhere for tcp://: the connection is made by the first Status or Write,
// so antrid starts even while the printer is off.
func Open(device string) (Port, error) {
	if !strings.Contains(device, "://") {
		if device == "" {
			return nil, errors.New(`printer: [printer] device is empty; set it to e.g. "/dev/usb/lp0" or "tcp://host:9100"`)
		}
		return openCharDevice(device)
	}
	u, err := url.Parse(device)
	if err != nil {
		return nil, fmt.Errorf("printer: device %q is not a valid URL: %v", device, err)
	}
	switch u.Scheme {
	case "tcp":
		if u.Port() == "" {
			return nil, fmt.Errorf("printer: device %q has no port; raw printing is usually tcp://host:9100", device)
		}
		return &tcpPort{addr: u.Host}, nil
	case "serial":
		return openSerial(u)
	case "file":
		return openFile(u.Path)
	}
	return nil, fmt.Errorf("printer: device %q: scheme %q unknown; use a /dev path, tcp://, serial:// or file://", device, u.Scheme)
}

// Error is why a ticket did not (certainly) print. The caller keeps the ticket for a
// reprint and shows Status.Problem() (or the I/O error) in /healthz and to staff.
type Error struct {
	Op     string        // "status" before sending, "write", or "after" (status after sending)
	Status escpos.Status // what the printer reported; zero when it could not be asked
	Err    error         // the I/O error; nil when the status alone stopped printing
}

func (e *Error) Error() string {
	what := "tiket belum tercetak"
	if e.Op != "status" {
		what = "tiket mungkin tidak tercetak utuh"
	}
	if e.Err != nil {
		return fmt.Sprintf("printer %s: %v (%s; periksa kabel/daya printer lalu cetak ulang)", e.Op, e.Err, what)
	}
	return fmt.Sprintf("printer: %s (%s; perbaiki lalu cetak ulang)", e.Status.Problem(), what)
}

func (e *Error) Unwrap() error { return e.Err }

// Print sends one whole ticket and says whether it printed:
//   - it first asks the status; a printer reporting a problem (paper out, cover open,
//     offline) gets nothing, so the ticket is not half printed;
//   - it writes the job in one Write; a short or failed write is an error;
//   - it asks the status again, so a paper end or error the printer noticed while taking
//     the job is reported.
//
// nil means the printer took every byte and reports no problem (or cannot report): the
// ticket printed. Any error (an *Error) means treat the ticket as not printed and offer a
// reprint; a rare duplicate is better than a citizen without a ticket.
func Print(ctx context.Context, p Port, job []byte) error {
	st, err := p.Status(ctx)
	if err != nil {
		return &Error{Op: "status", Err: err}
	}
	if !st.OK() {
		return &Error{Op: "status", Status: st}
	}
	n, err := p.Write(job)
	if err == nil && n < len(job) {
		err = io.ErrShortWrite
	}
	if err != nil {
		return &Error{Op: "write", Err: err}
	}
	st, err = p.Status(ctx)
	if err != nil {
		return &Error{Op: "after", Err: err}
	}
	if !st.OK() {
		return &Error{Op: "after", Status: st}
	}
	return nil
}
