package printer_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/escpos/preview"
	"github.com/antri-id/antri/device/printer"
)

func ticket(t testing.TB) []byte {
	t.Helper()
	e := escpos.NewEncoder(escpos.Paper80)
	e.Init()
	e.Size(3, 3)
	e.Line("A-001")
	if err := e.QR("http://127.0.0.1:8080/t/A-001", 6, escpos.ECM); err != nil {
		t.Fatal(err)
	}
	e.Feed(3)
	e.Cut(true)
	return e.Bytes()
}

// openAndPrint opens device (closed when the test ends) and prints the
// sample ticket on it, failing the test on an error; it returns the port and
// the job.
func openAndPrint(t testing.TB, device string) (printer.Port, []byte) {
	t.Helper()
	p, err := printer.Open(device)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	job := ticket(t)
	if err := printer.Print(context.Background(), p, job); err != nil {
		t.Fatal(err)
	}
	return p, job
}

// fakeNetworkPrinter listens on loopback; every connection shares one fakePrinter.
func fakeNetworkPrinter(t testing.TB, fp *fakePrinter) (addr string, conns func() int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var mu sync.Mutex
	n := 0
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			n++
			mu.Unlock()
			go func() { defer c.Close(); fp.serve(c) }()
			t.Cleanup(func() { c.Close() })
		}
	}()
	return ln.Addr().String(), func() int { mu.Lock(); defer mu.Unlock(); return n }
}

func TestTCPPrintsWholeTicket(t *testing.T) {
	fp := &fakePrinter{status: ready}
	addr, _ := fakeNetworkPrinter(t, fp)
	_, job := openAndPrint(t, "tcp://"+addr)
	if got := fp.got(); !bytes.Equal(got, job) {
		t.Fatalf("printer received %d bytes, want the %d-byte job", len(got), len(job))
	}
	doc, err := preview.Decode(fp.got())
	if err != nil || doc.Lines()[0].Text() != "A-001" {
		t.Errorf("received job decodes to %v, %v", doc, err)
	}
}

func TestTCPPaperOutAndCoverOpenPrintNothing(t *testing.T) {
	for _, c := range []struct {
		name    string
		status  func(byte) int
		problem string
	}{
		{"paper out", paperOut, "Kertas habis"},
		{"cover open", coverOpen, "Tutup printer terbuka"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fp := &fakePrinter{status: c.status}
			addr, _ := fakeNetworkPrinter(t, fp)
			p, _ := printer.Open("tcp://" + addr)
			defer p.Close()
			err := printer.Print(context.Background(), p, ticket(t))
			var pe *printer.Error
			if !errors.As(err, &pe) || pe.Status.Problem() != c.problem || pe.Op != "status" {
				t.Fatalf("Print = %v, want a status error saying %q", err, c.problem)
			}
			if got := fp.got(); len(got) != 0 {
				t.Errorf("a printer reporting %q was sent %d bytes", c.problem, len(got))
			}
			// Once fixed, the same port prints.
			fp.setStatus(ready)
			if err := printer.Print(context.Background(), p, ticket(t)); err != nil {
				t.Errorf("after the fix: %v", err)
			}
		})
	}
}

func TestTCPReconnectsAfterPrinterRestart(t *testing.T) {
	fp := &fakePrinter{status: ready}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
			go fp.serve(c)
		}
	}()
	p, _ := printer.Open("tcp://" + ln.Addr().String())
	defer p.Close()
	job := ticket(t)
	if err := printer.Print(context.Background(), p, job); err != nil {
		t.Fatal(err)
	}
	(<-accepted).Close() // the printer restarts: the old connection is gone
	if err := printer.Print(context.Background(), p, job); err != nil {
		t.Fatalf("second ticket after restart: %v", err)
	}
	if got := fp.got(); !bytes.Equal(got, append(append([]byte{}, job...), job...)) {
		t.Errorf("received %d bytes, want both %d-byte jobs exactly once", len(got), len(job))
	}
	select {
	case c := <-accepted:
		c.Close()
	default:
		t.Error("the port did not open a new connection")
	}
}

func TestTCPSilentPrinterIsAnError(t *testing.T) {
	fp := &fakePrinter{status: silent}
	addr, _ := fakeNetworkPrinter(t, fp)
	p, _ := printer.Open("tcp://" + addr)
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := printer.Print(ctx, p, ticket(t)); err == nil {
		t.Error("a network printer that never answers counted as printed")
	}
	if got := fp.got(); len(got) != 0 {
		t.Errorf("sent %d bytes to a printer that did not answer", len(got))
	}
}

func TestTCPPrinterOff(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens: the printer is off
	p, err := printer.Open("tcp://" + addr)
	if err != nil {
		t.Fatalf("Open must not connect: %v", err)
	}
	if err := printer.Print(context.Background(), p, ticket(t)); err == nil {
		t.Error("printing to a switched-off printer succeeded")
	}
}

func TestOpenRejectsBadDevices(t *testing.T) {
	for _, d := range []string{"", "tcp://printer", "lpd://host/queue", "serial:///dev/null?baud=12345", "serial:///dev/null?flow=xon", "file://"} {
		if p, err := printer.Open(d); err == nil {
			p.Close()
			t.Errorf("Open(%q) accepted", d)
		}
	}
}
