package button

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"
)

// fakeClock moves only when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// step is a change of a button's level at a time after the script starts.
type step struct {
	at   time.Duration
	down bool
}

// scriptPin is a gpiotest pin whose edges come from a script on a fake clock:
// WaitForEdge jumps the clock to the next scripted edge, or to the end of the
// timeout when that comes first. The watcher under test cannot tell it from
// a pin that really waited.
type scriptPin struct {
	*gpiotest.Pin
	clk    *fakeClock
	t0     time.Time
	steps  []step
	end    time.Duration
	cancel func()
	active gpio.Level
}

func (s *scriptPin) level(down bool) gpio.Level {
	if down {
		return s.active
	}
	return !s.active
}

func (s *scriptPin) WaitForEdge(timeout time.Duration) bool {
	limit := s.clk.Now().Add(timeout)
	if len(s.steps) > 0 {
		if at := s.t0.Add(s.steps[0].at); at.Before(limit) {
			s.clk.set(at)
			_ = s.Out(s.level(s.steps[0].down))
			s.steps = s.steps[1:]
			return true
		}
	}
	if end := s.t0.Add(s.end); !end.After(limit) {
		s.clk.set(end)
		s.cancel()
		return false
	}
	s.clk.set(limit)
	return false
}

// runScript watches a scripted pin with the default Debouncer and returns
// when presses happened, as offsets from the start.
func runScript(t *testing.T, active gpio.Level, startDown bool, steps []step, end time.Duration) []time.Duration {
	t.Helper()
	return watchScript(t, active, startDown, steps, end, 0).presses
}

// watched is what a Watcher reported on a script, as offsets from its start.
type watched struct {
	presses        []time.Duration
	stuck, unstuck [][2]time.Duration // {down since, reported at}
}

// watchScript runs a Watcher with StuckAfter stuckAfter on a scripted pin.
func watchScript(t *testing.T, active gpio.Level, startDown bool, steps []step, end, stuckAfter time.Duration) watched {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	clk := &fakeClock{t: t0}
	pin := &scriptPin{Pin: &gpiotest.Pin{N: "GPIO17", EdgesChan: make(chan gpio.Level)}, clk: clk, t0: t0,
		steps: steps, end: end, cancel: cancel, active: active}
	pull := gpio.PullUp
	if active == gpio.High {
		pull = gpio.PullDown
	}
	if err := pin.In(pull, gpio.BothEdges); err != nil {
		t.Fatal(err)
	}
	if startDown {
		_ = pin.Out(active)
	}
	var got watched
	w := &Watcher{Pin: pin, Active: active, Debouncer: NewDebouncer(), Clock: clk,
		OnPress:    func(at time.Time) { got.presses = append(got.presses, at.Sub(t0)) },
		StuckAfter: stuckAfter,
		OnStuck: func(since, at time.Time) {
			got.stuck = append(got.stuck, [2]time.Duration{since.Sub(t0), at.Sub(t0)})
		},
		OnUnstuck: func(since, at time.Time) {
			got.unstuck = append(got.unstuck, [2]time.Duration{since.Sub(t0), at.Sub(t0)})
		}}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if len(pin.steps) != 0 {
		t.Fatalf("script not played to the end: %v left", pin.steps)
	}
	return got
}

// TestWatcherStuckButton: a hold is stuck StuckAfter after the press itself
// (without waiting for any edge or poll), once per hold, and released at its
// release; a button down when watching starts counts from then.
func TestWatcherStuckButton(t *testing.T) {
	const s = time.Second
	type span = [2]time.Duration
	cases := []struct {
		name           string
		startDown      bool
		steps          []step
		end            time.Duration
		stuck, unstuck []span
	}{
		{name: "9 s hold is no stuck button",
			steps: []step{{0, true}, {9 * s, false}}, end: 30 * s},
		{name: "25 s hold: stuck 10 s after the press, released at 25 s",
			steps: []step{{0, true}, {25 * s, false}}, end: 30 * s,
			stuck: []span{{5 * ms, 10*s + 5*ms}}, unstuck: []span{{5 * ms, 25*s + 5*ms}}},
		{name: "two long holds: two notices each",
			steps: []step{{0, true}, {12 * s, false}, {20 * s, true}, {40 * s, false}}, end: 50 * s,
			stuck:   []span{{5 * ms, 10*s + 5*ms}, {20*s + 5*ms, 30*s + 5*ms}},
			unstuck: []span{{5 * ms, 12*s + 5*ms}, {20*s + 5*ms, 40*s + 5*ms}}},
		{name: "bounce on release does not end the hold early",
			steps: []step{{0, true}, {11 * s, false}, {11*s + 1*ms, true}, {11*s + 2*ms, false}}, end: 20 * s,
			stuck: []span{{5 * ms, 10*s + 5*ms}}, unstuck: []span{{5 * ms, 11*s + 7*ms}}},
		{name: "down at start, never released", startDown: true, end: time.Minute,
			stuck: []span{{0, 10 * s}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := watchScript(t, gpio.Low, c.startDown, c.steps, c.end, 10*s)
			if !slices.Equal(got.stuck, c.stuck) || !slices.Equal(got.unstuck, c.unstuck) {
				t.Errorf("stuck %v released %v, want stuck %v released %v", got.stuck, got.unstuck, c.stuck, c.unstuck)
			}
		})
	}
}

