package preview_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/escpos/preview"
	"github.com/antri-id/antri/device/escpos/preview/previewtest"
)

func TestRenderedQRScansToTicketURL(t *testing.T) {
	for _, paper := range []escpos.Paper{escpos.Paper58, escpos.Paper80} {
		t.Run(paper.String(), func(t *testing.T) {
			got := previewtest.Scan(t, preview.TestPage(paper, url), paper)
			// The test page has the native GS ( k symbol and the GS v 0 fallback.
			if len(got) != 2 || got[0] != url || got[1] != url {
				t.Errorf("zbarimg read %q, want %q twice", got, url)
			}
		})
	}
}

func TestRasterQRAloneScans(t *testing.T) {
	e := escpos.NewEncoder(escpos.Paper58)
	e.Init()
	e.Align(escpos.Center)
	if err := e.QRRaster(url, 4, escpos.ECQ); err != nil {
		t.Fatal(err)
	}
	e.Feed(2)
	e.Cut(false)
	if got := previewtest.Scan(t, e.Bytes(), escpos.Paper58); len(got) != 1 || got[0] != url {
		t.Errorf("zbarimg read %q from the GS v 0 QR, want %q", got, url)
	}
}

func TestRenderGeometry(t *testing.T) {
	e := escpos.NewEncoder(escpos.Paper58)
	e.Align(escpos.Right)
	e.Size(2, 2)
	e.Line("W")
	img, err := preview.RenderBytes(e.Bytes(), escpos.Paper58)
	if err != nil {
		t.Fatal(err)
	}
	// One picture pixel per dot: paper dots plus the white margins.
	if w := img.Bounds().Dx(); w != 384+32 {
		t.Errorf("picture is %d wide, want 416", w)
	}
	// A right-aligned double-width W lies in the last 24 dots of the printable area only.
	dark := func(x0, x1 int) bool {
		for y := range img.Bounds().Dy() {
			for x := x0; x < x1; x++ {
				if img.GrayAt(x, y).Y < 128 {
					return true
				}
			}
		}
		return false
	}
	if !dark(16+384-24, 16+384) || dark(0, 16+384-24) {
		t.Error("right-aligned 2×2 character not drawn in the last 24 dots")
	}
	// Double height: the line is 48 dots tall plus margins.
	if h := img.Bounds().Dy(); h != 16+48+16 {
		t.Errorf("picture is %d tall, want 80", h)
	}
}

func TestRenderRejectsQRWiderThanPaper(t *testing.T) {
	e := escpos.NewEncoder(escpos.Paper58)
	if err := e.QR(strings.Repeat("x", 200), 16, escpos.ECH); err != nil {
		t.Fatal(err)
	}
	if _, err := preview.RenderBytes(e.Bytes(), escpos.Paper58); err == nil {
		t.Error("a QR code wider than the paper rendered without error")
	}
}

// A few hundred bytes of ESC d 255 ask for kilometres of paper; the fuzzer found that this
// once made a gigabyte picture. Render must refuse such a job instead of drawing it.
func TestRenderRefusesARunawayJob(t *testing.T) {
	job := bytes.Repeat([]byte("\x1bd\xff"), 300)
	if _, err := preview.Decode(job); err != nil {
		t.Fatalf("the feeds themselves are valid commands: %v", err)
	}
	_, err := preview.RenderBytes(job, escpos.Paper58)
	if err == nil || !strings.Contains(err.Error(), "2 m of paper") {
		t.Fatalf("RenderBytes of 300 full feeds = %v, want the refusal naming the length", err)
	}
	// The longest legitimate job still renders: a feed just inside the limit.
	fits := bytes.Repeat([]byte("\x1bd\xff"), (preview.MaxLength-100)/(255*30))
	if _, err := preview.RenderBytes(fits, escpos.Paper58); err != nil {
		t.Errorf("a job under %d dots was refused: %v", preview.MaxLength, err)
	}
}

func TestRenderPNGIsAPNG(t *testing.T) {
	var buf bytes.Buffer
	if err := preview.RenderPNG(&buf, []byte("halo\n"), escpos.Paper80); err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(&buf); err != nil {
		t.Fatal(err)
	}
	if err := preview.RenderPNG(&buf, []byte("\x1bZ"), escpos.Paper80); err == nil {
		t.Error("bytes that do not decode rendered without error")
	}
}

func BenchmarkEncodeDecodeRender(b *testing.B) {
	for b.Loop() {
		job := preview.TestPage(escpos.Paper80, url)
		if _, err := preview.RenderBytes(job, escpos.Paper80); err != nil {
			b.Fatal(err)
		}
	}
}
