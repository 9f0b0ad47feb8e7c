package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/device/button"
	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/escpos/preview"
	"github.com/antri-id/antri/device/escpos/preview/previewtest"
	"github.com/antri-id/antri/device/printjob"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// running is antrid running in-process on a free loopback port.
type running struct {
	t    *testing.T
	a    *app
	base string
}

func startDaemon(t *testing.T, demo bool) *running {
	t.Helper()
	// The example ships empty tokens; the demo's are filled in, as antrid -demo does. The
	// phones' address is fixed (base_url), so that the QR codes do not depend on the
	// machine's network (TestTicketBaseURL tests the address found without it).
	cfg := queuetest.Example(t, queuetest.AlwaysOpen, func(c *queue.Config) {
		c.UseDemoSecrets()
		c.Office.BaseURL = phoneBase
	})
	return startDaemonOn(t, demo, cfg, newClock())
}

// startDaemonOn is startDaemon with another config, on clock.
func startDaemonOn(t *testing.T, demo bool, cfg *queue.Config, clock queue.Clock) *running {
	t.Helper()
	t.Setenv("NOTIFY_SOCKET", "")
	f := daemonFlags{data: t.TempDir(), listen: "127.0.0.1:0", demo: demo}
	ctx, cancel := context.WithCancel(context.Background())
	a, ln, err := newAppOn(cfg, f, slog.New(slog.NewTextHandler(io.Discard, nil)), clock, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("antrid stopped with %v", err)
		}
	})
	return &running{t: t, a: a, base: "http://" + a.listen}
}

// phoneBase is where phones reach the test daemons (its [office] base_url).
const phoneBase = "http://192.0.2.10:8080"

// call makes a request and decodes the JSON answer into out (when not nil).
func (d *running) call(method, path, token, body string, out any) int {
	d.t.Helper()
	return queuetest.Call(d.t, method, d.base+path, token, strings.NewReader(body), out)
}

// printed waits for job n of the virtual printer (its PNG complete) and returns its bytes and picture path.
func (d *running) printed(n int) ([]byte, string) {
	d.t.Helper()
	v := filepath.Join(d.a.dataDir, "printer")
	esc := filepath.Join(v, fmtJob(n)+".escpos")
	pic := filepath.Join(v, fmtJob(n)+".png")
	queuetest.Eventually(d.t, "the picture "+pic, func() bool {
		f, err := os.Open(pic)
		if err != nil {
			return false
		}
		defer f.Close()
		_, err = png.Decode(f)
		return err == nil
	})
	data, err := os.ReadFile(esc)
	if err != nil {
		d.t.Fatal(err)
	}
	return data, pic
}

func fmtJob(n int) string { return fmt.Sprintf("%04d", n) }

// health is /healthz: its parts by name, beside "version" (a string, skipped here).
type health map[string]healthPart

type healthPart struct {
	OK     bool            `json:"ok"`
	Error  string          `json:"error"`
	Detail json.RawMessage `json:"detail"`
}

func (h *health) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*h = health{}
	for name, v := range raw {
		if name == "version" {
			continue
		}
		var p healthPart
		if err := json.Unmarshal(v, &p); err != nil {
			return err
		}
		(*h)[name] = p
	}
	return nil
}

