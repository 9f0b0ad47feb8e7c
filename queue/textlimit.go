package queue

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of the free text a command stores: each is what its field needs in a busy
// office, so that nobody can fill the SD card, the displays or headquarters with 60 KB
// notes. They are checked in the commands, so every path (API, pages, tools) is held to
// them. Complaint texts and the running text have their own (complaint.go,
// announcement.go).
const (
	MaxNoteRunes   = 500 // a referral note, a revision's reason, a component of a standard
	MaxNameRunes   = 100 // a unit's name
	MaxListEntries = 30  // requirements or procedure steps of a standard
)

// checkText refuses text longer than max characters, not UTF-8, or with control
// characters other than line breaks and tabs. field names it for the person who typed it.
func checkText(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return refuse(KindInvalid, "%s bukan teks UTF-8 yang sah / %s is not valid UTF-8", field, field)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return refuse(KindInvalid, "%s terlalu panjang: %d karakter, paling banyak %d / %s is too long: %d characters, at most %d", field, n, max, field, n, max)
	}
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' }) >= 0 {
		return refuse(KindInvalid, "%s berisi karakter kendali; tulis teks biasa / %s contains control characters", field, field)
	}
	return nil
}

// checkComponents holds a revision's published components to the same limits.
func checkComponents(c *Components) error {
	if c == nil {
		return nil
	}
	for _, f := range []struct{ name, val string }{{"jangka waktu pelayanan", c.CompletionTime}, {"biaya", c.Fee},
		{"produk pelayanan", c.Product}, {"penanganan pengaduan", c.Complaints}} {
		if err := checkText(f.name, f.val, MaxNoteRunes); err != nil {
			return err
		}
	}
	for _, l := range []struct {
		name string
		list []string
	}{{"persyaratan", c.Requirements}, {"prosedur", c.Procedure}} {
		if len(l.list) > MaxListEntries {
			return refuse(KindInvalid, "%s terlalu banyak: %d butir, paling banyak %d / too many entries", l.name, len(l.list), MaxListEntries)
		}
		for _, e := range l.list {
			if err := checkText(l.name, e, MaxNoteRunes); err != nil {
				return err
			}
		}
	}
	return nil
}
