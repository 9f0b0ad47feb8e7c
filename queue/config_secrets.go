package queue

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// MinSecretLength is the shortest token or secret antrid accepts (DOMAIN.md "Trust and
// limits"): 16 characters from a random source cannot be guessed over a LAN.
const MinSecretLength = 16

// placeholderSecrets are values printed in the example config, the guides and DOMAIN.md:
// anyone who has read them knows the token.
var placeholderSecrets = map[string]bool{
	"ganti-token-admin": true, "change-me": true, "changeme": true, "ganti": true, "rahasia": true,
	"admin": true, "password": true, "rahasia-kantor": true, "office-secret": true, "hq-admin": true,
	"loket-1-secret": true, "secret": true, "token": true,
}

// placeholderRE matches the example's numbered placeholders ("token-loket-3") and any
// value that asks to be replaced ("ganti-…", "change-me-…").
var placeholderRE = regexp.MustCompile(`(?i)^(token-loket-[a-z0-9_-]+|loket-[a-z0-9_-]+-secret|ganti-.*|change-?me.*|contoh.*|example.*)$`)

// weakSecret says why s is not a usable token or secret, or "" when it is.
func weakSecret(s string) string {
	switch {
	case s == "":
		return "kosong; isi dengan token acak minimal 16 karakter (boot pertama mengisi token yang kosong otomatis)"
	case placeholderSecrets[strings.ToLower(s)] || placeholderRE.MatchString(s):
		return fmt.Sprintf("%q adalah contoh yang tertulis di panduan, semua orang tahu; ganti dengan token acak minimal %d karakter (contoh: openssl rand -hex 16)", s, MinSecretLength)
	case utf8.RuneCountInString(s) < MinSecretLength:
		return fmt.Sprintf("terlalu pendek (%d karakter); minimal %d karakter acak (contoh: openssl rand -hex 16)", utf8.RuneCountInString(s), MinSecretLength)
	case distinctRunes(s) < 5:
		return "terlalu mudah ditebak (hampir semua karakternya sama); pakai token acak (contoh: openssl rand -hex 16)"
	}
	return ""
}

func distinctRunes(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// SecretProblems lists the tokens and secrets of the config that anyone could guess:
// empty, shorter than MinSecretLength, or a placeholder of the example. `antrid
// check-config` and the daemon refuse a config with any; `antrid -demo` only warns.
func (c *Config) SecretProblems() []Problem { return c.secretProblems }

// checkSecrets finds the weak tokens and secrets, each on its line.
func (c *Config) checkSecrets(lines map[string]int) []Problem {
	v := validator{lines: lines}
	check := func(key, val string) {
		if why := weakSecret(val); why != "" {
			v.add(key, why)
		}
	}
	check("office.admin_token", c.Office.AdminToken)
	for i, k := range c.Counters {
		check(fmt.Sprintf("counter.%d.token", i), k.Token)
	}
	for i, t := range c.Kiosk.Tokens {
		if why := weakSecret(t); why != "" {
			v.add("kiosk.tokens", fmt.Sprintf("tokens[%d]: %s", i+1, why))
		}
	}
	if c.HQ.URL != "" && c.HQ.Secret != "" {
		check("hq.secret", c.HQ.Secret)
	}
	return v.problems
}

// UseDemoSecrets fills every empty token with a demo value, for `antrid -demo`: the
// example config ships empty tokens (first boot generates them) yet the demo must work
// out of the box. It returns what it filled, to warn about. Never call it outside the
// demo: the demo tokens are placeholders that check-config refuses.
func (c *Config) UseDemoSecrets() []string {
	var filled []string
	if c.Office.AdminToken == "" {
		c.Office.AdminToken = "ganti-token-admin"
		filled = append(filled, "admin_token = "+c.Office.AdminToken)
	}
	for i := range c.Counters {
		if k := &c.Counters[i]; k.Token == "" {
			k.Token = "token-loket-" + k.ID
			filled = append(filled, fmt.Sprintf("loket %s token = %s", k.ID, k.Token))
		}
	}
	c.secretProblems = c.checkSecrets(c.lines)
	return filled
}
