package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/antri-id/antri/device/button"
	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/printer"
	"github.com/antri-id/antri/device/printjob"
	"github.com/antri-id/antri/display"
)

// devices are the GPIO buttons and the ticket printer. In demo mode the pins are
// simulated (pressed over HTTP) and the printer is the virtual one under <data>/printer/.
type devices struct {
	a     *app
	panel *button.Panel
	sim   *button.SimPins // demo mode only
	desk  printjob.Desk   // the printer, its health and its HTTP routes
}

// startDevices starts the buttons and the printer and adds their routes.
func startDevices(ctx context.Context, a *app) {
	d := &devices{a: a}
	d.startPrinter(ctx) // before the buttons: a ticket press asks whether it can print
	d.startButtons(ctx)
	d.desk.Routes(a.srv)
	if d.sim != nil {
		d.sim.Routes(a.srv, a.cfg.Buttons)
	}
}

func (d *devices) startButtons(ctx context.Context) {
	a := d.a
	var open button.Opener
	var noGPIO error
	if a.demo {
		d.sim = button.NewSimPins()
		open = d.sim.Open
	} else if len(a.cfg.Buttons) > 0 {
		open, noGPIO = button.Host()
	}
	d.panel = button.NewPanel(a.q, a.cfg.Buttons, open, noGPIO, button.Options{Logger: a.log, TicketsPrintable: d.ticketsPrintable})
	a.srv.SetCheck("buttons", func(context.Context) display.Health {
		if len(a.cfg.Buttons) == 0 {
			return display.Health{OK: true, Detail: "tidak ada tombol di konfigurasi"}
		}
		probs := d.panel.Problems()
		h := display.Health{OK: len(probs) == 0, Detail: d.panel.Pins()}
		if !h.OK {
			h.Error = strings.Join(probs, "; ")
		}
		return h
	})
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		d.panel.Run(ctx)
	}()
}

// ticketsPrintable says why a ticket button's number could not be printed now, in a
// few words for the citizen ("kertas habis"): the button then gives none. The kiosk's
// touch screen still gives one, shown on its screen.
func (d *devices) ticketsPrintable(context.Context) error {
	switch {
	case !d.desk.Configured:
		return nil // an office without a printer (check-config says what a button then does)
	case d.desk.Spool == nil:
		return errors.New("printer tidak tersedia")
	}
	h := d.desk.Spool.Health()
	switch {
	case h.OK:
		return nil
	case h.PaperOut:
		return errors.New("kertas habis")
	case h.Problem != "" && h.Problem == h.Status:
		return errors.New(h.Problem) // the printer's own report: "Tutup printer terbuka"
	case h.Status == "tidak terhubung":
		return errors.New("printer tidak tersambung")
	}
	return errors.New("printer bermasalah") // the print queue full, a failed print
}

// paper is the configured paper width (validated by the config already).
func (d *devices) paper() escpos.Paper {
	p, err := escpos.PaperForWidth(d.a.cfg.Printer.WidthMM)
	if err != nil {
		return escpos.Paper80
	}
	return p
}

// ticketLayout is how this office's tickets look.
func ticketLayout(a *app, paper escpos.Paper) printjob.Layout {
	qr := printjob.QRNative
	if a.cfg.Printer.QR == "raster" {
		qr = printjob.QRRaster
	}
	return printjob.Layout{Config: a.cfg, Paper: paper, Base: a.ticketBase, QR: qr}
}

// ticketBase is where a phone reaches this appliance now (ticketBaseURL), asked for
// every ticket: on a Pi the office's DHCP server may give the address after antrid
// started, or change it. When there is none a phone could open, it says so in the log
// once; the ticket is then printed without a QR code.
func (a *app) ticketBase() string {
	// Reading the LAN addresses is a netlink round trip per interface: once per
	// ticket it was a tenth of antrid's CPU with 200 citizens issuing at once. An
	// address changes with DHCP, seldom; ticketBaseFresh is how late a ticket
	// may learn of it.
	a.baseMu.Lock()
	if a.baseAt.IsZero() || time.Since(a.baseAt) >= ticketBaseFresh {
		a.base, a.baseAt = ticketBaseURL(a.cfg.Office.BaseURL, a.listen, lanAddresses()), time.Now()
	}
	base := a.base
	a.baseMu.Unlock()
	if base == "" {
		a.noTicketBase.Do(func() {
			a.log.Warn("tiket dicetak tanpa kode QR: alat ini belum punya alamat di jaringan kantor yang bisa dibuka ponsel; "+
				"sambungkan kabel jaringan/Wi-Fi, jalankan antrid dengan -listen 0.0.0.0:8080, atau isi [office] base_url", "listen", a.listen)
		})
	}
	return base
}

