// Package voice turns a ticket call into the sequence of audio clips the waiting-room
// display plays: a chime, then "Nomor antrean, A, dua belas, silakan menuju loket tiga".
//
// Every token is the name of one clip file (NAME.ogg), so an office can replace any clip
// with its own recording of the same word. The names of services and counters are said
// as words, each word a clip: recorded by the office, or synthesised once on the
// appliance (Library, Espeak) — never spelled letter by letter unless written so.
// Numbers follow Indonesian number words for
// 0–9999: the "se-" forms (sepuluh, sebelas, seratus, seribu) stand for "one ten", "one
// hundred", … and are clips of their own, while other multiples are a digit clip followed
// by a unit clip (dua + belas, tiga + puluh, empat + ratus, lima + ribu).
package voice

import (
	"fmt"
	"strings"
)

// Clip tokens that are not number words.
const (
	ClipChime              = "chime"                // the gong before every call
	ClipNomorAntrean       = "nomor-antrean"        // "Nomor antrean"
	ClipSilakanMenujuLoket = "silakan-menuju-loket" // "silakan menuju loket", before a counter named "Loket …"
	ClipSilakanMenuju      = "silakan-menuju"       // "silakan menuju", before a counter named otherwise ("Meja Informasi")
	ClipRefused            = "refused"              // the sound of a ticket button that could not give a ticket
)

// Ext is the file extension of every clip: Ogg Vorbis, which Chromium plays.
const Ext = ".ogg"

// Max is the largest number Words can say.
const Max = 9999

var digits = [10]string{"nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"}

// units are the clip tokens that follow a digit, and the "se-" forms that replace "satu +
// unit".
var units = []string{"sepuluh", "sebelas", "belas", "puluh", "seratus", "ratus", "seribu", "ribu"}

// Tokens returns the name of every built-in clip, in a stable order: the sounds and
// phrase clips, the number words and the letters a–z (spoken for ticket prefixes and
// lettered counters). A clip set is complete when it has NAME.ogg for each. The words of
// names are clips too (Say), found or synthesised by a Library.
func Tokens() []string {
	t := []string{ClipChime, ClipRefused, ClipNomorAntrean, ClipSilakanMenujuLoket, ClipSilakanMenuju}
	t = append(t, digits[:]...)
	t = append(t, units...)
	for c := 'a'; c <= 'z'; c++ {
		t = append(t, string(c))
	}
	return t
}

// Words returns the clip tokens that say n (0–9999) in Indonesian, e.g. 12 → [dua belas],
// 111 → [seratus sebelas], 2021 → [dua ribu dua puluh satu].
func Words(n int) ([]string, error) {
	if n < 0 || n > Max {
		return nil, fmt.Errorf("voice: cannot say %d: only 0–%d have Indonesian words here; numbers restart daily, check the ticket sequence", n, Max)
	}
	if n == 0 {
		return []string{digits[0]}, nil
	}
	var w []string
	// group says d × unit, using the "se-" form when d is 1.
	group := func(d int, se, unit string) {
		switch {
		case d == 1:
			w = append(w, se)
		case d > 1:
			w = append(w, digits[d], unit)
		}
	}
	group(n/1000, "seribu", "ribu")
	group(n/100%10, "seratus", "ratus")
	switch r := n % 100; {
	case r == 0:
	case r < 10:
		w = append(w, digits[r])
	case r == 10:
		w = append(w, "sepuluh")
	case r == 11:
		w = append(w, "sebelas")
	case r < 20:
		w = append(w, digits[r-10], "belas")
	default:
		w = append(w, digits[r/10], "puluh")
		if r%10 != 0 {
			w = append(w, digits[r%10])
		}
	}
	return w, nil
}

// Number returns n in Indonesian words separated by spaces, e.g. 12 → "dua belas". It
// returns "" for a number outside 0–9999.
func Number(n int) string {
	w, err := Words(n)
	if err != nil {
		return ""
	}
	return strings.Join(w, " ")
}
