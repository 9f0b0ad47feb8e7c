package deploy_test

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The SD image puts the example config on the boot partition as antri.toml (image/
// assemble.sh). It must carry no usable secret: first boot generates every token, and
// the real check-config passes the result (issue 10: the image shipped
// "ganti-token-admin" and "token-loket-N", and first boot kept them).
func TestExampleShipsNoSecretsAndFirstBootFillsThem(t *testing.T) {
	example := read(t, "antrid.example.toml")
	if m := regexp.MustCompile(`(?m)^\s*(admin_token|token|secret)\s*=\s*"[^"]+"`).FindString(example); m != "" {
		t.Errorf("the example ships a secret: %s", m)
	}
	// As shipped, check-config refuses it: the tokens are empty.
	out, err := exec.Command(antrid, "check-config", "antrid.example.toml").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "office.admin_token: kosong") {
		t.Errorf("check-config accepts the example with empty tokens:\n%s", out)
	}

	a := newAppliance(t)
	write(t, filepath.Join(a.boot, "antri.toml"), example)
	if out, code := a.firstboot(); code != 0 {
		t.Fatalf("first boot of the shipped example failed (%d):\n%s", code, out)
	}
	installed := read(t, a.path("etc/antri/antri.toml"))
	s := secretsIn(t, installed)
	for _, k := range []string{"admin_token", "counter 1", "counter 2", "counter 3", "counter 4"} {
		if !hex32.MatchString(s[k]) {
			t.Errorf("%s = %q, want a generated secret", k, s[k])
		}
	}
	if out, err := exec.Command(antrid, "check-config", a.path("etc/antri/antri.toml")).CombinedOutput(); err != nil {
		t.Errorf("check-config refuses the provisioned example: %v\n%s", err, out)
	}
}

// A technician who copies the guide's placeholders gets a clear refusal on the screen,
// and no config is installed.
func TestFirstBootRefusesPlaceholderTokens(t *testing.T) {
	a := newAppliance(t)
	cfg := strings.Replace(read(t, "antrid.example.toml"), `admin_token = ""`, `admin_token = "ganti-token-admin"`, 1)
	write(t, filepath.Join(a.boot, "antri.toml"), cfg)
	out, code := a.firstboot()
	if code == 0 {
		t.Fatalf("first boot installed a config with the example's admin token:\n%s", out)
	}
	if page := read(t, a.path("run/antri/firstboot-error.html")); !strings.Contains(page, "office.admin_token") || !strings.Contains(page, "contoh") {
		t.Errorf("the error page does not name the placeholder token:\n%s", page)
	}
	if got := read(t, a.path("etc/antri/antri.toml")); got != "# package default\n" {
		t.Errorf("a refused config was installed:\n%s", got)
	}
}
