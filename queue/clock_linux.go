package queue

import (
	"os"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// SystemClock reads the wall clock and the kernel's CLOCK_BOOTTIME, which
// counts from boot, never steps, and is shared by every process of the boot,
// so durations stay right across a restart of the daemon.
type SystemClock struct{ boot string }

// NewSystemClock identifies the current boot from the kernel's boot_id.
func NewSystemClock() *SystemClock {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return &SystemClock{boot: processBoot()}
	}
	return &SystemClock{boot: strings.TrimSpace(string(b))}
}

// Now returns the current instant.
func (c *SystemClock) Now() Instant {
	var ts unix.Timespec
	wall := time.Now()
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
		return Instant{Wall: wall}
	}
	return Instant{Wall: wall, Boot: c.boot, Mono: time.Duration(ts.Nano())}
}
