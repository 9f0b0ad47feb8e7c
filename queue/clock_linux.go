package queue

import (
	"errors"
	"fmt"
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

// timesyncdSynchronized is the file systemd-timesyncd creates once it has synchronised
// the clock in this boot.
const timesyncdSynchronized = "/run/systemd/timesync/synchronized"

// Synchronized reports whether a time server keeps the wall clock right: the kernel's
// STA_UNSYNC flag is clear, which systemd-timesyncd and chrony both do once they have
// synchronised (adjtimex with no modes only reads, and needs no privilege). Where
// adjtimex is refused (a seccomp filter), timesyncd's flag file answers instead.
func (c *SystemClock) Synchronized() bool {
	var tx unix.Timex
	if _, err := unix.Adjtimex(&tx); err == nil {
		return tx.Status&unix.STA_UNSYNC == 0
	}
	_, err := os.Stat(timesyncdSynchronized)
	return err == nil
}

// SetWall sets the system's wall clock (CLOCK_REALTIME). It needs CAP_SYS_TIME, which
// deploy/antrid.service grants antrid for the admin page's "set the clock".
func (c *SystemClock) SetWall(t time.Time) error {
	ts := unix.NsecToTimespec(t.UnixNano())
	if err := unix.ClockSettime(unix.CLOCK_REALTIME, &ts); err != nil {
		if errors.Is(err, unix.EPERM) {
			return fmt.Errorf("antrid tidak diizinkan menyetel jam sistem (perlu CAP_SYS_TIME; lihat AmbientCapabilities di deploy/antrid.service): %w", err)
		}
		return fmt.Errorf("menyetel jam sistem: %w", err)
	}
	return nil
}
