package display

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/display/browsertest"
	"github.com/antri-id/antri/queue/queuetest"
)

// The printable report of November (the file `antrid report -o x.html`
// writes, the same page as /admin/laporan) printed by headless Chromium with
// --print-to-pdf, as an office would print it: A4 pages, every table whole
// on one page (its numbered caption and its last row on the same page),
// nothing printed into the margins, the signature block together on the
// last page. The pages are turned into pictures with pdftoppm; with
// ANTRI_UPDATE_DOCS=1 the first becomes docs/laporan-contoh.png.
func TestPrintableReportPrintsOnA4(t *testing.T) {
	chromium := browsertest.Chromium(t)
	for _, tool := range []string{"pdfinfo", "pdftotext", "pdftoppm"} {
		queuetest.NeedTool(t, tool, "poppler-utils")
	}
	q, _ := novemberOffice(t)
	rep, err := q.MonthlyReport(context.Background(), "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	html, pdf := filepath.Join(dir, "laporan.html"), filepath.Join(dir, "laporan.pdf")
	f, err := os.Create(html)
	if err != nil {
		t.Fatal(err)
	}
	if err := WritePrintable(f, rep, LetterheadOf(q.Config())); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-pdf-header-footer", "--virtual-time-budget=10000", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--print-to-pdf="+pdf, "file://"+html)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium --print-to-pdf: %v\n%s", err, out)
	}
	info := runTool(t, "pdfinfo", pdf)
	size := regexp.MustCompile(`Page size:\s+([\d.]+) x ([\d.]+) pts`).FindStringSubmatch(info)
	pages := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(info)
	if size == nil || pages == nil {
		t.Fatalf("pdfinfo:\n%s", info)
	}
	w, _ := strconv.ParseFloat(size[1], 64)
	h, _ := strconv.ParseFloat(size[2], 64)
	if w < 594 || w > 596.5 || h < 841 || h > 843.5 { // A4 is 210 × 297 mm = 595.3 × 841.9 pt
		t.Errorf("page size %s × %s pt, want A4 (595 × 842)", size[1], size[2])
	}
	n, _ := strconv.Atoi(pages[1])
	if n < 2 || n > 6 {
		t.Errorf("%d pages for a month of four services, want 2 to 6", n)
	}
	text := make([]string, n)
	for i := range text {
		text[i] = runTool(t, "pdftotext", "-layout", "-f", strconv.Itoa(i+1), "-l", strconv.Itoa(i+1), pdf, "-")
	}
	// Every table whole: the page with its caption has its last row after it.
	tables := []struct{ caption, last string }{
		{"Tabel 1. Antrean dan waktu", "Rata-rata layanan"},
		{"Tabel 2. Kepatuhan, pengaduan dan kepuasan", "Revisi standar berlaku"},
		{"Tabel 3. Indikator per layanan", "Semua"},
		{"Tabel 4. Lima jam layanan", "Standar tunggu terlewati"},
		{"Tabel 5. Indikator per loket", "Loket 4"},
		{"Tabel 6. Indikator per petugas", "Rina"},
		{"Tabel 7. Pengaduan dalam periode", "Selesai dalam standar"},
		{"Tabel 8. Pengaduan menurut pokok", "Waktu tunggu"},
		{"Tabel 9. Nilai per unsur", "U9 Sarana dan prasarana"},
		{"Tabel 10. Perizinan Berusaha (NIB), berlaku 16 Nov 2026 08.00", "Tuntas sekali datang"},
	}
	for _, tb := range tables {
		found := false
		for p, page := range text {
			i := strings.Index(page, tb.caption)
			if i < 0 {
				continue
			}
			found = true
			if !strings.Contains(page[i:], tb.last) {
				t.Errorf("%q is cut: its last row %q is not under it on page %d", tb.caption, tb.last, p+1)
			}
		}
		if !found {
			t.Errorf("%q is on no page", tb.caption)
		}
	}
	last := text[n-1]
	for _, s := range []string{"Kota Contoh, ", "Mengetahui,", "Kepala Dinas Penanaman Modal dan PTSP", "Nama Kepala, S.Sos., M.Si.", "NIP. 19700101 199503 1 001"} {
		if !strings.Contains(last, s) {
			t.Errorf("the signature block is not whole on the last page: %q missing", s)
		}
	}
	all := strings.Join(text, "\n")
	for _, s := range []string{"MAL PELAYANAN PUBLIK KOTA CONTOH", "LAPORAN BULANAN PELAYANAN", "November 2026", "Tiket terbit dan tepat waktu per hari",
		"Ke mana waktu warga pergi", "Perhatian: IKM dihitung dari 105 responden", fmt.Sprintf("dari %d tiket selesai", rep.Overall.Finished)} {
		if !strings.Contains(all, s) {
			t.Errorf("the printed report lacks %q", s)
		}
	}
	// The pictures of the pages: ink on each, none in the margins (12 mm).
	runTool(t, "pdftoppm", "-r", "40", "-png", pdf, filepath.Join(dir, "page"))
	for i := 1; i <= n; i++ {
		img := readPNG(t, filepath.Join(dir, fmt.Sprintf("page-%d.png", i)))
		b := img.Bounds()
		if r := float64(b.Dy()) / float64(b.Dx()); r < 1.40 || r > 1.43 {
			t.Errorf("page %d picture %v is not A4-shaped (%.3f)", i, b.Size(), r)
		}
		margin := b.Dx() * 10 / 210 // 10 mm of the 12 mm margin
		ink, edge := 0, 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bl, _ := img.At(x, y).RGBA()
				if r+g+bl > 3*0xE000 {
					continue
				}
				ink++
				if x < margin || x >= b.Max.X-margin || y < margin || y >= b.Max.Y-margin {
					edge++
				}
			}
		}
		if ink < 500 || edge > 0 {
			t.Errorf("page %d: %d dark pixels, %d of them in the margins; want some, and none there", i, ink, edge)
		}
	}
	if os.Getenv("ANTRI_UPDATE_DOCS") != "" {
		out := filepath.Join("..", "docs", "laporan-contoh")
		runTool(t, "pdftoppm", "-r", "70", "-png", "-singlefile", "-f", "1", "-l", "1", pdf, out)
		t.Logf("wrote %s.png", out)
	}
}

func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}
