package queue

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
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

	// Location is the office's time zone, loaded from Office.Timezone.
	Location *time.Location `toml:"-"`
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

	Wait    time.Duration `toml:"-"`
	Service time.Duration `toml:"-"`
}

// CounterConfig is one [[counter]] (loket).
type CounterConfig struct {
	ID       string   `toml:"id"`
	Name     string   `toml:"name"`
	Services []string `toml:"services"`
	Token    string   `toml:"token"`
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

// Problem is one thing wrong in a config file, with the line it is on (0 when
// the whole file is concerned).
type Problem struct {
	Line int
	Key  string
	Msg  string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "baris %d: ", p.Line)
	}
	if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// ConfigError lists every problem found in a config file.
type ConfigError struct {
	File     string
	Problems []Problem
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "konfigurasi %s tidak valid (%d masalah); perbaiki lalu jalankan `antrid check-config %s`:", e.File, len(e.Problems), e.File)
	for _, p := range e.Problems {
		b.WriteString("\n  " + e.File + ": " + p.String())
	}
	return b.String()
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
	c.validate(&v)
	if len(v.problems) > 0 {
		sort.SliceStable(v.problems, func(i, j int) bool { return v.problems[i].Line < v.problems[j].Line })
		return nil, &ConfigError{File: name, Problems: v.problems}
	}
	return &c, nil
}

var lineRE = regexp.MustCompile(`line (\d+)`)

