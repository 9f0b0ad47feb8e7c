package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/antri-id/antri/deploy"
	"github.com/antri-id/antri/queue"
)

// A training scenario (docs/CRISIS.md, "Training office"): what the simulated morning
// holds — who arrives for which service and when, which counters the simulator plays
// (the others are the trainees'), and what happens when (the printer fails and comes
// back, a citizen must be referred to another agency, an instruction for the trainees).
//
//	name = "Lonjakan pagi di loket KTP-el"
//	office = "kantor-pelatihan.toml"   # beside the scenario; -config replaces it
//	start = "07:55"                    # the simulated clock at the start
//	end = "11:00"                      # the run ends, with its after-action summary
//	speed = 30                         # simulated seconds per real second (-speed)
//	seed = 7                           # the same seed plays the same citizens
//
//	[[arrivals]]                       # citizens of one service over a stretch of time
//	service = "A"
//	from = "08:00"
//	to = "09:30"
//	per_hour = 80
//	priority = 0.05                    # share of priority tickets
//	no_show = 0.2                      # share gone before their call
//
//	[[counter]]                        # a counter the simulator plays
//	id = "1"
//	service_time = "6m"                # mean time at the counter; spread ±50 %
//
//	[[event]]
//	at = "09:10"
//	do = "printer_down"                # printer_down | printer_up | referral | announce | complaint | task
//	note = "Kertas habis"
type scenario struct {
	Name        string          `toml:"name"`
	Description string          `toml:"description"`
	Office      string          `toml:"office"`
	Day         string          `toml:"day"` // YYYY-MM-DD; today's date when empty
	Start       string          `toml:"start"`
	End         string          `toml:"end"`
	Speed       float64         `toml:"speed"`
	Seed        uint64          `toml:"seed"`
	Arrivals    []arrivalPlan   `toml:"arrivals"`
	Counters    []simCounter    `toml:"counter"`
	Events      []scenarioEvent `toml:"event"`

	file           string        // where it was read from
	startAt, endAt time.Duration // since local midnight
	officeText     []byte        // the scenario's office config, when it names one
	officeName     string
}

type arrivalPlan struct {
	Service  string  `toml:"service"`
	From     string  `toml:"from"`
	To       string  `toml:"to"`
	PerHour  float64 `toml:"per_hour"`
	Priority float64 `toml:"priority"`
	NoShow   float64 `toml:"no_show"`

	from, to time.Duration
}

type simCounter struct {
	ID          string `toml:"id"`
	ServiceTime string `toml:"service_time"`

	mean time.Duration
}

// Scenario event kinds.
const (
	doPrinterDown = "printer_down" // the ticket printer stops (paper out): the kiosk and admin see it
	doPrinterUp   = "printer_up"   // it prints again
	doReferral    = "referral"     // the next citizen a simulated counter serves is referred (rujukan)
	doAnnounce    = "announce"     // the displays' running text
	doComplaint   = "complaint"    // a citizen files a complaint (topic, note) for the admin to handle
	doTask        = "task"         // an instruction for the trainees, on the facilitator's console
)

var eventKinds = []string{doPrinterDown, doPrinterUp, doReferral, doAnnounce, doComplaint, doTask}

type scenarioEvent struct {
	At      string `toml:"at"`
	Do      string `toml:"do"`
	Note    string `toml:"note"`
	Text    string `toml:"text"`
	Counter string `toml:"counter"` // referral: the simulated counter
	To      string `toml:"to"`      // referral: the service referred to
	Unit    string `toml:"unit"`    // referral: the receiving agency
	Topic   string `toml:"topic"`   // complaint: its topic (pokok pengaduan); note is its text

	at time.Duration
}

