// Package preview shows what a printer makes of the bytes escpos produces: Decode reads
// them back into lines, QR codes and images, Render draws them as a PNG. The demo printer,
// `antrid ticket-preview` and the tests all use it, so what they show is what the printer
// gets.
//
// Decode is deliberately strict: it knows only the commands escpos emits, and it rejects
// anything else, a parameter out of the Epson range, a length that does not match, or a
// command the printer would ignore where it stands (justification or a cut in the middle of
// a line). A ticket that decodes cleanly is one a printer prints as intended.
package preview

import (
	"fmt"
	"strings"

	"github.com/antri-id/antri/device/escpos"
)

// Document is a decoded print job: its blocks in paper order.
type Document struct {
	Blocks []Block
}

// Block is one thing on the paper: *Line, *QR, *Raster, *Feed or *Cut.
type Block interface{ offset() int }

// Span is a run of text in one style.
type Span struct {
	Text          string
	Width, Height int // GS ! magnification, 1..8
	Emphasis      bool
}

// Line is one printed line of text (ended by LF, ESC d or the end of the job).
type Line struct {
	Offset int // byte offset of the line's first character
	Align  escpos.Align
	Spans  []Span
}

// Text is the line's characters.
func (l *Line) Text() string {
	var b strings.Builder
	for _, s := range l.Spans {
		b.WriteString(s.Text)
	}
	return b.String()
}

// Height is the largest character height magnification on the line (1 for an empty line).
func (l *Line) Height() int {
	h := 1
	for _, s := range l.Spans {
		h = max(h, s.Height)
	}
	return h
}

// QR is a QR code printed with GS ( k Function 181, with the settings in force then.
type QR struct {
	Offset     int
	Align      escpos.Align
	Payload    string
	ModuleSize int
	ECLevel    escpos.ECLevel
}

// Raster is a GS v 0 image.
type Raster struct {
	Offset int
	Align  escpos.Align
	Scale  struct{ X, Y int } // m: 1 or 2 each
	Bitmap *escpos.Bitmap
}

// Feed is ESC d n: n blank lines after printing the buffer.
type Feed struct {
	Offset int
	Lines  int
}

// Cut is GS V.
type Cut struct {
	Offset  int
	Partial bool
}

func (b *Line) offset() int   { return b.Offset }
func (b *QR) offset() int     { return b.Offset }
func (b *Raster) offset() int { return b.Offset }
func (b *Feed) offset() int   { return b.Offset }
func (b *Cut) offset() int    { return b.Offset }

// Lines returns the text lines in order.
func (d *Document) Lines() []*Line { return blocksOf[*Line](d) }

// QRs returns the QR codes in order.
func (d *Document) QRs() []*QR { return blocksOf[*QR](d) }

// Rasters returns the raster images in order.
func (d *Document) Rasters() []*Raster { return blocksOf[*Raster](d) }

// Cuts returns the cuts in order.
func (d *Document) Cuts() []*Cut { return blocksOf[*Cut](d) }

// Text returns the text lines joined by '\n'.
func (d *Document) Text() string {
	var parts []string
	for _, l := range d.Lines() {
		parts = append(parts, l.Text())
	}
	return strings.Join(parts, "\n")
}

func blocksOf[T Block](d *Document) []T {
	var out []T
	for _, b := range d.Blocks {
		if t, ok := b.(T); ok {
			out = append(out, t)
		}
	}
	return out
}

// OffsetError is a byte the decoder refused, with where it is.
type OffsetError struct {
	Offset int
	Msg    string
}

func (e *OffsetError) Error() string {
	return fmt.Sprintf("preview: offset %d (%#x): %s", e.Offset, e.Offset, e.Msg)
}

// decoder holds the printer's modes while walking a job.
type decoder struct {
	b   []byte
	pos int
	doc Document

	table    escpos.CodeTable
	align    escpos.Align
	w, h     int
	emphasis bool

	line *Line // the line being filled, nil at the beginning of a line

	// QR symbol storage and settings (GS ( k).
	qrModel  byte
	qrModule int
	qrEC     escpos.ECLevel
	qrData   *string
}

