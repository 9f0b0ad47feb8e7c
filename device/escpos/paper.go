package escpos

import "fmt"

// Paper is a roll width as the printer sees it: printable dots per line and the number of
// font A characters (12×24 dots) that fit on one line.
type Paper struct {
	WidthMM int // nominal roll width: 58 or 80
	Dots    int // printable width in dots at 203 dpi
	Columns int // font A characters per line
}

// The two roll widths sold for queue printers.
var (
	Paper58 = Paper{WidthMM: 58, Dots: 384, Columns: 32}
	Paper80 = Paper{WidthMM: 80, Dots: 576, Columns: 48}
)

// PaperForWidth returns the Paper for the config key `[printer] width_mm`.
func PaperForWidth(mm int) (Paper, error) {
	switch mm {
	case 58:
		return Paper58, nil
	case 80:
		return Paper80, nil
	}
	return Paper{}, fmt.Errorf("escpos: paper width %d mm is not supported; set [printer] width_mm to 58 or 80", mm)
}

// String is "58mm" or "80mm".
func (p Paper) String() string { return fmt.Sprintf("%dmm", p.WidthMM) }
