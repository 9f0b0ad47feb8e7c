//go:build e2e

package e2e

// The one file that reads printed bytes with the project's own ESC/POS
// decoder; a rename of that package is a change of the import below only.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/antri-id/antri/device/escpos"
	decoder "github.com/antri-id/antri/device/escpos/preview"
)

// printedTicket is one ticket as it came out of the emulated printer.
type printedTicket struct {
	Number string // e.g. A-001, the first ticket number on the paper
	Text   string // every text line
	QR     string // the QR payload the decoder saw
	Scan   string // what zbarimg read from the rendered paper
	PNG    string // the rendering, kept as an artefact
}

var ticketNumber = regexp.MustCompile(`\b[A-Z]-\d{3,}\b`)

// tickets decodes every job in b (the gadget side's bytes, jobs back to
// back), renders each cut piece of paper to dir and reads its QR code back
// with zbarimg. A byte the strict decoder refuses fails the test.
func tickets(t *testing.T, b []byte, dir string) []printedTicket {
	t.Helper()
	doc, err := decoder.Decode(b)
	if err != nil {
		os.WriteFile(filepath.Join(dir, "printed.bin"), b, 0o644)
		t.Fatalf("the printer got bytes the ESC/POS decoder refuses: %v (kept in printed.bin)", err)
	}
	var out []printedTicket
	start := 0
	for _, c := range doc.Cuts() {
		end := c.Offset + 3
		if c.Offset+2 < len(b) && (b[c.Offset+2] == 65 || b[c.Offset+2] == 66) {
			end = c.Offset + 4 // GS V m n: feed and cut
		}
		out = append(out, readTicket(t, b[start:end], dir, len(out)))
		start = end
	}
	if rest := bytes.TrimSpace(b[start:]); len(rest) > 0 {
		t.Errorf("%d printed bytes after the last cut (a ticket cut short?)", len(b)-start)
	}
	return out
}

func readTicket(t *testing.T, job []byte, dir string, i int) printedTicket {
	t.Helper()
	doc, err := decoder.Decode(job)
	if err != nil {
		t.Fatalf("ticket %d: %v", i, err)
	}
	p := printedTicket{Text: doc.Text()}
	p.Number = ticketNumber.FindString(p.Text)
	if qrs := doc.QRs(); len(qrs) > 0 {
		p.QR = qrs[0].Payload
	}
	var png bytes.Buffer
	if err := decoder.RenderPNG(&png, job, escpos.Paper80); err != nil {
		t.Fatalf("ticket %d (%s): rendering: %v", i, p.Number, err)
	}
	p.PNG = filepath.Join(dir, fmt.Sprintf("ticket-%02d-%s.png", i, p.Number))
	if err := os.WriteFile(p.PNG, png.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("zbarimg", "-q", "--raw", p.PNG).Output()
	if err != nil {
		t.Errorf("ticket %s: zbarimg found no QR code in %s: %v", p.Number, p.PNG, err)
	}
	p.Scan = strings.TrimSpace(string(out))
	return p
}
