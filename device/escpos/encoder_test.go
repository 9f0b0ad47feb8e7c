package escpos_test

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"testing"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/escpos/preview"
)

var update = flag.Bool("update", false, "rewrite testdata golden files from the current encoder")

// TestCommandBytes pins every command to the byte layout of the Epson reference.
func TestCommandBytes(t *testing.T) {
	cases := []struct {
		name string
		do   func(e *escpos.Encoder)
		want []byte
	}{
		{"ESC @", func(e *escpos.Encoder) { e.Init() }, []byte{0x1B, 0x40}},
		{"ESC t 19", func(e *escpos.Encoder) { e.CodePage(escpos.PC858) }, []byte{0x1B, 0x74, 19}},
		{"ESC a 0", func(e *escpos.Encoder) { e.Align(escpos.Left) }, []byte{0x1B, 0x61, 0}},
		{"ESC a 1", func(e *escpos.Encoder) { e.Align(escpos.Center) }, []byte{0x1B, 0x61, 1}},
		{"ESC a 2", func(e *escpos.Encoder) { e.Align(escpos.Right) }, []byte{0x1B, 0x61, 2}},
		{"GS ! 1x1", func(e *escpos.Encoder) { e.Size(1, 1) }, []byte{0x1D, 0x21, 0x00}},
		{"GS ! 2x3", func(e *escpos.Encoder) { e.Size(2, 3) }, []byte{0x1D, 0x21, 0x12}},
		{"GS ! 8x8", func(e *escpos.Encoder) { e.Size(8, 8) }, []byte{0x1D, 0x21, 0x77}},
		{"GS ! clamped", func(e *escpos.Encoder) { e.Size(0, 9) }, []byte{0x1D, 0x21, 0x07}},
		{"ESC E 1", func(e *escpos.Encoder) { e.Emphasis(true) }, []byte{0x1B, 0x45, 1}},
		{"ESC E 0", func(e *escpos.Encoder) { e.Emphasis(false) }, []byte{0x1B, 0x45, 0}},
		{"ESC d 3", func(e *escpos.Encoder) { e.Feed(3) }, []byte{0x1B, 0x64, 3}},
		{"ESC d clamped", func(e *escpos.Encoder) { e.Feed(300) }, []byte{0x1B, 0x64, 255}},
		{"GS V 65 full", func(e *escpos.Encoder) { e.Cut(false) }, []byte{0x1D, 0x56, 65, 3}},
		{"GS V 66 partial", func(e *escpos.Encoder) { e.Cut(true) }, []byte{0x1D, 0x56, 66, 3}},
		{"line", func(e *escpos.Encoder) { e.Line("A-001") }, []byte("A-001\n")},
		{"QR", func(e *escpos.Encoder) {
			if err := e.QR("http://x/t/A-1", 5, escpos.ECM); err != nil {
				t.Fatal(err)
			}
		}, cat(
			[]byte{0x1D, 0x28, 0x6B, 4, 0, 49, 65, 50, 0}, // Function 165: model 2
			[]byte{0x1D, 0x28, 0x6B, 3, 0, 49, 67, 5},     // Function 167: module 5
			[]byte{0x1D, 0x28, 0x6B, 3, 0, 49, 69, 49},    // Function 169: level M
			[]byte{0x1D, 0x28, 0x6B, 17, 0, 49, 80, 48},   // Function 180: 14 bytes + 3
			[]byte("http://x/t/A-1"),
			[]byte{0x1D, 0x28, 0x6B, 3, 0, 49, 81, 48}, // Function 181: print
		)},
		{"raster 10x2", func(e *escpos.Encoder) {
			b := escpos.NewBitmap(10, 2)
			b.Set(0, 0)
			b.Set(9, 1)
			e.Raster(b)
		}, []byte{0x1D, 0x76, 0x30, 0, 2, 0, 2, 0, 0x80, 0x00, 0x00, 0x40}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := escpos.NewEncoder(escpos.Paper80)
			c.do(e)
			if got := e.Bytes(); !bytes.Equal(got, c.want) {
				t.Errorf("got  % x\nwant % x", got, c.want)
			}
		})
	}
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestStatusQuery(t *testing.T) {
	if got := escpos.StatusQuery(4); !bytes.Equal(got, []byte{0x10, 0x04, 4}) {
		t.Errorf("DLE EOT 4 = % x", got)
	}
}

func TestQRLongPayloadUsesTwoLengthBytes(t *testing.T) {
	e := escpos.NewEncoder(escpos.Paper80)
	payload := string(bytes.Repeat([]byte("x"), 300))
	if err := e.QR(payload, 3, escpos.ECL); err != nil {
		t.Fatal(err)
	}
	store := []byte{0x1D, 0x28, 0x6B, 303 & 0xFF, 303 >> 8, 49, 80, 48}
	if !bytes.Contains(e.Bytes(), store) {
		t.Errorf("Function 180 header for 300 bytes (% x) missing from % x", store, e.Bytes()[:40])
	}
}

