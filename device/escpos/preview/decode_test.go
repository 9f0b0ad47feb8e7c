package preview_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/escpos/preview"
)

const url = "http://127.0.0.1:8080/t/A-001"

func TestRoundTripRecoversLinesQRAndCut(t *testing.T) {
	doc, err := preview.Decode(preview.TestPage(escpos.Paper80, url))
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		text     string
		align    escpos.Align
		w, h     int
		emphasis bool
	}
	wants := []want{
		{"HALAMAN UJI PRINTER", escpos.Center, 1, 1, true},
		{strings.Repeat("-", 48), escpos.Center, 1, 1, false},
		{"A-001", escpos.Center, 4, 4, false},
		{`Kiri: "kutip" - é € ?`, escpos.Left, 1, 1, false},
		{"Kanan", escpos.Right, 1, 1, false},
		{"Lebar ganda", escpos.Center, 2, 1, false},
	}
	lines := doc.Lines()
	if len(lines) != len(wants) {
		t.Fatalf("decoded %d lines, want %d:\n%s", len(lines), len(wants), doc.Text())
	}
	for i, w := range wants {
		l := lines[i]
		if len(l.Spans) != 1 {
			t.Errorf("line %d has %d spans, want 1", i, len(l.Spans))
			continue
		}
		s := l.Spans[0]
		if l.Text() != w.text || l.Align != w.align || s.Width != w.w || s.Height != w.h || s.Emphasis != w.emphasis {
			t.Errorf("line %d = %q align %d size %dx%d emph %v; want %+v", i, l.Text(), l.Align, s.Width, s.Height, s.Emphasis, w)
		}
	}
	qrs := doc.QRs()
	if len(qrs) != 1 || qrs[0].Payload != url || qrs[0].ModuleSize != 6 || qrs[0].ECLevel != escpos.ECM || qrs[0].Align != escpos.Center {
		t.Errorf("QR blocks %+v, want one of %q module 6 level M centered", qrs, url)
	}
	if cuts := doc.Cuts(); len(cuts) != 1 || !cuts[0].Partial {
		t.Errorf("cuts %+v, want one partial cut", cuts)
	}
	if _, last := doc.Blocks[len(doc.Blocks)-1].(*preview.Cut); !last {
		t.Error("the cut is not the last thing on the ticket")
	}
}

func TestDecodeMixedStylesOnOneLine(t *testing.T) {
	e := escpos.NewEncoder(escpos.Paper58)
	e.Text("Nomor ")
	e.Emphasis(true)
	e.Size(2, 2)
	e.Text("B-012")
	e.Emphasis(false)
	e.Size(1, 1)
	e.Line("")
	doc, err := preview.Decode(e.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	l := doc.Lines()
	if len(l) != 1 || l[0].Text() != "Nomor B-012" || len(l[0].Spans) != 2 || l[0].Height() != 2 || !l[0].Spans[1].Emphasis {
		t.Errorf("got %+v", l)
	}
}

func TestDecodeRejects(t *testing.T) {
	cases := []struct {
		name   string
		job    string
		offset int
		says   string
	}{
		{"unknown ESC", "AB\x1bZ", 2, "unknown command ESC"},
		{"unknown GS", "\x1d\x99\x00", 0, "unknown command GS"},
		{"unknown control", "ok\x07", 2, "unknown control"},
		{"truncated ESC a", "\x1ba", 0, "cut short"},
		{"ESC a out of range", "\x1ba\x05", 0, "ESC a 5"},
		{"ESC a mid-line", "x\x1ba\x01", 1, "middle of a line"},
		{"GS ! bit 7", "\x1d!\x80", 0, "bits 3 and 7"},
		{"unsupported code table", "\x1bt\x07", 0, "code table"},
		{"cut mid-line", "text\x1dV\x41\x00", 4, "middle of a line"},
		{"cut mode", "\x1dV\x07", 0, "cut mode"},
		{"cut B without n", "\x1dV\x41", 0, "cut short"},
		{"QR module size wrong length", "\x1d(k\x04\x001C\x05\x00", 0, "must be 3, is 4"},
		{"QR module size range", "\x1d(k\x03\x001C\x11", 0, "module size 17"},
		{"QR store length beyond job", "\x1d(k\x20\x001P0abc", 0, "announces 32"},
		{"QR print without data", "\x1d(k\x03\x001Q0", 0, "no data was stored"},
		{"QR wrong m", "\x1d(k\x04\x001P1a", 0, "m must be 48"},
		{"not QR cn", "\x1d(k\x03\x000C\x03", 0, "only QR Code"},
		{"raster short", "\x1dv0\x00\x02\x00\x02\x00\xff\xff\xff", 0, "only 3 follow"},
		{"raster zero width", "\x1dv0\x00\x00\x00\x01\x00", 0, "1..128 bytes"},
		{"DLE unknown", "\x10\x05\x01", 0, "unknown command DLE"},
		{"DLE EOT range", "\x10\x04\x09", 0, "DLE EOT 9"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := preview.Decode([]byte(c.job))
			var oe *preview.OffsetError
			if !errors.As(err, &oe) {
				t.Fatalf("Decode(%q) = %v, want an OffsetError", c.job, err)
			}
			if oe.Offset != c.offset || !strings.Contains(oe.Msg, c.says) {
				t.Errorf("Decode(%q) = %v; want offset %d saying %q", c.job, err, c.offset, c.says)
			}
		})
	}
}

func TestDecodeAcceptsEpsonAlternatives(t *testing.T) {
	// Forms escpos does not emit but other software does: ASCII justification digits,
	// function A cuts, DLE EOT inside a job.
	doc, err := preview.Decode([]byte("\x1ba1mid\n\x1dV\x30\x10\x04\x01\x1dV\x31"))
	if err != nil {
		t.Fatal(err)
	}
	if l := doc.Lines(); len(l) != 1 || l[0].Align != escpos.Center {
		t.Errorf("lines %+v", l)
	}
	if c := doc.Cuts(); len(c) != 2 || c[0].Partial || !c[1].Partial {
		t.Errorf("cuts %+v", c)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(preview.TestPage(escpos.Paper58, url))
	f.Add([]byte("\x1d(k\x03\x001Q0"))
	f.Add([]byte("\x1dv0\x03\x01\x00\x01\x00\xff"))
	f.Add([]byte("\x1b@\x1bt\x13\x1ba\x01\x1d!\x11A\n\x1dVB\x00"))
	f.Fuzz(func(t *testing.T, job []byte) {
		doc, err := preview.Decode(job)
		if err != nil {
			return
		}
		// Whatever decodes must also render (or fail with an error), never panic.
		_, _ = preview.Render(doc, escpos.Paper58)
	})
}