func TestDemoPressPrintsPaperOutRefusesPressKioskReprints(t *testing.T) {
	d := startDaemon(t, true)
	admin := d.a.cfg.Office.AdminToken

	// A simulated press of the A ticket button issues A-001 and prints it.
	var accepted map[string]string
	if code := d.call("POST", "/api/sim/pins/GPIO17/press", "", "", &accepted); code != http.StatusAccepted {
		t.Fatalf("press: %d %v", code, accepted)
	}
	job, pic := d.printed(1)
	doc, err := preview.Decode(job)
	if err != nil {
		t.Fatalf("0001.escpos does not decode: %v", err)
	}
	svcA, _ := d.a.cfg.Service("A")
	lines := map[string]bool{}
	for _, l := range doc.Lines() {
		lines[l.Text()] = true
	}
	if !lines["A-001"] || !strings.Contains(strings.Join(strings.Fields(doc.Text()), " "), svcA.Name) {
		t.Errorf("printed ticket lacks A-001 or %q:\n%s", svcA.Name, doc.Text())
	}
	// The QR link carries the ticket's day and secret code (queue.Ticket.Link).
	var day, code string
	if err := d.a.store.Reader().QueryRow(`SELECT day, code FROM tickets WHERE number = 'A-001'`).Scan(&day, &code); err != nil || code == "" {
		t.Fatalf("A-001's code: %q %v", code, err)
	}
	link := phoneBase + "/t/A-001?d=" + day + "&k=" + code
	if qrs := doc.QRs(); len(qrs) != 1 || qrs[0].Payload != link {
		t.Errorf("QR codes %+v, want %s", qrs, link)
	}
	// Paper out: /healthz says so, a new ticket is kept but not printed.
	var ph printjob.PrinterHealth
	if code := d.call("POST", "/api/sim/printer", "", `{"status":"paper_out"}`, &ph); code != 200 || ph.OK || ph.Problem != "Kertas habis" {
		t.Fatalf("sim paper out: %d %+v", code, ph)
	}
	var h health
	if code := d.call("GET", "/healthz", d.a.cfg.Office.AdminToken, "", &h); code != http.StatusServiceUnavailable || h["printer"].OK || !strings.Contains(h["printer"].Error, "Kertas habis") {
		t.Errorf("healthz with paper out: %d %+v", code, h["printer"])
	}
	// A ticket button gives no number the printer cannot print (nobody would hold it:
	// it would be called and counted as a no-show); it says so on the displays.
	refused := make(chan queue.Event, 4)
	stop := d.a.q.Subscribe(func(ev queue.Event) {
		if ev.Type == queue.NoticeButtonRefused || ev.Type == queue.EventIssued {
			refused <- ev
		}
	})
	if code := d.call("POST", "/api/sim/pins/GPIO27/press", "", "", nil); code != http.StatusAccepted {
		t.Fatalf("press GPIO27: %d", code)
	}
	select {
	case ev := <-refused:
		var r button.Refusal
		if ev.Type != queue.NoticeButtonRefused || json.Unmarshal(ev.Data, &r) != nil || r.Action != "ticket" || r.Kind != button.KindPrinter ||
			r.Message != "Maaf, nomor antrean tidak dapat dicetak saat ini (kertas habis). Silakan minta nomor antrean kepada petugas." {
			t.Errorf("the press with the paper out gave %s %s", ev.Type, ev.Data)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the press with the paper out gave no refusal notice")
	}
	stop()
	var n int
	if err := d.a.store.Reader().QueryRow(`SELECT count(*) FROM tickets WHERE service = 'B'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the press with the paper out left %d B tickets (%v), want none", n, err)
	}
	// The kiosk's touch screen still gives one: its number is on the screen, and it
	// is listed for a reprint.
	var b1 queue.Ticket
	if code := d.call("POST", "/api/tickets", "", `{"service":"B","priority":true}`, &b1); code != http.StatusCreated || b1.Number != "B-001" {
		t.Fatalf("kiosk ticket with the paper out: %d %+v", code, b1)
	}
	var fails struct {
		Failures []queue.PrintFailure `json:"failures"`
	}
	queuetest.Eventually(t, "B-001 listed as failed", func() bool {
		d.call("GET", "/api/admin/print-failures", admin, "", &fails)
		return len(fails.Failures) == 1 && fails.Failures[0].Ticket.Number == "B-001"
	})
	if fails.Failures[0].Problem != "Kertas habis" {
		t.Errorf("failure problem %q", fails.Failures[0].Problem)
	}
	var stage string
	if err := d.a.store.Reader().QueryRow(`SELECT stage FROM tickets WHERE number = 'B-001'`).Scan(&stage); err != nil || stage != "issued" {
		t.Errorf("B-001 in SQLite: stage %q, %v", stage, err)
	}
	if _, err := os.Stat(filepath.Join(d.a.dataDir, "printer", "0002.escpos")); !os.IsNotExist(err) {
		t.Errorf("a job reached the printer with the paper out: %v", err)
	}
	if code := d.call("GET", "/api/admin/print-failures", "", "", nil); code != http.StatusUnauthorized {
		t.Errorf("print-failures without token: %d", code)
	}

	// Paper back: the reprint prints B-001 and clears the failure.
	d.call("POST", "/api/sim/printer", "", `{"status":"ok"}`, &ph)
	if !ph.OK {
		t.Fatalf("printer after paper back: %+v", ph)
	}
	var re printjob.ReprintAnswer
	if code := d.call("POST", "/api/admin/tickets/B-001/reprint", admin, "", &re); code != 200 || !re.Printed || re.Ticket.Number != "B-001" {
		t.Fatalf("reprint: %d %+v", code, re)
	}
	job, _ = d.printed(2)
	if doc, err := preview.Decode(job); err != nil || !bytes.Contains([]byte(doc.Text()), []byte("\nB-001\n")) {
		t.Errorf("reprint job %v:\n%s", err, doc.Text())
	}
	d.call("GET", "/api/admin/print-failures", admin, "", &fails)
	if len(fails.Failures) != 0 {
		t.Errorf("failures after reprint: %+v", fails.Failures)
	}
	if code := d.call("GET", "/healthz", d.a.cfg.Office.AdminToken, "", &h); !h["printer"].OK || !h["buttons"].OK {
		t.Errorf("healthz after recovery: %d %+v", code, h)
	}
	if code := d.call("POST", "/api/sim/pins/GPIO99/press", "", "", nil); code != http.StatusNotFound {
		t.Errorf("press of an unknown pin: %d", code)
	}
	if code := d.call("POST", "/api/admin/tickets/Z-999/reprint", admin, "", nil); code != http.StatusNotFound {
		t.Errorf("reprint of an unknown ticket: %d", code)
	}

	// Last, as it is skipped without zbar-tools (outside CI): the picture the
	// virtual printer made of A-001 scans to its page.
	if got := previewtest.ScanPNG(t, pic); len(got) != 1 || got[0] != link {
		t.Errorf("zbarimg read %q from %s, want %s", got, pic, link)
	}
}

func TestWithoutGPIOOrPrinterTheQueueStillWorks(t *testing.T) {
	d := startDaemon(t, false) // the example's /dev/usb/lp0 and GPIO pins, on a machine without them
	var h health
	d.call("GET", "/healthz", d.a.cfg.Office.AdminToken, "", &h)
	if b := h["buttons"]; !b.OK && !strings.Contains(b.Error, "GPIO") {
		t.Errorf("buttons problem %q does not name GPIO", b.Error)
	}
	if _, err := os.Stat("/dev/usb/lp0"); err != nil {
		if p := h["printer"]; p.OK || !strings.Contains(p.Error, "/dev/usb/lp0") {
			t.Errorf("printer without /dev/usb/lp0: %+v", p)
		}
	}
	if code := d.call("POST", "/api/sim/pins/GPIO17/press", "", "", nil); code != http.StatusNotFound {
		t.Errorf("sim press outside demo mode: %d, want 404", code)
	}
	if code := d.call("POST", "/api/sim/printer", "", `{"status":"paper_out"}`, nil); code != http.StatusNotFound {
		t.Errorf("sim printer outside demo mode: %d, want 404", code)
	}
	var tk queue.Ticket
	if code := d.call("POST", "/api/tickets", "", `{"service":"A"}`, &tk); code != http.StatusCreated || tk.Number != "A-001" {
		t.Errorf("kiosk issue without printer: %d %+v", code, tk)
	}
	var ph printjob.PrinterHealth
	if code := d.call("GET", "/api/printer", "", "", &ph); code != 200 || ph.OK == h["printer"].OK && ph.Problem == "" && !ph.OK {
		t.Errorf("/api/printer: %d %+v", code, ph)
	}
	_ = escpos.Paper80
}

// TestTicketBaseURL: the address in a ticket's QR code and on the kiosk is one a phone
// on the office network opens: base_url, else the appliance's LAN address; never a
// ".local" name many phones cannot resolve, never the loopback the kiosk's own browser
// uses (issue 11: the kiosk showed 127.0.0.1:18080/t/…).
func TestTicketBaseURL(t *testing.T) {
	ips := func(s ...string) []net.IP {
		var out []net.IP
		for _, x := range s {
			out = append(out, net.ParseIP(x))
		}
		return out
	}
	lan := ips("127.0.0.1", "fe80::1", "2001:db8::5", "100.64.0.7", "192.168.1.20", "fd00::20")
	for _, c := range []struct {
		configured, listen string
		lan                []net.IP
		want               string
	}{
		{"http://antrian.mpp-contoh.go.id/", "0.0.0.0:8080", lan, "http://antrian.mpp-contoh.go.id"},
		{"", "0.0.0.0:8080", lan, "http://192.168.1.20:8080"},
		{"", "[::]:8080", lan, "http://192.168.1.20:8080"},
		{"", "127.0.0.1:18080", lan, "http://192.168.1.20:18080"},
		{"", "localhost:8080", lan, "http://192.168.1.20:8080"},
		{"", "10.0.0.9:8080", lan, "http://10.0.0.9:8080"},
		{"", "0.0.0.0:8080", ips("fe80::1", "100.64.0.7"), "http://100.64.0.7:8080"},
		{"", "0.0.0.0:8080", ips("fe80::1", "2001:db8::5", "fd00::20"), "http://[fd00::20]:8080"},
		{"", "0.0.0.0:8080", ips("127.0.0.1", "fe80::1"), ""},
		{"", "0.0.0.0:8080", nil, ""},
	} {
		if got := ticketBaseURL(c.configured, c.listen, c.lan); got != c.want {
			t.Errorf("ticketBaseURL(%q, %q, %v) = %q, want %q", c.configured, c.listen, c.lan, got, c.want)
		}
	}
	for _, ip := range lanAddresses() {
		if ip.IsLoopback() {
			t.Errorf("lanAddresses has loopback %s", ip)
		}
	}
}

// TestDemoPrintsComplaintReceipt: a complaint taken at the kiosk, its receipt
// printed from /admin through the same virtual printer as the tickets.
func TestDemoPrintsComplaintReceipt(t *testing.T) {
	d := startDaemon(t, true)
	admin := d.a.cfg.Office.AdminToken
	var made struct {
		ID int64 `json:"id"`
	}
	if code := d.call("POST", "/api/complaints", "", `{"channel":"kiosk","topic":"Pelayanan","text":"Petugas loket 2 tidak ada","ticket":"a-007"}`, &made); code != http.StatusCreated || made.ID == 0 {
		t.Fatalf("new complaint: %d %+v", code, made)
	}
	path := fmt.Sprintf("/api/admin/complaints/%d/print", made.ID)
	if code := d.call("POST", path, "", "", nil); code != http.StatusUnauthorized {
		t.Errorf("printing a receipt without the admin token: %d", code)
	}
	var ans printjob.ComplaintPrintAnswer
	if code := d.call("POST", path, admin, "", &ans); code != http.StatusOK || !ans.Printed || ans.ID != made.ID {
		t.Fatalf("print receipt: %d %+v", code, ans)
	}
	job, _ := d.printed(1)
	doc, err := preview.Decode(job)
	if err != nil {
		t.Fatalf("0001.escpos does not decode: %v", err)
	}
	text := doc.Text()
	for _, w := range []string{fmt.Sprintf("Nomor pengaduan: %d", made.ID), "TANDA TERIMA PENGADUAN", "Nomor antrean: A-007", d.a.cfg.Office.Name} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), w) {
			t.Errorf("printed receipt lacks %q:\n%s", w, text)
		}
	}
	if len(doc.Cuts()) != 1 {
		t.Errorf("receipt has %d cuts, want 1", len(doc.Cuts()))
	}

	// The printer out of paper: 503 with why; an unknown complaint: 404.
	d.call("POST", "/api/sim/printer", "", `{"status":"paper_out"}`, nil)
	var refusal map[string]string
	if code := d.call("POST", path, admin, "", &refusal); code != http.StatusServiceUnavailable || !strings.Contains(refusal["error"], "Kertas habis") {
		t.Errorf("receipt with the paper out: %d %v", code, refusal)
	}
	if code := d.call("POST", "/api/admin/complaints/999/print", admin, "", nil); code != http.StatusNotFound {
		t.Errorf("receipt of an unknown complaint: %d", code)
	}
	if code := d.call("POST", "/api/admin/complaints/x/print", admin, "", nil); code != http.StatusNotFound {
		t.Errorf("receipt of complaint x: %d", code)
	}
}
