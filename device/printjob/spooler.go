package printjob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/printer"
	"github.com/antri-id/antri/queue"
)

// EventPrinterStatus is the type of the live notice (queue.Queue.Publish, not
// stored) sent when the printer's state changes: paper out, cover open,
// offline, and back to ready. Staff pages show it.
const EventPrinterStatus = queue.NoticePrinterStatus

// StatusNotice is the Data of a printer_status notice.
type StatusNotice struct {
	OK      bool   `json:"ok"`
	Problem string `json:"problem,omitempty"` // "Kertas habis", ...
	Message string `json:"message"`           // what staff should do, in Indonesian
}

// DefaultPollEvery is how often an idle printer is asked for its status.
const DefaultPollEvery = 5 * time.Second

// DefaultMaxPending bounds the print queue. A printer this far behind is stuck or far
// too slow: the citizens at the kiosk have long left with the number on its screen, and
// a slip printed minutes late only confuses the next one.
const DefaultMaxPending = 50

// jobTimeout bounds one print, status questions included: a printer that hangs must
// not hold the queue for ever.
const jobTimeout = 30 * time.Second

// ErrQueueFull is a reprint or receipt refused because the print queue is full.
var ErrQueueFull = errors.New("antrean cetak penuh: printer macet atau terlalu lambat; periksa printer lalu coba lagi")

// queueFullProblem is recorded for a ticket not sent to a full print queue; it is then
// listed with the failed prints, to be reprinted.
const queueFullProblem = "antrean cetak penuh (printer macet atau terlalu lambat); tiket tidak dikirim ke printer"

// Options tune a Spooler.
type Options struct {
	PollEvery  time.Duration // 0: DefaultPollEvery
	MaxPending int           // jobs waiting at most; 0: DefaultMaxPending
	Logger     *slog.Logger
}

// Spooler prints every issued ticket, one job at a time, on its own
// goroutine: the queue's subscriber callback only appends to a list.
type Spooler struct {
	q      *queue.Queue
	port   printer.Port
	layout Layout
	opts   Options

	portMu sync.Mutex // one exchange with the printer at a time: a job or a status request

	mu      sync.Mutex
	pending []job
	wake    chan struct{}
	// skipped are tickets that found the queue full, for Run to record as failed
	// prints; lost counts those that did not even fit here (not listed for reprint).
	skipped chan int64
	dropped uint64 // tickets not sent to the printer because the queue was full
	lost    uint64

	stMu    sync.Mutex
	health  Health
	started bool // health was set once
	running bool // Run has subscribed
}

// job is one ticket, or one receipt (receipt not nil), to print; done, when
// not nil, gets the outcome.
type job struct {
	ticket  *queue.Ticket
	receipt []string
	done    chan error
}

// Health is the printer as /healthz and the kiosk see it.
type Health struct {
	OK      bool      `json:"ok"`
	Problem string    `json:"problem,omitempty"` // why not, in Indonesian
	Status  string    `json:"status"`            // the printer's own report: "Siap", "Kertas habis", ...
	Checked time.Time `json:"checked"`           // last status answer or print
	// PaperOut is the printer's own report of an empty roll: headquarters lists such
	// offices first (antri-hq's fleet health).
	PaperOut bool `json:"paper_out,omitempty"`
}

// New returns a spooler printing to port with layout. Call Run to start it.
func New(q *queue.Queue, port printer.Port, layout Layout, o Options) *Spooler {
	if o.PollEvery == 0 {
		o.PollEvery = DefaultPollEvery
	}
	if o.MaxPending == 0 {
		o.MaxPending = DefaultMaxPending
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Spooler{q: q, port: port, layout: layout, opts: o, wake: make(chan struct{}, 1),
		skipped: make(chan int64, 1024), health: Health{OK: true, Status: "belum diperiksa"}}
}

// Run subscribes to the queue's issued events and prints them until ctx
// ends, asking the printer's status when idle.
func (s *Spooler) Run(ctx context.Context) {
	cancel := s.q.Subscribe(func(ev queue.Event) {
		if ev.Type == queue.EventIssued && ev.Ticket != nil {
			if s.enqueue(job{ticket: ev.Ticket}) != nil {
				s.skip(ev.Ticket)
			}
		}
	})
	defer cancel()
	go s.recordSkipped(ctx)
	s.stMu.Lock()
	s.running = true
	s.stMu.Unlock()
	s.Poll(ctx)
	tick := time.NewTicker(s.opts.PollEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
			for {
				j, ok := s.take()
				if !ok {
					break
				}
				s.print(ctx, j)
			}
		case <-tick.C:
			s.Poll(ctx)
		}
	}
}