// loadScenario reads a scenario file, or one shipped with antrid by its name
// (lonjakan-pagi, printer-mati, rujukan-antarinstansi; deploy/training/).
func loadScenario(path string) (*scenario, error) {
	data, err := os.ReadFile(path)
	dir := filepath.Dir(path)
	builtin := false
	if errors.Is(err, os.ErrNotExist) && !strings.ContainsAny(path, `/\`) {
		name := strings.TrimSuffix(path, ".toml") + ".toml"
		if data, err = deploy.Training.ReadFile("training/" + name); err == nil {
			builtin = true
		} else {
			return nil, fmt.Errorf("skenario %q tidak ada; yang terpasang: %s", path, strings.Join(deploy.TrainingScenarios(), ", "))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("membaca skenario: %w", err)
	}
	var sc scenario
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&sc)
	if err != nil {
		return nil, fmt.Errorf("skenario %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("skenario %s: kunci tidak dikenal %q; lihat docs/CRISIS.md", path, und[0].String())
	}
	sc.file = path
	if sc.Office != "" {
		if builtin {
			sc.officeText, err = deploy.Training.ReadFile("training/" + sc.Office)
		} else {
			sc.officeText, err = os.ReadFile(filepath.Join(dir, sc.Office))
		}
		if err != nil {
			return nil, fmt.Errorf("skenario %s: kantor %q: %w", path, sc.Office, err)
		}
		sc.officeName = sc.Office
	}
	return &sc, sc.parse()
}

// parse checks the scenario on its own (its office is checked by check).
func (sc *scenario) parse() error {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	clock := func(what, s string) time.Duration {
		t, err := time.Parse("15:04", s)
		if err != nil {
			bad("%s %q: tulis JJ:MM, contoh \"08:00\"", what, s)
			return 0
		}
		return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	}
	if strings.TrimSpace(sc.Name) == "" {
		bad("name wajib diisi")
	}
	sc.startAt, sc.endAt = clock("start", sc.Start), clock("end", sc.End)
	if sc.endAt <= sc.startAt {
		bad("end %s harus sesudah start %s", sc.End, sc.Start)
	}
	if sc.Day != "" {
		if _, err := time.Parse("2006-01-02", sc.Day); err != nil {
			bad("day %q: tulis YYYY-MM-DD", sc.Day)
		}
	}
	if sc.Speed < 0 || sc.Speed > 3600 {
		bad("speed %v: antara 1 dan 3600", sc.Speed)
	}
	if len(sc.Arrivals) == 0 {
		bad("belum ada [[arrivals]]: skenario tanpa warga yang datang")
	}
	for i := range sc.Arrivals {
		a := &sc.Arrivals[i]
		a.from, a.to = clock(fmt.Sprintf("arrivals[%d].from", i+1), a.From), clock(fmt.Sprintf("arrivals[%d].to", i+1), a.To)
		if a.to <= a.from {
			bad("arrivals[%d]: to harus sesudah from", i+1)
		}
		if a.PerHour <= 0 || a.PerHour > 2000 {
			bad("arrivals[%d].per_hour %v: lebih dari 0, paling banyak 2000", i+1, a.PerHour)
		}
		for _, p := range []struct {
			k string
			v float64
		}{{"priority", a.Priority}, {"no_show", a.NoShow}} {
			if p.v < 0 || p.v > 1 {
				bad("arrivals[%d].%s %v: bagian 0 sampai 1, contoh 0.1", i+1, p.k, p.v)
			}
		}
	}
	for i := range sc.Counters {
		k := &sc.Counters[i]
		d, err := time.ParseDuration(k.ServiceTime)
		if err != nil || d < 10*time.Second || d > 2*time.Hour {
			bad("counter[%d].service_time %q: durasi antara 10s dan 2h, contoh \"6m\"", i+1, k.ServiceTime)
		}
		k.mean = d
	}
	for i := range sc.Events {
		e := &sc.Events[i]
		e.at = clock(fmt.Sprintf("event[%d].at", i+1), e.At)
		switch e.Do {
		case doPrinterDown, doPrinterUp:
		case doTask:
			if strings.TrimSpace(e.Note) == "" {
				bad("event[%d] task: isi note (perintah untuk peserta)", i+1)
			}
		case doComplaint:
			if strings.TrimSpace(e.Topic) == "" || strings.TrimSpace(e.Note) == "" {
				bad("event[%d] complaint: isi topic (pokok pengaduan) dan note (isi pengaduan)", i+1)
			}
		case doAnnounce:
			if strings.TrimSpace(e.Text) == "" {
				bad("event[%d] announce: isi text", i+1)
			}
		case doReferral:
			if e.Counter == "" || e.To == "" {
				bad("event[%d] referral: isi counter (loket yang dimainkan simulator) dan to (layanan tujuan)", i+1)
			}
		default:
			bad("event[%d].do %q: pakai salah satu dari %s", i+1, e.Do, strings.Join(eventKinds, ", "))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("skenario %s:\n  %s", sc.file, strings.Join(problems, "\n  "))
	}
	return nil
}

// check checks the scenario against the office it plays in: its services and counters
// must be the office's.
func (sc *scenario) check(cfg *queue.Config) error {
	var problems []string
	for i, a := range sc.Arrivals {
		if _, ok := cfg.Service(a.Service); !ok {
			problems = append(problems, fmt.Sprintf("arrivals[%d].service %q tidak ada di kantor ini", i+1, a.Service))
		}
	}
	for i, k := range sc.Counters {
		if _, ok := cfg.Counter(k.ID); !ok {
			problems = append(problems, fmt.Sprintf("counter[%d].id %q tidak ada di kantor ini", i+1, k.ID))
		}
	}
	for i, e := range sc.Events {
		if e.Do != doReferral {
			continue
		}
		if _, ok := cfg.Service(e.To); !ok {
			problems = append(problems, fmt.Sprintf("event[%d].to %q tidak ada di kantor ini", i+1, e.To))
		}
		if !sc.simulated(e.Counter) {
			problems = append(problems, fmt.Sprintf("event[%d].counter %q bukan loket yang dimainkan simulator ([[counter]])", i+1, e.Counter))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("skenario %s tidak cocok dengan kantornya:\n  %s", sc.file, strings.Join(problems, "\n  "))
	}
	return nil
}

// simulated reports whether the simulator plays counter id.
func (sc *scenario) simulated(id string) bool {
	for _, k := range sc.Counters {
		if k.ID == id {
			return true
		}
	}
	return false
}
