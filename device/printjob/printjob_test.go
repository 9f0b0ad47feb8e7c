package printjob_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/escpos/preview"
	"github.com/antri-id/antri/device/escpos/preview/previewtest"
	"github.com/antri-id/antri/device/printer"
	"github.com/antri-id/antri/device/printjob"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newQueue(t *testing.T) (*queue.Queue, *queue.Config) {
	t.Helper()
	// 01:30 UTC is 09:30 WITA on Monday 2 March 2026.
	q, _ := queuetest.Open(t, "tickets", time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC))
	return q, q.Config()
}

func issue(t *testing.T, q *queue.Queue, priority bool) *queue.Ticket {
	t.Helper()
	tk, err := q.Do(context.Background(), queue.Issue{Service: "A", Priority: priority})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func TestTicketLayout(t *testing.T) {
	q, cfg := newQueue(t)
	issue(t, q, false)
	issue(t, q, false)
	tk := issue(t, q, true) // priority: called first, so nobody ahead
	normal := issue(t, q, false)
	for _, paper := range []escpos.Paper{escpos.Paper58, escpos.Paper80} {
		t.Run(paper.String(), func(t *testing.T) {
			l := printjob.Layout{Config: cfg, Paper: paper, BaseURL: "http://192.168.1.20:8080/"}
			job, err := l.Ticket(tk)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := preview.Decode(job)
			if err != nil {
				t.Fatalf("the ticket does not decode: %v", err)
			}
			text := strings.Join(strings.Fields(doc.Text()), " ") // wrapped lines joined
			for _, want := range []string{
				"Mal Pelayanan Publik Kota Uji", "Jl. Merdeka No. 1, Kota Uji", "Perizinan Berusaha (NIB)",
				"NOMOR ANTREAN", "PRIORITAS", "Senin, 2 Maret 2026", "Pukul 09.30 WITA",
				"Tidak ada yang menunggu di depan Anda", "Persyaratan:", "- KTP-el pemohon", "- NPWP",
				"Waktu tunggu paling lama 15 menit", "Waktu pelayanan paling lama 1 jam 30 menit",
				"Penyelesaian: 1 hari kerja", "Biaya: Gratis", "WA 0812-0000-0001",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("ticket lacks %q:\n%s", want, text)
				}
			}
			var number *preview.Line
			for _, line := range doc.Lines() {
				if len([]rune(line.Text())) > paper.Columns/line.Spans[0].Width {
					t.Errorf("line %q is wider than %d columns", line.Text(), paper.Columns)
				}
				if line.Text() == "A-003" {
					number = line
				}
			}
			if number == nil || number.Height() < 4 || number.Align != escpos.Center {
				t.Errorf("number line %+v: want A-003 centred, at least 4× high", number)
			}
			qrs := doc.QRs()
			link := "http://192.168.1.20:8080/t/A-003?d=2026-03-02&k=" + tk.Code // day and secret code
			if len(qrs) != 1 || qrs[0].Payload != link || len(tk.Code) < 8 {
				t.Errorf("QR codes %+v, want one to %s", qrs, link)
			}
			if len(doc.Cuts()) != 1 {
				t.Errorf("%d cuts, want 1", len(doc.Cuts()))
			}
		})
	}
	t.Run("normal ticket with people ahead", func(t *testing.T) {
		job, err := printjob.Layout{Config: cfg, Paper: escpos.Paper80, BaseURL: "http://x"}.Ticket(normal)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := preview.Decode(job)
		if err != nil {
			t.Fatal(err)
		}
		text := doc.Text()
		if strings.Contains(text, "PRIORITAS") || !strings.Contains(text, "3 orang menunggu di depan Anda") || !strings.Contains(text, "Perkiraan waktu tunggu: ") {
			t.Errorf("normal ticket with 3 ahead:\n%s", text)
		}
	})
}

