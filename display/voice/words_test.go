package voice

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// The rules below are written from the Indonesian grammar, not from words.go: a separate
// parser reads the words back, and structural checks look at each place value.

var digitValue = map[string]int{
	"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5,
	"enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9,
}

// seForm is the word for "one" of each place, which replaces "satu" + the place word.
var seForm = map[string]int{"seribu": 1000, "seratus": 100, "sepuluh": 10}

var placeWord = map[string]int{"ribu": 1000, "ratus": 100, "puluh": 10}

// parseIndonesian reads number words back into a number, refusing any order or form a
// speaker would not use. It knows nothing of how Words builds them.
func parseIndonesian(words []string) (int, error) {
	if len(words) == 1 && words[0] == "nol" {
		return 0, nil
	}
	if len(words) == 0 {
		return 0, fmt.Errorf("no words")
	}
	total, lastPlace := 0, 10000
	take := func(value, place int) error {
		if place >= lastPlace {
			return fmt.Errorf("place %d after place %d", place, lastPlace)
		}
		lastPlace = place
		total += value
		return nil
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		var err error
		switch {
		case w == "sebelas":
			err = take(11, 1)
		case seForm[w] > 0:
			err = take(seForm[w], seForm[w])
		case digitValue[w] > 0:
			d := digitValue[w]
			next := ""
			if i+1 < len(words) {
				next = words[i+1]
			}
			switch {
			case next == "belas":
				if d == 1 {
					return 0, fmt.Errorf("satu belas is said sebelas")
				}
				err = take(10+d, 1)
				i++
			case placeWord[next] > 0:
				if d == 1 {
					return 0, fmt.Errorf("satu %s is said with se-", next)
				}
				err = take(d*placeWord[next], placeWord[next])
				i++
			default:
				err = take(d, 1)
			}
		default:
			return 0, fmt.Errorf("unexpected word %q", w)
		}
		if err != nil {
			return 0, fmt.Errorf("%v in %v", err, words)
		}
	}
	return total, nil
}

func count(words []string, w string) int {
	n := 0
	for _, x := range words {
		if x == w {
			n++
		}
	}
	return n
}

func TestWordsEveryNumberFollowsTheRules(t *testing.T) {
	clips := map[string]bool{}
	for _, c := range Tokens() {
		clips[c] = true
	}
	seen := map[string]int{}
	for n := 0; n <= 9999; n++ {
		w, err := Words(n)
		if err != nil {
			t.Fatalf("Words(%d): %v", n, err)
		}
		th, hu, te, un := n/1000, n/100%10, n/10%10, n%10

		if got, err := parseIndonesian(w); err != nil || got != n {
			t.Fatalf("Words(%d) = %v reads back as %d (%v)", n, w, got, err)
		}
		if s := Number(n); s != strings.Join(w, " ") {
			t.Fatalf("Number(%d) = %q, Words = %v", n, s, w)
		}
		if prev, dup := seen[Number(n)]; dup {
			t.Fatalf("%d and %d are both said %q", prev, n, Number(n))
		}
		seen[Number(n)] = n
		for _, x := range w {
			if !clips[x] {
				t.Fatalf("Words(%d) uses %q, which is not a clip in Tokens()", n, x)
			}
		}
		// nol only for zero, and then alone.
		if (count(w, "nol") > 0) != (n == 0) || (n == 0 && len(w) != 1) {
			t.Fatalf("Words(%d) = %v: nol is for zero alone", n, w)
		}
		// The se- forms appear exactly when that place holds a 1.
		for _, c := range []struct {
			word string
			want bool
		}{
			{"seribu", th == 1},
			{"seratus", hu == 1},
			{"sepuluh", te == 1 && un == 0},
			{"sebelas", te == 1 && un == 1},
		} {
			if (count(w, c.word) == 1) != c.want || count(w, c.word) > 1 {
				t.Fatalf("Words(%d) = %v: %q present=%v, want %v", n, w, c.word, count(w, c.word) == 1, c.want)
			}
		}
		// "satu" is only ever the units digit: never satu ribu/ratus/puluh/belas.
		if i := slices.Index(w, "satu"); i >= 0 && (i != len(w)-1 || un != 1 || te == 1) {
			t.Fatalf("Words(%d) = %v: satu only as the last word for a units 1", n, w)
		}
		// Each place word appears once at most, exactly when that place is 2–9.
		for _, c := range []struct {
			word string
			want bool
		}{
			{"ribu", th >= 2},
			{"ratus", hu >= 2},
			{"puluh", te >= 2},
			{"belas", te == 1 && un >= 2},
		} {
			if got := count(w, c.word); got > 1 || (got == 1) != c.want {
				t.Fatalf("Words(%d) = %v: %q count %d, want present=%v", n, w, c.word, got, c.want)
			}
		}
		// Thousands come first, units last.
		if (th == 1 && w[0] != "seribu") || (th >= 2 && w[1] != "ribu") {
			t.Fatalf("Words(%d) = %v does not start with the thousands", n, w)
		}
	}
}

