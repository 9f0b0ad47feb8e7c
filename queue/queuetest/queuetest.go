// Package queuetest opens real queues on throwaway stores, for the tests of
// the packages around queue: the display, devices, sync and headquarters
// tests all need an office with a fake clock, as periph's gpiotest gives
// tests a pin.
package queuetest

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
)

// Config parses config text, failing the test on any problem.
func Config(t testing.TB, text string) *queue.Config {
	t.Helper()
	cfg, err := queue.ParseConfig("uji.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// OpenConfig opens a fresh store in a temporary folder (closed when the test
// ends) and returns the office's queue on a fake clock set to at.
func OpenConfig(t testing.TB, cfg *queue.Config, at time.Time) (*queue.Queue, *queue.FakeClock) {
	t.Helper()
	st, err := queue.OpenStore(filepath.Join(t.TempDir(), "antri.db"))
	if err != nil {
		t.Fatal(err)
	}
	clk := queue.NewFakeClock(at)
	q := queue.New(cfg, st, clk)
	t.Cleanup(func() {
		q.Close()
		st.Close()
	})
	return q, clk
}

// Open is OpenConfig with config text.
func Open(t testing.TB, text string, at time.Time) (*queue.Queue, *queue.FakeClock) {
	t.Helper()
	return OpenConfig(t, Config(t, text), at)
}
