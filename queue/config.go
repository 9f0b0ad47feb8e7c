package queue

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/BurntSushi/toml"
)

// Config is an office's configuration: the TOML file a technician writes.
// Key names are fixed by DOMAIN.md; deploy/antrid.example.toml documents them.
type Config struct {
	Office   OfficeConfig    `toml:"office"`
	Services []ServiceConfig `toml:"service"`
	Counters []CounterConfig `toml:"counter"`
	Buttons  []ButtonConfig  `toml:"button"`
	Printer  PrinterConfig   `toml:"printer"`
	HQ       HQConfig        `toml:"hq"`
	Update   UpdateConfig    `toml:"update"`  // config_update.go
	Storage  StorageConfig   `toml:"storage"` // config_storage.go

	// Trust and limits (issue 10): who may take tickets, and how many connections.
	Kiosk       KioskConfig       `toml:"kiosk"`
	Connections ConnectionsConfig `toml:"connections"`

	// The waiting-room displays and the voice (issue 11, config_display.go): the zones
	// of [[display]] (DOMAIN.md "MPP scale") and how calls are spoken.
	Displays []DisplayConfig `toml:"display"`
	Voice    VoiceConfig     `toml:"voice"`
	warnings []Problem       // Warnings
	// Crisis (issue 15): when an incident is recorded by itself (incident_config.go).
	Crisis CrisisConfig `toml:"crisis"`

	// Location is the office's time zone, loaded from Office.Timezone.
	Location *time.Location `toml:"-"`

	lines          map[string]int // key → line, for problems found after parsing
	secretProblems []Problem      // SecretProblems
}

// OfficeConfig is the [office] table.
type OfficeConfig struct {
	ID                string `toml:"id"`
	Name              string `toml:"name"`
	Timezone          string `toml:"timezone"`
	Open              string `toml:"open"`  // "08:00"; absent means always open
	Close             string `toml:"close"` // "15:00"
	AdminToken        string `toml:"admin_token"`
	ComplaintStandard string `toml:"complaint_standard"` // Go duration, default "120h"
	Address           string `toml:"address"`            // printed on tickets, optional
	BaseURL           string `toml:"base_url"`           // where /t/{number} is reached; optional
	// Origins are the addresses, besides the one a request is sent to, whose pages may
	// call the API and open /ws from a browser: "http://antri.local:8080", ...
	Origins []string `toml:"origins"`

	// The signature block of the printable report ("Mengetahui, Kepala …"),
	// all optional; checked in config_report.go.
	HeadTitle string `toml:"head_title"` // e.g. "Kepala Dinas Penanaman Modal dan PTSP Kota Contoh"
	HeadName  string `toml:"head_name"`  // the head's name as signed
	HeadNIP   string `toml:"head_nip"`   // NIP, 18 digits (spaces allowed)
	City      string `toml:"city"`       // the place before the date: "Kota Contoh, 1 Desember 2026"

	// Parsed forms of the strings above.
	OpenAt, CloseAt   time.Duration `toml:"-"` // since local midnight; both 0 when always open
	ComplaintDuration time.Duration `toml:"-"`
}

// ServiceConfig is one [[service]] (layanan): its ticket prefix, its two queue
// standards and the six published components of its Standar Pelayanan.
type ServiceConfig struct {
	Code            string   `toml:"code"`
	Name            string   `toml:"name"`
	WaitStandard    string   `toml:"wait_standard"`
	ServiceStandard string   `toml:"service_standard"`
	DailyQuota      int      `toml:"daily_quota"`
	Requirements    []string `toml:"requirements"`
	Procedure       []string `toml:"procedure"`
	CompletionTime  string   `toml:"completion_time"`
	Fee             string   `toml:"fee"`
	Product         string   `toml:"product"`
	Complaints      string   `toml:"complaints"`
	Unit            string   `toml:"unit"` // the agency (dinas) that owns it, optional
	// Spoken is how the voice call says the name (DOMAIN.md "MPP scale"), e.g. "B P J S
	// Kesehatan" to spell the acronym; empty: the name itself, as words.
	Spoken string `toml:"spoken"`

	// Crisis (issue 15, docs/CRISIS.md): refuse tickets the surge forecast says will not
	// be called before closing, and where else the service can be applied for.
	StopWhenUnservable bool   `toml:"stop_when_unservable"`
	OtherChannel       string `toml:"other_channel"`

	Wait    time.Duration `toml:"-"`
	Service time.Duration `toml:"-"`
}