// enqueue adds a job, or refuses it with ErrQueueFull.
func (s *Spooler) enqueue(j job) error {
	s.mu.Lock()
	if len(s.pending) >= s.opts.MaxPending {
		s.mu.Unlock()
		return ErrQueueFull
	}
	s.pending = append(s.pending, j)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return nil
}

// skip notes an issued ticket that found the queue full. It runs on the queue's
// subscriber callback, which must not call Do: recordSkipped records it.
func (s *Spooler) skip(tk *queue.Ticket) {
	s.mu.Lock()
	s.dropped++
	s.mu.Unlock()
	select {
	case s.skipped <- tk.ID:
	default:
		s.mu.Lock()
		s.lost++
		s.mu.Unlock()
	}
	s.opts.Logger.Warn("antrean cetak penuh; tiket tidak dikirim ke printer, nomor tetap tercatat", "ticket", tk.Number)
}

// recordSkipped records every skipped ticket as a failed print, so the admin sees it in
// the reprint list, until ctx ends.
func (s *Spooler) recordSkipped(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-s.skipped:
			if _, err := s.q.Do(context.WithoutCancel(ctx), queue.PrintResult{TicketID: id, Problem: queueFullProblem}); err != nil {
				s.opts.Logger.Error("tiket yang tidak dicetak tidak tercatat", "ticket_id", id, "err", err)
			}
		}
	}
}

func (s *Spooler) take() (job, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		return job{}, false
	}
	j := s.pending[0]
	s.pending = s.pending[1:]
	return j, true
}

// print prints one ticket and records the outcome.
func (s *Spooler) print(ctx context.Context, j job) {
	if j.receipt != nil {
		s.printReceipt(ctx, j)
		return
	}
	data, err := s.layout.Ticket(j.ticket)
	if err == nil {
		jctx, cancel := context.WithTimeout(ctx, jobTimeout)
		s.portMu.Lock()
		err = printer.Print(jctx, s.port, data)
		s.portMu.Unlock()
		cancel()
	}
	s.observe(err)
	res := queue.PrintResult{TicketID: j.ticket.ID, OK: err == nil}
	if err != nil {
		res.Problem = problemOf(err)
		s.opts.Logger.Warn("tiket tidak tercetak; nomor tetap tercatat dan bisa dicetak ulang", "ticket", j.ticket.Number, "err", err)
	}
	if _, derr := s.q.Do(context.WithoutCancel(ctx), res); derr != nil {
		s.opts.Logger.Error("hasil cetak tidak tersimpan", "ticket", j.ticket.Number, "err", derr)
	}
	if j.done != nil {
		j.done <- err
	}
}

// printReceipt prints a receipt. Its outcome goes to the caller and into
// Health; it is no ticket, so nothing is recorded in the prints table.
func (s *Spooler) printReceipt(ctx context.Context, j job) {
	data, err := s.layout.Receipt(j.receipt)
	if err == nil {
		jctx, cancel := context.WithTimeout(ctx, jobTimeout)
		s.portMu.Lock()
		err = printer.Print(jctx, s.port, data)
		s.portMu.Unlock()
		cancel()
		s.observe(err)
	}
	if err != nil {
		s.opts.Logger.Warn("tanda terima tidak tercetak", "first", j.receipt[0], "err", err)
	}
	if j.done != nil {
		j.done <- err
	}
}

// problemOf is what went wrong with a print, for staff.
func problemOf(err error) string {
	var pe *printer.Error
	if errors.As(err, &pe) && pe.Err == nil && pe.Status.Problem() != "" {
		return pe.Status.Problem()
	}
	return err.Error()
}