// Decode walks every command of job and returns what it prints, or an error naming the
// offset of the first command that is unknown, mis-sized, out of range or misplaced.
func Decode(job []byte) (*Document, error) {
	d := &decoder{b: job}
	d.reset()
	for d.pos < len(d.b) {
		if err := d.step(); err != nil {
			return nil, err
		}
	}
	d.endLine()
	return &d.doc, nil
}

func (d *decoder) reset() {
	d.table, d.align, d.w, d.h, d.emphasis = escpos.PC437, escpos.Left, 1, 1, false
	d.qrModel, d.qrModule, d.qrEC, d.qrData = 50, 3, escpos.ECL, nil
}

func (d *decoder) fail(at int, format string, a ...any) error {
	return &OffsetError{Offset: at, Msg: fmt.Sprintf(format, a...)}
}

// need returns the next n bytes of the job from the current command, or an error naming the
// command if the job ends first.
func (d *decoder) need(name string, n int) ([]byte, error) {
	if d.pos+n > len(d.b) {
		return nil, d.fail(d.pos, "%s needs %d bytes, only %d left: command cut short", name, n, len(d.b)-d.pos)
	}
	p := d.b[d.pos : d.pos+n]
	return p, nil
}

func (d *decoder) endLine() {
	if d.line != nil {
		d.doc.Blocks = append(d.doc.Blocks, d.line)
		d.line = nil
	}
}

// atLineStart rejects name when text is waiting in the print buffer: Epson printers ignore
// justification, cuts and images there (or print them out of place).
func (d *decoder) atLineStart(name string) error {
	if d.line != nil {
		return d.fail(d.pos, "%s in the middle of a line (after %q); end the line with LF first", name, d.line.Text())
	}
	return nil
}

func (d *decoder) text(c byte) error {
	r, ok := escpos.DecodeByte(d.table, c)
	if !ok {
		return d.fail(d.pos, "byte %#02x is neither a printable character nor a known command", c)
	}
	if d.line == nil {
		d.line = &Line{Offset: d.pos, Align: d.align}
	}
	n := len(d.line.Spans)
	if n > 0 {
		s := &d.line.Spans[n-1]
		if s.Width == d.w && s.Height == d.h && s.Emphasis == d.emphasis {
			s.Text += string(r)
			d.pos++
			return nil
		}
	}
	d.line.Spans = append(d.line.Spans, Span{Text: string(r), Width: d.w, Height: d.h, Emphasis: d.emphasis})
	d.pos++
	return nil
}

func (d *decoder) step() error {
	c := d.b[d.pos]
	switch c {
	case escpos.LF:
		if d.line == nil {
			// An empty line still advances the paper by one line.
			d.line = &Line{Offset: d.pos, Align: d.align}
		}
		d.endLine()
		d.pos++
		return nil
	case escpos.ESC:
		return d.esc()
	case escpos.GS:
		return d.gs()
	case escpos.DLE:
		p, err := d.need("DLE EOT n", 3)
		if err != nil {
			return err
		}
		if p[1] != escpos.EOT {
			return d.fail(d.pos, "unknown command DLE %#02x", p[1])
		}
		if p[2] < 1 || p[2] > 4 {
			return d.fail(d.pos, "DLE EOT %d: n must be 1..4", p[2])
		}
		d.pos += 3 // a real-time status request prints nothing
		return nil
	}
	if c < 0x20 || c == 0x7F {
		return d.fail(d.pos, "unknown control byte %#02x", c)
	}
	return d.text(c)
}

