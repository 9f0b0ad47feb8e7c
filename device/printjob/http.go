package printjob

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/printer"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/httpjson"
)

// Desk is the printer's part of antrid's HTTP API: its health, the day's failed prints,
// reprints and complaint receipts, and in demo mode the virtual printer's status.
type Desk struct {
	Queue     *queue.Queue
	Spool     *Spooler // nil when there is no printer
	NoPrinter string   // why Spool is nil, in Indonesian
	Device    string   // shown in the health: "/dev/usb/lp0", "virtual: var/printer", ...
	// Configured is false for an office without a printer: its health is then ok.
	Configured bool
	Virtual    *printer.Virtual // demo mode only
	Logger     *slog.Logger
}

// PrinterHealth is GET /api/printer and the detail of /healthz "printer": whether
// tickets print now (the kiosk shows the number on screen when not).
type PrinterHealth struct {
	OK          bool        `json:"ok"`
	Problem     string      `json:"problem,omitempty"`
	Status      string      `json:"status"`
	Device      string      `json:"device"`
	FailedToday int         `json:"failed_today"`
	Queue       *QueueState `json:"queue,omitempty"`     // the print queue, bounded
	PaperOut    bool        `json:"paper_out,omitempty"` // the printer says its roll is empty
}

// Health is the printer's state now, with today's failed prints.
func (d *Desk) Health(ctx context.Context) PrinterHealth {
	ph := PrinterHealth{Problem: d.NoPrinter, Status: "tidak ada", Device: d.Device}
	if d.Spool != nil {
		h := d.Spool.Health()
		ph.OK, ph.Problem, ph.Status, ph.PaperOut = h.OK, h.Problem, h.Status, h.PaperOut
		q := d.Spool.Queue()
		ph.Queue = &q
	}
	if fails, err := d.Queue.PrintFailures(ctx, ""); err == nil {
		ph.FailedToday = len(fails)
	}
	return ph
}

// Routes adds the printer's routes to mux. The /api/admin/ ones need the admin token,
// which antrid's server requires for every route under that prefix; /api/sim/printer
// exists only with a virtual printer.
//
//	GET  /api/printer                                  PrinterHealth
//	GET  /api/admin/print-failures[?day=YYYY-MM-DD]    today's (or day's) failed prints
//	POST /api/admin/tickets/{number}/reprint[?day=]    print again, answer once printed
//	POST /api/admin/complaints/{id}/print              a complaint's receipt
//	POST /api/sim/printer {"status": "paper_out", ...} the virtual printer's status (demo)
func (d *Desk) Routes(mux httpjson.Mux) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	mux.HandleFunc("GET /api/printer", func(w http.ResponseWriter, r *http.Request) {
		httpjson.Write(w, http.StatusOK, d.Health(r.Context()))
	})
	mux.HandleFunc("GET /api/admin/print-failures", d.printFailures)
	mux.HandleFunc("POST /api/admin/tickets/{number}/reprint", d.reprint)
	mux.HandleFunc("POST /api/admin/complaints/{id}/print", d.printComplaint)
	if d.Virtual != nil {
		mux.HandleFunc("POST /api/sim/printer", d.simPrinter)
	}
}

func (d *Desk) printFailures(w http.ResponseWriter, r *http.Request) {
	day := r.URL.Query().Get("day")
	if day != "" {
		if _, err := time.Parse("2006-01-02", day); err != nil {
			httpjson.Error(w, http.StatusBadRequest, "day harus berbentuk YYYY-MM-DD, contoh 2026-03-02")
			return
		}
	}
	fails, err := d.Queue.PrintFailures(r.Context(), day)
	if err != nil {
		d.Logger.Error("daftar gagal cetak", "err", err)
		httpjson.Error(w, http.StatusInternalServerError, "daftar tiket gagal cetak tidak terbaca; coba lagi")
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"failures": fails})
}

// ReprintAnswer is the answer of POST /api/admin/tickets/{number}/reprint.
type ReprintAnswer struct {
	Ticket  *queue.Ticket `json:"ticket"`
	Printed bool          `json:"printed"`
}

// printTimeout is how long an admin's print request waits for the printer.
const printTimeout = 20 * time.Second

