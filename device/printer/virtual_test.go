package printer_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/escpos/preview"
	"github.com/antri-id/antri/device/printer"
)

func TestVirtualSavesBytesAndPicture(t *testing.T) {
	dir := t.TempDir()
	v, err := printer.NewVirtual(dir, escpos.Paper58)
	if err != nil {
		t.Fatal(err)
	}
	job := ticket(t)
	if err := printer.Print(context.Background(), v, job); err != nil {
		t.Fatal(err)
	}
	esc, png := v.Files(1)
	if esc != dir+"/0001.escpos" || png != dir+"/0001.png" {
		t.Errorf("files %s %s", esc, png)
	}
	got, _ := os.ReadFile(esc)
	if !bytes.Equal(got, job) {
		t.Error("0001.escpos is not the exact job")
	}
	var want bytes.Buffer
	if err := preview.RenderPNG(&want, job, escpos.Paper58); err != nil {
		t.Fatal(err)
	}
	if pic, _ := os.ReadFile(png); !bytes.Equal(pic, want.Bytes()) {
		t.Error("0001.png is not the rendering of 0001.escpos")
	}
}

func TestVirtualPaperOutKeepsNothingAndRecovers(t *testing.T) {
	dir := t.TempDir()
	v, _ := printer.NewVirtual(dir, escpos.Paper80)
	v.SetStatus(escpos.Status{Known: true, PaperEnd: true})
	err := printer.Print(context.Background(), v, ticket(t))
	var pe *printer.Error
	if !errors.As(err, &pe) || pe.Status.Problem() != "Kertas habis" {
		t.Fatalf("Print with paper out = %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("paper out still produced %d files", len(ents))
	}
	v.SetStatus(escpos.Status{Known: true})
	if err := printer.Print(context.Background(), v, ticket(t)); err != nil {
		t.Fatal(err)
	}
	if v.Last() != 1 {
		t.Errorf("first printed job is number %d, want 1", v.Last())
	}
}

func TestVirtualContinuesNumberingAfterRestart(t *testing.T) {
	dir := t.TempDir()
	v, _ := printer.NewVirtual(dir, escpos.Paper80)
	for range 2 {
		if _, err := v.Write(ticket(t)); err != nil {
			t.Fatal(err)
		}
	}
	v2, _ := printer.NewVirtual(dir, escpos.Paper80)
	if _, err := v2.Write(ticket(t)); err != nil {
		t.Fatal(err)
	}
	if v2.Last() != 3 {
		t.Errorf("after restart the job is number %d, want 3", v2.Last())
	}
}

func TestVirtualRejectsBytesThatDoNotDecode(t *testing.T) {
	v, _ := printer.NewVirtual(t.TempDir(), escpos.Paper80)
	if err := printer.Print(context.Background(), v, []byte("A-001\x1bZ")); err == nil {
		t.Error("a job with an unknown command counted as printed")
	}
}
