package queue_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

func TestConfigReportSignature(t *testing.T) {
	base := strings.Replace(string(queuetest.Fixture("reports")), `complaint_standard = "48h"`, `complaint_standard = "48h"
city = "Kota Contoh"
head_title = "Kepala Dinas Penanaman Modal dan PTSP Kota Contoh"
head_name = "Dra. Siti Rahmawati, M.Si."
head_nip = "19800101 200501 2 001"`, 1)
	cfg, err := queue.ParseConfig("uji.toml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	if o := cfg.Office; o.City != "Kota Contoh" || o.HeadName != "Dra. Siti Rahmawati, M.Si." || o.HeadNIP != "19800101 200501 2 001" {
		t.Errorf("signature keys read as %+v", o)
	}
	for _, bad := range []struct{ from, to, problem string }{
		{`head_nip = "19800101 200501 2 001"`, `head_nip = "1980010120050120"`, "office.head_nip: NIP terdiri atas 18 angka"},
		{`head_nip = "19800101 200501 2 001"`, `head_nip = "19800101-200501-2-001"`, "office.head_nip: NIP terdiri atas 18 angka"},
		{`head_title = "Kepala Dinas Penanaman Modal dan PTSP Kota Contoh"`, `head_title = ""`, "office.head_title: isi jabatan penanda tangan"},
	} {
		text := strings.Replace(base, bad.from, bad.to, 1)
		line := strings.Count(text[:strings.Index(text, bad.to)], "\n") + 1
		_, err := queue.ParseConfig("uji.toml", []byte(text))
		var ce *queue.ConfigError
		if !errors.As(err, &ce) {
			t.Fatalf("%s: %v, want a config error", bad.to, err)
		}
		// The fixture's test tokens are listed too once there is a problem: look at the signature's.
		var sig []queue.Problem
		for _, p := range ce.Problems {
			if strings.HasPrefix(p.Key, "office.head") || strings.HasPrefix(p.Key, "office.city") {
				sig = append(sig, p)
			}
		}
		if len(sig) != 1 || !strings.Contains(sig[0].String(), bad.problem) || sig[0].Line != line {
			t.Errorf("%s: %v, want one problem %q on line %d", bad.to, err, bad.problem, line)
		}
	}
}
