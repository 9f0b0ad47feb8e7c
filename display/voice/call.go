package voice

import (
	"fmt"
	"strconv"
	"strings"
)

// Call returns the clips to play, in order, when ticket number is called to counter:
// chime, "nomor-antrian", the prefix letters, the number in words, "silakan-menuju-loket",
// then the counter. Call("A-012", "3") is
//
//	chime nomor-antrian a dua belas silakan-menuju-loket tiga
//
// number is a ticket number as printed: prefix letters, an optional dash, digits ("A-012",
// "B1000"); leading zeros are not spoken. counter is a counter id or name ("3", "Loket 3",
// "Loket 2B"): a leading word "Loket" is dropped (the phrase already says it), runs of
// digits are spoken as a number (12 → dua belas) and letters one by one (B → b), so
// "2B" is "dua b". Spaces, dots, dashes and underscores separate runs and are not spoken.
// Anything else is an error: give such counters a speakable id.
func Call(number, counter string) ([]string, error) {
	prefix, n, err := parseNumber(number)
	if err != nil {
		return nil, err
	}
	ctr, err := counterTokens(counter)
	if err != nil {
		return nil, err
	}
	t := []string{ClipChime, ClipNomorAntrian}
	t = append(t, prefix...)
	t = append(t, n...)
	t = append(t, ClipSilakanMenujuLoket)
	return append(t, ctr...), nil
}

// Phrase returns the text that Call's clips say, for captions and logs, e.g.
// "Nomor antrian, A, dua belas, silakan menuju loket tiga". It returns "" when Call would
// return an error.
func Phrase(number, counter string) string {
	prefix, n, err := parseNumber(number)
	if err != nil {
		return ""
	}
	ctr, err := counterTokens(counter)
	if err != nil {
		return ""
	}
	parts := []string{"Nomor antrian"}
	if len(prefix) > 0 {
		parts = append(parts, text(prefix))
	}
	parts = append(parts, text(n), "silakan menuju loket "+text(ctr))
	return strings.Join(parts, ", ")
}

// text writes tokens as words: letters in capitals, number words as they are.
func text(tokens []string) string {
	out := make([]string, len(tokens))
	for i, t := range tokens {
		if len(t) == 1 { // every number word is longer than one letter
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

// counterTokens speaks a counter id or name; see Call.
func counterTokens(counter string) ([]string, error) {
	s := strings.TrimSpace(counter)
	if len(s) >= 5 && strings.EqualFold(s[:5], "loket") && (len(s) == 5 || !isLetter(s[5])) {
		s = s[5:]
	}
	var t []string
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			n, err := strconv.Atoi(s[i:j])
			if err != nil || n > Max {
				return nil, fmt.Errorf("voice: counter %q has a number above %d; use a shorter id", counter, Max)
			}
			w, _ := Words(n)
			t = append(t, w...)
			i = j
		case isLetter(c):
			t = append(t, strings.ToLower(s[i:i+1]))
			i++
		case c == ' ' || c == '-' || c == '.' || c == '_':
			i++
		default:
			return nil, fmt.Errorf("voice: counter %q has %q, which has no clip; use letters and digits only", counter, c)
		}
	}
	if len(t) == 0 {
		return nil, fmt.Errorf("voice: counter %q has nothing to say after \"Loket\"; give it a number or letter", counter)
	}
	return t, nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
