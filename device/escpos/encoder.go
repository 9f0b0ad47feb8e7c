package escpos

import (
	"bytes"
	"fmt"
)

// Control codes used by the commands below.
const (
	ESC = 0x1B
	GS  = 0x1D
	DLE = 0x10
	EOT = 0x04
	LF  = 0x0A
)

// Align is the n of "ESC a n Select justification".
type Align byte

// Justifications.
const (
	Left   Align = 0
	Center Align = 1
	Right  Align = 2
)

// Encoder builds one print job in memory. The zero value is not usable; call NewEncoder.
// Methods append commands in call order; nothing is sent anywhere until the caller writes
// Bytes() to a printer, so a job is always whole.
type Encoder struct {
	buf   bytes.Buffer
	paper Paper
	table CodeTable
}

// NewEncoder returns an encoder for the given roll. The paper is used to fit raster images
// and raster QR codes; text is never wrapped by the encoder (the ticket layout does that
// with Paper.Columns).
func NewEncoder(p Paper) *Encoder {
	return &Encoder{paper: p, table: PC437}
}

// Paper returns the roll the encoder was made for.
func (e *Encoder) Paper() Paper { return e.paper }

// Bytes returns the job so far. The slice aliases the encoder's buffer.
func (e *Encoder) Bytes() []byte { return e.buf.Bytes() }

// Init emits "ESC @ Initialize printer": clears the print buffer and resets modes
// (alignment, size, emphasis, code table) to their power-on values. Start every job with
// it so a half-printed previous job cannot leave the printer in double size.
func (e *Encoder) Init() {
	e.buf.Write([]byte{ESC, '@'})
	e.table = PC437
}

// CodePage emits "ESC t n Select character code table". Text written afterwards is
// transliterated into that table.
func (e *Encoder) CodePage(t CodeTable) {
	e.buf.Write([]byte{ESC, 't', byte(t)})
	e.table = t
}

// Text writes s transliterated into the current code table (see Transliterate); '\n'
// becomes "LF Print and line feed". Text is buffered by the printer until LF.
func (e *Encoder) Text(s string) {
	e.buf.Write(Transliterate(e.table, s))
}

// Line writes s followed by "LF Print and line feed".
func (e *Encoder) Line(s string) {
	e.Text(s)
	e.buf.WriteByte(LF)
}

// Align emits "ESC a n Select justification". Printers apply it only at the beginning of a
// line, so call it before the line's text.
func (e *Encoder) Align(a Align) {
	e.buf.Write([]byte{ESC, 'a', byte(a)})
}

// Size emits "GS ! n Select character size": w and h are magnifications 1..8 (clamped).
// Bits 4–6 of n hold w−1, bits 0–2 hold h−1.
func (e *Encoder) Size(w, h int) {
	w, h = clamp(w, 1, 8), clamp(h, 1, 8)
	e.buf.Write([]byte{GS, '!', byte((w-1)<<4 | (h - 1))})
}

// Emphasis emits "ESC E n Turn emphasized mode on/off".
func (e *Encoder) Emphasis(on bool) {
	n := byte(0)
	if on {
		n = 1
	}
	e.buf.Write([]byte{ESC, 'E', n})
}

// Feed emits "ESC d n Print and feed n lines": prints the buffer and feeds n lines
// (0..255, clamped).
func (e *Encoder) Feed(n int) {
	e.buf.Write([]byte{ESC, 'd', byte(clamp(n, 0, 255))})
}

// Cut emits "GS V m n Select cut mode and cut paper", function B (m = 65 full cut,
// m = 66 partial cut): the printer feeds the paper to the cutter (plus n = 3 vertical motion
// units) and cuts, so the last line is not cut through. Printers without a cutter only feed.
func (e *Encoder) Cut(partial bool) {
	m := byte(65)
	if partial {
		m = 66
	}
	e.buf.Write([]byte{GS, 'V', m, 3})
}

// StatusQuery returns "DLE EOT n Transmit real-time status" for n = 1 (printer), 2 (offline
// cause), 3 (error cause) or 4 (roll paper sensor). The printer answers with one byte even
// while offline; decode it with ParseStatus.
func StatusQuery(n byte) []byte { return []byte{DLE, EOT, n} }

func clamp(v, lo, hi int) int {
	return max(lo, min(hi, v))
}

func errorf(format string, a ...any) error { return fmt.Errorf("escpos: "+format, a...) }
