package printjob

import (
	"context"
	"encoding/json"
	"errors"
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

// Options tune a Spooler.
type Options struct {
	PollEvery time.Duration // 0: DefaultPollEvery
	Logger    *slog.Logger
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
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Spooler{q: q, port: port, layout: layout, opts: o, wake: make(chan struct{}, 1),
		health: Health{OK: true, Status: "belum diperiksa"}}
}

// Run subscribes to the queue's issued events and prints them until ctx
// ends, asking the printer's status when idle.
func (s *Spooler) Run(ctx context.Context) {
	cancel := s.q.Subscribe(func(ev queue.Event) {
		if ev.Type == queue.EventIssued && ev.Ticket != nil {
			s.enqueue(job{ticket: ev.Ticket})
		}
	})
	defer cancel()
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

func (s *Spooler) enqueue(j job) {
	s.mu.Lock()
	s.pending = append(s.pending, j)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
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
		s.portMu.Lock()
		err = printer.Print(ctx, s.port, data)
		s.portMu.Unlock()
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
		s.portMu.Lock()
		err = printer.Print(ctx, s.port, data)
		s.portMu.Unlock()
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
		n.Message = "Printer tiket: " + h.Problem + ". Nomor antrian tetap tercatat dan tampil di layar kios; perbaiki printer lalu cetak ulang dari halaman admin."
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

// Health is the printer's last known state.
func (s *Spooler) Health() Health {
	s.stMu.Lock()
	defer s.stMu.Unlock()
	return s.health
}

// Reprint prints a ticket again (after a failure, or a lost slip) and waits
// for the outcome. The outcome is recorded like a first print.
func (s *Spooler) Reprint(ctx context.Context, tk *queue.Ticket) error {
	done := make(chan error, 1)
	s.enqueue(job{ticket: tk, done: done})
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
	s.enqueue(job{receipt: lines, done: done})
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
