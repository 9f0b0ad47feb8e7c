package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

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
	d.startButtons(ctx)
	d.startPrinter(ctx)
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
	d.panel = button.NewPanel(a.q, a.cfg.Buttons, open, noGPIO, button.Options{Logger: a.log})
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
	return printjob.Layout{Config: a.cfg, Paper: paper, BaseURL: ticketBaseURL(a.cfg.Office.BaseURL, a.listen), QR: qr}
}

// ticketBaseURL is where a phone scanning a ticket's QR code reaches this
// appliance: [office] base_url when set; else the listen address, except that
// an address listening on every interface (0.0.0.0:8080 on the appliance)
// means nothing to a phone, so the host's mDNS name (avahi) is used.
func ticketBaseURL(configured, listen string) string {
	if configured != "" {
		return strings.TrimSuffix(configured, "/")
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		if name, err := os.Hostname(); err == nil && name != "" {
			host = name + ".local"
		}
	}
	return "http://" + net.JoinHostPort(host, port)
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
	case a.cfg.Printer.Device == "":
		d.desk.NoPrinter = "tidak ada printer di konfigurasi ([printer] device)"
	default:
		// Opened on first use and after every error: the printer may be
		// plugged in, switched on or replugged while antrid runs.
		port = &printjob.Reopen{Device: a.cfg.Printer.Device, Open: printer.Open}
	}
	if port != nil {
		d.desk.Spool = printjob.New(a.q, port, ticketLayout(a, d.paper()), printjob.Options{Logger: a.log})
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			d.desk.Spool.Run(ctx)
			port.Close()
		}()
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
