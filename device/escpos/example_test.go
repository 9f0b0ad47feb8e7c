package escpos_test

import (
	"fmt"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/escpos/preview"
)

// A queue ticket in a few commands; preview shows what the printer will make of it.
func Example() {
	e := escpos.NewEncoder(escpos.Paper58)
	e.Init()
	e.CodePage(escpos.PC858)
	e.Align(escpos.Center)
	e.Line("Mal Pelayanan Publik")
	e.Size(3, 3)
	e.Emphasis(true)
	e.Line("A-012")
	e.Size(1, 1)
	e.Emphasis(false)
	e.Line("Perizinan – 3 orang di depan")
	if err := e.QR("http://127.0.0.1:8080/t/A-012", 6, escpos.ECM); err != nil {
		fmt.Println(err)
		return
	}
	e.Feed(3)
	e.Cut(true)

	doc, err := preview.Decode(e.Bytes())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.Text())
	fmt.Println(doc.QRs()[0].Payload)
	// Output:
	// Mal Pelayanan Publik
	// A-012
	// Perizinan - 3 orang di depan
	// http://127.0.0.1:8080/t/A-012
}
