//go:build antri_testclock

package main

// This file is compiled only into the antrid that the clock tests build
// (clock_attack_test.go: go build -tags antri_testclock); a release build has
// clock_system.go instead. It is the real queue.SystemClock with two things a test
// cannot do to the machine it runs on: step the wall clock and say whether NTP has
// synchronised it. Both come from the JSON file named by ANTRI_TEST_CLOCK, read at every
// reading, so a test steps the clock of a running daemon by rewriting the file.

import (
	"encoding/json"
	"os"
	"time"

	"github.com/antri-id/antri/queue"
)

// testClockFile is the content of $ANTRI_TEST_CLOCK.
type testClockFile struct {
	Step         string `json:"step"`           // Go duration added to the real wall clock
	Synchronized bool   `json:"synchronized"`   // what adjtimex would say
	Boot         string `json:"boot,omitempty"` // replaces the kernel's boot_id: a reboot
}

func init() {
	if v := os.Getenv("ANTRI_TEST_DAY_CLOSE_EVERY"); v != "" {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			dayCloseEvery = d
		}
	}
}

func newClock() queue.Clock {
	path := os.Getenv("ANTRI_TEST_CLOCK")
	if path == "" {
		return queue.NewSystemClock()
	}
	return &testClock{sys: queue.NewSystemClock(), path: path}
}

type testClock struct {
	sys  *queue.SystemClock
	path string
}

func (c *testClock) read() (testClockFile, time.Duration) {
	var f testClockFile
	if b, err := os.ReadFile(c.path); err == nil {
		_ = json.Unmarshal(b, &f)
	}
	step, _ := time.ParseDuration(f.Step)
	return f, step
}

// Now is the kernel's instant with the file's step and boot.
func (c *testClock) Now() queue.Instant {
	f, step := c.read()
	i := c.sys.Now()
	i.Wall = i.Wall.Add(step)
	if f.Boot != "" {
		i.Boot = f.Boot
	}
	return i
}

// Synchronized is the file's word.
func (c *testClock) Synchronized() bool {
	f, _ := c.read()
	return f.Synchronized
}

// SetWall rewrites the file's step so that the wall clock reads t now.
func (c *testClock) SetWall(t time.Time) error {
	f, _ := c.read()
	f.Step = time.Until(t).String()
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	tmp := c.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, c.path)
}
