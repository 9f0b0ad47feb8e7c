package main

import (
	"fmt"
	"sync"
	"time"

	"github.com/antri-id/antri/queue"
)

// trainingClock is a training office's clock: it starts at the scenario's morning and
// runs speed times faster than real time, on the machine's monotonic clock (a step of the
// real wall clock does not move it). Pages, the forecast, the standards and the reports
// all read it, so a morning of three hours plays in minutes with every figure as it
// would be. It is always "synchronised": the training office's day is the scenario's.
//
// The simulator holds it at its next action (holdAt): the clock never runs past a
// citizen who has not yet taken a number. At a speed the machine cannot keep up with,
// simulated time slows down instead of leaving the simulator behind (citizens arriving
// after closing time in the record of a morning).
type trainingClock struct {
	mu       sync.Mutex
	base     time.Time // the simulated wall time at baseReal
	baseReal time.Time // a real time, with its monotonic reading
	limit    time.Time // the clock stops here until the limit moves; zero: no limit
	speed    float64
	start    time.Time
	boot     string
}

// newTrainingClock is held at start until the simulator lets it run.
func newTrainingClock(start time.Time, speed float64) *trainingClock {
	return &trainingClock{base: start, baseReal: time.Now(), limit: start, speed: speed, start: start,
		boot: fmt.Sprintf("latihan-%d", time.Now().UnixNano())}
}

// Now is the simulated instant.
func (c *trainingClock) Now() queue.Instant {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	t := c.base.Add(time.Duration(float64(now.Sub(c.baseReal)) * c.speed))
	if !c.limit.IsZero() && t.After(c.limit) {
		// Held: time resumes from the limit once it moves.
		t, c.base, c.baseReal = c.limit, c.limit, now
	}
	return queue.Instant{Wall: t, Boot: c.boot, Mono: t.Sub(c.start)}
}

// holdAt lets the clock run up to t and no further. The limit only moves forward.
func (c *trainingClock) holdAt(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.limit) {
		c.limit = t
	}
}

// Synchronized is always true: a training office keeps the scenario's day.
func (c *trainingClock) Synchronized() bool { return true }

// realFor is how long real time takes to pass d of simulated time (at least 1 ms, so
// that a loop waiting on it never spins).
func (c *trainingClock) realFor(d time.Duration) time.Duration {
	return max(time.Duration(float64(d)/c.speed), time.Millisecond)
}

// sleepUntil lets the clock run to t and waits until it reads t, or until done closes
// (false).
func (c *trainingClock) sleepUntil(done <-chan struct{}, t time.Time) bool {
	c.holdAt(t)
	for {
		left := t.Sub(c.Now().Wall)
		if left <= 0 {
			return true
		}
		timer := time.NewTimer(c.realFor(left))
		select {
		case <-done:
			timer.Stop()
			return false
		case <-timer.C:
		}
	}
}
