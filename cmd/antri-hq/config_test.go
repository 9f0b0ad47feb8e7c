package main

import (
	"strings"
	"testing"
)

func TestConfigOfDomainParsesAndProblemsAreNamed(t *testing.T) {
	c, err := parseConfig("hq.toml", []byte(`listen = "127.0.0.1:9191"
data = "./var-hq"
admin_token = "hq-admin-7Fq2xLp9Rk"
[[office]]
id = "mpp-contoh"
secret = "office-secret-Vb81zQ"
`))
	if err != nil || c.Listen != "127.0.0.1:9191" || len(c.Offices) != 1 || c.Offices[0].Secret != "office-secret-Vb81zQ" {
		t.Fatalf("config %+v err %v", c, err)
	}
	_, err = parseConfig("hq.toml", []byte(`admin_tokn = "x"
[[office]]
id = "a"
secret = "pendek"
[[office]]
id = "a"
secret = "cukup-panjang"
`))
	for _, want := range []string{`"admin_tokn" tidak dikenal`, "admin_token wajib", `"a": secret wajib`, `"a" muncul dua kali`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
	// The examples of DOMAIN.md and docs/SYNC.md, copied as they are, and an
	// office secret that opens every report.
	_, err = parseConfig("hq.toml", []byte(`admin_token = "hq-admin"
[[office]]
id = "mpp-contoh"
secret = "office-secret"
[[office]]
id = "mpp-lain"
secret = "hq-admin"
`))
	for _, want := range []string{"admin_token terlalu pendek", `"mpp-contoh": secret wajib, minimal 16`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
	_, err = parseConfig("hq.toml", []byte(`admin_token = "sama-persis-panjang-123"
[[office]]
id = "mpp-contoh"
secret = "sama-persis-panjang-123"
`))
	if err == nil || !strings.Contains(err.Error(), "secret sama dengan admin_token") {
		t.Errorf("an office secret equal to the admin token: %v", err)
	}
}