func (d *decoder) esc() error {
	p, err := d.need("ESC command", 2)
	if err != nil {
		return err
	}
	switch p[1] {
	case '@':
		d.endLine() // ESC @ clears the print buffer; keep what was there so tests see it
		d.reset()
		d.pos += 2
		return nil
	case 't', 'a', 'E', 'd':
	default:
		return d.fail(d.pos, "unknown command ESC %#02x", p[1])
	}
	p, err = d.need("ESC "+string(p[1])+" n", 3)
	if err != nil {
		return err
	}
	n := p[2]
	switch p[1] {
	case 't':
		if _, ok := escpos.DecodeByte(escpos.CodeTable(n), 'A'); !ok {
			return d.fail(d.pos, "ESC t %d: code table not supported (use 0 PC437 or 19 PC858)", n)
		}
		d.table = escpos.CodeTable(n)
	case 'a':
		if err := d.atLineStart("ESC a (justification)"); err != nil {
			return err
		}
		switch n {
		case 0, 1, 2, 48, 49, 50:
			d.align = escpos.Align(n % 48)
		default:
			return d.fail(d.pos, "ESC a %d: n must be 0..2 or 48..50", n)
		}
	case 'E':
		d.emphasis = n&1 == 1
	case 'd':
		d.endLine()
		d.doc.Blocks = append(d.doc.Blocks, &Feed{Offset: d.pos, Lines: int(n)})
	}
	d.pos += 3
	return nil
}

func (d *decoder) gs() error {
	p, err := d.need("GS command", 2)
	if err != nil {
		return err
	}
	switch p[1] {
	case '!':
		p, err := d.need("GS ! n", 3)
		if err != nil {
			return err
		}
		if p[2]&0x88 != 0 {
			return d.fail(d.pos, "GS ! %#02x: bits 3 and 7 must be off (sizes are 1..8)", p[2])
		}
		d.w, d.h = int(p[2]>>4)+1, int(p[2]&7)+1
		d.pos += 3
		return nil
	case 'V':
		return d.cut()
	case 'v':
		return d.raster()
	case '(':
		return d.gsParen()
	}
	return d.fail(d.pos, "unknown command GS %#02x", p[1])
}

func (d *decoder) cut() error {
	p, err := d.need("GS V m", 3)
	if err != nil {
		return err
	}
	if err := d.atLineStart("GS V (cut)"); err != nil {
		return err
	}
	at := d.pos
	switch m := p[2]; m {
	case 0, 48, 1, 49:
		d.pos += 3
		d.doc.Blocks = append(d.doc.Blocks, &Cut{Offset: at, Partial: m%48 == 1})
	case 65, 66:
		if _, err := d.need("GS V m n", 4); err != nil {
			return err
		}
		d.pos += 4
		d.doc.Blocks = append(d.doc.Blocks, &Cut{Offset: at, Partial: m == 66})
	default:
		return d.fail(d.pos, "GS V %d: cut mode must be 0, 1, 48, 49, 65 or 66", m)
	}
	return nil
}

func (d *decoder) raster() error {
	p, err := d.need("GS v 0 m xL xH yL yH", 8)
	if err != nil {
		return err
	}
	if p[2] != '0' {
		return d.fail(d.pos, "unknown command GS v %#02x", p[2])
	}
	if err := d.atLineStart("GS v 0 (raster image)"); err != nil {
		return err
	}
	m := p[3]
	if m > 3 && (m < 48 || m > 51) {
		return d.fail(d.pos, "GS v 0 m=%d: m must be 0..3 or 48..51", m)
	}
	stride := int(p[4]) | int(p[5])<<8
	rows := int(p[6]) | int(p[7])<<8
	if stride < 1 || stride > 128 || rows < 1 || rows > 2303 {
		return d.fail(d.pos, "GS v 0 of %d bytes × %d rows: need 1..128 bytes per row and 1..2303 rows", stride, rows)
	}
	n := stride * rows
	if d.pos+8+n > len(d.b) {
		return d.fail(d.pos, "GS v 0 announces %d bytes of image, only %d follow", n, len(d.b)-d.pos-8)
	}
	bm := &escpos.Bitmap{Width: stride * 8, Height: rows, Stride: stride, Bits: append([]byte(nil), d.b[d.pos+8:d.pos+8+n]...)}
	r := &Raster{Offset: d.pos, Align: d.align, Bitmap: bm}
	r.Scale.X, r.Scale.Y = 1+int(m&1), 1+int(m>>1&1)
	d.doc.Blocks = append(d.doc.Blocks, r)
	d.pos += 8 + n
	return nil
}

