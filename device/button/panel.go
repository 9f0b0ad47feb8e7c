package button

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"periph.io/x/conn/v3/gpio"

	"github.com/antri-id/antri/queue"
)

// Opener gives the pin of a configured button. Host returns one for the real
// GPIO pins; SimPins.Open gives simulated ones.
type Opener func(b queue.ButtonConfig) (gpio.PinIn, error)

// Options tune a Panel. The zero value is the defaults.
type Options struct {
	// TicketsPrintable, when set, is asked before a ticket button issues. While it
	// returns an error (the printer out of paper, its cover open, unplugged) the press
	// gives no ticket: nobody would hold the number, which would be called and counted
	// as a no-show. The refusal says why on the displays (KindPrinter).
	TicketsPrintable func(context.Context) error

	Denoise        time.Duration // 0: DefaultDenoise
	Lockout        time.Duration // 0: DefaultLockout
	FeedbackWindow time.Duration // 0: DefaultFeedbackWindow
	// StuckAfter is how long a button may stay down before /healthz calls it
	// stuck (0: one minute).
	StuckAfter time.Duration
	Clock      Clock // nil: SystemClock
	Logger     *slog.Logger
}

// Panel is every configured button of the office, each bound to its action.
type Panel struct {
	q    *queue.Queue
	opts Options

	mu       sync.Mutex
	buttons  []*pinButton
	problems []string // problems not tied to one pin
}

type pinButton struct {
	cfg    queue.ButtonConfig
	pin    gpio.PinIn // nil when it could not be opened
	active gpio.Level
	deb    *Debouncer

	// guarded by Panel.mu
	problem   string
	presses   int
	downSince time.Time
}

// PinStatus is one button as /healthz shows it.
type PinStatus struct {
	Pin     string `json:"pin"`
	Action  string `json:"action"` // what it does, in Indonesian
	OK      bool   `json:"ok"`
	Problem string `json:"problem,omitempty"`
	Presses int    `json:"presses"` // since antrid started
}

// NewPanel opens and configures the pin of every button in cfgs with open. A
// pin that cannot be opened or configured is a problem of the panel (see
// Problems), not an error: the other buttons, the kiosk page and the API keep
// working. open may be nil when there is no GPIO at all; noGPIO then says why.
func NewPanel(q *queue.Queue, cfgs []queue.ButtonConfig, open Opener, noGPIO error, o Options) *Panel {
	if o.Denoise == 0 {
		o.Denoise = DefaultDenoise
	}
	if o.Lockout == 0 {
		o.Lockout = DefaultLockout
	}
	if o.FeedbackWindow == 0 {
		o.FeedbackWindow = DefaultFeedbackWindow
	}
	if o.StuckAfter == 0 {
		o.StuckAfter = time.Minute
	}
	if o.Clock == nil {
		o.Clock = SystemClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	p := &Panel{q: q, opts: o}
	if open == nil && len(cfgs) > 0 {
		why := "GPIO tidak tersedia di mesin ini"
		if noGPIO != nil {
			why = noGPIO.Error()
		}
		p.problems = append(p.problems, why+"; tombol tidak berfungsi, pakai halaman kios dan loket")
	}
	for _, c := range cfgs {
		b := &pinButton{cfg: c, active: gpio.Low, deb: &Debouncer{Denoise: o.Denoise, Lockout: o.Lockout}}
		if c.Active == "high" {
			b.active = gpio.High
		}
		p.buttons = append(p.buttons, b)
		if open == nil {
			b.problem = "GPIO tidak tersedia"
			continue
		}
		pin, err := open(c)
		if err == nil {
			err = pin.In(pullOf(c), gpio.BothEdges)
			if err != nil {
				err = fmt.Errorf("pin %s tidak bisa diatur sebagai input dengan deteksi tepi: %v; periksa apakah pin dipakai program lain", c.Pin, err)
			}
		}
		if err != nil {
			b.problem = err.Error()
			o.Logger.Error("tombol tidak berfungsi", "pin", c.Pin, "action", Describe(c), "err", err)
			continue
		}
		b.pin = pin
	}
	return p
}

// pullOf is the pull resistor a button asks for: up unless it says otherwise.
func pullOf(c queue.ButtonConfig) gpio.Pull {
	switch c.Pull {
	case "down":
		return gpio.PullDown
	case "none":
		return gpio.Float
	}
	return gpio.PullUp
}

// Run watches every working pin, each on its own goroutine, until ctx ends.
func (p *Panel) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, b := range p.buttons {
		if b.pin == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &Watcher{Pin: b.pin, Active: b.active, Debouncer: b.deb, Clock: p.opts.Clock,
				OnPress: func(at time.Time) { p.press(ctx, b, at) }}
			if err := w.Run(ctx); err != nil {
				p.mu.Lock()
				b.problem = fmt.Sprintf("pin %s: %v", b.cfg.Pin, err)
				p.mu.Unlock()
				p.opts.Logger.Error("tombol berhenti dipantau", "pin", b.cfg.Pin, "err", err)
			}
		}()
	}
	wg.Wait()
}

