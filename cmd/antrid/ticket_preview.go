package main

import (
	"bytes"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/escpos/preview"
	"github.com/antri-id/antri/device/printjob"
	"github.com/antri-id/antri/queue"
)

// antrid ticket-preview [-config FILE] [-width 58|80] [-qr native|raster] -o ticket.png
//
// Renders a sample ticket of the office through the same layout the printer
// gets, decoded and drawn by preview, so a technician can check the config
// (names, requirements, complaint channel) without paper.
func runTicketPreview(args []string) int {
	fs := flag.NewFlagSet("antrid ticket-preview", flag.ContinueOnError)
	config := fs.String("config", "", "config file (TOML); default: the built-in example office")
	width := fs.Int("width", 0, "paper width in mm, 58 or 80 (default: [printer] width_mm)")
	qr := fs.String("qr", "native", `QR code as "native" (GS ( k) or "raster" (GS v 0 image)`)
	service := fs.String("service", "", "service code of the sample ticket (default: the first)")
	priority := fs.Bool("priority", false, "a priority ticket")
	out := fs.String("o", "", "output PNG file (required); the ESC/POS bytes go beside it as .escpos")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "pemakaian: antrid ticket-preview [-config FILE] [-width 58|80] [-qr native|raster] -o tiket.png")
		return 2
	}
	// A preview needs no secrets: read the config as the demo does (weak tokens pass).
	cfg, err := loadConfig(daemonFlags{config: *config, demo: true}, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintln(os.Stderr, "antrid:", err)
		return 1
	}
	if *width == 0 {
		*width = cfg.Printer.WidthMM
	}
	paper, err := escpos.PaperForWidth(*width)
	if err != nil {
		fmt.Fprintln(os.Stderr, "antrid:", err)
		return 2
	}
	// The address this machine's tickets would carry, listening on port 8080; the
	// documentation's example address when it has none a phone could open.
	layout := printjob.Layout{Config: cfg, Paper: paper, BaseURL: ticketBaseURL(cfg.Office.BaseURL, "0.0.0.0:8080", lanAddresses())}
	if layout.BaseURL == "" {
		layout.BaseURL = "http://192.168.1.20:8080"
	}
	switch *qr {
	case "native":
	case "raster":
		layout.QR = printjob.QRRaster
	default:
		fmt.Fprintln(os.Stderr, `antrid: -qr harus "native" atau "raster"`)
		return 2
	}
	tk, err := sampleTicket(cfg, *service, *priority)
	if err != nil {
		fmt.Fprintln(os.Stderr, "antrid:", err)
		return 2
	}
	job, err := layout.Ticket(tk)
	if err != nil {
		fmt.Fprintln(os.Stderr, "antrid: tata letak tiket:", err)
		return 1
	}
	var png bytes.Buffer
	if err := preview.RenderPNG(&png, job, paper); err != nil {
		fmt.Fprintln(os.Stderr, "antrid: menggambar tiket:", err)
		return 1
	}
	if err := os.WriteFile(*out, png.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "antrid:", err)
		return 1
	}
	raw := strings.TrimSuffix(*out, ".png") + ".escpos"
	if err := os.WriteFile(raw, job, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "antrid:", err)
		return 1
	}
	fmt.Printf("tiket contoh %s (%s, %d mm) ditulis ke %s dan %s\n", tk.Number, tk.Service, paper.WidthMM, *out, raw)
	return 0
}

// sampleTicket is a plausible ticket of the office: the 12th of the day,
// three people ahead, issued now.
func sampleTicket(cfg *queue.Config, code string, priority bool) (*queue.Ticket, error) {
	if code == "" {
		code = cfg.Services[0].Code
	}
	svc, ok := cfg.Service(code)
	if !ok {
		return nil, fmt.Errorf("layanan %q tidak ada di konfigurasi", code)
	}
	ahead, wait := 3, int64(3*svc.Service/time.Second)
	now := time.Now()
	return &queue.Ticket{Number: queue.FormatNumber(svc.Code, 12), Day: now.In(cfg.Location).Format("2006-01-02"),
		Service: svc.Code, Priority: priority, Stage: queue.StageIssued, Segment: 1, IssuedAt: now, QueuedAt: now,
		WaitStandardS: int64(svc.Wait / time.Second), ServiceStandardS: int64(svc.Service / time.Second),
		PeopleAhead: &ahead, EstimatedWaitS: &wait}, nil
}