const ms = time.Millisecond

func TestWatcherDebounce(t *testing.T) {
	cases := []struct {
		name      string
		active    gpio.Level
		startDown bool
		steps     []step
		end       time.Duration
		want      []time.Duration
	}{
		{name: "clean press counts once denoise has passed", active: gpio.Low,
			steps: []step{{0, true}, {100 * ms, false}}, end: time.Second,
			want: []time.Duration{5 * ms}},
		{name: "noise shorter than denoise is ignored", active: gpio.Low,
			steps: []step{{0, true}, {1 * ms, false}, {10 * ms, true}, {14 * ms, false}, {300 * ms, true}, {304*ms + 999*time.Microsecond, false}},
			end:   time.Second},
		{name: "bounce on press and release is one press", active: gpio.Low,
			steps: []step{{0, true}, {1 * ms, false}, {2 * ms, true}, {3 * ms, false}, {4 * ms, true},
				{120 * ms, false}, {121 * ms, true}, {122 * ms, false}, {123 * ms, true}, {124 * ms, false}},
			end:  time.Second,
			want: []time.Duration{9 * ms}},
		{name: "a long bounce after the press is locked out", active: gpio.Low,
			steps: []step{{0, true}, {60 * ms, false}, {70 * ms, true}, {90 * ms, false}},
			end:   time.Second,
			want:  []time.Duration{5 * ms}},
		{name: "a 10 s hold fires once, and again only after release", active: gpio.Low,
			steps: []step{{0, true}, {10 * time.Second, false}, {11 * time.Second, true}, {11*time.Second + 100*ms, false}},
			end:   15 * time.Second,
			want:  []time.Duration{5 * ms, 11*time.Second + 5*ms}},
		{name: "two presses beyond the lockout both count", active: gpio.Low,
			steps: []step{{0, true}, {50 * ms, false}, {300 * ms, true}, {350 * ms, false}},
			end:   time.Second,
			want:  []time.Duration{5 * ms, 305 * ms}},
		{name: "a button stuck down at start fires only after a release", active: gpio.Low, startDown: true,
			steps: []step{{500 * ms, false}, {800 * ms, true}, {900 * ms, false}},
			end:   2 * time.Second,
			want:  []time.Duration{805 * ms}},
		{name: "active high with pull down", active: gpio.High,
			steps: []step{{20 * ms, true}, {70 * ms, false}},
			end:   time.Second,
			want:  []time.Duration{25 * ms}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := runScript(t, c.active, c.startDown, c.steps, c.end)
			if !slices.Equal(got, c.want) {
				t.Errorf("presses at %v, want %v", got, c.want)
			}
		})
	}
}

// TestDebouncerPolledThroughTenSecondHold feeds the level every millisecond
// for a 10 s hold, as a polling reader would: still one press.
func TestDebouncerPolledThroughTenSecondHold(t *testing.T) {
	d := NewDebouncer()
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	d.Reset(t0, false)
	var presses []time.Duration
	for at := time.Duration(0); at <= 12*time.Second; at += ms {
		down := at >= 100*ms && at < 10100*ms
		press, next := d.Update(t0.Add(at), down)
		if press {
			presses = append(presses, at)
		}
		if down != d.Active() && next.IsZero() {
			t.Fatalf("at %v the level differs from the debounced one but no deadline was asked", at)
		}
	}
	if !slices.Equal(presses, []time.Duration{105 * ms}) {
		t.Errorf("presses at %v, want one at 105ms", presses)
	}
	if d.Active() {
		t.Error("still active after release")
	}
}

// failingPin's WaitForEdge returns at once, as gpioioctl's does when the line
// was never configured for edges.
type failingPin struct{ *gpiotest.Pin }

func (failingPin) WaitForEdge(time.Duration) bool { return false }

func TestWatcherGivesUpOnAFailingPin(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	w := &Watcher{Pin: failingPin{&gpiotest.Pin{N: "GPIO4"}}, Active: gpio.Low, Debouncer: NewDebouncer(), Clock: clk}
	if err := w.Run(context.Background()); !errors.Is(err, ErrPinFailing) {
		t.Fatalf("Run = %v, want ErrPinFailing", err)
	}
}
