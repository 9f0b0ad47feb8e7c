package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/antri-id/antri/device/button"
	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/display"
	"github.com/antri-id/antri/queue"
)

// routes adds the devices' HTTP API. The /api/sim/ routes exist only in demo
// mode; elsewhere the server's /api/ catch-all answers 404.
func (d *devices) routes() {
	s := d.a.srv
	s.HandleFunc("GET /api/printer", d.printerStatus)
	s.HandleFunc("GET /api/admin/print-failures", d.printFailures)
	s.HandleFunc("POST /api/admin/tickets/{number}/reprint", d.reprint)
	s.HandleFunc("POST /api/admin/complaints/{id}/print", d.printComplaint)
	if d.a.demo {
		s.HandleFunc("POST /api/sim/pins/{pin}/press", d.simPress)
		s.HandleFunc("POST /api/sim/printer", d.simPrinter)
	}
}

func (d *devices) printerStatus(w http.ResponseWriter, r *http.Request) {
	display.WriteJSON(w, http.StatusOK, d.printerHealth(r.Context()))
}

// printFailures is GET /api/admin/print-failures[?day=YYYY-MM-DD]: the
// tickets of the day (today by default) whose last print failed.
func (d *devices) printFailures(w http.ResponseWriter, r *http.Request) {
	if !d.a.srv.RequireAdmin(w, r) {
		return
	}
	day := r.URL.Query().Get("day")
	if day != "" {
		if _, err := time.Parse("2006-01-02", day); err != nil {
			display.WriteError(w, http.StatusBadRequest, "day harus berbentuk YYYY-MM-DD, contoh 2026-03-02")
			return
		}
	}
	fails, err := d.a.q.PrintFailures(r.Context(), day)
	if err != nil {
		d.a.log.Error("daftar gagal cetak", "err", err)
		display.WriteError(w, http.StatusInternalServerError, "daftar tiket gagal cetak tidak terbaca; coba lagi")
		return
	}
	display.WriteJSON(w, http.StatusOK, map[string]any{"failures": fails})
}

// ReprintAnswer is the answer of POST /api/admin/tickets/{number}/reprint.
type ReprintAnswer struct {
	Ticket  *queue.Ticket `json:"ticket"`
	Printed bool          `json:"printed"`
}

