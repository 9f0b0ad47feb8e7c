package queue

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// DisplayConfig is one [[display]]: a zone of the office with its own waiting-room TV,
// served at /display/{id} (DOMAIN.md "MPP scale"). It shows only its services and the
// calls to its counters.
type DisplayConfig struct {
	ID       string   `toml:"id"`
	Name     string   `toml:"name"`
	Services []string `toml:"services"` // empty: those its counters serve
	Counters []string `toml:"counters"` // empty: those that serve one of its services
}

// HasService reports whether the zone shows service code.
func (d DisplayConfig) HasService(code string) bool { return slices.Contains(d.Services, code) }

// HasCounter reports whether the zone shows the calls to counter id.
func (d DisplayConfig) HasCounter(id string) bool { return slices.Contains(d.Counters, id) }

// VoiceConfig is the optional [voice] table: how the displays announce a call.
type VoiceConfig struct {
	// Repeat is how many times the words of a call are said (1–3, default 1). While
	// other calls wait to be announced, each is said once.
	Repeat int `toml:"repeat"`
	// ChimeOnly plays the chime alone, no words: for an office whose staff announce
	// calls over their own loudspeakers.
	ChimeOnly bool `toml:"chime_only"`
	// SayService says the service's name (or its spoken) after the number; default true.
	SayService *bool `toml:"say_service"`
}

// SaysService reports whether a call names the service.
func (v VoiceConfig) SaysService() bool { return v.SayService == nil || *v.SayService }

// Display returns the [[display]] zone with the given id.
func (c *Config) Display(id string) (DisplayConfig, bool) {
	for _, d := range c.Displays {
		if d.ID == id {
			return d, true
		}
	}
	return DisplayConfig{}, false
}

// Warnings lists, each on its line, what in the config works but will not be what the
// office wants: the names the voice cannot say as they are written (acronyms it could
// only spell or guess), and the services and counters no [[display]] zone shows. They do
// not stop antrid; `antrid check-config` prints them so an office writes `spoken` and
// completes its zones where it matters.
func (c *Config) Warnings() []Problem { return c.warnings }

// maxSpoken bounds a spoken text: a call is a sentence, not a paragraph.
const maxSpoken = 120

var displayIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// checkDisplays checks every [[display]] against the services and counters it names and
// fills in the set it leaves empty, then warns of a service or a counter no zone shows.
func (c *Config) checkDisplays(v *validator, codes, ids map[string]bool) {
	defer c.warnUnshown(v)
	seen := map[string]bool{}
	for i := range c.Displays {
		d := &c.Displays[i]
		key := fmt.Sprintf("display.%d", i)
		switch {
		case d.ID == "":
			v.add(key+".id", `wajib diisi: nama pendek zona untuk alamat layarnya, contoh "lantai-1" untuk /display/lantai-1`)
		case !displayIDRE.MatchString(d.ID):
			v.add(key+".id", fmt.Sprintf(`%q tidak valid: pakai huruf kecil, angka dan "-" saja (menjadi alamat /display/%s)`, d.ID, d.ID))
		case d.ID == "counter":
			v.add(key+".id", `"counter" dipakai untuk layar di atas loket (/display/counter/{loket}); pilih nama lain`)
		case seen[d.ID]:
			v.add(key+".id", fmt.Sprintf("zona %q sudah ada; setiap [[display]] perlu id sendiri", d.ID))
		}
		seen[d.ID] = true
		if strings.TrimSpace(d.Name) == "" {
			v.add(key+".name", `wajib diisi: nama zona yang tampil di layar, contoh "Lantai 1 — Kependudukan"`)
		}
		for _, s := range d.Services {
			if !codes[s] {
				v.add(key+".services", fmt.Sprintf("layanan %q tidak ada di [[service]]", s))
			}
		}
		for _, k := range d.Counters {
			if !ids[k] {
				v.add(key+".counters", fmt.Sprintf("loket %q tidak ada di [[counter]]", k))
			}
		}
		switch {
		case len(d.Services) == 0 && len(d.Counters) == 0:
			v.add(key, "isi services (layanan yang tampil) atau counters (loket yang panggilannya tampil), atau keduanya")
		case len(d.Services) == 0:
			for _, k := range c.Counters {
				if d.HasCounter(k.ID) {
					for _, s := range k.Services {
						if !d.HasService(s) {
							d.Services = append(d.Services, s)
						}
					}
				}
			}
		case len(d.Counters) == 0:
			for _, k := range c.Counters {
				if slices.ContainsFunc(k.Services, d.HasService) {
					d.Counters = append(d.Counters, k.ID)
				}
			}
		}
	}
}

// warnUnshown warns, when the office has zones, of each service no zone's TV shows and
// each counter whose calls reach no zone's TV: a citizen waiting for it in a hall with
// only zone TVs would never see the number called. Only /display (the whole office)
// shows them, which is often on no TV at all.
func (c *Config) warnUnshown(v *validator) {
	if len(c.Displays) == 0 {
		return
	}
	warn := validator{lines: v.lines}
	for i, s := range c.Services {
		if !slices.ContainsFunc(c.Displays, func(d DisplayConfig) bool { return d.HasService(s.Code) }) {
			warn.add(fmt.Sprintf("service.%d.code", i), fmt.Sprintf("layanan %s (%s) tidak tampil di layar zona mana pun: warga yang menunggunya hanya melihat antreannya di /display (seluruh kantor). "+
				"Tambahkan %q ke services salah satu [[display]]", s.Code, s.Name, s.Code))
		}
	}
	for i, k := range c.Counters {
		if !slices.ContainsFunc(c.Displays, func(d DisplayConfig) bool { return d.HasCounter(k.ID) }) {
			warn.add(fmt.Sprintf("counter.%d.id", i), fmt.Sprintf("panggilan ke %s tidak tampil di layar zona mana pun, hanya di /display (seluruh kantor). "+
				"Tambahkan %q ke counters salah satu [[display]], atau salah satu layanannya ke services zona itu", k.Name, k.ID))
		}
	}
	c.warnings = append(c.warnings, warn.problems...)
}

