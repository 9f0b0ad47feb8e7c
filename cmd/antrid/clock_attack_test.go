package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// The clock rows of issue 10's attack table, against the real antrid: a Pi that boots
// with a stale clock which NTP then steps forward, and a clock stepped back between two
// calls. The machine running the tests keeps its clock: these daemons are built with
// -tags antri_testclock (clock_testhook.go), whose clock is the kernel's with the wall
// clock offset and the NTP state read from a file the test rewrites. The rules behind
// the answers are tested one by one in queue/day_test.go.

// dayCloseEvery in the test daemons: the day close looks ten times a second.
const testDayCloseEvery = 100 * time.Millisecond

// clockControl is the file the test daemons read their clock from.
type clockControl struct {
	t    *testing.T
	path string
}

// clockFixture is the office on the test-clock antrid, pointed at a clock file.
func clockFixture(t *testing.T) (*appliance, *clockControl) {
	t.Helper()
	a := newAppliance(t, antridtest.TestClockBinary, 1)
	clk := &clockControl{t: t, path: filepath.Join(t.TempDir(), "jam.json")}
	t.Setenv("ANTRI_TEST_CLOCK", clk.path)
	t.Setenv("ANTRI_TEST_DAY_CLOSE_EVERY", testDayCloseEvery.String())
	return a, clk
}

// set makes the daemons' wall clock read the real time plus step, synchronised by NTP or
// not, in the given boot.
func (c *clockControl) set(step time.Duration, synchronized bool, boot string) {
	c.t.Helper()
	b, _ := json.Marshal(clockControlFile{Step: step.String(), Synchronized: synchronized, Boot: boot})
	tmp := c.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		c.t.Fatal(err)
	}
	if err := os.Rename(tmp, c.path); err != nil {
		c.t.Fatal(err)
	}
}

// clockControlFile is the clock file's content (clock_testhook.go reads the same).
type clockControlFile struct {
	Step         string `json:"step"`
	Synchronized bool   `json:"synchronized"`
	Boot         string `json:"boot,omitempty"`
}

// letDayCloseRun waits for several looks of the day close, which runs on its own.
func letDayCloseRun() { time.Sleep(10 * testDayCloseEvery) }

func state(t *testing.T, d *antridtest.Daemon) queue.State {
	t.Helper()
	var st queue.State
	if code := queuetest.Call(t, "GET", d.URL+"/api/state", "", nil, &st); code != http.StatusOK {
		t.Fatalf("/api/state: %d", code)
	}
	return st
}

func clockStatus(t *testing.T, d *antridtest.Daemon) queue.ClockStatus {
	t.Helper()
	var st queue.ClockStatus
	if code := queuetest.Call(t, "GET", d.URL+"/api/admin/clock", daemonAdmin, nil, &st); code != http.StatusOK {
		t.Fatalf("/api/admin/clock: %d", code)
	}
	return st
}

func waiting(st queue.State) string {
	var out []string
	for _, tk := range st.Waiting {
		out = append(out, tk.Number+" "+tk.Day)
	}
	return strings.Join(out, ", ")
}

func localDay(t time.Time) string {
	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	return t.In(jakarta).Format("2006-01-02")
}

// yesterdaysOffice runs the office yesterday (a synchronised clock 24 h behind the real
// one, boot "kemarin"), takes two tickets and switches the Pi off with both waiting.
func yesterdaysOffice(t *testing.T, a *appliance, clk *clockControl) (yesterday string) {
	t.Helper()
	clk.set(-24*time.Hour, true, "kemarin")
	d := a.start()
	mustIssue(t, d, 2)
	stop(t, d)
	return localDay(time.Now().Add(-24 * time.Hour))
}

func TestClockAttackStaleBootThenNTPStepsForward(t *testing.T) {
	a, clk := clockFixture(t)
	y := yesterdaysOffice(t, a, clk)

	// This morning the Pi boots with the time it was switched off (4 h after those
	// tickets), and no time server yet.
	clk.set(-20*time.Hour, false, "pagi")
	d := a.start()
	letDayCloseRun()
	if w := waiting(state(t, d)); w != "A-001 "+y+", A-002 "+y {
		t.Fatalf("after a boot with a stale clock: waiting %q", w)
	}
	if got := strings.Join(mustIssue(t, d, 2), " "); got != "A-003 A-004" {
		t.Fatalf("before the clock is known the numbers go on: %s", got)
	}

	// NTP answers: the wall clock jumps 20 h forward, to the real time.
	clk.set(0, true, "pagi")
	letDayCloseRun()
	_, tk, _ := issue(t, d)
	if tk == nil || tk.Number != "A-005" || tk.Day != y {
		t.Fatalf("the first ticket after the step: %+v; want A-005 of %s, no second A-001", tk, y)
	}
	letDayCloseRun()
	st := state(t, d)
	if w := waiting(st); w != fmt.Sprintf("A-001 %[1]s, A-002 %[1]s, A-003 %[1]s, A-004 %[1]s, A-005 %[1]s", y) {
		t.Fatalf("after the step nobody may expire: waiting %q", w)
	}
	if st.Day != y {
		t.Fatalf("office day %s after the step, want %s held until the next midnight", st.Day, y)
	}
	if c := clockStatus(t, d); !c.Known || !c.Synchronized || c.OfficeDay != y || !strings.Contains(c.Problem, "ditahan") {
		t.Fatalf("clock status after the step: %+v", c)
	}
	stop(t, d)
}

