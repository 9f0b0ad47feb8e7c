package button

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"

	"github.com/antri-id/antri/queue"
)

// DefaultHold is how long a simulated press holds the button down: well
// above the denoise window, like a finger.
const DefaultHold = 50 * time.Millisecond

// ErrUnknownPin is returned by SimPins.Press for a pin no button uses.
var ErrUnknownPin = errors.New("pin tidak dipakai tombol mana pun")

// SimPins are simulated pins for demo mode and tests: periph.io gpiotest pins
// whose edges are pressed by software. A press goes through the same Watcher
// and Debouncer as a real edge.
type SimPins struct {
	mu   sync.Mutex
	pins map[string]*simPin
}

type simPin struct {
	*gpiotest.Pin
	active gpio.Level
	halt   chan struct{}

	mu    sync.Mutex
	holds []time.Duration // of the presses queued on EdgesChan, in order
}

// NewSimPins returns an empty set; Open adds pins.
func NewSimPins() *SimPins { return &SimPins{pins: map[string]*simPin{}} }

// Open is an Opener: it makes the simulated pin of button b, resting at the
// level of a released button.
func (s *SimPins) Open(b queue.ButtonConfig) (gpio.PinIn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &simPin{Pin: &gpiotest.Pin{N: b.Pin, Num: len(s.pins), EdgesChan: make(chan gpio.Level, 64)},
		active: gpio.Low, halt: make(chan struct{}, 1)}
	if b.Active == "high" {
		p.active = gpio.High
	}
	s.pins[b.Pin] = p
	return p, nil
}

// In configures the pin like a real one, then rests it released whatever the
// pull: a simulated button is never stuck.
func (p *simPin) In(pull gpio.Pull, edge gpio.Edge) error {
	if err := p.Pin.In(pull, edge); err != nil {
		return err
	}
	return p.Pin.Out(!p.active)
}

// WaitForEdge waits like gpiotest.Pin's, and also returns when Halt is
// called, so antrid stops at once in demo mode.
func (p *simPin) WaitForEdge(timeout time.Duration) bool {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case l := <-p.EdgesChan:
		_ = p.Pin.Out(l)
		if l == p.active {
			p.release()
		}
		return true
	case <-t.C:
	case <-p.halt:
	}
	return false
}

// release lets the button go hold after the watcher saw it go down. Timing
// the hold from the watcher's view, not from Press, keeps a busy machine
// from squeezing a press below the denoise window, which a finger never does.
func (p *simPin) release() {
	p.mu.Lock()
	if len(p.holds) == 0 {
		p.mu.Unlock()
		return
	}
	hold := p.holds[0]
	p.holds = p.holds[1:]
	p.mu.Unlock()
	time.AfterFunc(hold, func() { _ = p.edge(!p.active) })
}

// Halt interrupts a pending WaitForEdge, as gpioioctl's does.
func (p *simPin) Halt() error {
	select {
	case p.halt <- struct{}{}:
	default:
	}
	return nil
}

// Press holds the button down for hold (DefaultHold if 0), then releases it.
// It returns at once; the press counts once the Debouncer has seen the level
// hold for its denoise window.
func (s *SimPins) Press(pin string, hold time.Duration) error {
	s.mu.Lock()
	p, ok := s.pins[pin]
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("%s: %w", pin, ErrUnknownPin)
	}
	if hold <= 0 {
		hold = DefaultHold
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.edge(p.active); err != nil {
		return err
	}
	p.holds = append(p.holds, hold)
	return nil
}

// edge queues a level change as the kernel queues a GPIO event.
func (p *simPin) edge(l gpio.Level) error {
	select {
	case p.EdgesChan <- l:
		return nil
	default:
		return errors.New("terlalu banyak tekanan tertunda; tunggu sebentar")
	}
}

// Names lists the simulated pins.
func (s *SimPins) Names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for n := range s.pins {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
