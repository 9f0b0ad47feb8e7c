package printer

import (
	"context"
	"fmt"
	"os"

	"github.com/antri-id/antri/device/escpos"
)

// filePort appends jobs to a file: for printers shared through a spooler that watches a
// file, and for tests. It always reports a ready printer.
type filePort struct{ *os.File }

func openFile(path string) (Port, error) {
	if path == "" {
		return nil, fmt.Errorf("printer: file:// needs a path, e.g. file:///var/lib/antri/tickets.bin")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("printer: %v; check that the directory exists and antrid may write it", err)
	}
	return filePort{f}, nil
}

func (filePort) Status(context.Context) (escpos.Status, error) {
	return escpos.Status{Known: true}, nil
}