// press carries out a button's action through the one event path. A refusal
// (nothing waiting, not finished yet, ...) is logged and published as a live
// notice for the counter page.
func (p *Panel) press(ctx context.Context, b *pinButton, at time.Time) {
	p.mu.Lock()
	b.presses++
	p.mu.Unlock()
	cmd, err := Command(b.cfg, p.opts.FeedbackWindow)
	if err == nil && b.cfg.Action == "ticket" && p.opts.TicketsPrintable != nil {
		err = unprintable(p.opts.TicketsPrintable(ctx))
	}
	if err == nil {
		var tk *queue.Ticket
		tk, err = p.q.Do(ctx, cmd)
		if err == nil {
			number := ""
			if tk != nil {
				number = tk.Number
			}
			p.opts.Logger.Info("tombol ditekan", "pin", b.cfg.Pin, "action", Describe(b.cfg), "ticket", number)
			return
		}
	}
	p.opts.Logger.Warn("tombol ditolak", "pin", b.cfg.Pin, "action", Describe(b.cfg), "err", err)
	_ = p.q.Publish(refusalEvent(b.cfg, err)) // a notice type: never refused
}

// Pins reports every button, in config order.
func (p *Panel) Pins() []PinStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.opts.Clock.Now()
	var out []PinStatus
	for _, b := range p.buttons {
		s := PinStatus{Pin: b.cfg.Pin, Action: Describe(b.cfg), Presses: b.presses, Problem: b.problem}
		if s.Problem == "" && b.pin != nil {
			s.Problem = p.stuck(b, now)
		}
		s.OK = s.Problem == ""
		out = append(out, s)
	}
	return out
}

// stuck tells when a button has been held down for StuckAfter. It reads the
// Debouncer's level under p.mu only for reporting; a race with the watcher
// costs at most one stale answer.
func (p *Panel) stuck(b *pinButton, now time.Time) string {
	if b.pin.Read() != b.active {
		b.downSince = time.Time{}
		return ""
	}
	if b.downSince.IsZero() {
		b.downSince = now
	}
	if now.Sub(b.downSince) >= p.opts.StuckAfter {
		return fmt.Sprintf("tombol %s (%s) tertekan terus sejak %s; lepaskan atau periksa kabelnya (macet?)", b.cfg.Pin, Describe(b.cfg), b.downSince.Format("15:04:05"))
	}
	return ""
}

// Problems lists what keeps buttons from working, in Indonesian, for
// /healthz "buttons"; empty when every button works.
func (p *Panel) Problems() []string {
	p.mu.Lock()
	out := append([]string(nil), p.problems...)
	p.mu.Unlock()
	if len(out) > 0 {
		return out // no GPIO at all: one problem says it
	}
	for _, s := range p.Pins() {
		if !s.OK {
			out = append(out, fmt.Sprintf("tombol %s (%s): %s", s.Pin, s.Action, s.Problem))
		}
	}
	sort.Strings(out)
	return out
}