func TestClockAttackBackwardStepKeepsTheLatestCall(t *testing.T) {
	a, clk := clockFixture(t)
	clk.set(0, true, "satu")
	d := a.start()
	for range 2 {
		if code, raw, _ := queuetest.Send(t, "POST", d.URL+"/api/tickets", "", strings.NewReader(`{"service":"B"}`)); code != http.StatusCreated {
			t.Fatalf("ticket: %d %s", code, raw)
		}
	}
	if code, raw, _ := queuetest.Send(t, "POST", d.URL+"/api/counters/1/call", daemonToken("1"), nil); code != http.StatusOK {
		t.Fatalf("call at counter 1: %d %s", code, raw)
	}
	clk.set(-time.Hour, true, "satu") // NTP steps the clock back an hour
	if code, raw, _ := queuetest.Send(t, "POST", d.URL+"/api/counters/2/call", daemonToken("2"), nil); code != http.StatusOK {
		t.Fatalf("call at counter 2: %d %s", code, raw)
	}
	st := state(t, d)
	if len(st.Called) != 2 || st.Called[0].Number != "B-002" || st.Called[1].Number != "B-001" {
		var got []string
		for _, tk := range st.Called {
			got = append(got, tk.Number)
		}
		t.Fatalf("latest calls after a backward step: %v, want B-002 then B-001", got)
	}
	stop(t, d)
}

// An office without a time server: the admin sets the real daemon's clock from the admin
// page; yesterday's leftovers expire and today's numbering starts.
func TestClockAdminSetsTheClockOfTheDaemon(t *testing.T) {
	a, clk := clockFixture(t)
	y := yesterdaysOffice(t, a, clk)
	clk.set(-20*time.Hour, false, "pagi")
	d := a.start()
	if c := clockStatus(t, d); c.Known || !c.Settable || c.OfficeDay != y {
		t.Fatalf("clock status of a stale boot: %+v", c)
	}
	now := time.Now()
	var c queue.ClockStatus
	if code := queuetest.Call(t, "POST", d.URL+"/api/admin/clock", daemonAdmin, strings.NewReader(`{"time":"`+now.Format(time.RFC3339)+`"}`), &c); code != http.StatusOK {
		t.Fatalf("setting the clock: %d %+v", code, c)
	}
	today := localDay(now)
	if !c.Known || c.Source != queue.SourceAdmin || c.OfficeDay != today {
		t.Fatalf("clock status after the admin set it: %+v", c)
	}
	if off := time.Until(c.Now); off > time.Minute || off < -time.Minute {
		t.Fatalf("the daemon's clock is %v off after it was set", off)
	}
	if w := waiting(state(t, d)); w != "" {
		t.Fatalf("yesterday's tickets still waiting: %q", w)
	}
	_, tk, _ := issue(t, d)
	if tk == nil || tk.Number != "A-001" || tk.Day != today {
		t.Fatalf("the first ticket after the clock was set: %+v", tk)
	}
	stop(t, d)
}

// The release build has no test clock: ANTRI_TEST_CLOCK changes nothing.
func TestReleaseBuildIgnoresTheTestClock(t *testing.T) {
	a := newAppliance(t, antridtest.Binary, 1)
	path := filepath.Join(t.TempDir(), "jam.json")
	b, _ := json.Marshal(clockControlFile{Step: "-14h", Synchronized: true, Boot: "palsu"})
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ANTRI_TEST_CLOCK", path)
	d := a.start()
	c := clockStatus(t, d)
	if off := time.Until(c.Now); off > time.Minute || off < -time.Minute {
		t.Fatalf("the release build took its clock from ANTRI_TEST_CLOCK: %v off", off)
	}
	stop(t, d)
}
