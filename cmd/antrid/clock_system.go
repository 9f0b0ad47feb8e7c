//go:build !antri_testclock

package main

import "github.com/antri-id/antri/queue"

// newClock is the kernel's clock: the wall clock, CLOCK_BOOTTIME and boot_id, and
// whether NTP has synchronised it (queue.SystemClock).
func newClock() queue.Clock { return queue.NewSystemClock() }
