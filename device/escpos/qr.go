package escpos

import (
	qrcode "github.com/skip2/go-qrcode"
)

// ECLevel is a QR Code error correction level, the n−48 of GS ( k Function 169.
type ECLevel byte

// Error correction levels; M is a good default for short URLs on thermal paper.
const (
	ECL ECLevel = 0 // about 7 % recovery
	ECM ECLevel = 1 // about 15 %
	ECQ ECLevel = 2 // about 25 %
	ECH ECLevel = 3 // about 30 %
)

// MaxQRPayload is the largest k GS ( k Function 180 accepts ((pL + pH×256) ≤ 7092).
const MaxQRPayload = 7089

// QR prints payload as a QR Code model 2 with the printer's own encoder, using the group
// "GS ( k <Function 165/167/169/180/181> QR Code":
//   - Function 165 (cn=49 fn=65): select model 2 (n1=50, n2=0);
//   - Function 167 (fn=67): module size, 1..16 dots (clamped);
//   - Function 169 (fn=69): error correction level, n = 48 + level;
//   - Function 180 (fn=80, m=48): store payload in the symbol storage area,
//     pL + pH×256 = len(payload) + 3;
//   - Function 181 (fn=81, m=48): print the stored symbol.
//
// The symbol is justified by the current Align. The payload is sent as bytes, untouched.
func (e *Encoder) QR(payload string, moduleSize int, ec ECLevel) error {
	if err := checkQR(payload, ec); err != nil {
		return err
	}
	e.buf.Write([]byte{GS, '(', 'k', 4, 0, 49, 65, 50, 0})
	e.buf.Write([]byte{GS, '(', 'k', 3, 0, 49, 67, byte(clamp(moduleSize, 1, 16))})
	e.buf.Write([]byte{GS, '(', 'k', 3, 0, 49, 69, 48 + byte(ec)})
	n := len(payload) + 3
	e.buf.Write([]byte{GS, '(', 'k', byte(n), byte(n >> 8), 49, 80, 48})
	e.buf.WriteString(payload)
	e.buf.Write([]byte{GS, '(', 'k', 3, 0, 49, 81, 48})
	return nil
}

func checkQR(payload string, ec ECLevel) error {
	if payload == "" {
		return errorf("QR payload is empty; pass the URL to encode")
	}
	if len(payload) > MaxQRPayload {
		return errorf("QR payload is %d bytes, more than the %d GS ( k accepts; shorten it", len(payload), MaxQRPayload)
	}
	if ec > ECH {
		return errorf("QR error correction level %d is not one of ECL, ECM, ECQ, ECH", ec)
	}
	return nil
}

// QRLevel maps an ECLevel to go-qrcode's recovery level (used by QRRaster and by the test
// renderer, so both draw the same symbol the printer would).
func QRLevel(ec ECLevel) qrcode.RecoveryLevel {
	return [...]qrcode.RecoveryLevel{qrcode.Low, qrcode.Medium, qrcode.High, qrcode.Highest}[min(ec, ECH)]
}

// QRBitmap returns the modules of payload's QR Code (model 2, no quiet zone), true = dark.
func QRBitmap(payload string, ec ECLevel) ([][]bool, error) {
	if err := checkQR(payload, ec); err != nil {
		return nil, err
	}
	q, err := qrcode.New(payload, QRLevel(ec))
	if err != nil {
		return nil, errorf("QR payload cannot be encoded: %v", err)
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}

// QRRaster prints payload as a QR Code drawn on the host and sent as "GS v 0 Print raster
// bit image", for printers whose firmware lacks GS ( k. The module size is reduced if the
// symbol would not fit the paper; the symbol is justified by the current Align.
func (e *Encoder) QRRaster(payload string, moduleSize int, ec ECLevel) error {
	bm, err := QRBitmap(payload, ec)
	if err != nil {
		return err
	}
	n := len(bm)
	m := clamp(moduleSize, 1, 16)
	for m > 1 && n*m > e.paper.Dots {
		m--
	}
	if n*m > e.paper.Dots {
		return errorf("QR code of %d modules does not fit %d dots; shorten the payload", n, e.paper.Dots)
	}
	w := n * m
	bits := NewBitmap(w, w)
	for y := range w {
		for x := range w {
			if bm[y/m][x/m] {
				bits.Set(x, y)
			}
		}
	}
	e.Raster(bits)
	return nil
}
