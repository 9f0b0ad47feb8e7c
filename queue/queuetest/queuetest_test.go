package queuetest_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

func TestOpenGivesAWorkingOfficeOnAFakeClock(t *testing.T) {
	q, clk := queuetest.Open(t, "office", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	tk, _ := q.Do(context.Background(), queue.Issue{Service: "A"})
	clk.Advance(5 * time.Minute)
	called, _ := q.Do(context.Background(), queue.Call{Counter: "1"})
	if got := fmt.Sprint(tk.Number, " ", called.Stage, " ", called.CalledAt.Sub(tk.IssuedAt)); got != "A-001 called 5m0s" {
		t.Fatal(got)
	}
}

// The queue a test opens is closed when it ends: its writer goroutine does
// not outlive the test.
func TestOpenClosesTheQueueWhenTheTestEnds(t *testing.T) {
	var q *queue.Queue
	t.Run("open", func(t *testing.T) {
		q, _ = queuetest.Open(t, "office", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	})
	if _, err := q.Do(context.Background(), queue.Issue{Service: "A"}); !errors.Is(err, queue.ErrClosed) {
		t.Fatalf("Do after the test ended: %v, want ErrClosed", err)
	}
}

// Every file of the fixture folder is a valid office.
func TestEveryFixtureParses(t *testing.T) {
	names, err := filepath.Glob("testdata/*.toml")
	if err != nil || len(names) < 4 {
		t.Fatalf("fixtures %v (%v)", names, err)
	}
	for _, p := range names {
		name := strings.TrimSuffix(filepath.Base(p), ".toml")
		if cfg, err := queue.ParseConfig(p, queuetest.Fixture(name)); err != nil || len(cfg.Services) == 0 {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// The MPP office is what `make bench-live` starts the real antrid with, which refuses
// guessable tokens outside -demo: its tokens must pass, or the benchmark cannot run.
func TestTheBenchmarkOfficeHasNoGuessableSecrets(t *testing.T) {
	cfg, err := queue.ParseConfig("mpp.toml", queuetest.Fixture("mpp"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range cfg.SecretProblems() {
		t.Errorf("mpp.toml line %d: %s", p.Line, p.Msg)
	}
}

// An edit changes what it says and the parsed forms that follow from it;
// everything else stays as the fixture has it.
func TestOfficeEditsAreParsedAgain(t *testing.T) {
	cfg := queuetest.Office(t, "office", func(c *queue.Config) {
		c.Office.Open, c.Office.Close = "08:00", "15:00"
		c.Office.Timezone = "Asia/Jayapura"
		c.Services[1].DailyQuota = 1
	})
	b, _ := cfg.Service("B")
	if cfg.Office.OpenAt != 8*time.Hour || cfg.Office.CloseAt != 15*time.Hour || cfg.Location.String() != "Asia/Jayapura" || b.DailyQuota != 1 {
		t.Errorf("edited: open %v–%v in %v, B's quota %d", cfg.Office.OpenAt, cfg.Office.CloseAt, cfg.Location, b.DailyQuota)
	}
	if a, _ := cfg.Service("A"); a.Wait != 15*time.Minute || a.Service != 10*time.Minute || len(cfg.Counters) != 2 || cfg.Office.ID != "mpp-uji" {
		t.Errorf("the rest changed: A %+v, %d counters, office %q", a, len(cfg.Counters), cfg.Office.ID)
	}
	if plain := queuetest.Office(t, "office"); plain.Office.OpenAt != 0 || plain.Location.String() != "Asia/Jakarta" {
		t.Errorf("the edit reached the fixture itself: %+v", plain.Office)
	}
}

// The example office keeps its services and counters; AlwaysOpen takes
// tickets at any hour.
func TestExampleAlwaysOpen(t *testing.T) {
	cfg := queuetest.Example(t, queuetest.AlwaysOpen)
	if len(cfg.Services) < 4 || len(cfg.Buttons) == 0 || cfg.Office.ID != "mpp-kota-contoh" {
		t.Errorf("example office %+v", cfg.Office)
	}
	if !cfg.OpenAt(time.Date(2026, 3, 2, 23, 0, 0, 0, cfg.Location)) || queuetest.Example(t).OpenAt(time.Date(2026, 3, 2, 23, 0, 0, 0, cfg.Location)) {
		t.Error("AlwaysOpen should take tickets at 23:00, the example office should not")
	}
}

func TestConfigFileIsTheFixture(t *testing.T) {
	cfg, err := queue.LoadConfig(queuetest.ConfigFile(t, "reports"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Office.ComplaintDuration != 48*time.Hour {
		t.Errorf("complaint standard %v, want the reports fixture's 48h", cfg.Office.ComplaintDuration)
	}
}

func TestUnknownFixturePanicsWithTheNames(t *testing.T) {
	defer func() {
		if r := fmt.Sprint(recover()); !strings.Contains(r, "testdata/office.toml") {
			t.Errorf("panic %q, want the list of fixtures", r)
		}
	}()
	queuetest.Fixture("kantor")
}

func TestEventuallyWaitsForTheCondition(t *testing.T) {
	n := 0
	queuetest.Eventually(t, "the third look", func() bool { n++; return n == 3 })
	if n != 3 {
		t.Fatalf("looked %d times", n)
	}
}
