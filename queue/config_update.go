package queue

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// UpdateConfig is the optional [update] table: the office's updater (docs/FLEET.md).
// Updates are on when public_keys is set; they come from the headquarters of [hq].
type UpdateConfig struct {
	// PublicKeys are the release signing keys this office trusts: base64 of 32 bytes
	// each, as `antri-hq release keygen` prints them. Two during a key change.
	PublicKeys []string `toml:"public_keys"`
	// Apply says when an installed release is started: "closed" (default) once the
	// office is closed and no one waits or is at a counter (offices without opening
	// hours: between 01.00 and 04.00 local time), or "now".
	Apply string `toml:"apply"`
	// HealthWindow is how long a new version has to run healthy before it is kept;
	// otherwise antri-update switches back (Go duration, default "5m").
	HealthWindow string `toml:"health_window"`
	// CheckEvery is how often the office checks with headquarters (default "10m").
	CheckEvery string `toml:"check_every"`
	// Dir is the update folder, on a writable partition (default <data>/update).
	Dir string `toml:"dir"`

	HealthWindowDur time.Duration `toml:"-"`
	CheckEveryDur   time.Duration `toml:"-"`
}

// Enabled reports whether the office updates itself.
func (u UpdateConfig) Enabled() bool { return len(u.PublicKeys) > 0 }

// checkUpdate checks the optional [update] table.
func (c *Config) checkUpdate(v *validator) {
	u := &c.Update
	if !u.Enabled() {
		return
	}
	if c.HQ.URL == "" {
		v.add("update.public_keys", "pembaruan datang dari headquarters: isi [hq] url dan secret, atau hapus [update]")
	}
	for i, k := range u.PublicKeys {
		if b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(k)); err != nil || len(b) != 32 {
			v.add("update.public_keys", fmt.Sprintf("kunci ke-%d %q bukan kunci publik ed25519 (base64 dari 32 byte, keluaran antri-hq release keygen)", i+1, k))
		}
	}
	switch u.Apply {
	case "":
		u.Apply = "closed"
	case "closed", "now":
	default:
		v.add("update.apply", fmt.Sprintf(`%q tidak dikenal: "closed" (setelah kantor tutup) atau "now" (segera)`, u.Apply))
	}
	dur := func(key, s, def string, least time.Duration) time.Duration {
		if s == "" {
			s = def
		}
		d, err := time.ParseDuration(s)
		if err != nil || d < least {
			v.add(key, fmt.Sprintf("%q bukan durasi Go yang valid (contoh %q), paling sedikit %s", s, def, least))
		}
		return d
	}
	u.HealthWindowDur = dur("update.health_window", u.HealthWindow, "5m", 10*time.Second)
	u.CheckEveryDur = dur("update.check_every", u.CheckEvery, "10m", time.Second)
}
