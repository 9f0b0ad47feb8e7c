package escpos

import (
	"image"
	"image/color"

	"golang.org/x/image/draw"
)

// Bitmap is a 1-bit picture in the printer's raster layout: rows of ceil(Width/8) bytes,
// most significant bit leftmost, 1 = a burnt (black) dot.
type Bitmap struct {
	Width, Height int
	Stride        int // bytes per row
	Bits          []byte
}

// NewBitmap returns an all-white bitmap.
func NewBitmap(w, h int) *Bitmap {
	s := (w + 7) / 8
	return &Bitmap{Width: w, Height: h, Stride: s, Bits: make([]byte, s*h)}
}

// Set burns the dot at (x, y).
func (b *Bitmap) Set(x, y int) { b.Bits[y*b.Stride+x/8] |= 0x80 >> (x % 8) }

// At reports whether the dot at (x, y) is burnt.
func (b *Bitmap) At(x, y int) bool { return b.Bits[y*b.Stride+x/8]&(0x80>>(x%8)) != 0 }

// maxRasterRows bounds one GS v 0 command: cheap clones have small receive buffers, and
// (yL + yH×256) is limited to 2303 on Epson printers anyway.
const maxRasterRows = 256

// Raster prints b with "GS v 0 m xL xH yL yH d1...dk Print raster bit image" (m = 0, normal
// scale; xL + xH×256 = bytes per row, yL + yH×256 = rows), split into bands of at most 256
// rows. The image is justified by the current Align.
func (e *Encoder) Raster(b *Bitmap) {
	for y0 := 0; y0 < b.Height; y0 += maxRasterRows {
		rows := min(maxRasterRows, b.Height-y0)
		e.buf.Write([]byte{GS, 'v', '0', 0, byte(b.Stride), byte(b.Stride >> 8), byte(rows), byte(rows >> 8)})
		e.buf.Write(b.Bits[y0*b.Stride : (y0+rows)*b.Stride])
	}
}

// Image prints img (a logo, a signature) as "GS v 0 Print raster bit image": scaled down to
// the paper width if wider, converted to grey and Floyd–Steinberg dithered to 1 bit, the
// width padded to whole bytes with white.
func (e *Encoder) Image(img image.Image) error {
	if img.Bounds().Empty() {
		return errorf("image is empty")
	}
	e.Raster(Dither(img, e.paper.Dots))
	return nil
}

// Dither converts img to a Bitmap at most maxWidth dots wide (keeping the aspect ratio) by
// Floyd–Steinberg error diffusion; transparent pixels are white.
func Dither(img image.Image, maxWidth int) *Bitmap {
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	if w > maxWidth {
		h = max(1, h*maxWidth/w)
		w = maxWidth
	}
	// Composite on white first so transparent logos do not print as black squares.
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(rgba, rgba.Bounds(), image.White, image.Point{}, draw.Src)
	draw.ApproxBiLinear.Scale(rgba, rgba.Bounds(), img, r, draw.Over, nil)

	lum := make([]float32, w*h)
	for y := range h {
		for x := range w {
			g := color.GrayModel.Convert(rgba.At(x, y)).(color.Gray)
			lum[y*w+x] = float32(g.Y)
		}
	}
	out := NewBitmap(w, h)
	for y := range h {
		for x := range w {
			old := lum[y*w+x]
			nv := float32(255)
			if old < 128 {
				nv = 0
				out.Set(x, y)
			}
			err := old - nv
			if x+1 < w {
				lum[y*w+x+1] += err * 7 / 16
			}
			if y+1 < h {
				if x > 0 {
					lum[(y+1)*w+x-1] += err * 3 / 16
				}
				lum[(y+1)*w+x] += err * 5 / 16
				if x+1 < w {
					lum[(y+1)*w+x+1] += err * 1 / 16
				}
			}
		}
	}
	return out
}
