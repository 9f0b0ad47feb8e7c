package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
)

// The clock rows of issue 10's attack table, against the real antrid: a Pi that boots
// with a stale clock which NTP then steps forward, and a clock stepped back between two
// calls. The machine running the tests keeps its clock: these daemons are built with
// -tags antri_testclock (clock_testhook.go), whose clock is the kernel's with the wall
// clock offset and the NTP state read from a file the test rewrites. The rules behind
// the answers are tested one by one in queue/day_test.go.

const clockConfig = `
[office]
id = "mpp-uji-jam"
name = "MPP Uji Jam"
timezone = "Asia/Jakarta"
admin_token = "admin-uji-jam-0000000001"

[[service]]
code = "A"
name = "Perizinan"
wait_standard = "15m"
service_standard = "10m"

[[service]]
code = "B"
name = "Kependudukan"
wait_standard = "15m"
service_standard = "10m"

[[counter]]
id = "1"
name = "Loket 1"
services = ["A", "B"]
token = "loket-uji-jam-000000001"

[[counter]]
id = "2"
name = "Loket 2"
services = ["B"]
token = "loket-uji-jam-000000002"
`

const clockAdmin = "admin-uji-jam-0000000001"

// buildAntridTestClock compiles the daemon with the test clock, once per test binary.
var buildAntridTestClock = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "antrid-testclock")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "antrid")
	out, err := exec.Command("go", "build", "-tags", "antri_testclock", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build -tags antri_testclock: %v\n%s", err, out)
	}
	return bin, nil
})

// dayCloseEvery in the test daemons: the day close looks ten times a second.
const testDayCloseEvery = 100 * time.Millisecond

// clockControl is the file the test daemons read their clock from.
type clockControl struct {
	t    *testing.T
	path string
}

