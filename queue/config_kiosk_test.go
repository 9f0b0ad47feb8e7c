package queue_test

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// Long, random-looking tokens: what check-config accepts.
const (
	goodAdmin   = "b7c1e0a9f3d24e6c8a51"
	goodCounter = "5f0e9d2c7b4a1e3f6d80"
	goodOther   = "9a8d7c6b5e4f3a2b1c0d"
)

// trustConfig is the "office" fixture with the given tokens (counter 1's, counter 2's)
// and the extra lines appended.
func trustConfig(admin, counter, extra string) string {
	text := strings.NewReplacer(`admin_token = "admin"`, `admin_token = "`+admin+`"`,
		`token = "t1"`, `token = "`+counter+`"`, `token = "t2"`, `token = "`+goodOther+`"`).Replace(string(queuetest.Fixture("office")))
	return text + extra
}

// lineOf is the line number of the first line of text containing s.
func lineOf(t *testing.T, text, s string) int {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("no line with %q", s)
	return 0
}

func TestKioskDefaults(t *testing.T) {
	cfg, err := queue.ParseConfig("k.toml", []byte(trustConfig(goodAdmin, goodCounter, "")))
	if err != nil {
		t.Fatal(err)
	}
	k := cfg.Kiosk
	if k.Phones || k.PhoneTicketsPerHour != 2 || len(k.Tokens) != 0 {
		t.Errorf("defaults %+v", k)
	}
	for addr, want := range map[string]bool{"127.0.0.1": true, "::1": true, "::ffff:127.0.0.1": true, "127.0.0.2": false, "192.168.1.5": false} {
		if got := k.TrustsAddr(netip.MustParseAddr(addr)); got != want {
			t.Errorf("TrustsAddr(%s) = %v, want %v", addr, got, want)
		}
	}
	n := cfg.Connections
	if n.Max != 1024 || n.PerAddress != 32 || n.KioskReserve != 64 || n.Header != 10*time.Second || n.Read != 30*time.Second ||
		n.Write != 60*time.Second || n.Idle != 60*time.Second {
		t.Errorf("connection defaults %+v", n)
	}
	if p := cfg.SecretProblems(); len(p) != 0 {
		t.Errorf("good secrets reported weak: %v", p)
	}
}

func TestKioskTrustedAndLimits(t *testing.T) {
	cfg, err := queue.ParseConfig("k.toml", []byte(trustConfig(goodAdmin, goodCounter, `
[kiosk]
trusted = ["127.0.0.1", "192.168.10.0/28"]
tokens = ["a3f9c2e81b7d4605"]
phones = true
phone_tickets_per_hour = 5

[connections]
max = 100
per_address = 4
read_timeout = "3s"
`)))
	if err != nil {
		t.Fatal(err)
	}
	k := cfg.Kiosk
	if !k.Phones || k.PhoneTicketsPerHour != 5 || !k.TrustsAddr(netip.MustParseAddr("192.168.10.15")) ||
		k.TrustsAddr(netip.MustParseAddr("192.168.10.16")) || k.TrustsAddr(netip.MustParseAddr("::1")) {
		t.Errorf("kiosk %+v", k)
	}
	// The headers are part of the request: their timeout follows a shorter read timeout.
	if c := cfg.Connections; c.Max != 100 || c.PerAddress != 4 || c.Read != 3*time.Second || c.Header != 3*time.Second {
		t.Errorf("connections %+v", c)
	}
}

func TestKioskAndConnectionProblems(t *testing.T) {
	text := trustConfig(goodAdmin, goodCounter, `
[kiosk]
trusted = ["localhost"]
tokens = ["`+goodCounter+`"]
phone_tickets_per_hour = -1

[connections]
per_address = -1
idle_timeout = "lama"
`)
	_, err := queue.ParseConfig("k.toml", []byte(text))
	if err == nil {
		t.Fatal("bad [kiosk] and [connections] accepted")
	}
	for key, want := range map[string]string{
		"trusted =":                "kiosk.trusted:",
		"tokens =":                 "kiosk.tokens: tokens[1] sama dengan token admin atau loket",
		"phone_tickets_per_hour =": "kiosk.phone_tickets_per_hour:",
		"per_address =":            "connections.per_address:",
		"idle_timeout =":           "connections.idle_timeout:",
	} {
		if line := lineOf(t, text, key); !strings.Contains(err.Error(), "baris "+strconv.Itoa(line)+": "+want) {
			t.Errorf("missing line %d %q in:\n%v", line, want, err)
		}
	}
}