func lineInMessage(s string) int {
	if m := lineRE.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// keyPath turns a toml.Key of an array of tables into our "service.2.code"
// form; BurntSushi reports array tables without their index, so the index is
// lost there and the table's first line is used.
func keyPath(k toml.Key) string { return strings.Join(k, ".") }

// undecodedLine finds the first line of an unknown key. BurntSushi names keys
// of an array of tables without their index ("service.codee"), so every
// indexed form ("service.3.codee") is a candidate.
func undecodedLine(lines map[string]int, k toml.Key) int {
	want := keyPath(k)
	best := 0
	for key, n := range lines {
		var kept []string
		for _, p := range strings.Split(key, ".") {
			if _, err := strconv.Atoi(p); err != nil {
				kept = append(kept, p)
			}
		}
		if strings.Join(kept, ".") == want && (best == 0 || n < best) {
			best = n
		}
	}
	return best
}

type validator struct {
	lines    map[string]int
	problems []Problem
}

// add records a problem on key, e.g. "service.1.wait_standard" (0-based index).
func (v *validator) add(key, msg string) {
	v.problems = append(v.problems, Problem{Line: v.line(key), Key: displayKey(key), Msg: msg})
}

// line finds the line of key, or of the nearest enclosing table.
func (v *validator) line(key string) int {
	for k := key; k != ""; {
		if n, ok := v.lines[k]; ok {
			return n
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0
}

// displayKey shows "service.1.code" as "service[2].code" (1-based, as people count).
func displayKey(key string) string {
	parts := strings.Split(key, ".")
	var b strings.Builder
	for i, p := range parts {
		if n, err := strconv.Atoi(p); err == nil && i > 0 {
			fmt.Fprintf(&b, "[%d]", n+1)
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// indexLines maps keys to the line they are defined on. It understands the
// plain layout config files use: [table], [[array]] and key = value lines.
func indexLines(data []byte) map[string]int {
	lines := map[string]int{}
	counts := map[string]int{}
	table := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || l[0] == '#':
		case strings.HasPrefix(l, "[["):
			name := strings.TrimSpace(strings.Trim(strings.SplitN(l, "]]", 2)[0], "[ "))
			table = name + "." + strconv.Itoa(counts[name])
			counts[name]++
			lines[table] = n
		case l[0] == '[':
			table = strings.TrimSpace(strings.Trim(strings.SplitN(l, "]", 2)[0], "[ "))
			lines[table] = n
		default:
			if i := strings.IndexByte(l, '='); i > 0 {
				k := strings.Trim(strings.TrimSpace(l[:i]), `"`)
				if table != "" {
					k = table + "." + k
				}
				if _, ok := lines[k]; !ok {
					lines[k] = n
				}
			}
		}
	}
	return lines
}

var (
	officeIDRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	codeRE      = regexp.MustCompile(`^[A-Z]{1,2}$`)
	counterIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)
	pinRE       = regexp.MustCompile(`^[A-Za-z0-9_]{1,32}$`)
)

func (c *Config) validate(v *validator) {
	o := &c.Office
	if o.ID == "" {
		v.add("office.id", `wajib diisi: huruf kecil, angka dan "-", unik per kantor (contoh "mpp-kota-contoh")`)
	} else if !officeIDRE.MatchString(o.ID) {
		v.add("office.id", fmt.Sprintf(`%q tidak valid: pakai huruf kecil, angka dan "-" saja`, o.ID))
	}
	if strings.TrimSpace(o.Name) == "" {
		v.add("office.name", "wajib diisi: nama kantor yang dicetak di tiket dan tampil di layar")
	}
	if o.Timezone == "" {
		o.Timezone = "Asia/Jakarta"
	}
	loc, err := time.LoadLocation(o.Timezone)
	if err != nil {
		v.add("office.timezone", fmt.Sprintf(`zona waktu %q tidak dikenal; pakai "Asia/Jakarta" (WIB), "Asia/Makassar" (WITA) atau "Asia/Jayapura" (WIT)`, o.Timezone))
		loc = time.UTC
	}
	c.Location = loc
	if (o.Open == "") != (o.Close == "") {
		v.add("office.open", "isi open dan close bersama-sama, atau kosongkan keduanya bila kantor selalu buka")
	} else if o.Open != "" {
		op, err1 := parseClock(o.Open)
		cl, err2 := parseClock(o.Close)
		if err1 != nil {
			v.add("office.open", err1.Error())
		}
		if err2 != nil {
			v.add("office.close", err2.Error())
		}
		if err1 == nil && err2 == nil {
			if cl <= op {
				v.add("office.close", fmt.Sprintf("jam tutup %s harus sesudah jam buka %s", o.Close, o.Open))
			}
			o.OpenAt, o.CloseAt = op, cl
		}
	}
	if o.AdminToken == "" {
		v.add("office.admin_token", "wajib diisi: token rahasia untuk halaman admin dan laporan")
	}
	if o.ComplaintStandard == "" {
		o.ComplaintStandard = "120h"
	}
	if d, err := parseStandard(o.ComplaintStandard); err != nil {
		v.add("office.complaint_standard", err.Error())
	} else {
		o.ComplaintDuration = d
	}

	if len(c.Services) == 0 {
		v.add("service", "belum ada layanan: tambahkan minimal satu [[service]]")
	}
	codes := map[string]bool{}
	for i := range c.Services {
		s := &c.Services[i]
		k := fmt.Sprintf("service.%d", i)
		switch {
		case s.Code == "":
			v.add(k+".code", `wajib diisi: huruf awalan nomor antrian, contoh "A"`)
		case !codeRE.MatchString(s.Code):
			v.add(k+".code", fmt.Sprintf("%q tidak valid: pakai 1–2 huruf besar, contoh \"A\"", s.Code))
		case codes[s.Code]:
			v.add(k+".code", fmt.Sprintf("kode %q sudah dipakai layanan lain; setiap layanan perlu huruf sendiri", s.Code))
		}
		codes[s.Code] = true
		if strings.TrimSpace(s.Name) == "" {
			v.add(k+".name", "wajib diisi: nama layanan")
		}
		if d, err := parseStandard(s.WaitStandard); err != nil {
			v.add(k+".wait_standard", err.Error())
		} else {
			s.Wait = d
		}
		if d, err := parseStandard(s.ServiceStandard); err != nil {
			v.add(k+".service_standard", err.Error())
		} else {
			s.Service = d
		}
		if s.DailyQuota < 0 {
			v.add(k+".daily_quota", "tidak boleh negatif; hapus kunci ini bila tanpa kuota")
		}
	}

	if len(c.Counters) == 0 {
		v.add("counter", "belum ada loket: tambahkan minimal satu [[counter]]")
	}
	ids := map[string]bool{}
	tokens := map[string]string{}
	for i, k := range c.Counters {
		key := fmt.Sprintf("counter.%d", i)
		switch {
		case k.ID == "":
			v.add(key+".id", `wajib diisi: nomor atau kode loket, contoh "1"`)
		case !counterIDRE.MatchString(k.ID):
			v.add(key+".id", fmt.Sprintf("%q tidak valid: pakai huruf, angka, \"-\" atau \"_\"", k.ID))
		case ids[k.ID]:
			v.add(key+".id", fmt.Sprintf("loket %q sudah ada; setiap loket perlu id sendiri", k.ID))
		}
		ids[k.ID] = true
		if len(k.Services) == 0 {
			v.add(key+".services", "isi layanan yang dilayani loket ini, contoh [\"A\", \"B\"]")
		}
		for _, s := range k.Services {
			if !codes[s] {
				v.add(key+".services", fmt.Sprintf("layanan %q tidak ada di [[service]]", s))
			}
		}
		switch {
		case k.Token == "":
			v.add(key+".token", "wajib diisi: token rahasia loket untuk halaman dan tombol petugas")
		case k.Token == o.AdminToken:
			v.add(key+".token", "tidak boleh sama dengan admin_token")
		case tokens[k.Token] != "":
			v.add(key+".token", fmt.Sprintf("sama dengan token loket %q; setiap loket perlu token sendiri", tokens[k.Token]))
		}
		if k.Token != "" {
			tokens[k.Token] = k.ID
		}
	}

	pins := map[string]bool{}
	for i, b := range c.Buttons {
		key := fmt.Sprintf("button.%d", i)
		switch {
		case b.Pin == "":
			v.add(key+".pin", `wajib diisi: nama pin, contoh "GPIO17"`)
		case !pinRE.MatchString(b.Pin):
			v.add(key+".pin", fmt.Sprintf("nama pin %q tidak valid", b.Pin))
		case pins[b.Pin]:
			v.add(key+".pin", fmt.Sprintf("pin %s sudah dipakai tombol lain", b.Pin))
		}
		pins[b.Pin] = true
		known := false
		for _, a := range ButtonActions {
			known = known || a == b.Action
		}
		if !known {
			v.add(key+".action", fmt.Sprintf("aksi %q tidak dikenal; pilih salah satu: %s", b.Action, strings.Join(ButtonActions, ", ")))
			continue
		}
		if b.Action == "ticket" {
			if !codes[b.Service] {
				v.add(key+".service", fmt.Sprintf("tombol tiket perlu layanan yang ada di [[service]] (sekarang %q)", b.Service))
			}
		} else if !ids[b.Counter] {
			v.add(key+".counter", fmt.Sprintf("tombol %s perlu loket yang ada di [[counter]] (sekarang %q)", b.Action, b.Counter))
		}
		if b.Action == "feedback" && (b.Score < 1 || b.Score > 4) {
			v.add(key+".score", "tombol penilaian perlu score 1–4")
		}
		if b.Window != "" {
			if b.Action != "feedback" {
				v.add(key+".window", "window hanya untuk tombol penilaian (action = \"feedback\")")
			} else if d, err := parseStandard(b.Window); err != nil {
				v.add(key+".window", err.Error())
			} else {
				c.Buttons[i].WindowDur = d
			}
		}
		if b.Pull != "" && b.Pull != "up" && b.Pull != "down" && b.Pull != "none" {
			v.add(key+".pull", `pilih "up", "down" atau "none"`)
		}
		if b.Active != "" && b.Active != "low" && b.Active != "high" {
			v.add(key+".active", `pilih "low" (tombol ke ground) atau "high"`)
		}
	}

	if c.Printer.WidthMM == 0 {
		c.Printer.WidthMM = 80
	}
	if c.Printer.WidthMM != 58 && c.Printer.WidthMM != 80 {
		v.add("printer.width_mm", "lebar kertas harus 58 atau 80")
	}
	if q := c.Printer.QR; q != "" && q != "native" && q != "raster" {
		v.add("printer.qr", `pilih "native" (printer mencetak QR sendiri) atau "raster" (QR dikirim sebagai gambar, untuk printer tanpa perintah QR)`)
	}
	if d := c.Printer.Device; d != "" && !strings.HasPrefix(d, "/") {
		u, err := url.Parse(d)
		if err != nil || (u.Scheme != "tcp" && u.Scheme != "serial" && u.Scheme != "file") {
			v.add("printer.device", fmt.Sprintf(`%q tidak dikenal; contoh "/dev/usb/lp0", "tcp://192.168.1.50:9100", "serial:///dev/ttyUSB0?baud=19200" atau "file:///path"`, d))
		}
	}

	if c.HQ.URL != "" {
		u, err := url.Parse(c.HQ.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			v.add("hq.url", fmt.Sprintf("%q bukan alamat http(s) yang valid", c.HQ.URL))
		}
		if c.HQ.Secret == "" {
			v.add("hq.secret", "wajib diisi bila hq.url diisi: rahasia yang sama dengan [[office]] di antri-hq")
		}
	}
}

func parseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("jam %q tidak valid; tulis JJ:MM, contoh \"08:00\"", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

func parseStandard(s string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New(`wajib diisi: durasi Go, contoh "15m" atau "1h30m"`)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf(`%q bukan durasi; tulis seperti "15m", "90s" atau "1h30m"`, s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q harus lebih dari nol", s)
	}
	return d, nil
}
