package queue

import (
	"strings"
	"testing"
)

func TestConfigOrigins(t *testing.T) {
	base := `
[office]
id = "mpp-uji"
name = "MPP Uji"
admin_token = "admin"
origins = [%s]
[[service]]
code = "A"
name = "Perizinan"
wait_standard = "15m"
service_standard = "10m"
[[counter]]
id = "1"
name = "Loket 1"
services = ["A"]
token = "t1"
`
	if _, err := ParseConfig("ok.toml", []byte(strings.Replace(base, "%s", `"http://antri.local:8080", "https://antri.kota.go.id"`, 1))); err != nil {
		t.Fatalf("good origins refused: %v", err)
	}
	for _, bad := range []string{`"antri.local:8080"`, `"http://antri.local:8080/admin"`, `"ftp://x"`, `"http://ANTRI.local"`, `"http://x:80"`} {
		_, err := ParseConfig("bad.toml", []byte(strings.Replace(base, "%s", bad, 1)))
		if err == nil || !strings.Contains(err.Error(), "baris 6: office.origins") {
			t.Errorf("origins = [%s]: %v, want a problem on line 6", bad, err)
		}
	}
}
