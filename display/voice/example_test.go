package voice_test

import (
	"fmt"

	"github.com/antri-id/antri/display/voice"
)

func ExampleCall() {
	clips, err := voice.Call("A-012", "Loket 3")
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, c := range clips {
		if i > 0 {
			fmt.Print(" ")
		}
		fmt.Print("voice/", c, voice.Ext)
	}
	fmt.Println()
	fmt.Println(voice.Phrase("A-012", "Loket 3"))
	// Output:
	// voice/chime.ogg voice/nomor-antrian.ogg voice/a.ogg voice/dua.ogg voice/belas.ogg voice/silakan-menuju-loket.ogg voice/tiga.ogg
	// Nomor antrian, A, dua belas, silakan menuju loket tiga
}

func ExampleWords() {
	w, _ := voice.Words(2021)
	fmt.Printf("%q\n", w)
	// Output: ["dua" "ribu" "dua" "puluh" "satu"]
}

func ExampleNumber() {
	for _, n := range []int{11, 100, 1001, 9999} {
		fmt.Println(n, voice.Number(n))
	}
	// Output:
	// 11 sebelas
	// 100 seratus
	// 1001 seribu satu
	// 9999 sembilan ribu sembilan ratus sembilan puluh sembilan
}
