package preview

import (
	"image"
	"image/color"
	"strings"

	"github.com/antri-id/antri/device/escpos"
)

// TestPage returns a printer test page that uses every command escpos emits: code page,
// transliterated text, the three justifications, sizes, emphasis, a native QR code of url,
// the same QR as a raster image, a dithered grey ramp, feeds and a partial cut. Technicians
// print it to check a printer; tests decode and render it.
func TestPage(paper escpos.Paper, url string) []byte {
	e := escpos.NewEncoder(paper)
	e.Init()
	e.CodePage(escpos.PC858)
	e.Align(escpos.Center)
	e.Emphasis(true)
	e.Line("HALAMAN UJI PRINTER")
	e.Emphasis(false)
	e.Line(strings.Repeat("-", paper.Columns))
	e.Size(4, 4)
	e.Line("A-001")
	e.Size(1, 1)
	e.Align(escpos.Left)
	e.Line("Kiri: “kutip” – é € ✓")
	e.Align(escpos.Right)
	e.Line("Kanan")
	e.Align(escpos.Center)
	e.Size(2, 1)
	e.Line("Lebar ganda")
	e.Size(1, 1)
	e.Feed(1)
	_ = e.QR(url, 6, escpos.ECM) // url is short; an error only means an empty url
	e.Feed(1)
	_ = e.QRRaster(url, 6, escpos.ECM)
	e.Feed(1)
	ramp := image.NewGray(image.Rect(0, 0, paper.Dots/2, 24))
	for x := range ramp.Bounds().Dx() {
		for y := range 24 {
			ramp.SetGray(x, y, color.Gray{Y: uint8(x * 255 / ramp.Bounds().Dx())})
		}
	}
	_ = e.Image(ramp)
	e.Feed(3)
	e.Cut(true)
	return e.Bytes()
}
