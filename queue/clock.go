package queue

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Instant is one moment as the appliance saw it: the wall clock, which reports
// need, and a reading of the kernel's boot-time clock, which durations need.
//
// A Raspberry Pi has no real-time clock: it boots with a guessed wall time and
// jumps when NTP synchronises. Two instants taken during the same boot are
// compared on Mono, which never jumps; only across a reboot does Elapsed fall
// back to the wall clock.
type Instant struct {
	Wall time.Time     // wall-clock time, used for days, months and display
	Boot string        // identifies the boot (kernel boot_id); empty if unknown
	Mono time.Duration // time since boot on a clock that never steps
}

// Elapsed is the duration from a to b. Within one boot it uses the monotonic
// reading, so a clock step between a and b does not change it. A negative
// result (possible only across boots with a wrong wall clock) is zero.
func Elapsed(a, b Instant) time.Duration {
	var d time.Duration
	if a.Boot != "" && a.Boot == b.Boot {
		d = b.Mono - a.Mono
	} else {
		d = b.Wall.Sub(a.Wall)
	}
	if d < 0 {
		return 0
	}
	return d
}

// IsZero reports whether the instant was never set.
func (i Instant) IsZero() bool { return i.Wall.IsZero() }

// String encodes the instant for storage as "RFC3339Nano(UTC) boot mono_ns".
// The wall part comes first and in UTC so that stored instants sort by time.
func (i Instant) String() string {
	if i.IsZero() {
		return ""
	}
	return i.Wall.UTC().Format(time.RFC3339Nano) + " " + i.Boot + " " + strconv.FormatInt(int64(i.Mono), 10)
}

// ParseInstant reverses Instant.String. An empty string is the zero Instant.
func ParseInstant(s string) (Instant, error) {
	if s == "" {
		return Instant{}, nil
	}
	wall, rest, ok1 := strings.Cut(s, " ")
	boot, mono, ok2 := strings.Cut(rest, " ")
	if !ok1 || !ok2 {
		return Instant{}, fmt.Errorf("instant %q: want \"wall boot mono\"", s)
	}
	w, err := time.Parse(time.RFC3339Nano, wall)
	if err != nil {
		return Instant{}, fmt.Errorf("instant %q: %w", s, err)
	}
	m, err := strconv.ParseInt(mono, 10, 64)
	if err != nil {
		return Instant{}, fmt.Errorf("instant %q: %w", s, err)
	}
	return Instant{Wall: w, Boot: boot, Mono: time.Duration(m)}, nil
}

// Clock tells the time. The daemon uses SystemClock; tests use FakeClock.
type Clock interface {
	Now() Instant
}

// SyncedClock is a Clock that knows whether its wall time is kept right by a time server
// (NTP). The office day follows the wall clock only while it is (queue/day.go); a Clock
// without this method is taken as synchronised.
type SyncedClock interface {
	Clock
	Synchronized() bool
}

// WallSetter is a Clock whose wall time can be set: the admin page's "set the clock"
// for an office without a time server (Queue.SetClock).
type WallSetter interface {
	Clock
	SetWall(t time.Time) error
}

// FakeClock is a Clock for tests. Advance moves both readings like real time
// passing; Step moves only the wall clock, like NTP correcting a Pi that
// booted without a real-time clock. It starts synchronised; SetSynchronized(false)
// makes it a Pi that has not reached a time server yet.
type FakeClock struct {
	mu       sync.Mutex
	now      Instant
	unsynced bool
}

// NewFakeClock returns a FakeClock at wall time t, at 1 h of uptime in boot "fake-boot".
func NewFakeClock(t time.Time) *FakeClock {
	return &FakeClock{now: Instant{Wall: t, Boot: "fake-boot", Mono: time.Hour}}
}

// Now returns the fake current instant.
func (c *FakeClock) Now() Instant {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance lets d of real time pass.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now.Wall = c.now.Wall.Add(d)
	c.now.Mono += d
	c.mu.Unlock()
}

// Step jumps the wall clock by d without any time passing.
func (c *FakeClock) Step(d time.Duration) {
	c.mu.Lock()
	c.now.Wall = c.now.Wall.Add(d)
	c.mu.Unlock()
}

// Reboot simulates a restart of the machine: a new boot id, the monotonic
// clock restarting near zero, the wall clock unchanged.
func (c *FakeClock) Reboot(bootID string) {
	c.mu.Lock()
	c.now.Boot = bootID
	c.now.Mono = 10 * time.Second
	c.mu.Unlock()
}

// Synchronized reports whether the fake clock plays a clock kept right by a time server.
func (c *FakeClock) Synchronized() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.unsynced
}

// SetSynchronized makes the fake clock synchronised with a time server, or not.
func (c *FakeClock) SetSynchronized(ok bool) {
	c.mu.Lock()
	c.unsynced = !ok
	c.mu.Unlock()
}

// SetWall steps the wall clock to t, as setting the system clock does.
func (c *FakeClock) SetWall(t time.Time) error {
	c.mu.Lock()
	c.now.Wall = t
	c.mu.Unlock()
	return nil
}