// TestTicketAddressAskedPerTicket: the address comes from Base for each ticket (a DHCP
// lease may come after antrid started); with none a phone could open, the ticket has no
// QR code rather than one to 127.0.0.1.
func TestTicketAddressAskedPerTicket(t *testing.T) {
	q, cfg := newQueue(t)
	tk := issue(t, q, false)
	base := ""
	l := printjob.Layout{Config: cfg, Paper: escpos.Paper80, BaseURL: "http://127.0.0.1:8080", Base: func() string { return base }}
	for _, c := range []struct{ base, want string }{{"", ""}, {"http://10.1.2.3:8080", "http://10.1.2.3:8080/t/A-001?d=2026-03-02&k=" + tk.Code}} {
		base = c.base
		job, err := l.Ticket(tk)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := preview.Decode(job)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(doc.Text()), " ")
		switch qrs := doc.QRs(); {
		case c.want == "" && (len(qrs) != 0 || strings.Contains(text, "127.0.0.1") || strings.Contains(text, "Pindai")):
			t.Errorf("no address: QR codes %+v, text %s", qrs, text)
		case c.want != "" && (len(qrs) != 1 || qrs[0].Payload != c.want || !strings.Contains(strings.ReplaceAll(text, " ", ""), c.want)):
			t.Errorf("address %s: QR codes %+v, text %s; want %s printed and in the QR", c.base, qrs, text, c.want)
		}
	}
}

func TestRasterQRScans(t *testing.T) {
	q, cfg := newQueue(t)
	tk := issue(t, q, false)
	job, err := printjob.Layout{Config: cfg, Paper: escpos.Paper58, BaseURL: "http://10.0.0.5:8080", QR: printjob.QRRaster}.Ticket(tk)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := preview.Decode(job)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.QRs()) != 0 || len(doc.Rasters()) == 0 {
		t.Fatalf("raster mode printed %d GS ( k symbols and %d rasters", len(doc.QRs()), len(doc.Rasters()))
	}
	if got := previewtest.Scan(t, job, escpos.Paper58); len(got) != 1 || got[0] != "http://10.0.0.5:8080/t/A-001?d=2026-03-02&k="+tk.Code {
		t.Errorf("QR reads %q", got)
	}
}

func TestWrap(t *testing.T) {
	got := printjob.Wrap("Surat keterangan domisili http://example.com/a/very/long/path", 12)
	want := []string{"Surat", "keterangan", "domisili", "http://examp", "le.com/a/ver", "y/long/path"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Wrap = %q, want %q", got, want)
	}
}

func TestMinutes(t *testing.T) {
	for d, want := range map[time.Duration]string{
		10 * time.Second: "kurang dari 1 menit", 15 * time.Minute: "15 menit",
		time.Hour: "1 jam", 90 * time.Minute: "1 jam 30 menit", 14*time.Minute + 40*time.Second: "15 menit",
	} {
		if got := printjob.Minutes(d); got != want {
			t.Errorf("Minutes(%v) = %q, want %q", d, got, want)
		}
	}
}

