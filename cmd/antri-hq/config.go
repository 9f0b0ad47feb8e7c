package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// config is antri-hq's TOML file; the keys are fixed by DOMAIN.md
// (Headquarters) and documented in docs/SYNC.md.
type config struct {
	Listen     string         `toml:"listen"`
	Data       string         `toml:"data"`
	AdminToken string         `toml:"admin_token"`
	Postgres   string         `toml:"postgres"` // DSN; SQLite in Data when empty
	Offices    []officeConfig `toml:"office"`

	// ReleaseKeys are the public keys a published release must be signed by
	// (docs/FLEET.md); without them antri-hq publishes nothing.
	ReleaseKeys []string `toml:"release_keys"`

	// SilentAfter is how long an office may send nothing before it is listed as silent
	// (Go duration; DefaultSilentAfter when empty). docs/FLEET.md.
	SilentAfter string `toml:"silent_after"`
	silent      time.Duration
}

// silentAfter is SilentAfter parsed, or its default.
func (c *config) silentAfter() time.Duration {
	if c.silent > 0 {
		return c.silent
	}
	return DefaultSilentAfter
}

// officeConfig is one [[office]]: an office allowed to send, with its secret.
type officeConfig struct {
	ID     string `toml:"id"`
	Name   string `toml:"name"` // optional; the office's own [office] name otherwise
	Secret string `toml:"secret"`
	// Group names the office's rollout group ("pilot"): an update rolled out to the
	// group reaches it before group "semua" (every office) does. Optional.
	Group string `toml:"group"`
}

// minSecret is the shortest admin token or office secret accepted
// (DOMAIN.md, "Trust and limits"): the examples of the documentation are
// shorter, so a copied example is refused too.
const minSecret = 16

func loadConfig(path string) (*config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("membaca konfigurasi: %w", err)
	}
	return parseConfig(path, data)
}

func parseConfig(name string, data []byte) (*config, error) {
	c := config{Listen: "127.0.0.1:9090", Data: "./var-hq"}
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&c)
	if err != nil {
		return nil, fmt.Errorf("%s: TOML tidak valid: %w", name, err)
	}
	var probs []string
	for _, k := range md.Undecoded() {
		probs = append(probs, fmt.Sprintf("kunci %q tidak dikenal; periksa ejaannya (lihat docs/SYNC.md)", k.String()))
	}
	switch {
	case c.AdminToken == "":
		probs = append(probs, "admin_token wajib diisi: token untuk membaca laporan")
	case len(c.AdminToken) < minSecret:
		probs = append(probs, fmt.Sprintf("admin_token terlalu pendek (%d karakter): minimal %d karakter acak, jangan contoh dari dokumentasi", len(c.AdminToken), minSecret))
	}
	if c.SilentAfter != "" {
		if d, err := time.ParseDuration(c.SilentAfter); err != nil || d <= 0 {
			probs = append(probs, fmt.Sprintf("silent_after %q bukan durasi positif; tulis seperti \"1h\" atau \"30m\"", c.SilentAfter))
		} else {
			c.silent = d
		}
	}
	seen := map[string]bool{}
	for i, o := range c.Offices {
		switch {
		case o.ID == "":
			probs = append(probs, fmt.Sprintf("[[office]] ke-%d: id wajib diisi (sama dengan [office] id di kantor)", i+1))
		case seen[o.ID]:
			probs = append(probs, fmt.Sprintf("[[office]] %q muncul dua kali; id kantor harus unik", o.ID))
		}
		seen[o.ID] = true
		switch {
		case len(o.Secret) < minSecret:
			probs = append(probs, fmt.Sprintf("[[office]] %q: secret wajib, minimal %d karakter acak (sama dengan [hq] secret kantor)", o.ID, minSecret))
		case o.Secret == c.AdminToken:
			// The office knows its secret: it must not open every office's reports.
			probs = append(probs, fmt.Sprintf("[[office]] %q: secret sama dengan admin_token; bedakan keduanya", o.ID))
		}
	}
	probs = append(probs, c.releaseProblems()...)
	if len(probs) > 0 {
		return nil, errors.New(name + ": konfigurasi tidak valid:\n  " + strings.Join(probs, "\n  "))
	}
	return &c, nil
}
