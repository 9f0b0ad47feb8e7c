package main

import (
	"strings"
	"testing"
)

func TestConfigOfDomainParsesAndProblemsAreNamed(t *testing.T) {
	c, err := parseConfig("hq.toml", []byte(`listen = "127.0.0.1:9191"
data = "./var-hq"
admin_token = "hq-admin"
[[office]]
id = "mpp-contoh"
secret = "office-secret"
`))
	if err != nil || c.Listen != "127.0.0.1:9191" || len(c.Offices) != 1 || c.Offices[0].Secret != "office-secret" {
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
}
