package escpos_test

import (
	"bytes"
	"testing"

	"github.com/antri-id/antri/device/escpos"
)

func TestTransliterate(t *testing.T) {
	cases := []struct {
		in   string
		want []byte
	}{
		{"A-001", []byte("A-001")},
		{"“Kutip” ‘tunggal’", []byte(`"Kutip" 'tunggal'`)},
		{"08.00–15.00 — buka", []byte("08.00-15.00 - buka")},
		{"Tunggu…", []byte("Tunggu...")},
		{"café", []byte{'c', 'a', 'f', 0x82}}, // é is 0x82 in PC858
		{"€5", []byte{0xD5, '5'}},             // the euro sign PC858 adds
		{"ā ș", []byte("a s")},                // outside PC858: base letter
		{"Terima kasih 🙏", []byte("Terima kasih ?")},
		{"👍🏽", []byte("??")},                   // emoji + skin tone modifier
		{"❤️", []byte("?")},                    // the variation selector is dropped
		{"a\x1b@b\x1dV\x00c", []byte("a@bVc")}, // control bytes never reach the printer
		{"baris\nbaru\tx", []byte("baris\nbaru x")},
		{"中文", []byte("??")},
	}
	for _, c := range cases {
		if got := escpos.Transliterate(escpos.PC858, c.in); !bytes.Equal(got, c.want) {
			t.Errorf("Transliterate(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTransliteratePC437HasNoEuro(t *testing.T) {
	if got := escpos.Transliterate(escpos.PC437, "€"); string(got) != "EUR" {
		t.Errorf("€ in PC437 = %q, want EUR", got)
	}
}

func TestTextFollowsSelectedCodePage(t *testing.T) {
	e := escpos.NewEncoder(escpos.Paper58)
	e.Text("€")
	e.CodePage(escpos.PC858)
	e.Text("€")
	want := []byte{'E', 'U', 'R', 0x1B, 0x74, 19, 0xD5}
	if !bytes.Equal(e.Bytes(), want) {
		t.Errorf("got % x, want % x", e.Bytes(), want)
	}
}
