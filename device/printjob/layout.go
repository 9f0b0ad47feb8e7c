package printjob

import (
	"fmt"
	"strings"
	"time"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/queue"
)

// QRMode is how the ticket's QR code is printed.
type QRMode int

// QR modes: the printer draws the symbol itself (GS ( k, Epson function 165–181),
// or it is sent as a raster image (GS v 0) for printers without QR support.
const (
	QRNative QRMode = iota
	QRRaster
)

// Layout turns a ticket into the bytes of its paper slip.
type Layout struct {
	Config  *queue.Config
	Paper   escpos.Paper
	BaseURL string // where /t/{number} is reached, e.g. "http://192.168.1.20:8080"
	// Base, when set, is asked for the address of each ticket instead of BaseURL: the
	// appliance's address on the office network may come after it started (DHCP).
	Base func() string
	QR   QRMode
}

// URL is the address the ticket's QR code points to: its live status page, with its
// day and secret code (queue.Ticket.Link), so that the phone that scans it follows
// this ticket and no other day's, and may rate the service. It is "" when the layout
// knows no address a phone could open; the ticket is then printed without a QR code.
func (l Layout) URL(tk *queue.Ticket) string {
	base := l.BaseURL
	if l.Base != nil {
		base = l.Base()
	}
	if base == "" {
		return ""
	}
	return strings.TrimRight(base, "/") + tk.Link()
}

// Ticket lays out tk: the office, the service, the number large, the date
// and time in the office's time zone (PUEBI: "09.30 WIB"), people ahead and the
// estimated wait, the requirements (persyaratan) and standards of the service,
// a QR code to its status page with the address written out (left out when
// the layout knows no address a phone opens), the complaint channel, and
// PRIORITAS on priority tickets.
func (l Layout) Ticket(tk *queue.Ticket) ([]byte, error) {
	cfg := l.Config
	svc, ok := cfg.Service(tk.Service)
	if !ok {
		return nil, fmt.Errorf("layanan %q tiket %s tidak ada di konfigurasi", tk.Service, tk.Number)
	}
	cols := l.Paper.Columns
	e := l.header()
	e.Line(strings.Repeat("-", cols))
	e.Emphasis(true)
	lines(e, svc.Name, cols)
	e.Emphasis(false)
	e.Line("NOMOR ANTREAN")

	big := 4
	if l.Paper.WidthMM >= 80 {
		big = 5
	}
	for big > 1 && len([]rune(tk.Number))*12*big > l.Paper.Dots {
		big--
	}
	e.Size(big, big)
	e.Emphasis(true)
	e.Line(tk.Number)
	e.Size(1, 1)
	if tk.Priority {
		e.Size(2, 2)
		e.Line("PRIORITAS")
		e.Size(1, 1)
	}
	e.Emphasis(false)

	at := tk.IssuedAt.In(cfg.Location)
	e.Line(queue.DayText(at))
	e.Line(fmt.Sprintf("Pukul %s %s", queue.ClockText(at), zone(at)))
	if tk.PeopleAhead != nil {
		if *tk.PeopleAhead == 0 {
			lines(e, "Tidak ada yang menunggu di depan Anda", cols)
		} else {
			lines(e, fmt.Sprintf("%d orang menunggu di depan Anda", *tk.PeopleAhead), cols)
		}
	}
	if tk.EstimatedWaitS != nil && tk.PeopleAhead != nil && *tk.PeopleAhead > 0 {
		lines(e, "Perkiraan waktu tunggu: "+Minutes(time.Duration(*tk.EstimatedWaitS)*time.Second), cols)
	}
	e.Line(strings.Repeat("-", cols))

	e.Align(escpos.Left)
	if len(svc.Requirements) > 0 {
		e.Emphasis(true)
		e.Line("Persyaratan:")
		e.Emphasis(false)
		for _, r := range svc.Requirements {
			wrapped(e, "- ", r, cols)
		}
	}
	wait, service := time.Duration(tk.WaitStandardS)*time.Second, time.Duration(tk.ServiceStandardS)*time.Second
	if wait == 0 {
		wait, service = svc.Wait, svc.Service
	}
	e.Emphasis(true)
	e.Line("Standar pelayanan:")
	e.Emphasis(false)
	wrapped(e, "- ", "Waktu tunggu paling lama "+Minutes(wait), cols)
	wrapped(e, "- ", "Waktu pelayanan paling lama "+Minutes(service), cols)
	if svc.CompletionTime != "" {
		wrapped(e, "- ", "Penyelesaian: "+svc.CompletionTime, cols)
	}
	if svc.Fee != "" {
		wrapped(e, "- ", "Biaya: "+svc.Fee, cols)
	}

	e.Align(escpos.Center)
	if url := l.URL(tk); url != "" {
		e.Feed(1)
		module := 6
		if l.Paper.WidthMM < 80 {
			module = 5
		}
		var err error
		if l.QR == QRRaster {
			err = e.QRRaster(url, module, escpos.ECM)
		} else {
			err = e.QR(url, module, escpos.ECM)
		}
		if err != nil {
			return nil, err
		}
		lines(e, "Pindai kode QR ini dengan ponsel untuk memantau antrean Anda, atau buka:", cols)
		lines(e, url, cols)
	}
	if svc.Complaints != "" {
		e.Feed(1)
		lines(e, "Pengaduan: "+svc.Complaints, cols)
	}
	e.Feed(1)
	lines(e, "Simpan tiket ini sampai nomor Anda dipanggil. Terima kasih.", cols)
	e.Feed(3)
	e.Cut(true)
	return e.Bytes(), nil
}

