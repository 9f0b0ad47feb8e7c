package voice

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/antri-id/antri/queue"
)

// Request is one call to announce: the ticket, what to say for its service and for the
// counter, and the office's [voice] options.
type Request struct {
	// Number is the ticket number as printed: prefix letters, an optional dash, digits
	// ("A-012", "PA1000"). Leading zeros are not said.
	Number string
	// Service is what is said for the service after the number: its spoken text or its
	// name; "" says nothing.
	Service string
	// Counter is what is said for the counter: its spoken text or its name. A first word
	// "Loket" joins the phrase ("silakan menuju loket tiga"); any other name follows
	// "silakan menuju" ("silakan menuju meja informasi").
	Counter string
	// CounterID is said instead when Counter has nothing to say ("Loket" alone), as a
	// counter number: "loket" and the id.
	CounterID string
	// Repeat is how many times the words are said (1 when 0).
	Repeat int
	// ChimeOnly announces with the chime alone.
	ChimeOnly bool
}

// Announcement is what a display plays for one call, as clip tokens.
type Announcement struct {
	// Clips is the whole announcement in play order, chime first: "nomor antrean", the
	// number, the service, the counter, Repeat times.
	Clips []string
	// Burst is what is said while other calls wait to be announced, so a burst of calls is
	// heard within seconds of each other: the number and the counter once, no chime.
	Burst []string
	// Phrase is what Clips say, once, for captions and logs: "Nomor antrean, A, dua
	// belas, perekaman ktp el, silakan menuju loket tiga".
	Phrase string
}

// Announce builds the announcement of a call. It fails only on a ticket number that is
// not letters and digits, or a counter with nothing to say in name and id.
func Announce(r Request) (Announcement, error) {
	prefix, n, err := parseNumber(r.Number)
	if err != nil {
		return Announcement{}, err
	}
	to, ctr, err := counterTokens(r.Counter)
	if err != nil && r.CounterID != "" {
		_, ctr, err = counterTokens(r.CounterID)
		to = ClipSilakanMenujuLoket
	}
	if err != nil {
		return Announcement{}, err
	}
	svc := Say(r.Service)
	number := append(append([]string{}, prefix...), n...)
	words := append([]string{ClipNomorAntrean}, number...)
	words = append(words, svc...)
	words = append(append(words, to), ctr...)

	var a Announcement
	a.Clips = []string{ClipChime}
	a.Burst = append(append(append([]string{}, number...), to), ctr...)
	if r.ChimeOnly {
		a.Burst = []string{ClipChime}
	} else {
		for range max(r.Repeat, 1) {
			a.Clips = append(a.Clips, words...)
		}
	}
	parts := []string{"Nomor antrean"}
	if len(prefix) > 0 {
		parts = append(parts, text(prefix))
	}
	parts = append(parts, text(n))
	if len(svc) > 0 {
		parts = append(parts, text(svc))
	}
	a.Phrase = strings.Join(append(parts, strings.ReplaceAll(to, "-", " ")+" "+text(ctr)), ", ")
	return a, nil
}

// Call returns the clips of a call with no service and the options' defaults: chime,
// "nomor-antrean", the prefix letters, the number in words, "silakan-menuju-loket" and
// the counter. Call("A-012", "Loket 3") is
//
//	chime nomor-antrean a dua belas silakan-menuju-loket tiga
func Call(number, counter string) ([]string, error) {
	a, err := Announce(Request{Number: number, Counter: counter})
	return a.Clips, err
}

// Phrase returns the text that Call's clips say, e.g. "Nomor antrean, A, dua belas,
// silakan menuju loket tiga"; "" when Call would return an error.
func Phrase(number, counter string) string {
	a, _ := Announce(Request{Number: number, Counter: counter})
	return a.Phrase
}

// Say returns the clip tokens that say a name or a spoken text (queue.SpokenWords):
// runs of digits as a number (12 → dua belas), a single letter as that letter (its
// Indonesian name: B → be), every other word as one clip named by the word in lower case
// without accents ("KTP" → ktp, "Informasi" → informasi). A word is never broken into
// letters: written "B P J S" it is four letters, written "BPJS" it is one word, which a
// Library synthesises as espeak-ng says it. A number above Max, or a word with no Latin
// letter, is left out (check-config refuses it in spoken and warns of it in a name).
func Say(text string) []string {
	var t []string
	for _, w := range queue.SpokenWords(text) {
		if w[0] >= '0' && w[0] <= '9' {
			n, err := strconv.Atoi(w)
			if err != nil || n > Max {
				continue
			}
			words, _ := Words(n)
			t = append(t, words...)
			continue
		}
		var b strings.Builder
		for _, r := range w {
			if f := queue.FoldLetter(r); f != 0 {
				b.WriteRune(f)
			}
		}
		if b.Len() > 0 && b.Len() <= maxWord {
			t = append(t, b.String())
		}
	}
	return t
}

// maxWord is the longest word said as one clip: longer ones are not words.
const maxWord = 40

// text writes tokens as words: letters in capitals, words as they are.
func text(tokens []string) string {
	out := make([]string, len(tokens))
	for i, t := range tokens {
		if len(t) == 1 { // every word of more than one letter is longer than one letter
			t = strings.ToUpper(t)
		}
		out[i] = t
	}
	return strings.Join(out, " ")
}

// parseNumber splits "A-012" into the letter tokens [a] and the number words [dua belas].
func parseNumber(number string) (prefix, words []string, err error) {
	s := strings.TrimSpace(number)
	i := 0
	for i < len(s) && isLetter(s[i]) {
		prefix = append(prefix, strings.ToLower(s[i:i+1]))
		i++
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	d := s[i:]
	if d == "" || strings.Trim(d, "0123456789") != "" {
		return nil, nil, fmt.Errorf("voice: ticket number %q is not letters, a dash and digits like A-012", number)
	}
	n, err := strconv.Atoi(d)
	if err != nil || n > Max {
		return nil, nil, fmt.Errorf("voice: ticket number %q is above %d and cannot be spoken", number, Max)
	}
	words, err = Words(n)
	return prefix, words, err
}

// counterTokens says a counter: the phrase clip that leads to it and its words. A first
// word "Loket" is said by the phrase clip "silakan menuju loket", and so is a counter
// that starts with its number ("3", "2B": loket tiga, loket dua b).
func counterTokens(counter string) (to string, words []string, err error) {
	words = Say(counter)
	to = ClipSilakanMenuju
	first := queue.SpokenWords(counter)
	switch {
	case len(words) > 0 && words[0] == "loket":
		to, words = ClipSilakanMenujuLoket, words[1:]
	case len(first) > 0 && first[0][0] >= '0' && first[0][0] <= '9':
		to = ClipSilakanMenujuLoket
	}
	if len(words) == 0 {
		return "", nil, fmt.Errorf("voice: counter %q has nothing to say after \"Loket\"; give it a number, a name or spoken", counter)
	}
	return to, words, nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