// checkVoice checks the [voice] table and every spoken text, and finds the names the
// voice could only spell (Warnings).
func (c *Config) checkVoice(v *validator) {
	switch r := c.Voice.Repeat; {
	case r == 0:
		c.Voice.Repeat = 1
	case r < 0 || r > 3:
		v.add("voice.repeat", "isi 1, 2 atau 3: berapa kali kata-kata panggilan diucapkan")
	}
	warn := validator{lines: v.lines}
	check := func(key, name, spoken string) {
		if spoken != "" {
			if why := unspeakable(spoken); why != "" {
				v.add(key+".spoken", why)
			}
			return
		}
		for _, w := range SpokenWords(name) {
			if isAcronym(w) {
				warn.add(key+".name", fmt.Sprintf(`%q dalam %q adalah singkatan: suara panggilan hanya bisa mengejanya atau menebak cara bacanya. `+
					`Tulis cara mengucapkan nama ini di spoken: huruf dipisah spasi untuk dieja (spoken = %q), atau bunyinya sebagai kata`,
					w, name, spelledExample(name, w)))
			} else if why := unspeakable(w); why != "" {
				warn.add(key+".name", fmt.Sprintf("%q: %s; tulis spoken untuk nama ini", name, why))
			}
		}
	}
	for i, s := range c.Services {
		check(fmt.Sprintf("service.%d", i), s.Name, s.Spoken)
	}
	for i, k := range c.Counters {
		check(fmt.Sprintf("counter.%d", i), k.Name, k.Spoken)
	}
	c.warnings = append(c.warnings, warn.problems...)
}

// SpokenWords splits a name or a spoken text into the words a voice call says, in
// order: runs of letters and runs of digits, everything else a separator ("&" is said
// "dan"). Case is kept, so that acronyms can be told from words: "Loket 2B" is
// [Loket 2 B], "KTP-el & KK" is [KTP el dan KK].
func SpokenWords(text string) []string {
	var words []string
	var cur []rune
	kind := 0 // 1 letters, 2 digits
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
		kind = 0
	}
	for _, r := range text {
		if unicode.Is(unicode.Mn, r) {
			continue // a combining accent: the letter before it is said plain
		}
		k := 0
		switch {
		case unicode.IsLetter(r):
			k = 1
		case r >= '0' && r <= '9':
			k = 2
		}
		if k != kind {
			flush()
		}
		if k == 0 {
			if r == '&' {
				words = append(words, "dan")
			}
			continue
		}
		kind = k
		cur = append(cur, r)
	}
	flush()
	return words
}

// isAcronym reports whether a word is written in capitals (two letters or more): an
// acronym, said letter by letter (BPJS) or as a word (Samsat written SAMSAT) — the
// appliance cannot know which.
func isAcronym(w string) bool {
	letters := 0
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
		letters++
	}
	return letters >= 2
}

// unspeakable says why a text has words the voice cannot say, or "".
func unspeakable(text string) string {
	words := SpokenWords(text)
	if len(words) == 0 {
		return "tidak ada kata yang bisa diucapkan; tulis dengan huruf dan angka"
	}
	if len([]rune(text)) > maxSpoken {
		return fmt.Sprintf("terlalu panjang (%d karakter, paling banyak %d): panggilan adalah satu kalimat pendek", len([]rune(text)), maxSpoken)
	}
	for _, w := range words {
		if w[0] >= '0' && w[0] <= '9' {
			if len(strings.TrimLeft(w, "0")) > 4 {
				return fmt.Sprintf("angka %s terlalu besar untuk diucapkan (paling besar 9999); tulis sebagai kata", w)
			}
			continue
		}
		for _, r := range w {
			if FoldLetter(r) == 0 {
				return fmt.Sprintf("huruf %q dalam %q tidak bisa diucapkan suara berbahasa Indonesia; tulis dengan huruf Latin", r, w)
			}
		}
	}
	return ""
}

// FoldLetter gives the lower-case ASCII letter a Latin letter is said as (é → e, Ç →
// c), or 0 for a letter the Indonesian voice cannot say.
func FoldLetter(r rune) rune {
	r = unicode.ToLower(r)
	if r >= 'a' && r <= 'z' {
		return r
	}
	for base, accented := range map[rune]string{
		'a': "àáâãäåā", 'c': "çč", 'e': "èéêëē", 'i': "ìíîïī", 'n': "ñ", 'o': "òóôõöō", 's': "š", 'u': "ùúûüū", 'y': "ýÿ", 'z': "ž",
	} {
		if strings.ContainsRune(accented, r) {
			return base
		}
	}
	return 0
}

// spelledExample is name with the acronym w written as spaced letters, for a warning.
func spelledExample(name, w string) string {
	return strings.Replace(name, w, strings.Join(strings.Split(w, ""), " "), 1)
}
