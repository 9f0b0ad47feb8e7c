package queue

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

// trustOffice is an office with good secrets and %s where a test puts its own lines.
const trustOffice = `[office]
id = "mpp-uji"
name = "MPP Uji"
admin_token = "%ADMIN%"

[[service]]
code = "A"
name = "Perizinan"
wait_standard = "15m"
service_standard = "10m"

[[counter]]
id = "1"
name = "Loket 1"
services = ["A"]
token = "%TOKEN%"
%REST%`

func trustConfig(admin, token, rest string) string {
	return strings.NewReplacer("%ADMIN%", admin, "%TOKEN%", token, "%REST%", rest).Replace(trustOffice)
}

func TestKioskDefaults(t *testing.T) {
	cfg, err := ParseConfig("k.toml", []byte(trustConfig("b7c1e0a9f3d24e6c8a51", "5f0e9d2c7b4a1e3f6d80", "")))
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
	cfg, err := ParseConfig("k.toml", []byte(trustConfig("b7c1e0a9f3d24e6c8a51", "5f0e9d2c7b4a1e3f6d80", `
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
	if cfg.Connections.Max != 100 || cfg.Connections.PerAddress != 4 || cfg.Connections.Read != 3*time.Second {
		t.Errorf("connections %+v", cfg.Connections)
	}
}

func TestKioskAndConnectionProblems(t *testing.T) {
	_, err := ParseConfig("k.toml", []byte(trustConfig("b7c1e0a9f3d24e6c8a51", "5f0e9d2c7b4a1e3f6d80", `
[kiosk]
trusted = ["localhost"]
tokens = ["5f0e9d2c7b4a1e3f6d80"]
phone_tickets_per_hour = -1

[connections]
per_address = -1
idle_timeout = "lama"
`)))
	if err == nil {
		t.Fatal("bad [kiosk] and [connections] accepted")
	}
	for _, want := range []string{"baris 19: kiosk.trusted:", "baris 20: kiosk.tokens: tokens[1] sama dengan token admin atau loket",
		"baris 21: kiosk.phone_tickets_per_hour:", "baris 24: connections.per_address:", "baris 25: connections.idle_timeout:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}

func TestTimezoneLocalRefused(t *testing.T) {
	text := strings.Replace(trustConfig("b7c1e0a9f3d24e6c8a51", "5f0e9d2c7b4a1e3f6d80", ""), `name = "MPP Uji"`, "name = \"MPP Uji\"\ntimezone = \"Local\"", 1)
	_, err := ParseConfig("k.toml", []byte(text))
	if err == nil || !strings.Contains(err.Error(), "baris 4: office.timezone:") || !strings.Contains(err.Error(), "Asia/Jakarta") {
		t.Fatalf("timezone = \"Local\": %v", err)
	}
}

func TestSecretProblems(t *testing.T) {
	cases := []struct {
		admin, token, rest string
		want               []string
	}{
		{"ganti-token-admin", "token-loket-1", "", []string{"baris 4: office.admin_token: \"ganti-token-admin\" adalah contoh", "baris 16: counter[1].token: \"token-loket-1\" adalah contoh"}},
		{"a", "t1", "", []string{"baris 4: office.admin_token: terlalu pendek (1 karakter)", "baris 16: counter[1].token: terlalu pendek (2 karakter)"}},
		{"", "", "", []string{"baris 4: office.admin_token: kosong", "baris 16: counter[1].token: kosong"}},
		{"change-me", "aaaaaaaaaaaaaaaaaaaa", "", []string{"office.admin_token: \"change-me\" adalah contoh", "counter[1].token: terlalu mudah ditebak"}},
		{"b7c1e0a9f3d24e6c8a51", "5f0e9d2c7b4a1e3f6d80", "[kiosk]\ntokens = [\"pendek\"]\n[hq]\nurl = \"https://hq.example/\"\nsecret = \"rahasia-kantor\"\n",
			[]string{"baris 18: kiosk.tokens: tokens[1]: terlalu pendek", "baris 21: hq.secret: \"rahasia-kantor\" adalah contoh"}},
	}
	for _, c := range cases {
		cfg, err := ParseConfig("k.toml", []byte(trustConfig(c.admin, c.token, c.rest)))
		if err != nil {
			t.Fatalf("weak secrets must not stop parsing (the demo runs with them): %v", err)
		}
		var got []string
		for _, p := range cfg.SecretProblems() {
			got = append(got, p.String())
		}
		if len(got) != len(c.want) {
			t.Errorf("%q/%q: problems %q", c.admin, c.token, got)
			continue
		}
		for i, w := range c.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("problem %d = %q, want %q", i, got[i], w)
			}
		}
	}
}

func TestUseDemoSecrets(t *testing.T) {
	cfg, err := ParseConfig("k.toml", []byte(trustConfig("", "", "")))
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
