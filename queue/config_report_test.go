package queue_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/antri-id/antri/queue"
)

func TestConfigReportSignature(t *testing.T) {
	base := strings.Replace(reportOfficeTOML, `complaint_standard = "48h"`, `complaint_standard = "48h"
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
		{`head_nip = "19800101 200501 2 001"`, `head_nip = "1980010120050120"`, "baris 11: office.head_nip: NIP terdiri atas 18 angka"},
		{`head_nip = "19800101 200501 2 001"`, `head_nip = "19800101-200501-2-001"`, "baris 11: office.head_nip"},
		{`head_title = "Kepala Dinas Penanaman Modal dan PTSP Kota Contoh"`, `head_title = ""`, "office.head_title: isi jabatan penanda tangan"},
	} {
		_, err := queue.ParseConfig("uji.toml", []byte(strings.Replace(base, bad.from, bad.to, 1)))
		var ce *queue.ConfigError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), bad.problem) {
			t.Errorf("%s: %v, want a problem %q", bad.to, err, bad.problem)
		}
	}
}