func TestWordsExamplesFromTheBrief(t *testing.T) {
	for n, want := range map[int]string{
		0: "nol", 1: "satu", 9: "sembilan", 10: "sepuluh", 11: "sebelas", 12: "dua belas",
		19: "sembilan belas", 20: "dua puluh", 21: "dua puluh satu", 100: "seratus",
		101: "seratus satu", 200: "dua ratus", 1000: "seribu", 1001: "seribu satu",
		2000: "dua ribu", 9999: "sembilan ribu sembilan ratus sembilan puluh sembilan",
		110: "seratus sepuluh", 111: "seratus sebelas", 1111: "seribu seratus sebelas",
		2021: "dua ribu dua puluh satu", 1010: "seribu sepuluh", 3405: "tiga ribu empat ratus lima",
	} {
		if got := Number(n); got != want {
			t.Errorf("Number(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestWordsRefusesOutOfRange(t *testing.T) {
	for _, n := range []int{-1, 10000, 123456} {
		if w, err := Words(n); err == nil {
			t.Errorf("Words(%d) = %v, want an error", n, w)
		}
		if s := Number(n); s != "" {
			t.Errorf("Number(%d) = %q, want \"\"", n, s)
		}
	}
}

func TestCall(t *testing.T) {
	for _, c := range []struct {
		number, counter string
		clips           string
		phrase          string
	}{
		{"A-012", "3", "chime nomor-antrean a dua belas silakan-menuju-loket tiga",
			"Nomor antrean, A, dua belas, silakan menuju loket tiga"},
		{"A-012", "14A", "chime nomor-antrean a dua belas silakan-menuju-loket empat belas a",
			"Nomor antrean, A, dua belas, silakan menuju loket empat belas A"},
		{"A-012", "Loket 3", "chime nomor-antrean a dua belas silakan-menuju-loket tiga",
			"Nomor antrean, A, dua belas, silakan menuju loket tiga"},
		{"b1000", "loket-12", "chime nomor-antrean b seribu silakan-menuju-loket dua belas",
			"Nomor antrean, B, seribu, silakan menuju loket dua belas"},
		{" C-001 ", "Loket 2B", "chime nomor-antrean c satu silakan-menuju-loket dua b",
			"Nomor antrean, C, satu, silakan menuju loket dua B"},
		{"PR-100", "Lokasi", "chime nomor-antrean p r seratus silakan-menuju lokasi",
			"Nomor antrean, P R, seratus, silakan menuju lokasi"},
		{"007", "Loket #1", "chime nomor-antrean tujuh silakan-menuju-loket satu",
			"Nomor antrean, tujuh, silakan menuju loket satu"},
		{"A-1", "Meja Informasi dan Pengaduan", "chime nomor-antrean a satu silakan-menuju meja informasi dan pengaduan",
			"Nomor antrean, A, satu, silakan menuju meja informasi dan pengaduan"},
	} {
		got, err := Call(c.number, c.counter)
		if err != nil || strings.Join(got, " ") != c.clips {
			t.Errorf("Call(%q, %q) = %v, %v; want %s", c.number, c.counter, got, err, c.clips)
		}
		if p := Phrase(c.number, c.counter); p != c.phrase {
			t.Errorf("Phrase(%q, %q) = %q, want %q", c.number, c.counter, p, c.phrase)
		}
	}
}

func TestCallRefusesWhatHasNoClips(t *testing.T) {
	for _, c := range [][2]string{
		{"", "1"}, {"A-", "1"}, {"A-12x", "1"}, {"A-10000", "1"}, {"Ä-1", "1"},
		{"A-1", ""}, {"A-1", "Loket"}, {"A-1", "Loket —"}, {"A-1", "10000"},
	} {
		if got, err := Call(c[0], c[1]); err == nil {
			t.Errorf("Call(%q, %q) = %v, want an error", c[0], c[1], got)
		}
		if p := Phrase(c[0], c[1]); p != "" {
			t.Errorf("Phrase(%q, %q) = %q, want \"\"", c[0], c[1], p)
		}
	}
}
