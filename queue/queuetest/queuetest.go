// Package queuetest opens real queues on throwaway stores, for the tests of
// the packages around queue: the display, devices, sync and headquarters
// tests all need an office with a fake clock, as periph's gpiotest gives
// tests a pin.
//
// The offices are the config files of testdata/, one fixture folder for the
// whole repository (queue's own tests, package queue_test, use them too):
//
//   - "office": the test office, two services and two counters, always open;
//   - "reports": short standards and a complaint standard, for report figures;
//   - "pages": agency names and Standar Pelayanan texts, for the web pages;
//   - "tickets": what a printed ticket carries, in WITA;
//   - "mpp": a Mal Pelayanan Publik's size, 24 services and 36 counters, for the
//     live pages' snapshot sizes and their load generator (make bench-live);
//   - "mpp40": the top of issue 11's range, 40 services of 22 agencies, 40
//     counters and 3 zones ([[display]]), in WITA, for the waiting-room
//     display at every screen size and the voice that says every name.
//
// A test that needs a variation changes the parsed config with an edit
// function of [Office] instead of carrying a copy of the file.
//
// The package also holds the few helpers every test package needs: a wait
// with a deadline ([Eventually]) and the rule for missing tools ([NeedTool],
// [SkipUnlessCI]). Production code never imports it.
package queuetest

import (
	"bytes"
	"context"
	"embed"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/antri-id/antri/deploy"
	"github.com/antri-id/antri/queue"
)

//go:embed testdata/*.toml
var fixtures embed.FS

// Fixture is the text of the office config testdata/<name>.toml. It panics
// on a name that is not there: the fixtures are compiled in, so that is a
// mistake in the test, not in what it tests.
func Fixture(name string) []byte {
	b, err := fixtures.ReadFile("testdata/" + name + ".toml")
	if err != nil {
		names, _ := fs.Glob(fixtures, "testdata/*.toml")
		panic("queuetest: no fixture " + name + " (there are " + strings.Join(names, ", ") + ")")
	}
	return b
}

// Config parses config text, failing the test on any problem.
func Config(t testing.TB, text string) *queue.Config {
	t.Helper()
	cfg, err := queue.ParseConfig("uji.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Office is the parsed fixture name, changed by edits. An edit sets the
// fields a config file has (Office.Open, Services[1].DailyQuota, ...); the
// result is written back as TOML and parsed again, so the parsed forms
// (OpenAt, Location, Wait, ...) follow and the change is checked like a
// technician's file.
func Office(t testing.TB, name string, edits ...func(*queue.Config)) *queue.Config {
	t.Helper()
	return edit(t, Config(t, string(Fixture(name))), edits)
}

// Example is the realistic office of deploy/antrid.example.toml (four
// agencies' services, four counters, twelve buttons, quotas), the config
// technicians start from, changed by edits as in Office.
func Example(t testing.TB, edits ...func(*queue.Config)) *queue.Config {
	t.Helper()
	return edit(t, Config(t, string(deploy.ExampleConfig)), edits)
}

// AlwaysOpen is an edit that removes the office hours: tickets are taken at
// any hour, whatever the time a test runs at.
func AlwaysOpen(c *queue.Config) { c.Office.Open, c.Office.Close = "", "" }

func edit(t testing.TB, cfg *queue.Config, edits []func(*queue.Config)) *queue.Config {
	t.Helper()
	if len(edits) == 0 {
		return cfg
	}
	for _, e := range edits {
		e(cfg)
	}
	var text bytes.Buffer
	if err := toml.NewEncoder(&text).Encode(cfg); err != nil {
		t.Fatalf("writing the edited config: %v", err)
	}
	return Config(t, text.String())
}

// ConfigFile writes the fixture name, changed by edits as in Office, to a
// config file in a temporary folder and returns its path, for what reads a
// file: antrid's -config.
func ConfigFile(t testing.TB, name string, edits ...func(*queue.Config)) string {
	t.Helper()
	text := Fixture(name)
	if len(edits) > 0 {
		var b bytes.Buffer
		if err := toml.NewEncoder(&b).Encode(Office(t, name, edits...)); err != nil {
			t.Fatalf("writing the edited config: %v", err)
		}
		text = b.Bytes()
	}
	path := filepath.Join(t.TempDir(), "antri.toml")
	if err := os.WriteFile(path, text, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// OfficeFile writes Office(t, name, edits...) to a config file in a temporary folder
// and returns its path: an edited office for what reads a file (antrid -config).
func OfficeFile(t testing.TB, name string, edits ...func(*queue.Config)) string {
	t.Helper()
	var text bytes.Buffer
	if err := toml.NewEncoder(&text).Encode(Office(t, name, edits...)); err != nil {
		t.Fatalf("writing the config: %v", err)
	}
	path := filepath.Join(t.TempDir(), "antri.toml")
	if err := os.WriteFile(path, text.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// OpenClock opens a fresh store in a temporary folder and returns the
// office's queue on clock (nil: the system clock). Queue and store are
// closed when the test ends, so no writer goroutine outlives it.
func OpenClock(t testing.TB, cfg *queue.Config, clock queue.Clock) *queue.Queue {
	t.Helper()
	st, err := queue.OpenStore(filepath.Join(t.TempDir(), "antri.db"))
	if err != nil {
		t.Fatal(err)
	}
	q := queue.New(cfg, st, clock)
	t.Cleanup(func() {
		q.Close()
		st.Close()
	})
	return q
}

// OpenConfig is OpenClock on a fake clock set to at.
func OpenConfig(t testing.TB, cfg *queue.Config, at time.Time) (*queue.Queue, *queue.FakeClock) {
	t.Helper()
	clk := queue.NewFakeClock(at)
	return OpenClock(t, cfg, clk), clk
}

// Open is OpenConfig with the fixture name.
func Open(t testing.TB, name string, at time.Time) (*queue.Queue, *queue.FakeClock) {
	t.Helper()
	return OpenConfig(t, Office(t, name), at)
}

// Do runs a command on q, failing the test on a refusal or error, and returns the
// ticket it acted on: for a test that builds a history before what it tests.
func Do(t testing.TB, q *queue.Queue, c queue.Command) *queue.Ticket {
	t.Helper()
	tk, err := q.Do(context.Background(), c)
	if err != nil {
		t.Fatalf("%T: %v", c, err)
	}
	return tk
}
