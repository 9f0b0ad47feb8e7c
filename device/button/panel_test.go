package button_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"periph.io/x/conn/v3/gpio"

	"github.com/antri-id/antri/device/button"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// panelButtons are the buttons of these tests, added to the test office of
// package queuetest (counter 1 serves A and B).
const panelButtons = `
[[button]]
pin = "GPIO17"
action = "ticket"
service = "A"

[[button]]
pin = "GPIO27"
action = "ticket"
service = "B"
priority = true

[[button]]
pin = "GPIO5"
action = "call"
counter = "1"

[[button]]
pin = "GPIO13"
action = "finish"
counter = "1"

[[button]]
pin = "GPIO16"
action = "feedback"
counter = "1"
score = 4

[[button]]
pin = "GPIO21"
action = "ticket"
service = "A"
pull = "down"
active = "high"
`

// office is a queue on a fresh store with the buttons of panelButtons. The
// tests run in a testing/synctest bubble: the simulated pins' holds, the
// debouncer's deadlines and the lockouts all run on the bubble's clock, so a
// press takes no real time and a wait is exact.
type office struct {
	q      *queue.Queue
	clk    *queue.FakeClock
	cfg    *queue.Config
	events chan queue.Event
}

func newOffice(t *testing.T) *office {
	t.Helper()
	q, clk := queuetest.OpenConfig(t, queuetest.Config(t, buttonsOffice()), time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC))
	o := &office{q: q, clk: clk, cfg: q.Config(), events: make(chan queue.Event, 100)}
	o.q.Subscribe(func(ev queue.Event) { o.events <- ev })
	return o
}

// buttonsOffice is the config text of the test office with panelButtons.
func buttonsOffice() string { return string(queuetest.Fixture("office")) + panelButtons }

// next waits for the next event. In the bubble, time passes only when every
// goroutine waits: the deadline fails at once a press that led nowhere.
func (o *office) next(t *testing.T) queue.Event {
	t.Helper()
	select {
	case ev := <-o.events:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event after a press")
	}
	return queue.Event{}
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// start runs a panel of simulated pins until the test ends.
func (o *office) start(t *testing.T, opts button.Options) (*button.Panel, *button.SimPins) {
	t.Helper()
	sim := button.NewSimPins()
	opts.Logger = quiet
	p := button.NewPanel(o.q, o.cfg.Buttons, sim.Open, nil, opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return p, sim
}

func press(t *testing.T, sim *button.SimPins, pin string) {
	t.Helper()
	if err := sim.Press(pin, 0); err != nil {
		t.Fatal(err)
	}
}

func TestTwoTicketButtonsPressedTogetherBothIssue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := newOffice(t)
		_, sim := o.start(t, button.Options{})
		var wg sync.WaitGroup
		for _, pin := range []string{"GPIO17", "GPIO27"} {
			wg.Add(1)
			go func() { defer wg.Done(); press(t, sim, pin) }()
		}
		wg.Wait()
		got := map[string]bool{}
		for range 2 {
			ev := o.next(t)
			if ev.Type != queue.EventIssued {
				t.Fatalf("event %s, want issued", ev.Type)
			}
			got[ev.Ticket.Number] = ev.Ticket.Priority
		}
		if p, ok := got["A-001"]; !ok || p {
			t.Errorf("issued %v: want A-001 (normal)", got)
		}
		if p, ok := got["B-001"]; !ok || !p {
			t.Errorf("issued %v: want B-001 (priority)", got)
		}
		st, err := o.q.State(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Waiting) != 2 {
			t.Errorf("%d tickets waiting, want 2", len(st.Waiting))
		}
	})
}

func TestActiveHighButton(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := newOffice(t)
		_, sim := o.start(t, button.Options{})
		press(t, sim, "GPIO21")
		if ev := o.next(t); ev.Type != queue.EventIssued || ev.Ticket.Number != "A-001" {
			t.Fatalf("got %s %v, want A-001 issued", ev.Type, ev.Ticket)
		}
	})
}

func refusal(t *testing.T, ev queue.Event) button.Refusal {
	t.Helper()
	if ev.Type != button.EventRefused || ev.Seq != 0 {
		t.Fatalf("event %s seq %d, want a %s live notice", ev.Type, ev.Seq, button.EventRefused)
	}
	var r button.Refusal
	if err := json.Unmarshal(ev.Data, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCounterButtonsDriveTheQueueAndRefusalsAreNotices(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := newOffice(t)
		_, sim := o.start(t, button.Options{FeedbackWindow: 2 * time.Minute})

		press(t, sim, "GPIO5") // call with nothing waiting
		r := refusal(t, o.next(t))
		if r.Pin != "GPIO5" || r.Kind != queue.KindNotFound || !strings.Contains(r.Message, "tidak ada antrean menunggu") {
			t.Errorf("refusal %+v", r)
		}

		press(t, sim, "GPIO17")
		if ev := o.next(t); ev.Type != queue.EventIssued {
			t.Fatalf("got %s, want issued", ev.Type)
		}
		time.Sleep(button.DefaultHold + button.DefaultLockout) // GPIO5 is released and its lockout over
		press(t, sim, "GPIO5")
		if ev := o.next(t); ev.Type != queue.EventCalled || ev.Counter != "1" || ev.Ticket.Number != "A-001" {
			t.Fatalf("got %s at %q, want A-001 called to 1", ev.Type, ev.Counter)
		}
		press(t, sim, "GPIO13")
		if ev := o.next(t); ev.Type != queue.EventFinished || ev.Ticket.Outcome != queue.OutcomeDone {
			t.Fatalf("got %s %q, want finished done", ev.Type, ev.Ticket.Outcome)
		}
		press(t, sim, "GPIO16")
		ev := o.next(t)
		if ev.Type != queue.EventFeedback || string(ev.Data) != `{"score":4}` || ev.Ticket.Number != "A-001" {
			t.Fatalf("got %s %s, want feedback 4 for A-001", ev.Type, ev.Data)
		}

		// Released and past the lockout, a second score is refused.
		time.Sleep(button.DefaultHold + button.DefaultLockout)
		press(t, sim, "GPIO16")
		if r := refusal(t, o.next(t)); r.Kind != queue.KindConflict || !strings.Contains(r.Message, "sudah dinilai") {
			t.Errorf("second score: %+v", r)
		}
	})
}

