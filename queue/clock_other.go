//go:build !linux

package queue

import (
	"errors"
	"time"
)

var processStart = time.Now()

// SystemClock on systems other than Linux measures from the start of the
// process: durations survive clock steps but not restarts.
type SystemClock struct{ boot string }

// NewSystemClock returns a clock whose boot is this process.
func NewSystemClock() *SystemClock { return &SystemClock{boot: processBoot()} }

// Now returns the current instant.
func (c *SystemClock) Now() Instant {
	now := time.Now()
	return Instant{Wall: now, Boot: c.boot, Mono: now.Sub(processStart)}
}

// Synchronized is true: desktop systems keep their own clock right.
func (c *SystemClock) Synchronized() bool { return true }

// SetWall is not supported outside Linux.
func (c *SystemClock) SetWall(time.Time) error {
	return errors.New("menyetel jam hanya didukung di Linux")
}
