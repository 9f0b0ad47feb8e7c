package queue_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// The MPP fixture's three zones, one of them named by its services only: its counters are
// those that serve them.
func TestDisplayZones(t *testing.T) {
	cfg := queuetest.Office(t, "mpp40")
	if len(cfg.Services) != 40 || len(cfg.Counters) != 40 || len(cfg.Displays) != 3 {
		t.Fatalf("mpp40: %d services, %d counters, %d zones", len(cfg.Services), len(cfg.Counters), len(cfg.Displays))
	}
	z, ok := cfg.Display("lantai-3")
	if !ok || !z.HasService("PA") || z.HasService("A") {
		t.Fatalf("lantai-3 = %+v", z)
	}
	for _, k := range cfg.Counters {
		serves := slices.ContainsFunc(k.Services, z.HasService)
		if serves != z.HasCounter(k.ID) {
			t.Errorf("counter %s (services %v): in lantai-3 %v, serves one of its services %v", k.ID, k.Services, z.HasCounter(k.ID), serves)
		}
	}
	// Counters only: the services are those the counters serve.
	cfg = queuetest.Office(t, "mpp40", func(c *queue.Config) {
		c.Displays = []queue.DisplayConfig{{ID: "timur", Name: "Sayap Timur", Counters: []string{"info", "14B"}}}
	})
	if d, _ := cfg.Display("timur"); strings.Join(d.Services, ",") != "O,IN" {
		t.Errorf("zone of counters info and 14B shows services %v, want O and IN (in the counters' order)", d.Services)
	}
	if _, ok := cfg.Display("lantai-1"); ok {
		t.Error("an edit that replaced the zones kept lantai-1")
	}
}

// Every mistake in [[display]], [voice] and spoken is a problem on its line.
func TestDisplayAndVoiceProblems(t *testing.T) {
	office := string(queuetest.Fixture("office"))
	// Each case marks the line its problem must be on with "# <-".
	for _, c := range []struct{ add, want string }{
		{"[[display]]\nid = \"Lantai 1\" # <-\nname = \"L1\"\nservices = [\"A\"]\n", "display[1].id"},
		{"[[display]]\nid = \"counter\" # <-\nname = \"L1\"\nservices = [\"A\"]\n", "/display/counter/"},
		{"[[display]] # <-\nid = \"l1\"\nservices = [\"A\"]\n", "display[1].name"},
		{"[[display]]\nid = \"l1\"\nname = \"L1\"\nservices = [\"Z\"] # <-\n", `layanan "Z" tidak ada`},
		{"[[display]]\nid = \"l1\"\nname = \"L1\"\ncounters = [\"9\"] # <-\n", `loket "9" tidak ada`},
		{"[[display]] # <-\nid = \"l1\"\nname = \"L1\"\n", "isi services"},
		{"[[display]]\nid = \"l1\"\nname = \"L1\"\nservices = [\"A\"]\n[[display]]\nid = \"l1\" # <-\nname = \"L2\"\nservices = [\"B\"]\n", `zona "l1" sudah ada`},
		{"[voice]\nrepeat = 5 # <-\n", "voice.repeat"},
	} {
		text := office + "\n" + c.add
		line := strings.Count(text[:strings.Index(text, "# <-")], "\n") + 1
		_, err := queue.ParseConfig("zona.toml", []byte(text))
		var ce *queue.ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%q: accepted", c.add)
			continue
		}
		found := false
		for _, p := range ce.Problems {
			found = found || strings.Contains(p.String(), c.want) && p.Line == line
		}
		if !found {
			t.Errorf("%q: want %q on line %d, got\n%v", c.add, c.want, line, err)
		}
	}
	// A spoken text the voice cannot say is a problem on its line.
	for _, spoken := range []string{"—", "الحج", "Loket 123456", strings.Repeat("panjang ", 20)} {
		text := strings.Replace(office, "name = \"Loket 1\"\n", "name = \"Loket 1\"\nspoken = \""+spoken+"\"\n", 1)
		_, err := queue.ParseConfig("spoken.toml", []byte(text))
		if err == nil || !strings.Contains(err.Error(), "counter[1].spoken") {
			t.Errorf("spoken %q: %v, want a problem on counter[1].spoken", spoken, err)
		}
	}
}