// zone is the Indonesian zone name (WIB, WITA, WIT) or the Go abbreviation.
func zone(t time.Time) string {
	name, _ := t.Zone()
	return name
}

// Minutes writes a duration as Indonesian people read it: "15 menit",
// "1 jam 30 menit", "kurang dari 1 menit".
func Minutes(d time.Duration) string {
	m := int((d + 30*time.Second) / time.Minute)
	switch {
	case m < 1:
		return "kurang dari 1 menit"
	case m < 60:
		return fmt.Sprintf("%d menit", m)
	case m%60 == 0:
		return fmt.Sprintf("%d jam", m/60)
	}
	return fmt.Sprintf("%d jam %d menit", m/60, m%60)
}

// lines prints s word-wrapped to cols.
func lines(e *escpos.Encoder, s string, cols int) { wrapped(e, "", s, cols) }

// wrapped prints s word-wrapped to cols, the first line after prefix and the
// others indented under it.
func wrapped(e *escpos.Encoder, prefix, s string, cols int) {
	indent := strings.Repeat(" ", len([]rune(prefix)))
	for i, l := range Wrap(s, cols-len([]rune(prefix))) {
		if i == 0 {
			e.Line(prefix + l)
		} else {
			e.Line(indent + l)
		}
	}
}

// Wrap splits s into lines of at most width runes, at spaces where it can.
func Wrap(s string, width int) []string {
	width = max(width, 1)
	var out []string
	var cur []rune
	for _, w := range strings.Fields(s) {
		word := []rune(w)
		for len(word) > width { // a word longer than a line (a URL) is cut
			if len(cur) > 0 {
				out = append(out, string(cur))
				cur = nil
			}
			out = append(out, string(word[:width]))
			word = word[width:]
		}
		switch {
		case len(cur) == 0:
			cur = word
		case len(cur)+1+len(word) <= width:
			cur = append(append(cur, ' '), word...)
		default:
			out = append(out, string(cur))
			cur = word
		}
	}
	if len(cur) > 0 || len(out) == 0 {
		out = append(out, string(cur))
	}
	return out
}

// header starts every slip: the printer reset to PC858, and the office's name
// in bold with its address, centred.
func (l Layout) header() *escpos.Encoder {
	cfg, cols := l.Config, l.Paper.Columns
	e := escpos.NewEncoder(l.Paper)
	e.Init()
	e.CodePage(escpos.PC858)
	e.Align(escpos.Center)
	e.Emphasis(true)
	lines(e, cfg.Office.Name, cols)
	e.Emphasis(false)
	if cfg.Office.Address != "" {
		lines(e, cfg.Office.Address, cols)
	}
	return e
}

// Receipt lays out a slip of plain lines, such as a complaint's tanda terima
// (queue.Queue.ComplaintReceipt): the office name in bold and its address
// centred, the lines as given (already wrapped to 32 columns so they fit
// 58 mm paper, left-aligned; longer ones are wrapped again), and a cut. A
// first line equal to the office name is not printed twice.
func (l Layout) Receipt(receipt []string) ([]byte, error) {
	if len(receipt) == 0 {
		return nil, fmt.Errorf("tanda terima kosong: tidak ada yang dicetak")
	}
	cfg := l.Config
	cols := l.Paper.Columns
	e := l.header()
	if strings.TrimSpace(receipt[0]) == strings.TrimSpace(cfg.Office.Name) {
		receipt = receipt[1:]
	}
	e.Align(escpos.Left)
	for _, s := range receipt {
		if s == "" {
			e.Feed(1)
			continue
		}
		lines(e, s, cols)
	}
	e.Feed(3)
	e.Cut(true)
	return e.Bytes(), nil
}