func (d *decoder) gsParen() error {
	p, err := d.need("GS ( k pL pH cn fn", 7)
	if err != nil {
		return err
	}
	if p[2] != 'k' {
		return d.fail(d.pos, "unknown command GS ( %#02x", p[2])
	}
	size := int(p[3]) | int(p[4])<<8
	cn, fn := p[5], p[6]
	if cn != 49 {
		return d.fail(d.pos, "GS ( k cn=%d: only QR Code (cn=49) is supported", cn)
	}
	if size < 3 || d.pos+5+size > len(d.b) {
		return d.fail(d.pos, "GS ( k announces %d parameter bytes, %d follow", size, len(d.b)-d.pos-5)
	}
	args := d.b[d.pos+7 : d.pos+5+size]
	exact := func(name string, want int) error {
		if size != want {
			return d.fail(d.pos, "GS ( k %s: (pL + pH×256) must be %d, is %d", name, want, size)
		}
		return nil
	}
	switch fn {
	case 65: // Function 165: select the model
		if err := exact("Function 165", 4); err != nil {
			return err
		}
		if args[0] < 49 || args[0] > 51 || args[1] != 0 {
			return d.fail(d.pos, "GS ( k Function 165: model n1=%d n2=%d, need n1 49..51 and n2 0", args[0], args[1])
		}
		d.qrModel = args[0]
	case 67: // Function 167: module size
		if err := exact("Function 167", 3); err != nil {
			return err
		}
		if args[0] < 1 || args[0] > 16 {
			return d.fail(d.pos, "GS ( k Function 167: module size %d, need 1..16", args[0])
		}
		d.qrModule = int(args[0])
	case 69: // Function 169: error correction level
		if err := exact("Function 169", 3); err != nil {
			return err
		}
		if args[0] < 48 || args[0] > 51 {
			return d.fail(d.pos, "GS ( k Function 169: level %d, need 48..51", args[0])
		}
		d.qrEC = escpos.ECLevel(args[0] - 48)
	case 80: // Function 180: store data
		if size < 4 || size > escpos.MaxQRPayload+3 {
			return d.fail(d.pos, "GS ( k Function 180: (pL + pH×256) must be 4..7092, is %d", size)
		}
		if args[0] != 48 {
			return d.fail(d.pos, "GS ( k Function 180: m must be 48, is %d", args[0])
		}
		s := string(args[1:])
		d.qrData = &s
	case 81: // Function 181: print
		if err := exact("Function 181", 3); err != nil {
			return err
		}
		if args[0] != 48 {
			return d.fail(d.pos, "GS ( k Function 181: m must be 48, is %d", args[0])
		}
		if err := d.atLineStart("GS ( k Function 181 (print QR)"); err != nil {
			return err
		}
		if d.qrData == nil {
			return d.fail(d.pos, "GS ( k Function 181 prints a QR code but no data was stored (Function 180)")
		}
		if d.qrModel != 50 {
			return d.fail(d.pos, "GS ( k Function 181: model %d selected; only model 2 (50) is rendered", d.qrModel)
		}
		d.doc.Blocks = append(d.doc.Blocks, &QR{Offset: d.pos, Align: d.align, Payload: *d.qrData, ModuleSize: d.qrModule, ECLevel: d.qrEC})
	default: // Function 182 (transmit size) and others are never part of a ticket
		return d.fail(d.pos, "GS ( k fn=%d: QR Code function not supported", fn)
	}
	d.pos += 5 + size
	return nil
}
