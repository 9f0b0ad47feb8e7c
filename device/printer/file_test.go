package printer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/antri-id/antri/device/printer"
)

func TestFileAppendsJobs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tickets.bin")
	p, err := printer.Open("file://" + path)
	if err != nil {
		t.Fatal(err)
	}
	job := ticket(t)
	for range 2 {
		if err := printer.Print(context.Background(), p, job); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	got, _ := os.ReadFile(path)
	if !bytes.Equal(got, append(append([]byte{}, job...), job...)) {
		t.Errorf("file holds %d bytes, want two %d-byte jobs", len(got), len(job))
	}
}

func TestPlainFileAsDevicePathHasUnknownStatus(t *testing.T) {
	// A path without a scheme is treated as a character device; a file that cannot be
	// polled must not block printing nor receive status queries.
	path := filepath.Join(t.TempDir(), "lp0")
	os.WriteFile(path, nil, 0o644)
	p, job := openAndPrint(t, path)
	st, _ := p.Status(context.Background())
	got, _ := os.ReadFile(path)
	if st.Known || !bytes.Equal(got, job) {
		t.Errorf("status %+v, file %d bytes (want unknown status and exactly the job)", st, len(got))
	}
}
