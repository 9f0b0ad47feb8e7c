package printer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/escpos/preview"
)

// Virtual is demo mode's printer: each Write is one job, saved as <dir>/NNNN.escpos (the
// exact bytes) and <dir>/NNNN.png rendered from those bytes by preview, so the picture
// proves the bytes. Its status is whatever SetStatus last set, to simulate paper out.
type Virtual struct {
	dir   string
	paper escpos.Paper

	mu     sync.Mutex
	last   int
	status escpos.Status
}

// NewVirtual creates dir if needed and continues numbering after the jobs already there,
// so a restart never overwrites a saved ticket.
func NewVirtual(dir string, paper escpos.Paper) (*Virtual, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("printer: virtual printer directory: %v", err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("printer: virtual printer directory: %v", err)
	}
	v := &Virtual{dir: dir, paper: paper, status: escpos.Status{Known: true}}
	for _, e := range ents {
		if n, err := strconv.Atoi(strings.TrimSuffix(e.Name(), ".escpos")); err == nil && strings.HasSuffix(e.Name(), ".escpos") {
			v.last = max(v.last, n)
		}
	}
	return v, nil
}

// SetStatus sets what Status reports from now on, e.g. escpos.Status{Known: true,
// PaperEnd: true} for paper out. While it is not OK, Write refuses jobs as a printer with
// no paper prints nothing.
func (v *Virtual) SetStatus(s escpos.Status) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.status = s
}

// Status returns the simulated status.
func (v *Virtual) Status(context.Context) (escpos.Status, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.status, nil
}

// Write saves job as the next NNNN.escpos and NNNN.png. Bytes that do not decode are still
// saved (for inspection) but make Write fail: a real printer would print garbage.
func (v *Virtual) Write(job []byte) (int, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.status.OK() {
		return 0, errors.New("virtual printer: " + v.status.Problem())
	}
	n := v.last + 1
	esc, pngPath := v.files(n)
	if err := os.WriteFile(esc, job, 0o644); err != nil {
		return 0, err
	}
	v.last = n
	f, err := os.Create(pngPath)
	if err != nil {
		return 0, err
	}
	err = preview.RenderPNG(f, job, v.paper)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(pngPath)
		return 0, fmt.Errorf("virtual printer: job %s does not render: %w", esc, err)
	}
	return len(job), nil
}

// Last returns the number of the last saved job, 0 if none.
func (v *Virtual) Last() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.last
}

// Files returns the paths of job n: its bytes and its picture.
func (v *Virtual) Files(n int) (escposPath, pngPath string) { return v.files(n) }

func (v *Virtual) files(n int) (string, string) {
	base := filepath.Join(v.dir, fmt.Sprintf("%04d", n))
	return base + ".escpos", base + ".png"
}

// Close does nothing; it makes Virtual a Port.
func (v *Virtual) Close() error { return nil }

var _ Port = (*Virtual)(nil)
