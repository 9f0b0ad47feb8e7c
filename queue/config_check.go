package queue

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

var (
	officeIDRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	codeRE      = regexp.MustCompile(`^[A-Z]{1,2}$`)
	counterIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)
	pinRE       = regexp.MustCompile(`^[A-Za-z0-9_]{1,32}$`)
)

// applyDefaults fills in what a config may leave out, before it is checked.
func (c *Config) applyDefaults() {
	if c.Office.Timezone == "" {
		c.Office.Timezone = "Asia/Jakarta"
	}
	if c.Office.ComplaintStandard == "" {
		c.Office.ComplaintStandard = "120h"
	}
	if c.Printer.WidthMM == 0 {
		c.Printer.WidthMM = 80
	}
	c.Kiosk.applyDefaults()
	c.Connections.applyDefaults()
}

// validate checks every part of the config, recording each problem with its line, and
// parses the values that have a parsed form (durations, times of day, the time zone).
func (c *Config) validate(v *validator) {
	c.checkOffice(v)
	codes := c.checkServices(v)
	ids := c.checkCounters(v, codes)
	c.checkButtons(v, codes, ids)
	c.checkPrinter(v)
	c.checkHQ(v)
	c.checkDisplays(v, codes, ids) // config_display.go
	c.checkVoice(v)
	c.checkFleet(v)
	c.checkKiosk(v)
	c.checkConnections(v)
	c.checkReportSignature(v)
	c.checkUpdate(v)
	c.checkStorage(v)
	c.checkCrisis(v)
}

// checkOffice checks the [office] table.
func (c *Config) checkOffice(v *validator) {
	o := &c.Office
	if o.ID == "" {
		v.add("office.id", `wajib diisi: huruf kecil, angka dan "-", unik per kantor (contoh "mpp-kota-contoh")`)
	} else if !officeIDRE.MatchString(o.ID) {
		v.add("office.id", fmt.Sprintf(`%q tidak valid: pakai huruf kecil, angka dan "-" saja`, o.ID))
	}
	if strings.TrimSpace(o.Name) == "" {
		v.add("office.name", "wajib diisi: nama kantor yang dicetak di tiket dan tampil di layar")
	}
	loc, err := time.LoadLocation(o.Timezone)
	if strings.EqualFold(o.Timezone, "Local") {
		// "Local" is whatever the machine is set to (UTC on a fresh Pi): days and
		// months would be cut at the wrong midnight without anyone noticing.
		v.add("office.timezone", `"Local" mengikuti pengaturan mesin (di Raspberry Pi baru: UTC), bukan zona kantor; tulis "Asia/Jakarta" (WIB), "Asia/Makassar" (WITA) atau "Asia/Jayapura" (WIT)`)
		loc = time.UTC
	} else if err != nil {
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
	if d, err := parseStandard(o.ComplaintStandard); err != nil {
		v.add("office.complaint_standard", err.Error())
	} else {
		o.ComplaintDuration = d
	}
	for i, origin := range o.Origins {
		if norm, ok := NormalizeOrigin(origin); !ok || norm != origin {
			v.add("office.origins", fmt.Sprintf(`origins[%d] %q tidak valid: tulis skema, nama host dan port saja, contoh "http://antri.local:8080"`, i+1, origin))
		}
	}
}

// NormalizeOrigin gives a browser origin ("http://antri.local:8080") in the form a
// browser sends it: lower-case scheme and host, no path, no default port. ok is false
// for anything that is not an http(s) origin.
func NormalizeOrigin(s string) (norm string, ok bool) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return strings.ToLower(u.Scheme) + "://" + host, true
}

// checkServices checks every [[service]] and returns the set of their codes.
func (c *Config) checkServices(v *validator) (codes map[string]bool) {
	if len(c.Services) == 0 {
		v.add("service", "belum ada layanan: tambahkan minimal satu [[service]]")
	}
	codes = map[string]bool{}
	for i := range c.Services {
		s := &c.Services[i]
		k := fmt.Sprintf("service.%d", i)
		switch {
		case s.Code == "":
			v.add(k+".code", `wajib diisi: huruf awalan nomor antrean, contoh "A"`)
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
	return codes
}

// checkCounters checks every [[counter]] against the services' codes and returns the
// set of counter ids.
func (c *Config) checkCounters(v *validator, codes map[string]bool) (ids map[string]bool) {
	o := &c.Office
	if len(c.Counters) == 0 {
		v.add("counter", "belum ada loket: tambahkan minimal satu [[counter]]")
	}
	ids = map[string]bool{}
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
		// An empty or weak token is a secret problem (checkSecrets): check-config and the
		// daemon refuse it, the demo fills it in.
		switch {
		case k.Token == "":
		case k.Token == o.AdminToken:
			v.add(key+".token", "tidak boleh sama dengan admin_token")
		case tokens[k.Token] != "":
			v.add(key+".token", fmt.Sprintf("sama dengan token loket %q; setiap loket perlu token sendiri", tokens[k.Token]))
		}
		if k.Token != "" {
			tokens[k.Token] = k.ID
		}
	}
	return ids
}

// checkButtons checks every [[button]] against the services and counters it names.
func (c *Config) checkButtons(v *validator, codes, ids map[string]bool) {
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
}

// checkPrinter checks the [printer] table.
func (c *Config) checkPrinter(v *validator) {
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
}

// checkHQ checks the optional [hq] table.
func (c *Config) checkHQ(v *validator) {
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
	if d%time.Second != 0 {
		// Events carry standards in whole seconds (headquarters' reports, restore):
		// a fraction of a second would be judged differently there.
		return 0, fmt.Errorf("%q harus dalam detik bulat, contoh \"90s\" atau \"15m\"", s)
	}
	return d, nil
}