// reprint is POST /api/admin/tickets/{number}/reprint[?day=YYYY-MM-DD]: print
// the ticket again and answer once the printer has it (200) or has refused
// (503, with why).
func (d *devices) reprint(w http.ResponseWriter, r *http.Request) {
	if !d.a.srv.RequireAdmin(w, r) {
		return
	}
	if d.spool == nil {
		display.WriteError(w, http.StatusServiceUnavailable, d.noPrint)
		return
	}
	tk, err := d.a.q.TicketByNumber(r.Context(), r.PathValue("number"), r.URL.Query().Get("day"))
	if queue.KindOf(err) == queue.KindNotFound {
		display.WriteError(w, http.StatusNotFound, err.Error())
		return
	}
	if err != nil {
		d.a.log.Error("cetak ulang", "err", err)
		display.WriteError(w, http.StatusInternalServerError, "tiket tidak terbaca; coba lagi")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	if err := d.spool.Reprint(ctx, tk); err != nil {
		msg := "Tiket " + tk.Number + " belum tercetak: " + err.Error()
		if errors.Is(err, context.DeadlineExceeded) {
			msg = "Printer tidak selesai dalam 20 detik; periksa printer lalu coba lagi"
		}
		display.WriteError(w, http.StatusServiceUnavailable, msg)
		return
	}
	display.WriteJSON(w, http.StatusOK, ReprintAnswer{Ticket: tk, Printed: true})
}

// ComplaintPrintAnswer is the answer of POST /api/admin/complaints/{id}/print.
type ComplaintPrintAnswer struct {
	ID      int64    `json:"id"`
	Lines   []string `json:"lines"`
	Printed bool     `json:"printed"`
}

// printComplaint is POST /api/admin/complaints/{id}/print: the complaint's
// receipt (tanda terima) on the ticket printer, through the same spooler as
// the tickets. 200 once the printer has it, 503 with why when it refuses.
func (d *devices) printComplaint(w http.ResponseWriter, r *http.Request) {
	if !d.a.srv.RequireAdmin(w, r) {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		display.WriteError(w, http.StatusNotFound, "nomor pengaduan \""+r.PathValue("id")+"\" tidak valid; pakai angka, contoh /api/admin/complaints/12/print")
		return
	}
	lines, err := d.a.q.ComplaintReceipt(r.Context(), id)
	if queue.KindOf(err) == queue.KindNotFound {
		display.WriteError(w, http.StatusNotFound, err.Error())
		return
	}
	if err != nil {
		d.a.log.Error("tanda terima pengaduan", "err", err)
		display.WriteError(w, http.StatusInternalServerError, "pengaduan tidak terbaca; coba lagi")
		return
	}
	if d.spool == nil {
		display.WriteError(w, http.StatusServiceUnavailable, "tanda terima tidak bisa dicetak: "+d.noPrint)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	if err := d.spool.PrintReceipt(ctx, lines); err != nil {
		msg := fmt.Sprintf("Tanda terima pengaduan %d belum tercetak: %v", id, err)
		if errors.Is(err, context.DeadlineExceeded) {
			msg = "Printer tidak selesai dalam 20 detik; periksa printer lalu coba lagi"
		}
		display.WriteError(w, http.StatusServiceUnavailable, msg)
		return
	}
	display.WriteJSON(w, http.StatusOK, ComplaintPrintAnswer{ID: id, Lines: lines, Printed: true})
}

// SimPressRequest is the optional body of POST /api/sim/pins/{pin}/press.
type SimPressRequest struct {
	HoldMS int `json:"hold_ms"` // how long the button is held; default 50
}

// simPress is POST /api/sim/pins/{pin}/press (demo mode): the simulated pin
// goes down and comes back up, through the same watcher and debouncer as a
// real edge. It answers 202 at once: the action's result arrives on /ws.
func (d *devices) simPress(w http.ResponseWriter, r *http.Request) {
	var req SimPressRequest
	if err := display.DecodeJSON(r.Body, &req, true); err != nil {
		var re *display.RequestError
		errors.As(err, &re)
		display.WriteError(w, re.Status, re.Msg)
		return
	}
	if req.HoldMS < 0 || req.HoldMS > 60_000 {
		display.WriteError(w, http.StatusBadRequest, "hold_ms harus 0 sampai 60000")
		return
	}
	pin := r.PathValue("pin")
	err := d.sim.Press(pin, time.Duration(req.HoldMS)*time.Millisecond)
	if errors.Is(err, button.ErrUnknownPin) {
		display.WriteError(w, http.StatusNotFound, "pin "+pin+" tidak dipakai tombol mana pun; pin yang ada: "+joinNames(d.sim.Names()))
		return
	}
	if err != nil {
		display.WriteError(w, http.StatusTooManyRequests, err.Error())
		return
	}
	var action string
	for _, b := range d.a.cfg.Buttons {
		if b.Pin == pin {
			action = button.Describe(b)
		}
	}
	display.WriteJSON(w, http.StatusAccepted, map[string]string{"pin": pin, "action": action})
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}

// SimPrinterRequest is the body of POST /api/sim/printer.
type SimPrinterRequest struct {
	Status string `json:"status"` // ok, paper_out, paper_near_end, cover_open, offline
}

var simStatuses = map[string]escpos.Status{
	"ok":             {Known: true},
	"paper_out":      {Known: true, PaperEnd: true, PaperEndStop: true},
	"paper_near_end": {Known: true, PaperNearEnd: true},
	"cover_open":     {Known: true, CoverOpen: true},
	"offline":        {Known: true, Offline: true},
}

// simPrinter is POST /api/sim/printer (demo mode): the virtual printer
// reports the given status from now on; the answer is the printer's health
// after asking it.
func (d *devices) simPrinter(w http.ResponseWriter, r *http.Request) {
	var req SimPrinterRequest
	if err := display.DecodeJSON(r.Body, &req, false); err != nil {
		var re *display.RequestError
		errors.As(err, &re)
		display.WriteError(w, re.Status, re.Msg)
		return
	}
	st, ok := simStatuses[req.Status]
	if !ok {
		display.WriteError(w, http.StatusBadRequest, `status harus "ok", "paper_out", "paper_near_end", "cover_open" atau "offline"`)
		return
	}
	if d.virtual == nil || d.spool == nil {
		display.WriteError(w, http.StatusServiceUnavailable, "printer virtual tidak berjalan: "+d.noPrint)
		return
	}
	d.virtual.SetStatus(st)
	d.spool.Poll(r.Context())
	display.WriteJSON(w, http.StatusOK, d.printerHealth(r.Context()))
}
