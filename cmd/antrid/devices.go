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

// The devices component: the GPIO buttons and the ticket printer. In demo
// mode the pins are simulated (pressed over HTTP) and the printer is the
// virtual one under <data>/printer/.
func init() {
	components = append(components, component{name: "devices", start: startDevices})
}

// devices is what the component started, for its HTTP handlers.
type devices struct {
	a       *app
	panel   *button.Panel
	sim     *button.SimPins   // demo mode only
	spool   *printjob.Spooler // nil when there is no printer
	virtual *printer.Virtual  // demo mode only
	noPrint string            // why there is no spooler, when it is nil
}

func startDevices(ctx context.Context, a *app) error {
	d := &devices{a: a}
	d.startButtons(ctx)
	d.startPrinter(ctx)
	d.routes()
	return nil
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
	var port printer.Port
	var err error
	switch {
	case a.demo:
		d.virtual, err = printer.NewVirtual(filepath.Join(a.dataDir, "printer"), d.paper())
		port = d.virtual
	case a.cfg.Printer.Device == "":
		d.noPrint = "tidak ada printer di konfigurasi ([printer] device)"
	default:
		// Opened on first use and after every error: the printer may be
		// plugged in, switched on or replugged while antrid runs.
		port = &printjob.Reopen{Device: a.cfg.Printer.Device, Open: printer.Open}
	}
	if err != nil {
		port = nil
		d.noPrint = fmt.Sprintf("printer virtual tidak bisa dibuat: %v", err)
		a.log.Error("printer virtual tidak bisa dibuat", "err", err)
	}
	if port != nil {
		d.spool = printjob.New(a.q, port, ticketLayout(a, d.paper()), printjob.Options{Logger: a.log})
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			d.spool.Run(ctx)
			port.Close()
		}()
	}
	a.srv.SetCheck("printer", func(ctx context.Context) display.Health {
		ph := d.printerHealth(ctx)
		if d.spool == nil && a.cfg.Printer.Device == "" {
			return display.Health{OK: true, Detail: ph} // an office without a printer
		}
		return display.Health{OK: ph.OK, Error: ph.Problem, Detail: ph}
	})
}

// PrinterHealth is GET /api/printer and the detail of /healthz "printer":
// whether tickets print now (the kiosk shows the number on screen when not).
type PrinterHealth struct {
	OK          bool   `json:"ok"`
	Problem     string `json:"problem,omitempty"`
	Status      string `json:"status"`
	Device      string `json:"device"`
	FailedToday int    `json:"failed_today"`
}

func (d *devices) printerHealth(ctx context.Context) PrinterHealth {
	ph := PrinterHealth{Problem: d.noPrint, Status: "tidak ada", Device: d.a.cfg.Printer.Device}
	if d.a.demo {
		ph.Device = "virtual: " + filepath.Join(d.a.dataDir, "printer")
	}
	if d.spool != nil {
		h := d.spool.Health()
		ph.OK, ph.Problem, ph.Status = h.OK, h.Problem, h.Status
	}
	if fails, err := d.a.q.PrintFailures(ctx, ""); err == nil {
		ph.FailedToday = len(fails)
	}
	return ph
}
