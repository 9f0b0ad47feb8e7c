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
	// voice/chime.ogg voice/nomor-antrean.ogg voice/a.ogg voice/dua.ogg voice/belas.ogg voice/silakan-menuju-loket.ogg voice/tiga.ogg
	// Nomor antrean, A, dua belas, silakan menuju loket tiga
}

// A counter named in words, and a service said by its spoken text, twice.
func ExampleAnnounce() {
	a, _ := voice.Announce(voice.Request{Number: "R-007", Service: "B P J S Kesehatan", Counter: "Meja Informasi", Repeat: 2})
	fmt.Println(a.Phrase)
	fmt.Println(a.Clips)
	fmt.Println(a.Burst)
	// Output:
	// Nomor antrean, R, tujuh, B P J S kesehatan, silakan menuju meja informasi
	// [chime nomor-antrean r tujuh b p j s kesehatan silakan-menuju meja informasi nomor-antrean r tujuh b p j s kesehatan silakan-menuju meja informasi]
	// [r tujuh silakan-menuju meja informasi]
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