// spool runs a spooler on a virtual printer and collects the queue's events.
// It is called in a testing/synctest bubble and returns once the spooler
// waits for tickets: subscribed, so none issued after it is missed.
func spool(t *testing.T, q *queue.Queue, cfg *queue.Config) (*printjob.Spooler, *printer.Virtual, chan queue.Event) {
	t.Helper()
	v, err := printer.NewVirtual(filepath.Join(t.TempDir(), "printer"), escpos.Paper80)
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan queue.Event, 100)
	q.Subscribe(func(ev queue.Event) {
		if ev.Type != queue.EventIssued {
			events <- ev
		}
	})
	s := printjob.New(q, v, printjob.Layout{Config: cfg, Paper: escpos.Paper80, BaseURL: "http://antri.local"},
		printjob.Options{Logger: quiet, PollEvery: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	synctest.Wait()
	if !s.Running() {
		t.Fatal("the spooler does not run")
	}
	return s, v, events
}

func next(t *testing.T, events chan queue.Event, typ string) queue.Event {
	t.Helper()
	select {
	case ev := <-events:
		if ev.Type != typ {
			t.Fatalf("event %s, want %s", ev.Type, typ)
		}
		return ev
	case <-time.After(10 * time.Second): // in the bubble: at once when nothing comes
		t.Fatalf("no %s event", typ)
	}
	return queue.Event{}
}

func TestSpoolerPrintsIssuedTicketsAndRecordsFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, cfg := newQueue(t)
		s, v, events := spool(t, q, cfg)

		tk := issue(t, q, false)
		ev := next(t, events, queue.EventPrinted)
		if ev.Ticket.Number != tk.Number {
			t.Fatalf("printed %s, want %s", ev.Ticket.Number, tk.Number)
		}
		job, _ := v.Files(v.Last())
		data, err := os.ReadFile(job)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := preview.Decode(data)
		if err != nil || !strings.Contains(doc.Text(), "\n"+tk.Number+"\n") || !strings.Contains(doc.Text(), "Perizinan Berusaha (NIB)") {
			t.Fatalf("saved job (%v):\n%s", err, doc.Text())
		}

		// Paper out: the ticket stays in the queue, the failure is listed, staff are told.
		v.SetStatus(escpos.Status{Known: true, PaperEnd: true})
		lost := issue(t, q, false)
		notice := next(t, events, printjob.EventPrinterStatus)
		var n printjob.StatusNotice
		json.Unmarshal(notice.Data, &n)
		if n.OK || n.Problem != "Kertas habis" || !strings.Contains(n.Message, "cetak ulang") || notice.Seq != 0 {
			t.Errorf("notice %+v (seq %d)", n, notice.Seq)
		}
		ev = next(t, events, queue.EventPrintFailed)
		var pd queue.PrintData
		json.Unmarshal(ev.Data, &pd)
		if ev.Ticket.Number != lost.Number || pd.Problem != "Kertas habis" {
			t.Errorf("print_failed %s %s", ev.Ticket.Number, ev.Data)
		}
		if h := s.Health(); h.OK || h.Problem != "Kertas habis" {
			t.Errorf("health %+v, want paper out", h)
		}
		fails, err := q.PrintFailures(context.Background(), "")
		if err != nil || len(fails) != 1 || fails[0].Ticket.Number != lost.Number {
			t.Fatalf("failures %+v %v", fails, err)
		}
		if st, _ := q.TicketByNumber(context.Background(), lost.Number, ""); st == nil || st.Stage != queue.StageIssued {
			t.Errorf("the unprinted ticket is not waiting: %+v", st)
		}

		// Paper back: the poll says so, and a reprint clears the failure.
		v.SetStatus(escpos.Status{Known: true})
		s.Poll(context.Background())
		if n := next(t, events, printjob.EventPrinterStatus); !strings.Contains(string(n.Data), `"ok":true`) {
			t.Errorf("recovery notice %s", n.Data)
		}
		if err := s.Reprint(context.Background(), lost); err != nil {
			t.Fatal(err)
		}
		if fails, _ := q.PrintFailures(context.Background(), ""); len(fails) != 0 {
			t.Errorf("failures after reprint: %+v", fails)
		}
		job, _ = v.Files(v.Last())
		data, _ = os.ReadFile(job)
		if doc, err := preview.Decode(data); err != nil || !strings.Contains(doc.Text(), "\n"+lost.Number+"\n") {
			t.Errorf("reprint saved %v:\n%s", err, doc.Text())
		}
	})
}

// TestReopenFindsAPrinterPluggedInLater opens the device anew after errors.
func TestReopenFindsAPrinterPluggedInLater(t *testing.T) {
	dir := t.TempDir()
	dev := filepath.Join(dir, "lp0")
	opens := 0
	r := &printjob.Reopen{Device: "file://" + dev, Open: func(d string) (printer.Port, error) {
		opens++
		if _, err := os.Stat(dev); err != nil {
			return nil, err // not plugged in yet
		}
		return printer.Open(d)
	}}
	if _, err := r.Status(context.Background()); err == nil {
		t.Fatal("status of a missing printer: no error")
	}
	if err := os.WriteFile(dev, nil, 0o644); err != nil { // plugged in
		t.Fatal(err)
	}
	if err := printer.Print(context.Background(), r, []byte("A-001\n")); err != nil {
		t.Fatalf("print once the device exists: %v", err)
	}
	if got, _ := os.ReadFile(dev); string(got) != "A-001\n" || opens != 2 {
		t.Errorf("device holds %q after %d opens", got, opens)
	}
	r.Close()
}

