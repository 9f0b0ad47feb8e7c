package preview

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"sync"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"

	"github.com/antri-id/antri/device/escpos"
)

// Geometry of the picture, in printer dots (203 dpi).
const (
	charW, charH = 12, 24 // font A cell
	lineSpacing  = 30     // ESC 2 default line spacing (1/6 inch on most 203 dpi printers)
	margin       = 16     // white paper beside and around the printable area
	cutGap       = 24     // paper between the last line and the cut mark
)

// MaxLength is the longest picture Render draws, in dots: 2 m of paper. The longest ticket
// Antri prints is well under half a metre; a job longer than this is a runaway (a few hundred
// bytes of ESC d 255 would otherwise ask for a gigabyte picture), so Render refuses it.
const MaxLength = 16000

// Render draws doc as it would come out of a printer loaded with paper: text in a bitmap
// font scaled to the GS ! size (font A cells of 12×24 dots), emphasis as double-struck
// strokes, QR codes redrawn from their payload at the stored module size, raster images dot
// for dot, and each cut as a dashed line. One image pixel is one printer dot.
func Render(doc *Document, paper escpos.Paper) (*image.Gray, error) {
	qrs := map[*QR][][]bool{} // each symbol encoded once, for both passes
	h, err := layout(doc, paper, qrs, nil)
	if err != nil {
		return nil, err
	}
	img := image.NewGray(image.Rect(0, 0, paper.Dots+2*margin, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	if _, err := layout(doc, paper, qrs, img); err != nil {
		return nil, err
	}
	return img, nil
}

// RenderBytes decodes job and renders it (see Decode and Render).
func RenderBytes(job []byte, paper escpos.Paper) (*image.Gray, error) {
	doc, err := Decode(job)
	if err != nil {
		return nil, err
	}
	return Render(doc, paper)
}

// RenderPNG decodes job, renders it and writes the picture to w as PNG.
func RenderPNG(w io.Writer, job []byte, paper escpos.Paper) error {
	img, err := RenderBytes(job, paper)
	if err != nil {
		return err
	}
	return png.Encode(w, img)
}

// alignX returns the left edge of something w dots wide.
func alignX(a escpos.Align, w int, paper escpos.Paper) int {
	switch a {
	case escpos.Center:
		return margin + max(0, (paper.Dots-w)/2)
	case escpos.Right:
		return margin + max(0, paper.Dots-w)
	}
	return margin
}

// layout walks doc top to bottom, drawing on img when it is not nil, and returns the
// picture's height. qrs keeps the QR bitmaps between the measuring and the drawing pass.
func layout(doc *Document, paper escpos.Paper, qrs map[*QR][][]bool, img *image.Gray) (int, error) {
	y := margin
	for _, b := range doc.Blocks {
		switch b := b.(type) {
		case *Line:
			lh := charH * b.Height()
			if img != nil {
				drawLine(img, b, paper, y+lh)
			}
			y += max(lineSpacing, lh)
		case *Feed:
			y += lineSpacing * b.Lines
		case *QR:
			bm, ok := qrs[b]
			if !ok {
				var err error
				if bm, err = escpos.QRBitmap(b.Payload, b.ECLevel); err != nil {
					return 0, fmt.Errorf("preview: QR at offset %d: %w", b.Offset, err)
				}
				qrs[b] = bm
			}
			size := len(bm) * b.ModuleSize
			if size > paper.Dots {
				return 0, fmt.Errorf("preview: QR at offset %d is %d dots wide, the paper only %d; lower the module size", b.Offset, size, paper.Dots)
			}
			if img != nil {
				x0 := alignX(b.Align, size, paper)
				for my, row := range bm {
					for mx, dark := range row {
						if dark {
							fill(img, x0+mx*b.ModuleSize, y+my*b.ModuleSize, b.ModuleSize, b.ModuleSize)
						}
					}
				}
			}
			y += size
		case *Raster:
			bm := b.Bitmap
			w, h := bm.Width*b.Scale.X, bm.Height*b.Scale.Y
			if w > paper.Dots {
				// Printers ignore the dots past the right edge; the picture does too, but the
				// payload must not silently vanish, so say so.
				return 0, fmt.Errorf("preview: image at offset %d is %d dots wide, the paper only %d", b.Offset, w, paper.Dots)
			}
			if img != nil {
				x0 := alignX(b.Align, w, paper)
				for py := range bm.Height {
					for px := range bm.Width {
						if bm.At(px, py) {
							fill(img, x0+px*b.Scale.X, y+py*b.Scale.Y, b.Scale.X, b.Scale.Y)
						}
					}
				}
			}
			y += h
		case *Cut:
			y += cutGap
			if img != nil {
				for x := 0; x < img.Bounds().Dx(); x += 12 {
					fill(img, x, y, 6, 2)
				}
			}
			y += cutGap
		}
		if y > MaxLength {
			return 0, fmt.Errorf("preview: the job runs past %d dots (2 m of paper) at offset %d; a ticket is far shorter, so check its feeds and images", MaxLength, b.offset())
		}
	}
	return y + margin, nil
}

func fill(img *image.Gray, x, y, w, h int) {
	draw.Draw(img, image.Rect(x, y, x+w, y+h), image.Black, image.Point{}, draw.Src)
}

// drawLine draws l's spans with their bottoms on baseline (characters of different heights
// on one line share the bottom edge, as on the printer).
func drawLine(img *image.Gray, l *Line, paper escpos.Paper, bottom int) {
	width := 0
	for _, s := range l.Spans {
		width += charW * s.Width * len([]rune(s.Text))
	}
	x := alignX(l.Align, width, paper)
	for _, s := range l.Spans {
		cw, ch := charW*s.Width, charH*s.Height
		for _, r := range s.Text {
			if x+cw > margin+paper.Dots {
				return // past the printable area
			}
			g := glyph(r)
			dst := image.Rect(x, bottom-ch, x+cw, bottom)
			opts := &draw.Options{SrcMask: g}
			draw.NearestNeighbor.Scale(img, dst, image.Black, g.Bounds(), draw.Over, opts)
			if s.Emphasis {
				draw.NearestNeighbor.Scale(img, dst.Add(image.Pt(s.Width, 0)), image.Black, g.Bounds(), draw.Over, opts)
			}
			x += cw
		}
	}
}

var (
	glyphMu sync.Mutex
	glyphs  = map[rune]*image.Alpha{}
)

// glyph returns r drawn in basicfont's 7×13 face as a mask (cached: renders run
// concurrently in the demo printer and in parallel tests).
func glyph(r rune) *image.Alpha {
	glyphMu.Lock()
	defer glyphMu.Unlock()
	if g, ok := glyphs[r]; ok {
		return g
	}
	face := basicfont.Face7x13
	g := image.NewAlpha(image.Rect(0, 0, face.Width, face.Height))
	d := font.Drawer{Dst: g, Src: image.NewUniform(color.Alpha{A: 0xFF}), Face: face, Dot: fixed.P(0, face.Ascent)}
	// basicfont has ASCII only: draw accented letters (é, ü) as their base letter, which is
	// closer to the printed page than basicfont's replacement box.
	drawn := r
	if r > '~' {
		if base := []rune(norm.NFD.String(string(r))); base[0] <= '~' {
			drawn = base[0]
		}
	}
	d.DrawString(string(drawn))
	glyphs[r] = g
	return g
}
