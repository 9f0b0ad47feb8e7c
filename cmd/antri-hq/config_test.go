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
	for _, c := range []struct {
		name, toml string
		want       []string
	}{
		{"misspelt, missing, short and repeated", `admin_tokn = "x"
[[office]]
id = "a"
secret = "pendek"
[[office]]
id = "a"
secret = "cukup-panjang"
`, []string{`"admin_tokn" tidak dikenal`, "admin_token wajib", `"a": secret wajib`, `"a" muncul dua kali`}},
		// The examples of DOMAIN.md and docs/SYNC.md, copied as they are.
		{"the documentation's examples", `admin_token = "hq-admin"
[[office]]
id = "mpp-contoh"
secret = "office-secret"
`, []string{"admin_token terlalu pendek", `"mpp-contoh": secret wajib, minimal 16`}},
		// The office knows its secret: it must not open every office's reports.
		{"an office secret that is the admin token", `admin_token = "sama-persis-panjang-123"
[[office]]
id = "mpp-contoh"
secret = "sama-persis-panjang-123"
`, []string{"secret sama dengan admin_token"}},
	} {
		_, err := parseConfig("hq.toml", []byte(c.toml))
		for _, want := range c.want {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %v lacks %q", c.name, err, want)
			}
		}
	}
}