func TestTimezoneLocalRefused(t *testing.T) {
	text := strings.Replace(trustConfig(goodAdmin, goodCounter, ""), `timezone = "Asia/Jakarta"`, `timezone = "Local"`, 1)
	_, err := queue.ParseConfig("k.toml", []byte(text))
	if line := lineOf(t, text, "timezone ="); err == nil || !strings.Contains(err.Error(), "baris "+strconv.Itoa(line)+": office.timezone:") ||
		!strings.Contains(err.Error(), "Asia/Jakarta") {
		t.Fatalf("timezone = \"Local\": %v", err)
	}
}

func TestSecretProblems(t *testing.T) {
	cases := []struct {
		admin, counter, extra string
		want                  []string // by key, in line order
	}{
		{"ganti-token-admin", "token-loket-1", "", []string{`office.admin_token: "ganti-token-admin" adalah contoh`, `counter[1].token: "token-loket-1" adalah contoh`}},
		{"a", "t1", "", []string{"office.admin_token: terlalu pendek (1 karakter)", "counter[1].token: terlalu pendek (2 karakter)"}},
		{"", "", "", []string{"office.admin_token: kosong", "counter[1].token: kosong"}},
		{"change-me", "aaaaaaaaaaaaaaaaaaaa", "", []string{`office.admin_token: "change-me" adalah contoh`, "counter[1].token: terlalu mudah ditebak"}},
		{goodAdmin, goodCounter, "\n[kiosk]\ntokens = [\"pendek\"]\n[hq]\nurl = \"https://hq.example/\"\nsecret = \"rahasia-kantor\"\n",
			[]string{"kiosk.tokens: tokens[1]: terlalu pendek", `hq.secret: "rahasia-kantor" adalah contoh`}},
	}
	for _, c := range cases {
		text := trustConfig(c.admin, c.counter, c.extra)
		cfg, err := queue.ParseConfig("k.toml", []byte(text))
		if err != nil {
			t.Fatalf("weak secrets must not stop parsing (the demo runs with them): %v", err)
		}
		var got []string
		for _, p := range cfg.SecretProblems() {
			got = append(got, p.String())
		}
		if len(got) != len(c.want) {
			t.Errorf("%q/%q: problems %q", c.admin, c.counter, got)
			continue
		}
		for i, w := range c.want {
			if !strings.Contains(got[i], w) || !strings.HasPrefix(got[i], "baris ") {
				t.Errorf("problem %d = %q, want %q on its line", i, got[i], w)
			}
		}
	}
}

func TestUseDemoSecrets(t *testing.T) {
	cfg, err := queue.ParseConfig("k.toml", []byte(trustConfig("", "", "")))
	if err != nil {
		t.Fatal(err)
	}
	filled := cfg.UseDemoSecrets()
	if cfg.Office.AdminToken != "ganti-token-admin" || cfg.Counters[0].Token != "token-loket-1" || len(filled) != 2 {
		t.Fatalf("demo secrets %q %q %v", cfg.Office.AdminToken, cfg.Counters[0].Token, filled)
	}
	// Still placeholders: the demo warns about them, check-config would refuse them.
	if p := cfg.SecretProblems(); len(p) != 2 || !strings.Contains(p[0].Msg, "contoh") {
		t.Errorf("demo secrets not reported as placeholders: %v", p)
	}
}

func TestExampleShipsEmptyTokens(t *testing.T) {
	cfg := queuetest.Example(t)
	if p := cfg.SecretProblems(); len(p) != 1+len(cfg.Counters) {
		t.Errorf("the example's secret problems: %v; want each token empty, for first boot to fill", p)
	}
	if cfg.Kiosk.Phones || cfg.Kiosk.PhoneTicketsPerHour != 2 || len(cfg.Kiosk.TrustedNets) != 2 {
		t.Errorf("the example's [kiosk]: %+v", cfg.Kiosk)
	}
}
