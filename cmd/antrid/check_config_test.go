package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/queue/queuetest"
)

// `antrid check-config` on the MPP fixture: it passes, and warns, each on its line, of
// the names the voice could only spell, saying how to write spoken; the example office
// has spoken where it needs it and no warning.
func TestCheckConfigWarnsOfNamesTheVoiceCanOnlySpell(t *testing.T) {
	bin, err := antridtest.Binary()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "check-config", queuetest.ConfigFile(t, "mpp40")).CombinedOutput()
	if err != nil {
		t.Fatalf("check-config mpp40: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{
		`peringatan: baris `, `service[11].name: "SKCK" dalam "Surat Keterangan Catatan Kepolisian (SKCK)" adalah singkatan`,
		`spoken = "Surat Keterangan Catatan Kepolisian (S K C K)"`, "baik — Mal Pelayanan Publik Kota Besar, 40 layanan, 40 loket, 0 tombol, 3 layar zona.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("check-config lacks %q:\n%s", want, text)
		}
	}
	// The example ships without tokens (first boot makes them), which check-config
	// refuses; of the voice it has nothing to say.
	out, _ = exec.Command(bin, "check-config", "../../deploy/antrid.example.toml").CombinedOutput()
	if strings.Contains(string(out), "peringatan") || !strings.Contains(string(out), "token") {
		t.Errorf("check-config of the example:\n%s", out)
	}
}
