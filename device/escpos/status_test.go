package escpos_test

import (
	"testing"

	"github.com/antri-id/antri/device/escpos"
)

func TestParseStatus(t *testing.T) {
	cases := []struct {
		n, b    byte
		ok      bool
		problem string
	}{
		{1, 0x12, true, ""},
		{1, 0x16, true, ""}, // drawer pin high only
		{1, 0x1A, false, "Printer offline"},
		{2, 0x12, true, ""},
		{2, 0x16, false, "Tutup printer terbuka"},
		{2, 0x32, false, "Kertas habis"},
		{2, 0x52, false, "Printer error, tunggu sebentar lalu periksa printer"},
		{3, 0x1A, false, "Pemotong kertas macet"},
		{4, 0x12, true, ""},
		{4, 0x1E, true, ""}, // near end still prints
		{4, 0x72, false, "Kertas habis"},
	}
	for _, c := range cases {
		s, err := escpos.ParseStatus(c.n, c.b)
		if err != nil {
			t.Errorf("ParseStatus(%d, %#x): %v", c.n, c.b, err)
			continue
		}
		if s.OK() != c.ok || s.Problem() != c.problem || !s.Known {
			t.Errorf("ParseStatus(%d, %#x) = OK %v %q, want OK %v %q", c.n, c.b, s.OK(), s.Problem(), c.ok, c.problem)
		}
	}
}

func TestParseStatusRejectsNonStatusBytes(t *testing.T) {
	for _, c := range []struct{ n, b byte }{{1, 0x00}, {1, 0xFF}, {2, 0x13}, {4, 0x92}, {5, 0x12}, {0, 0x12}} {
		if _, err := escpos.ParseStatus(c.n, c.b); err == nil {
			t.Errorf("ParseStatus(%d, %#x) accepted", c.n, c.b)
		}
	}
}

func TestStatusMergePriorityAndString(t *testing.T) {
	var s escpos.Status
	if !s.OK() || s.String() != "status tidak diketahui" {
		t.Errorf("zero Status: OK %v %q", s.OK(), s)
	}
	for _, q := range []struct{ n, b byte }{{1, 0x1A}, {2, 0x36}, {4, 0x7E}} {
		if err := s.Update(q.n, q.b); err != nil {
			t.Fatal(err)
		}
	}
	// Offline because the cover is open and the paper ran out: paper is what staff fix first.
	if s.Problem() != "Kertas habis" || !s.Offline || !s.CoverOpen || !s.PaperNearEnd {
		t.Errorf("merged status %+v: problem %q", s, s.Problem())
	}
	near, _ := escpos.ParseStatus(4, 0x1E)
	if near.String() != "Kertas hampir habis" {
		t.Errorf("near-end String() = %q", near)
	}
	ok, _ := escpos.ParseStatus(1, 0x12)
	if ok.String() != "Siap" {
		t.Errorf("ready String() = %q", ok)
	}
}

func TestPaperForWidth(t *testing.T) {
	if p, err := escpos.PaperForWidth(58); err != nil || p.Dots != 384 || p.Columns != 32 {
		t.Errorf("58 mm: %+v %v", p, err)
	}
	if p, err := escpos.PaperForWidth(80); err != nil || p.Dots != 576 || p.Columns != 48 {
		t.Errorf("80 mm: %+v %v", p, err)
	}
	if _, err := escpos.PaperForWidth(76); err == nil {
		t.Error("76 mm accepted")
	}
}