func TestFeedbackButtonOutsideTheWindowIsRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := newOffice(t)
		_, sim := o.start(t, button.Options{FeedbackWindow: 2 * time.Minute})
		for _, pin := range []string{"GPIO17", "GPIO5", "GPIO13"} {
			press(t, sim, pin)
			o.next(t)
		}
		o.clk.Advance(3 * time.Minute)
		press(t, sim, "GPIO16")
		if r := refusal(t, o.next(t)); r.Kind != queue.KindConflict || !strings.Contains(r.Message, "terlalu lama") {
			t.Errorf("late score: %+v", r)
		}
	})
}

func TestMissingPinIsAHealthProblemOthersWork(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := newOffice(t)
		sim := button.NewSimPins()
		open := func(b queue.ButtonConfig) (gpio.PinIn, error) {
			if b.Pin == "GPIO27" {
				return nil, errors.New("pin GPIO27 tidak ditemukan")
			}
			return sim.Open(b)
		}
		p := button.NewPanel(o.q, o.cfg.Buttons, open, nil, button.Options{Logger: quiet})
		probs := p.Problems()
		if len(probs) != 1 || !strings.Contains(probs[0], "GPIO27") || !strings.Contains(probs[0], "ambil nomor prioritas layanan B") {
			t.Fatalf("problems %q, want one about GPIO27", probs)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { p.Run(ctx); close(done) }()
		defer func() { cancel(); <-done }()
		press(t, sim, "GPIO17")
		if ev := o.next(t); ev.Type != queue.EventIssued || ev.Ticket.Number != "A-001" {
			t.Fatalf("GPIO17 after GPIO27 failed: got %s", ev.Type)
		}
		if err := sim.Press("GPIO27", 0); !errors.Is(err, button.ErrUnknownPin) {
			t.Errorf("pressing a pin that failed to open: %v", err)
		}
		pins := p.Pins()
		if len(pins) != len(o.cfg.Buttons) || pins[0].Presses != 1 || !pins[0].OK || pins[1].OK {
			t.Errorf("pins %+v", pins)
		}
	})
}

func TestNoGPIOIsOneProblemNotACrash(t *testing.T) {
	o := newOffice(t)
	p := button.NewPanel(o.q, o.cfg.Buttons, nil, errors.New("tidak ada pin GPIO di mesin ini"), button.Options{Logger: quiet})
	probs := p.Problems()
	if len(probs) != 1 || !strings.HasPrefix(probs[0], "tidak ada pin GPIO di mesin ini") {
		t.Errorf("problems %q", probs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p.Run(ctx) // nothing to watch: returns
}

func TestStuckButtonShowsInHealth(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := newOffice(t)
		p, sim := o.start(t, button.Options{}) // stuck after a minute
		if err := sim.Press("GPIO17", time.Hour); err != nil {
			t.Fatal(err)
		}
		o.next(t) // the hold issues one ticket
		if probs := p.Problems(); len(probs) != 0 {
			t.Errorf("problems %q just after the press, want none", probs)
		}
		time.Sleep(time.Minute) // on the bubble's clock
		probs := p.Problems()
		if len(probs) != 1 || !strings.Contains(probs[0], "GPIO17") || !strings.Contains(probs[0], "tertekan terus") {
			t.Errorf("problems %q, want GPIO17 stuck", probs)
		}
		select {
		case ev := <-o.events:
			t.Errorf("a held button fired again: %s", ev.Type)
		default:
		}
	})
}

func TestFeedbackWindowFromTheButtonsConfig(t *testing.T) {
	cfg := queuetest.Config(t, buttonsOffice()+`
[[button]]
pin = "GPIO12"
action = "feedback"
counter = "1"
score = 3
window = "30s"
`)
	b := cfg.Buttons[len(cfg.Buttons)-1]
	cmd, err := button.Command(b, button.DefaultFeedbackWindow)
	if err != nil {
		t.Fatal(err)
	}
	if fb, ok := cmd.(queue.Feedback); !ok || fb.Within != 30*time.Second || fb.Score != 3 {
		t.Fatalf("command %#v, want feedback within 30s", cmd)
	}
	// Without a window of its own, the panel's default applies.
	cmd, _ = button.Command(cfg.Buttons[4], button.DefaultFeedbackWindow)
	if fb := cmd.(queue.Feedback); fb.Within != button.DefaultFeedbackWindow {
		t.Fatalf("default window %v", fb.Within)
	}
	if _, err := queue.ParseConfig("x.toml", []byte(buttonsOffice()+"\n[[button]]\npin = \"GPIO12\"\naction = \"call\"\ncounter = \"1\"\nwindow = \"30s\"\n")); err == nil ||
		!strings.Contains(err.Error(), "button[7].window") {
		t.Fatalf("a window on a call button: %v", err)
	}
}