// reprint prints the ticket again and answers once the printer has it (200) or has
// refused (503, with why).
func (d *Desk) reprint(w http.ResponseWriter, r *http.Request) {
	if d.Spool == nil {
		httpjson.Error(w, http.StatusServiceUnavailable, d.NoPrinter)
		return
	}
	tk, err := d.Queue.TicketByNumber(r.Context(), r.PathValue("number"), r.URL.Query().Get("day"))
	if err != nil {
		httpjson.QueueError(w, r, d.Logger, err)
		return
	}
	if !d.printed(w, r, "Tiket "+tk.Number, func(ctx context.Context) error { return d.Spool.Reprint(ctx, tk) }) {
		return
	}
	httpjson.Write(w, http.StatusOK, ReprintAnswer{Ticket: tk, Printed: true})
}

// ComplaintPrintAnswer is the answer of POST /api/admin/complaints/{id}/print.
type ComplaintPrintAnswer struct {
	ID      int64    `json:"id"`
	Lines   []string `json:"lines"`
	Printed bool     `json:"printed"`
}

// printComplaint puts a complaint's receipt (tanda terima) on the ticket printer,
// through the same spooler as the tickets: 200 once the printer has it, 503 with why.
func (d *Desk) printComplaint(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		httpjson.Error(w, http.StatusNotFound, "nomor pengaduan \""+r.PathValue("id")+"\" tidak valid; pakai angka, contoh /api/admin/complaints/12/print")
		return
	}
	lines, err := d.Queue.ComplaintReceipt(r.Context(), id)
	if err != nil {
		httpjson.QueueError(w, r, d.Logger, err)
		return
	}
	if d.Spool == nil {
		httpjson.Error(w, http.StatusServiceUnavailable, "tanda terima tidak bisa dicetak: "+d.NoPrinter)
		return
	}
	what := fmt.Sprintf("Tanda terima pengaduan %d", id)
	if !d.printed(w, r, what, func(ctx context.Context) error { return d.Spool.PrintReceipt(ctx, lines) }) {
		return
	}
	httpjson.Write(w, http.StatusOK, ComplaintPrintAnswer{ID: id, Lines: lines, Printed: true})
}

// printed runs one print, waiting at most printTimeout, and answers 503 with why when it
// failed; it reports success.
func (d *Desk) printed(w http.ResponseWriter, r *http.Request, what string, print func(context.Context) error) bool {
	ctx, cancel := context.WithTimeout(r.Context(), printTimeout)
	defer cancel()
	err := print(ctx)
	if err == nil {
		return true
	}
	msg := what + " belum tercetak: " + err.Error()
	if errors.Is(err, context.DeadlineExceeded) {
		msg = fmt.Sprintf("Printer tidak selesai dalam %d detik; periksa printer lalu coba lagi", int(printTimeout/time.Second))
	}
	httpjson.Error(w, http.StatusServiceUnavailable, msg)
	return false
}

// SimPrinterRequest is the body of POST /api/sim/printer.
type SimPrinterRequest struct {
	Status string `json:"status"` // ok, paper_out, paper_near_end, cover_open, offline
}

// simStatuses are the statuses the virtual printer can be told to report.
var simStatuses = map[string]escpos.Status{
	"ok":             {Known: true},
	"paper_out":      {Known: true, PaperEnd: true, PaperEndStop: true},
	"paper_near_end": {Known: true, PaperNearEnd: true},
	"cover_open":     {Known: true, CoverOpen: true},
	"offline":        {Known: true, Offline: true},
}

// simPrinter makes the virtual printer report the given status from now on; the answer
// is the printer's health after asking it.
func (d *Desk) simPrinter(w http.ResponseWriter, r *http.Request) {
	var req SimPrinterRequest
	if !httpjson.Decode(w, r, &req, false) {
		return
	}
	st, ok := simStatuses[req.Status]
	if !ok {
		httpjson.Error(w, http.StatusBadRequest, `status harus "ok", "paper_out", "paper_near_end", "cover_open" atau "offline"`)
		return
	}
	if d.Spool == nil {
		httpjson.Error(w, http.StatusServiceUnavailable, "printer virtual tidak berjalan: "+d.NoPrinter)
		return
	}
	d.Virtual.SetStatus(st)
	d.Spool.Poll(r.Context())
	httpjson.Write(w, http.StatusOK, d.Health(r.Context()))
}
