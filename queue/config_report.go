package queue

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// checkReportSignature checks the [office] keys of the printable report's
// signature block: a name needs the title it signs under, and a NIP is the
// 18 digits of a civil servant's number (PP 11/2017), spaces allowed as
// printed on ID cards ("19800101 200501 1 001").
func (c *Config) checkReportSignature(v *validator) {
	o := &c.Office
	o.HeadTitle, o.HeadName, o.HeadNIP, o.City = strings.TrimSpace(o.HeadTitle), strings.TrimSpace(o.HeadName),
		strings.TrimSpace(o.HeadNIP), strings.TrimSpace(o.City)
	if (o.HeadName != "" || o.HeadNIP != "") && o.HeadTitle == "" {
		v.add("office.head_title", `isi jabatan penanda tangan laporan, contoh "Kepala Dinas Penanaman Modal dan PTSP Kota Contoh"`)
	}
	if o.HeadNIP != "" {
		digits := 0
		for _, r := range o.HeadNIP {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case r == ' ':
			default:
				digits = -1
			}
			if digits < 0 {
				break
			}
		}
		if digits != 18 {
			v.add("office.head_nip", `NIP terdiri atas 18 angka (spasi boleh), contoh "19800101 200501 1 001"`)
		}
	}
	for _, f := range []struct{ key, val string }{{"office.head_title", o.HeadTitle}, {"office.head_name", o.HeadName}, {"office.city", o.City}} {
		if utf8.RuneCountInString(f.val) > 120 || strings.IndexFunc(f.val, unicode.IsControl) >= 0 {
			v.add(f.key, "paling banyak 120 huruf, satu baris")
		}
	}
}
