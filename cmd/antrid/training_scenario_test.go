package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/antri-id/antri/deploy"
	"github.com/antri-id/antri/queue"
)

// TestScenarioMistakesAreNamed: a scenario with mistakes is refused before anything starts,
// every mistake named with its place and what to write instead; one naming a service or
// counter its office lacks is refused against that office; an unknown shipped name lists
// the shipped ones.
func TestScenarioMistakesAreNamed(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	_, err := loadScenario(write("salah.toml", `
name = "Latihan"
start = "09:00"
end = "07:00"
speed = 5000
[[arrivals]]
service = "A"
from = "9.00"
to = "08:00"
per_hour = 0
no_show = 1.5
[[counter]]
id = "1"
service_time = "6"
[[event]]
at = "09:00"
do = "meledak"
[[event]]
at = "09:10"
do = "referral"
`))
	for _, want := range []string{
		"end 07:00 harus sesudah start 09:00", "speed 5000", `arrivals[1].from "9.00": tulis JJ:MM, contoh "08:00"`,
		"arrivals[1].per_hour 0: lebih dari 0", "arrivals[1].no_show 1.5", `counter[1].service_time "6"`,
		`event[1].do "meledak": pakai salah satu dari printer_down`, "event[2] referral: isi counter",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("the mistakes' refusal does not say %q:\n%v", want, err)
		}
	}
	if _, err := loadScenario(write("kunci.toml", "name = \"x\"\nstrat = \"08:00\"\n")); err == nil || !strings.Contains(err.Error(), `kunci tidak dikenal "strat"`) {
		t.Errorf("a misspelt key: %v", err)
	}
	if _, err := loadScenario("tidak-ada"); err == nil || !strings.Contains(err.Error(), strings.Join(deploy.TrainingScenarios(), ", ")) {
		t.Errorf("an unknown shipped name: %v", err)
	}

	// Against an office: its services and counters.
	sc, err := loadScenario(write("kantor.toml", `
name = "Latihan"
start = "08:00"
end = "09:00"
[[arrivals]]
service = "Z"
from = "08:00"
to = "09:00"
per_hour = 10
[[counter]]
id = "9"
service_time = "5m"
[[event]]
at = "08:30"
do = "referral"
counter = "2"
to = "Y"
`))
	if err != nil {
		t.Fatal(err)
	}
	text, _ := deploy.Training.ReadFile("training/kantor-pelatihan.toml")
	cfg, err := queue.ParseConfig("kantor-pelatihan.toml", text)
	if err != nil {
		t.Fatal(err)
	}
	err = sc.check(cfg)
	for _, want := range []string{`arrivals[1].service "Z" tidak ada`, `counter[1].id "9" tidak ada`, `event[1].to "Y" tidak ada`,
		`event[1].counter "2" bukan loket yang dimainkan simulator`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("the office's refusal does not say %q:\n%v", want, err)
		}
	}
	// Every shipped scenario fits the shipped office.
	for _, name := range deploy.TrainingScenarios() {
		sc, err := loadScenario(name)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := queue.ParseConfig(sc.officeName, sc.officeText)
		if err != nil {
			t.Fatal(err)
		}
		if err := sc.check(cfg); err != nil {
			t.Error(err)
		}
	}
}