// clockFixture builds the test-clock antrid and points it at a clock file; it gives the
// binary, the config, the data folder and the clock.
func clockFixture(t *testing.T) (bin, cfg, data string, clk *clockControl) {
	t.Helper()
	bin = built(t, buildAntridTestClock)
	cfg, data = writeFixture(t, clockConfig)
	clk = &clockControl{t: t, path: filepath.Join(t.TempDir(), "jam.json")}
	t.Setenv("ANTRI_TEST_CLOCK", clk.path)
	t.Setenv("ANTRI_TEST_DAY_CLOSE_EVERY", testDayCloseEvery.String())
	return bin, cfg, data, clk
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

func (d *antridProc) state() queue.State {
	d.t.Helper()
	code, raw := d.do("GET", "/api/state", "")
	var st queue.State
	if err := json.Unmarshal(raw, &st); code != http.StatusOK || err != nil {
		d.t.Fatalf("/api/state: %d %v %s", code, err, raw)
	}
	return st
}

func (d *antridProc) clock() queue.ClockStatus {
	d.t.Helper()
	code, raw := d.doAs("GET", "/api/admin/clock", clockAdmin, "")
	var st queue.ClockStatus
	if err := json.Unmarshal(raw, &st); code != http.StatusOK || err != nil {
		d.t.Fatalf("/api/admin/clock: %d %v %s", code, err, raw)
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
func yesterdaysOffice(t *testing.T, bin, cfg, data string, clk *clockControl) (yesterday string) {
	t.Helper()
	clk.set(-24*time.Hour, true, "kemarin")
	d := runDaemonProc(t, bin, cfg, data)
	d.mustIssue(2)
	d.stop()
	return localDay(time.Now().Add(-24 * time.Hour))
}

func TestClockAttackStaleBootThenNTPStepsForward(t *testing.T) {
	bin, cfg, data, clk := clockFixture(t)
	y := yesterdaysOffice(t, bin, cfg, data, clk)

	// This morning the Pi boots with the time it was switched off (4 h after those
	// tickets), and no time server yet.
	clk.set(-20*time.Hour, false, "pagi")
	d := runDaemonProc(t, bin, cfg, data)
	letDayCloseRun()
	if w := waiting(d.state()); w != "A-001 "+y+", A-002 "+y {
		t.Fatalf("after a boot with a stale clock: waiting %q", w)
	}
	if got := strings.Join(d.mustIssue(2), " "); got != "A-003 A-004" {
		t.Fatalf("before the clock is known the numbers go on: %s", got)
	}

	// NTP answers: the wall clock jumps 20 h forward, to the real time.
	clk.set(0, true, "pagi")
	letDayCloseRun()
	_, tk, _ := d.issue()
	if tk == nil || tk.Number != "A-005" || tk.Day != y {
		t.Fatalf("the first ticket after the step: %+v; want A-005 of %s, no second A-001", tk, y)
	}
	letDayCloseRun()
	st := d.state()
	if w := waiting(st); w != fmt.Sprintf("A-001 %[1]s, A-002 %[1]s, A-003 %[1]s, A-004 %[1]s, A-005 %[1]s", y) {
		t.Fatalf("after the step nobody may expire: waiting %q", w)
	}
	if st.Day != y {
		t.Fatalf("office day %s after the step, want %s held until the next midnight", st.Day, y)
	}
	if c := d.clock(); !c.Known || !c.Synchronized || c.OfficeDay != y || !strings.Contains(c.Problem, "ditahan") {
		t.Fatalf("clock status after the step: %+v", c)
	}
	d.stop()
}

func TestClockAttackBackwardStepKeepsTheLatestCall(t *testing.T) {
	bin, cfg, data, clk := clockFixture(t)
	clk.set(0, true, "satu")
	d := runDaemonProc(t, bin, cfg, data)
	for range 2 {
		if code, raw := d.do("POST", "/api/tickets", `{"service":"B"}`); code != http.StatusCreated {
			t.Fatalf("ticket: %d %s", code, raw)
		}
	}
	if code, raw := d.doAs("POST", "/api/counters/1/call", "loket-uji-jam-000000001", ""); code != http.StatusOK {
		t.Fatalf("call at counter 1: %d %s", code, raw)
	}
	clk.set(-time.Hour, true, "satu") // NTP steps the clock back an hour
	if code, raw := d.doAs("POST", "/api/counters/2/call", "loket-uji-jam-000000002", ""); code != http.StatusOK {
		t.Fatalf("call at counter 2: %d %s", code, raw)
	}
	st := d.state()
	if len(st.Called) != 2 || st.Called[0].Number != "B-002" || st.Called[1].Number != "B-001" {
		var got []string
		for _, tk := range st.Called {
			got = append(got, tk.Number)
		}
		t.Fatalf("latest calls after a backward step: %v, want B-002 then B-001", got)
	}
	d.stop()
}

// An office without a time server: the admin sets the real daemon's clock from the admin
// page; yesterday's leftovers expire and today's numbering starts.
func TestClockAdminSetsTheClockOfTheDaemon(t *testing.T) {
	bin, cfg, data, clk := clockFixture(t)
	y := yesterdaysOffice(t, bin, cfg, data, clk)
	clk.set(-20*time.Hour, false, "pagi")
	d := runDaemonProc(t, bin, cfg, data)
	if c := d.clock(); c.Known || !c.Settable || c.OfficeDay != y {
		t.Fatalf("clock status of a stale boot: %+v", c)
	}
	now := time.Now()
	code, raw := d.doAs("POST", "/api/admin/clock", clockAdmin, `{"time":"`+now.Format(time.RFC3339)+`"}`)
	var c queue.ClockStatus
	if err := json.Unmarshal(raw, &c); code != http.StatusOK || err != nil {
		t.Fatalf("setting the clock: %d %s", code, raw)
	}
	today := localDay(now)
	if !c.Known || c.Source != queue.SourceAdmin || c.OfficeDay != today {
		t.Fatalf("clock status after the admin set it: %+v", c)
	}
	if off := time.Until(c.Now); off > time.Minute || off < -time.Minute {
		t.Fatalf("the daemon's clock is %v off after it was set", off)
	}
	if w := waiting(d.state()); w != "" {
		t.Fatalf("yesterday's tickets still waiting: %q", w)
	}
	_, tk, _ := d.issue()
	if tk == nil || tk.Number != "A-001" || tk.Day != today {
		t.Fatalf("the first ticket after the clock was set: %+v", tk)
	}
	d.stop()
}

// The release build has no test clock: ANTRI_TEST_CLOCK changes nothing.
func TestReleaseBuildIgnoresTheTestClock(t *testing.T) {
	bin, cfg, data := storageFixture(t, 1)
	path := filepath.Join(t.TempDir(), "jam.json")
	b, _ := json.Marshal(clockControlFile{Step: "-14h", Synchronized: true, Boot: "palsu"})
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ANTRI_TEST_CLOCK", path)
	d := runDaemonProc(t, bin, cfg, data)
	code, raw := d.doAs("GET", "/api/admin/clock", "admin-uji-penyimpanan-0001", "")
	var c queue.ClockStatus
	if err := json.Unmarshal(raw, &c); code != http.StatusOK || err != nil {
		t.Fatalf("/api/admin/clock: %d %s", code, raw)
	}
	if off := time.Until(c.Now); off > time.Minute || off < -time.Minute {
		t.Fatalf("the release build took its clock from ANTRI_TEST_CLOCK: %v off", off)
	}
	d.stop()
}