func TestQRRejectsBadPayload(t *testing.T) {
	e := escpos.NewEncoder(escpos.Paper80)
	if err := e.QR("", 3, escpos.ECM); err == nil {
		t.Error("empty payload accepted")
	}
	if err := e.QR(string(make([]byte, escpos.MaxQRPayload+1)), 3, escpos.ECM); err == nil {
		t.Error("oversized payload accepted")
	}
	if len(e.Bytes()) != 0 {
		t.Errorf("a rejected QR still wrote % x", e.Bytes())
	}
}

func TestQRRasterShrinksModulesToFitPaper(t *testing.T) {
	e := escpos.NewEncoder(escpos.Paper58)
	url := "http://127.0.0.1:8080/t/A-001"
	if err := e.QRRaster(url, 16, escpos.ECM); err != nil {
		t.Fatal(err)
	}
	doc, err := preview.Decode(e.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	r := doc.Rasters()
	bm, _ := escpos.QRBitmap(url, escpos.ECM)
	n := len(bm)
	m := escpos.Paper58.Dots / n // the largest module that fits
	rows := 0
	for _, band := range r {
		rows += band.Bitmap.Height
	}
	if rows != n*m || r[0].Bitmap.Width != (n*m+7)/8*8 {
		t.Errorf("raster QR is %d×%d dots, want %d modules × %d dots", r[0].Bitmap.Width, rows, n, m)
	}
	// The module grid is drawn exactly: module (0,0) is dark (finder), (7,0) light (separator).
	if !r[0].Bitmap.At(0, 0) || r[0].Bitmap.At(7*m, 0) {
		t.Error("raster QR does not match the symbol's modules")
	}
}

func TestImageDitherAndPadding(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 10, 3))
	for x := range 10 {
		img.SetGray(x, 0, color.Gray{0})   // black row
		img.SetGray(x, 1, color.Gray{255}) // white row
		img.SetGray(x, 2, color.Gray{0})
	}
	e := escpos.NewEncoder(escpos.Paper58)
	if err := e.Image(img); err != nil {
		t.Fatal(err)
	}
	// 10 dots pad to 2 bytes per row; the 6 padding bits stay white.
	want := []byte{0x1D, 0x76, 0x30, 0, 2, 0, 3, 0, 0xFF, 0xC0, 0, 0, 0xFF, 0xC0}
	if got := e.Bytes(); !bytes.Equal(got, want) {
		t.Errorf("got  % x\nwant % x", got, want)
	}
}

func TestImageScaledToPaper(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 1000, 100))
	e := escpos.NewEncoder(escpos.Paper58)
	if err := e.Image(img); err != nil {
		t.Fatal(err)
	}
	doc, err := preview.Decode(e.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	r := doc.Rasters()[0]
	if r.Bitmap.Width != 384 || r.Bitmap.Height != 38 {
		t.Errorf("1000×100 image on 58 mm paper became %d×%d, want 384×38", r.Bitmap.Width, r.Bitmap.Height)
	}
}

func TestTallRasterSplitIntoBands(t *testing.T) {
	e := escpos.NewEncoder(escpos.Paper58)
	e.Raster(escpos.NewBitmap(8, 600))
	doc, err := preview.Decode(e.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var rows []int
	for _, r := range doc.Rasters() {
		rows = append(rows, r.Bitmap.Height)
	}
	if len(rows) != 3 || rows[0] != 256 || rows[1] != 256 || rows[2] != 88 {
		t.Errorf("600 rows split as %v, want [256 256 88]", rows)
	}
}

// TestSampleTicketGolden pins a whole ticket's bytes; run `go test -update` after an
// intended change and review the diff of testdata/sample-ticket.escpos.
func TestSampleTicketGolden(t *testing.T) {
	job := preview.TestPage(escpos.Paper80, "http://127.0.0.1:8080/t/A-001")
	path := filepath.Join("testdata", "sample-ticket.escpos")
	if *update {
		if err := os.WriteFile(path, job, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(job, want) {
		i := 0
		for i < len(job) && i < len(want) && job[i] == want[i] {
			i++
		}
		t.Errorf("sample ticket differs from %s at offset %d (len %d, golden %d); run go test -update if intended", path, i, len(job), len(want))
	}
}

// BenchmarkEncodeTicket is the encoder's share of "press → first printer byte".
func BenchmarkEncodeTicket(b *testing.B) {
	for b.Loop() {
		e := escpos.NewEncoder(escpos.Paper80)
		e.Init()
		e.CodePage(escpos.PC858)
		e.Align(escpos.Center)
		e.Line("Mal Pelayanan Publik Kota Contoh")
		e.Size(4, 4)
		e.Line("A-012")
		e.Size(1, 1)
		e.Line("Persyaratan: KTP-el, NPWP – “asli”")
		_ = e.QR("http://127.0.0.1:8080/t/A-012", 6, escpos.ECM)
		e.Feed(3)
		e.Cut(true)
	}
}
