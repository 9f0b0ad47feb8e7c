package printer_test

import (
	"context"
	"testing"

	"github.com/antri-id/antri/device/printer"
)

// BenchmarkPrintTCP is one ticket through Print (status, write, status) to a loopback
// printer: the printer's share of "press → first printer byte".
func BenchmarkPrintTCP(b *testing.B) {
	fp := &fakePrinter{status: ready}
	addr, _ := fakeNetworkPrinter(b, fp)
	p, _ := printer.Open("tcp://" + addr)
	defer p.Close()
	job := ticket(b)
	for b.Loop() {
		if err := printer.Print(context.Background(), p, job); err != nil {
			b.Fatal(err)
		}
	}
}