// Poll asks the printer's status now and updates Health, sending a notice
// to staff when it changed. It is safe to call while Run prints: it waits
// for the job in progress.
func (s *Spooler) Poll(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	s.portMu.Lock()
	st, err := s.port.Status(ctx)
	s.portMu.Unlock()
	if err != nil {
		s.set(Health{Problem: "printer tidak menjawab: " + err.Error(), Status: "tidak terhubung"})
		return
	}
	s.set(healthOf(st))
}

// observe updates Health from a print's outcome.
func (s *Spooler) observe(err error) {
	var pe *printer.Error
	switch {
	case err == nil:
		s.set(Health{OK: true, Status: "Siap"})
	case errors.As(err, &pe) && pe.Err == nil:
		s.set(healthOf(pe.Status))
	default:
		s.set(Health{Problem: problemOf(err), Status: "gagal mencetak"})
	}
}

func healthOf(st escpos.Status) Health {
	return Health{OK: st.OK(), Problem: st.Problem(), Status: st.String(), PaperOut: st.PaperEnd || st.PaperEndStop}
}

// set records h and tells staff when the printer's state changed.
func (s *Spooler) set(h Health) {
	h.Checked = time.Now()
	s.stMu.Lock()
	prev, started := s.health, s.started
	s.health, s.started = h, true
	s.stMu.Unlock()
	if started && prev.OK == h.OK && prev.Problem == h.Problem {
		return
	}
	if !started && h.OK {
		return // ready at start: nothing to tell
	}
	n := StatusNotice{OK: h.OK, Problem: h.Problem}
	if h.OK {
		n.Message = "Printer tiket siap kembali. Tiket yang gagal tercetak bisa dicetak ulang dari halaman admin."
		s.opts.Logger.Info("printer siap")
	} else {
		n.Message = "Printer tiket: " + h.Problem + ". Nomor antrean tetap tercatat dan tampil di layar kios; perbaiki printer lalu cetak ulang dari halaman admin."
		s.opts.Logger.Warn("printer bermasalah", "problem", h.Problem)
	}
	data, _ := json.Marshal(n)
	_ = s.q.Publish(queue.Event{Type: EventPrinterStatus, Data: data}) // a notice type: never refused
}

// Running reports whether Run has subscribed to the queue: tickets issued
// from then on are printed.
func (s *Spooler) Running() bool {
	s.stMu.Lock()
	defer s.stMu.Unlock()
	return s.running
}

// QueueState is the print queue as /healthz shows it.
type QueueState struct {
	Pending int    `json:"pending"` // jobs waiting now
	Limit   int    `json:"limit"`   // at most
	Dropped uint64 `json:"dropped"` // tickets not sent to the printer because the queue was full
}

// Queue is the print queue's state now.
func (s *Spooler) Queue() QueueState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return QueueState{Pending: len(s.pending), Limit: s.opts.MaxPending, Dropped: s.dropped}
}

// Health is the printer's last known state; a full print queue is a problem whatever
// the printer says.
func (s *Spooler) Health() Health {
	s.stMu.Lock()
	h := s.health
	s.stMu.Unlock()
	if q := s.Queue(); q.Pending >= q.Limit {
		h.OK = false
		h.Problem = fmt.Sprintf("antrean cetak penuh (%d tiket menunggu): printer macet atau terlalu lambat; tiket berikutnya tidak dicetak sampai antrean berkurang", q.Pending)
	}
	return h
}

// Reprint prints a ticket again (after a failure, or a lost slip) and waits
// for the outcome. The outcome is recorded like a first print.
func (s *Spooler) Reprint(ctx context.Context, tk *queue.Ticket) error {
	done := make(chan error, 1)
	if err := s.enqueue(job{ticket: tk, done: done}); err != nil {
		return err
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// PrintReceipt prints lines of text as a receipt (Layout.Receipt), on the
// same goroutine and in the same order as the tickets, and waits for the
// outcome: nil once the printer has it, or why not. Run must be running.
func (s *Spooler) PrintReceipt(ctx context.Context, lines []string) error {
	if len(lines) == 0 {
		return errors.New("tanda terima kosong: tidak ada yang dicetak")
	}
	done := make(chan error, 1)
	if err := s.enqueue(job{receipt: lines, done: done}); err != nil {
		return err
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