// CounterConfig is one [[counter]] (loket).
type CounterConfig struct {
	ID       string   `toml:"id"`
	Name     string   `toml:"name"`
	Services []string `toml:"services"`
	Token    string   `toml:"token"`
	// Spoken is how the voice call says the counter ("Meja Informasi"); empty: the name.
	Spoken string `toml:"spoken"`
}

// ButtonConfig binds a GPIO pin to an action.
type ButtonConfig struct {
	Pin      string `toml:"pin"`
	Action   string `toml:"action"`
	Service  string `toml:"service"`
	Priority bool   `toml:"priority"`
	Counter  string `toml:"counter"`
	Score    int    `toml:"score"`
	Pull     string `toml:"pull"`   // "up" (default), "down" or "none"
	Active   string `toml:"active"` // "low" (default, button to ground) or "high"
	Window   string `toml:"window"` // feedback only: how long after a finish the score counts, default "2m"

	// WindowDur is Window parsed; 0 when not set.
	WindowDur time.Duration `toml:"-"`
}

// ButtonActions are the actions a [[button]] may have.
var ButtonActions = []string{"ticket", "call", "recall", "start", "finish", "incomplete", "noshow", "feedback"}

// PrinterConfig is the [printer] table.
type PrinterConfig struct {
	Device  string `toml:"device"`
	WidthMM int    `toml:"width_mm"`
	QR      string `toml:"qr"` // "native" (GS ( k, default) or "raster" for printers without it
}

// HQConfig is the optional [hq] table: where metrics are synchronised to.
type HQConfig struct {
	URL    string `toml:"url"`
	Secret string `toml:"secret"`
	CAFile string `toml:"ca_file"`

	// Fleet health (config_fleet.go): how often an office with nothing to send still
	// tells headquarters it is alive, with its health. Go duration; "5m" when empty.
	Heartbeat      string        `toml:"heartbeat,omitempty"`
	HeartbeatEvery time.Duration `toml:"-"`
}

// Service returns the service with the given code.
func (c *Config) Service(code string) (ServiceConfig, bool) {
	for _, s := range c.Services {
		if s.Code == code {
			return s, true
		}
	}
	return ServiceConfig{}, false
}

// Counter returns the counter with the given id.
func (c *Config) Counter(id string) (CounterConfig, bool) {
	for _, k := range c.Counters {
		if k.ID == id {
			return k, true
		}
	}
	return CounterConfig{}, false
}

// OpenAt reports whether the office takes new tickets at t.
func (c *Config) OpenAt(t time.Time) bool {
	o := c.Office
	if o.OpenAt == 0 && o.CloseAt == 0 {
		return true
	}
	l := t.In(c.Location)
	since := time.Duration(l.Hour())*time.Hour + time.Duration(l.Minute())*time.Minute + time.Duration(l.Second())*time.Second
	return since >= o.OpenAt && since < o.CloseAt
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Line < ps[j].Line })
}

// LoadConfig reads and validates a config file. On any problem it returns a
// *ConfigError listing all of them, each with its line.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("membaca konfigurasi: %w", err)
	}
	return ParseConfig(path, data)
}

// ParseConfig parses and validates config text; name is used in messages.
func ParseConfig(name string, data []byte) (*Config, error) {
	var c Config
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &ConfigError{File: name, Problems: []Problem{{Line: pe.Position.Line, Msg: "TOML tidak valid: " + pe.Message}}}
		}
		// A type mismatch (a number where text belongs, ...) names its line in the message.
		return nil, &ConfigError{File: name, Problems: []Problem{{Line: lineInMessage(err.Error()), Msg: "isi tidak sesuai jenisnya: " + err.Error()}}}
	}
	lines := indexLines(data)
	v := validator{lines: lines}
	for _, k := range md.Undecoded() {
		v.problems = append(v.problems, Problem{Line: undecodedLine(lines, k), Key: keyPath(k),
			Msg: "kunci tidak dikenal; periksa ejaannya (lihat deploy/antrid.example.toml)"})
	}
	c.applyDefaults()
	c.validate(&v)
	c.lines = lines
	c.secretProblems = c.checkSecrets(lines)
	if len(v.problems) > 0 {
		// The weak secrets too: the technician fixes everything in one pass.
		all := append(v.problems, c.secretProblems...)
		sortProblems(all)
		return nil, &ConfigError{File: name, Problems: all}
	}
	return &c, nil
}