// TestSpoolerPrintsComplaintReceipt prints a complaint's tanda terima through
// the spooler that prints tickets, and reads the printed bytes back.
func TestSpoolerPrintsComplaintReceipt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, cfg := newQueue(t)
		s, v, _ := spool(t, q, cfg)
		ctx := context.Background()
		c, err := q.ReceiveComplaint(ctx, queue.ReceiveComplaint{Channel: "kiosk", Topic: "Antrean", Text: "Nomor saya dilewati", Ticket: "A-004"})
		if err != nil {
			t.Fatal(err)
		}
		receipt, err := q.ComplaintReceipt(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.PrintReceipt(ctx, receipt); err != nil {
			t.Fatal(err)
		}
		job, png := v.Files(v.Last())
		data, err := os.ReadFile(job)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(png); err != nil {
			t.Errorf("the virtual printer wrote no picture of the receipt: %v", err)
		}
		doc, err := preview.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(doc.Text()), " ") // wrapped lines joined
		want := fmt.Sprintf("Nomor pengaduan: %d", c.ID)
		for _, w := range []string{want, "TANDA TERIMA PENGADUAN", "Nomor antrean: A-004", "Jl. Merdeka No. 1, Kota Uji", "Batas selesai: 7 Maret 2026 pukul 09.30"} {
			if !strings.Contains(text, w) {
				t.Errorf("receipt lacks %q:\n%s", w, text)
			}
		}
		if n := strings.Count(text, "Mal Pelayanan Publik Kota Uji"); n != 1 {
			t.Errorf("office name printed %d times:\n%s", n, text)
		}
		if len(doc.Cuts()) != 1 {
			t.Errorf("%d cuts, want 1", len(doc.Cuts()))
		}
		if head := doc.Lines()[0]; len(head.Spans) == 0 || !head.Spans[0].Emphasis || !strings.Contains(head.Text(), "Mal Pelayanan") {
			t.Errorf("first line %q is not the office name in bold", head.Text())
		}
		// A receipt prints no ticket outcome: the failure list stays empty.
		if fails, _ := q.PrintFailures(ctx, ""); len(fails) != 0 {
			t.Errorf("print failures after a receipt: %+v", fails)
		}

		// Out of paper: the caller hears why.
		v.SetStatus(escpos.Status{Known: true, PaperEnd: true})
		if err := s.PrintReceipt(ctx, receipt); err == nil || !strings.Contains(err.Error(), "Kertas habis") {
			t.Errorf("printing on an empty printer: %v, want Kertas habis", err)
		}
		if err := s.PrintReceipt(ctx, nil); err == nil {
			t.Error("an empty receipt was accepted")
		}
	})
}

func TestReceiptLayoutFits58mm(t *testing.T) {
	_, cfg := newQueue(t)
	l := printjob.Layout{Config: cfg, Paper: escpos.Paper58}
	job, err := l.Receipt([]string{cfg.Office.Name, "Nomor pengaduan: 12", "Isi yang panjang sekali dan harus dibungkus karena kertas 58 mm hanya tiga puluh dua kolom"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := preview.Decode(job)
	if err != nil {
		t.Fatal(err)
	}
	for _, ln := range doc.Lines() {
		if n := len([]rune(ln.Text())); n > escpos.Paper58.Columns {
			t.Errorf("line %q is %d columns on 58 mm paper", ln.Text(), n)
		}
	}
	if !strings.Contains(doc.Text(), "Nomor pengaduan: 12") {
		t.Errorf("receipt:\n%s", doc.Text())
	}
}
