package printer_test

import (
	"context"
	"testing"

	"github.com/antri-id/antri/device/printer"
)

// A status question long after a print (the idle poll, or the next ticket's first
// question) must not inherit the print's write deadline: once that deadline passed, every
// DLE EOT failed with "i/o timeout", the printer looked gone between two tickets, and a
// ticket pressed then was not printed.
func TestStatusAfterAPrintsWriteDeadlinePassed(t *testing.T) {
	t.Run("tcp", func(t *testing.T) {
		fp := &fakePrinter{status: ready}
		addr, conns := fakeNetworkPrinter(t, fp)
		p, _ := openAndPrint(t, "tcp://"+addr)
		printer.ExpireWriteDeadline(p)
		if st, err := p.Status(context.Background()); err != nil || !st.Known || !st.OK() {
			t.Errorf("status after the write deadline passed: %+v, %v; want a known, ready printer", st, err)
		}
		if err := printer.Print(context.Background(), p, ticket(t)); err != nil {
			t.Errorf("the next ticket: %v", err)
		}
		if n := conns(); n != 1 {
			t.Errorf("%d connections, want the first one kept", n)
		}
	})
	t.Run("character-device", func(t *testing.T) {
		m, slave := openPty(t)
		p0, err := printer.Open("serial://" + slave) // raw line, like /dev/usb/lp0
		if err != nil {
			t.Fatal(err)
		}
		p0.Close()
		fp := &fakePrinter{status: ready}
		go fp.serve(m)
		p, _ := openAndPrint(t, slave)
		printer.ExpireWriteDeadline(p)
		if st, err := p.Status(context.Background()); err != nil || !st.Known || !st.OK() {
			t.Errorf("status after the write deadline passed: %+v, %v; want a known, ready printer", st, err)
		}
		if err := printer.Print(context.Background(), p, ticket(t)); err != nil {
			t.Errorf("the next ticket: %v", err)
		}
	})
}