// ticketBaseFresh is how long ticketBase keeps the address it worked out.
const ticketBaseFresh = 5 * time.Second

// ticketBaseURL is where a phone scanning a ticket's QR code (or reading the kiosk's
// screen) reaches this appliance: [office] base_url when set; else the listen address
// when a phone can reach it; else, for an address on every interface (0.0.0.0:8080 on
// the appliance) or on loopback, the appliance's address on the office network, from
// lan (lanAddresses): a private IPv4 address first, then any other IPv4, then IPv6.
// Never a ".local" name, which many phones on the guest Wi-Fi cannot resolve (no
// mDNS), and never 127.0.0.1, which on a phone is the phone. "" when there is none.
func ticketBaseURL(configured, listen string, lan []net.IP) string {
	if configured != "" {
		return strings.TrimSuffix(configured, "/")
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		host, port = listen, "80"
	}
	ip := net.ParseIP(host)
	if host != "" && host != "localhost" && (ip == nil || !ip.IsUnspecified() && !ip.IsLoopback()) {
		return "http://" + net.JoinHostPort(host, port)
	}
	rank := func(ip net.IP) int {
		switch {
		case ip.To4() != nil && ip.IsPrivate():
			return 0
		case ip.To4() != nil:
			return 1
		case ip.IsPrivate():
			return 2 // IPv6 ULA
		}
		return 3
	}
	var best net.IP
	for _, ip := range lan {
		if ip.IsLoopback() || ip.IsUnspecified() || ip.IsLinkLocalUnicast() || ip.IsMulticast() {
			continue
		}
		if best == nil || rank(ip) < rank(best) {
			best = ip
		}
	}
	if best == nil {
		return ""
	}
	return "http://" + net.JoinHostPort(best.String(), port)
}

// lanAddresses are the addresses of this host's network interfaces that are up, in
// the kernel's order (eth0 before wlan0 on a Pi), leaving out loopback and the bridges
// of containers and virtual machines, which no phone reaches.
func lanAddresses() []net.IP {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil
	}
	var out []net.IP
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 || virtualInterface(ifc.Name) {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				out = append(out, n.IP)
			}
		}
	}
	return out
}

// virtualInterface reports an interface of containers or virtual machines by its name.
func virtualInterface(name string) bool {
	for _, p := range []string{"docker", "veth", "br-", "virbr", "lxc", "cni", "podman"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func (d *devices) startPrinter(ctx context.Context) {
	a := d.a
	d.desk = printjob.Desk{Queue: a.q, Device: a.cfg.Printer.Device, Configured: a.demo || a.cfg.Printer.Device != "", Logger: a.log}
	var port printer.Port
	switch {
	case a.demo:
		dir := filepath.Join(a.dataDir, "printer")
		d.desk.Device = "virtual: " + dir
		v, err := printer.NewVirtual(dir, d.paper())
		if err != nil {
			d.desk.NoPrinter = fmt.Sprintf("printer virtual tidak bisa dibuat: %v", err)
			a.log.Error("printer virtual tidak bisa dibuat", "err", err)
			break
		}
		d.desk.Virtual, port = v, v
		a.printer = v // a training scenario runs it out of paper
	case a.cfg.Printer.Device == "":
		d.desk.NoPrinter = "tidak ada printer di konfigurasi ([printer] device)"
	default:
		// Opened on first use and after every error: the printer may be
		// plugged in, switched on or replugged while antrid runs.
		port = &printjob.Reopen{Device: a.cfg.Printer.Device, Open: printer.Open}
	}
	if port != nil {
		d.desk.Spool = printjob.New(a.q, port, ticketLayout(a, d.paper()), printjob.Options{Logger: a.log,
			PollEvery: a.interval(printjob.DefaultPollEvery)}) // as often in a training office's time
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			d.desk.Spool.Run(ctx)
			port.Close()
		}()
		printRefusalSlips(ctx, a, d.desk.Spool) // crisis_slip.go
	}
	a.fleet.printer = d.desk.Health
	a.srv.SetCheck("printer", func(ctx context.Context) display.Health {
		ph := d.desk.Health(ctx)
		if !d.desk.Configured {
			return display.Health{OK: true, Detail: ph} // an office without a printer
		}
		return display.Health{OK: ph.OK, Error: ph.Problem, Detail: ph}
	})
}