// A name with an acronym gets a warning, on its line, saying how to write spoken; a name
// with spoken, or without capitals, does not. Warnings never refuse the config.
func TestVoiceWarningsNameAcronyms(t *testing.T) {
	cfg := queuetest.Office(t, "mpp40")
	text := string(queuetest.Fixture("mpp40"))
	var got []string
	for _, p := range cfg.Warnings() {
		got = append(got, p.String())
	}
	all := strings.Join(got, "\n")
	skck := strings.Count(text[:strings.Index(text, `name = "Surat Keterangan Catatan Kepolisian (SKCK)"`)], "\n") + 1
	for _, want := range []string{
		`"KTP" dalam "Perekaman KTP-el" adalah singkatan`,
		`spoken = "Perekaman K T P-el"`,
		`"SKCK" dalam "Surat Keterangan Catatan Kepolisian (SKCK)"`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if !strings.Contains(all, "baris "+strconv.Itoa(skck)+": service[11].name") {
		t.Errorf("the SKCK warning is not on line %d:\n%s", skck, all)
	}
	if strings.Contains(all, "Meja Informasi") || strings.Contains(all, `"Loket 14A"`) {
		t.Errorf("a name of plain words, or a number with a letter, is warned about:\n%s", all)
	}
	cfg = queuetest.Office(t, "mpp40", func(c *queue.Config) {
		for i := range c.Services {
			c.Services[i].Spoken = "layanan nomor " + strconv.Itoa(i+1)
		}
		for i := range c.Counters {
			c.Counters[i].Spoken = "loket " + strconv.Itoa(i+1)
		}
	})
	if w := cfg.Warnings(); len(w) != 0 {
		t.Errorf("every name has spoken, yet warnings: %v", w)
	}
}

func TestSpokenWords(t *testing.T) {
	for in, want := range map[string]string{
		"Loket 2B":                      "Loket|2|B",
		"KTP-el & KK":                   "KTP|el|dan|KK",
		"Meja Informasi dan Pengaduan":  "Meja|Informasi|dan|Pengaduan",
		"Perizinan (NIB), Izin/Reklame": "Perizinan|NIB|Izin|Reklame",
		"Café Sehat":                    "Café|Sehat",
		"Cafe\u0301 Sehat":              "Cafe|Sehat",
		"  ":                            "",
	} {
		if got := strings.Join(queue.SpokenWords(in), "|"); got != want {
			t.Errorf("SpokenWords(%q) = %q, want %q", in, got, want)
		}
	}
}

// With zones, a service no zone shows and a counter whose calls reach no zone are warned
// about on their lines; an office whose zones cover everything, or that has none, is not.
func TestWarningsNameWhatNoZoneShows(t *testing.T) {
	zoneWarnings := func(cfg *queue.Config) []string {
		var out []string
		for _, p := range cfg.Warnings() {
			if strings.Contains(p.Msg, "layar zona") {
				out = append(out, p.String())
			}
		}
		return out
	}
	if w := zoneWarnings(queuetest.Office(t, "mpp40")); len(w) != 0 {
		t.Errorf("mpp40's zones cover every service and counter, yet: %v", w)
	}
	if w := zoneWarnings(queuetest.Office(t, "pages")); len(w) != 0 {
		t.Errorf("an office without zones: %v", w)
	}
	cfg := queuetest.Office(t, "mpp40", func(c *queue.Config) {
		for i := range c.Displays { // lantai-3 forgets BPJS (R, S) and so Loket 17 and 18
			c.Displays[i].Services = slices.DeleteFunc(c.Displays[i].Services, func(s string) bool { return s == "R" || s == "S" })
			c.Displays[i].Counters = nil // as in the fixture: those that serve its services
		}
	})
	got := strings.Join(zoneWarnings(cfg), "\n")
	for _, want := range []string{"service[", `layanan R (`, `layanan S (`, `Tambahkan "R" ke services`, `panggilan ke Loket 17 tidak tampil`, `Tambahkan "17" ke counters`} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings lack %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n") + 1; n != 4 {
		t.Errorf("%d warnings, want 4 (R, S, Loket 17, Loket 18):\n%s", n, got)
	}
}
