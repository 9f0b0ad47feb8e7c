package button

import (
	"context"
	"errors"
	"time"

	"periph.io/x/conn/v3/gpio"
)

// Clock tells the time. The daemon uses SystemClock; tests use a fake clock
// that moves only when the test says so.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock (with its monotonic reading, so a wall clock
// step by NTP does not fake a long press).
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// IdleWait is how long a watcher waits for an edge before looking at the
// context again, for pins whose WaitForEdge Halt cannot interrupt.
const IdleWait = time.Second

// ErrPinFailing is returned by Watcher.Run when the pin stops waiting for
// edges (WaitForEdge returns at once, again and again): the pin was not
// configured for edges or the GPIO chip went away.
var ErrPinFailing = errors.New("pin tidak bisa dipantau: WaitForEdge gagal berulang kali; periksa izin /dev/gpiochip* (grup gpio) lalu mulai ulang antrid")

// Watcher watches one pin configured for both edges and reports presses.
type Watcher struct {
	Pin       gpio.PinIn
	Active    gpio.Level // the level of a pressed button: gpio.Low for a button to ground
	Debouncer *Debouncer
	Clock     Clock
	OnPress   func(at time.Time) // called on the watcher's goroutine

	// StuckAfter, when above zero, is how long the button may stay down
	// before OnStuck is called. It is measured from the moment the debounced
	// level became active (the press, or the start of watching for a button
	// already down then), on Clock's monotonic reading: a wall-clock step
	// neither makes nor hides a stuck button.
	StuckAfter time.Duration
	OnStuck    func(since, at time.Time) // down since since; called once per hold
	OnUnstuck  func(since, at time.Time) // released at at, after OnStuck
}

// Run watches until ctx ends (nil) or the pin fails (ErrPinFailing). The pin
// must already be configured with In(pull, gpio.BothEdges).
//
// Every edge and every deadline the Debouncer asks for leads to one Update
// with the level read from the pin, so the decision is the Debouncer's alone
// and the same for real and simulated pins.
func (w *Watcher) Run(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { _ = w.Pin.Halt() }) // interrupts a pending WaitForEdge
	defer stop()
	start := w.Clock.Now()
	w.Debouncer.Reset(start, w.Pin.Read() == w.Active)
	h := hold{w: w}
	h.update(start)
	var next time.Time
	failures := 0
	for ctx.Err() == nil {
		wait := IdleWait
		if !next.IsZero() {
			wait = next.Sub(w.Clock.Now())
		}
		if due, ok := h.due(); ok {
			wait = min(wait, due.Sub(w.Clock.Now()))
		}
		// Never pass 0 or less: gpioioctl reads 0 as "wait forever".
		if wait > 0 {
			start := w.Clock.Now()
			edge := w.Pin.WaitForEdge(wait)
			if !edge && ctx.Err() == nil && w.Clock.Now().Sub(start) < wait/2 {
				if failures++; failures >= 10 {
					return ErrPinFailing
				}
			} else {
				failures = 0
			}
		}
		now := w.Clock.Now()
		press, n := w.Debouncer.Update(now, w.Pin.Read() == w.Active)
		next = n
		if press && w.OnPress != nil {
			w.OnPress(now)
		}
		h.update(now)
	}
	return nil
}

// hold follows how long the debounced level has been active, for Watcher's
// stuck-button calls.
type hold struct {
	w     *Watcher
	since time.Time // when the debounced level became active; zero while released
	stuck bool      // OnStuck was called for this hold
}

// update looks at the debounced level at now.
func (h *hold) update(now time.Time) {
	switch {
	case !h.w.Debouncer.Active():
		if h.stuck && h.w.OnUnstuck != nil {
			h.w.OnUnstuck(h.since, now)
		}
		h.since, h.stuck = time.Time{}, false
	case h.since.IsZero():
		h.since = now
	}
	if !h.since.IsZero() && !h.stuck && h.w.StuckAfter > 0 && now.Sub(h.since) >= h.w.StuckAfter {
		h.stuck = true
		if h.w.OnStuck != nil {
			h.w.OnStuck(h.since, now)
		}
	}
}

// due is when a held button becomes stuck, if it is held and not yet stuck.
func (h *hold) due() (time.Time, bool) {
	if h.since.IsZero() || h.stuck || h.w.StuckAfter <= 0 {
		return time.Time{}, false
	}
	return h.since.Add(h.w.StuckAfter), true
}
