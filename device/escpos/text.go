package escpos

import (
	"strings"
	"unicode"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// CodeTable is the n of "ESC t n Select character code table".
type CodeTable byte

// Character code tables the encoder and the test decoder understand.
const (
	PC437 CodeTable = 0  // USA, Standard Europe: the power-on default
	PC858 CodeTable = 19 // Multilingual Latin I + Euro: covers Indonesian and the € sign
)

// codeTables maps each supported table to its byte → rune table (the upper half differs).
var codeTables = map[CodeTable]*charmap.Charmap{
	PC437: charmap.CodePage437,
	PC858: charmap.CodePage858,
}

// encodeTable maps runes to bytes for one code table; built once from x/text's tables so
// the encoder and decoder can never disagree.
type encodeTable map[rune]byte

var encodeTables = func() map[CodeTable]encodeTable {
	m := map[CodeTable]encodeTable{}
	for t, cm := range codeTables {
		et := encodeTable{}
		for b := 0x20; b <= 0xFF; b++ {
			if b == 0x7F {
				continue // DEL prints nothing useful
			}
			r := cm.DecodeByte(byte(b))
			if r == unicode.ReplacementChar {
				continue
			}
			if _, dup := et[r]; !dup {
				et[r] = byte(b)
			}
		}
		m[t] = et
	}
	return m
}()

// DecodeByte returns the character a printable byte (0x20–0xFF except 0x7F) prints in code
// table t, and false for a byte that is not printable or a table that is not supported.
func DecodeByte(t CodeTable, b byte) (rune, bool) {
	cm, ok := codeTables[t]
	if !ok || b < 0x20 || b == 0x7F {
		return 0, false
	}
	return cm.DecodeByte(b), true
}

// substitutes are the closest printable spelling of characters that are common in text
// typed on phones and office PCs but absent from PC437/PC858.
var substitutes = map[rune]string{
	'‘': "'", '’': "'", '‚': "'", '‛': "'", '′': "'",
	'“': `"`, '”': `"`, '„': `"`, '‟': `"`, '″': `"`,
	'‐': "-", '‑': "-", '‒': "-", '–': "-", '—': "-", '―': "-", '−': "-",
	'…': "...", '•': "*", '·': ".", '→': "->", '←': "<-", '×': "x",
	'\t': " ", '\u00A0': " ", '\u2002': " ", '\u2003': " ", '\u2009': " ", '\u202F': " ",
	'€': "EUR", // only used where the table lacks the euro sign (PC437)
}

// invisible are dropped: they carry no glyph (zero-width joiners, variation selectors that
// follow emoji, byte order marks).
func invisible(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
		return true
	}
	return unicode.Is(unicode.Variation_Selector, r) || unicode.Is(unicode.Mn, r)
}

// Transliterate returns the bytes that print s in code table t: characters of the table map
// to their byte, typographic punctuation to its ASCII look-alike (smart quotes, dashes,
// ellipsis), accented letters outside the table to their base letter, and anything else
// (emoji, CJK) to '?'. '\n' is kept as LF; every other control character is dropped so user
// text can never smuggle a command to the printer.
func Transliterate(t CodeTable, s string) []byte {
	et := encodeTables[t]
	if et == nil {
		et = encodeTables[PC437]
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		out = appendRune(out, et, r)
	}
	return out
}

func appendRune(out []byte, et encodeTable, r rune) []byte {
	if r == '\n' {
		return append(out, '\n')
	}
	if b, ok := et[r]; ok {
		return append(out, b)
	}
	if sub, ok := substitutes[r]; ok {
		for _, sr := range sub {
			if b, ok := et[sr]; ok {
				out = append(out, b)
			}
		}
		return out
	}
	if invisible(r) || unicode.IsControl(r) {
		return out
	}
	// Accented letters outside the table (ā, ș, ő): print the base letter.
	if d := norm.NFD.String(string(r)); d != string(r) {
		base := strings.TrimFunc(d, func(c rune) bool { return unicode.Is(unicode.Mn, c) })
		if b, ok := et[[]rune(base + "?")[0]]; ok && base != "" {
			return append(out, b)
		}
	}
	return append(out, '?')
}
