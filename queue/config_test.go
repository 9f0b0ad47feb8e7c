package queue_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

func TestExampleConfigIsValid(t *testing.T) {
	cfg, err := queue.LoadConfig("../deploy/antrid.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Services) < 4 || len(cfg.Counters) < 4 {
		t.Fatalf("the example office should be realistic: %d services, %d counters", len(cfg.Services), len(cfg.Counters))
	}
	a, _ := cfg.Service("A")
	if a.Wait != 15*time.Minute || a.Service != 10*time.Minute || len(a.Requirements) == 0 || a.Fee == "" {
		t.Fatalf("service A %+v", a)
	}
	if cfg.Location.String() != "Asia/Jakarta" || cfg.Office.OpenAt != 8*time.Hour || cfg.Office.ComplaintDuration != 120*time.Hour {
		t.Fatalf("office %+v", cfg.Office)
	}
}

func TestConfigProblemsHaveLines(t *testing.T) {
	const bad = `[office]
id = "MPP Contoh"
name = "Kantor"
timezone = "Asia/Bandung"
open = "08:00"
admin_token = "rahasia"

[[service]]
code = "A"
name = "Izin"
wait_standard = "15 menit"
service_standard = "10m"

[[service]]
code = "A"
name = "Lain"
wait_standard = "15m"
service_standard = "-1m"
requirments = ["KTP"]

[[counter]]
id = "1"
services = ["A", "C"]
token = "rahasia"

[[button]]
pin = "GPIO17"
action = "tiket"

[printer]
width_mm = 76
`
	_, err := queue.ParseConfig("kantor.toml", []byte(bad))
	var ce *queue.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("want a ConfigError, got %v", err)
	}
	want := []string{
		"baris 2: office.id:",
		"baris 4: office.timezone:",
		"baris 5: office.open:",
		"baris 11: service[1].wait_standard:",
		"baris 15: service[2].code:",
		"baris 18: service[2].service_standard:",
		"baris 19: service.requirments: kunci tidak dikenal",
		"baris 23: counter[1].services: layanan \"C\"",
		"baris 24: counter[1].token: tidak boleh sama dengan admin_token",
		"baris 28: button[1].action:",
		"baris 31: printer.width_mm:",
	}
	var got []string
	for _, p := range ce.Problems {
		got = append(got, p.String())
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || strings.HasPrefix(g, w)
		}
		if !found {
			t.Errorf("missing problem %q in:\n%s", w, strings.Join(got, "\n"))
		}
	}
	if !strings.Contains(err.Error(), "antrid check-config kantor.toml") {
		t.Errorf("the error should say what to run next: %s", err)
	}
}

func TestConfigSyntaxErrorHasLine(t *testing.T) {
	_, err := queue.ParseConfig("x.toml", []byte("[office]\nid = \"a\"\nname = \n"))
	var ce *queue.ConfigError
	if !errors.As(err, &ce) || len(ce.Problems) != 1 || ce.Problems[0].Line != 3 {
		t.Fatalf("got %v", err)
	}
}

func TestConfigTypeErrorHasLine(t *testing.T) {
	_, err := queue.ParseConfig("x.toml", []byte("[office]\nid = \"a\"\n\n[[service]]\ncode = 5\n"))
	var ce *queue.ConfigError
	if !errors.As(err, &ce) || ce.Problems[0].Line != 5 {
		t.Fatalf("got %#v", err)
	}
}

// FuzzParseConfig: whatever a technician types, the parser answers with a
// config or a list of problems, never a panic.
func FuzzParseConfig(f *testing.F) {
	example, err := os.ReadFile("../deploy/antrid.example.toml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	for _, name := range []string{"office", "reports", "pages", "tickets"} {
		f.Add(queuetest.Fixture(name))
	}
	f.Add([]byte("[office]\nid=1\n[[service]]\n[[service]]\ncode=\"A\"\n"))
	f.Add([]byte("[[button]]\naction=\"feedback\"\nscore=9\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := queue.ParseConfig("fuzz.toml", data)
		if err == nil {
			if cfg.Location == nil || len(cfg.Services) == 0 || len(cfg.Counters) == 0 {
				t.Fatalf("a valid config without time zone, services or counters")
			}
			return
		}
		var ce *queue.ConfigError
		if !errors.As(err, &ce) || len(ce.Problems) == 0 {
			t.Fatalf("error without problems: %v", err)
		}
	})
}
