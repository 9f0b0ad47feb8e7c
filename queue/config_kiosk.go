package queue

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// KioskConfig is the [kiosk] table (DOMAIN.md "Trust and limits"): who may take a
// ticket. The appliance's own kiosk browser (loopback) and paired kiosk devices are
// trusted; every other address is a citizen's phone on the guest Wi-Fi.
type KioskConfig struct {
	// Trusted are the addresses (or prefixes, "192.168.10.20/32") treated as the
	// appliance's own kiosk; default ["127.0.0.1", "::1"].
	Trusted []string `toml:"trusted"`
	// Tokens pair kiosk devices (tablets): Authorization: Bearer <token>.
	Tokens []string `toml:"tokens"`
	// Phones says whether other addresses may take tickets at all.
	Phones bool `toml:"phones"`
	// PhoneTicketsPerHour is how many tickets one other address may take in an hour
	// when Phones is true; it is also how many surveys and how many new complaints one
	// other address may send in an hour. Default 2.
	PhoneTicketsPerHour int `toml:"phone_tickets_per_hour"`

	// TrustedNets is Trusted parsed.
	TrustedNets []netip.Prefix `toml:"-"`
}

// DefaultPhoneTicketsPerHour is [kiosk] phone_tickets_per_hour when it is not set.
const DefaultPhoneTicketsPerHour = 2

// TrustsAddr reports whether a client address is one of the trusted kiosk addresses.
func (k KioskConfig) TrustsAddr(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range k.TrustedNets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func (k *KioskConfig) applyDefaults() {
	if k.Trusted == nil {
		k.Trusted = []string{"127.0.0.1", "::1"}
	}
	if k.PhoneTicketsPerHour == 0 {
		k.PhoneTicketsPerHour = DefaultPhoneTicketsPerHour
	}
}

// checkKiosk checks the [kiosk] table and parses its addresses.
func (c *Config) checkKiosk(v *validator) {
	k := &c.Kiosk
	k.TrustedNets = nil
	for i, s := range k.Trusted {
		p, err := parseAddrOrPrefix(strings.TrimSpace(s))
		if err != nil {
			v.add("kiosk.trusted", fmt.Sprintf(`trusted[%d] %q bukan alamat IP; tulis seperti "127.0.0.1", "::1" atau "192.168.10.20/32"`, i+1, s))
			continue
		}
		k.TrustedNets = append(k.TrustedNets, p)
	}
	staff := map[string]bool{c.Office.AdminToken: true}
	for _, kc := range c.Counters {
		staff[kc.Token] = true
	}
	seen := map[string]bool{}
	for i, t := range k.Tokens {
		switch {
		case t == "":
		case staff[t]:
			v.add("kiosk.tokens", fmt.Sprintf("tokens[%d] sama dengan token admin atau loket; kios perlu token sendiri", i+1))
		case seen[t]:
			v.add("kiosk.tokens", fmt.Sprintf("tokens[%d] muncul dua kali; setiap kios perlu token sendiri", i+1))
		}
		seen[t] = true
	}
	if k.PhoneTicketsPerHour < 0 {
		v.add("kiosk.phone_tickets_per_hour", "tidak boleh negatif; pakai phones = false untuk menolak ponsel")
	}
}

// parseAddrOrPrefix reads "127.0.0.1", "::1" or "192.168.10.0/24" as a prefix.
func parseAddrOrPrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// ConnectionsConfig is the [connections] table: how many connections antrid holds open
// and how long it waits for a slow client, so that a flood of slow or idle connections
// from the guest Wi-Fi cannot stop the kiosk. Every key is optional.
type ConnectionsConfig struct {
	// Max is how many connections all untrusted addresses together may hold (phones,
	// counter PCs, TVs); default 1024. Past it a new connection from an address holding
	// few replaces one of the address holding the most, or is closed.
	Max int `toml:"max"`
	// PerAddress is how many connections one untrusted address may hold; default 32.
	PerAddress int `toml:"per_address"`
	// KioskReserve is how many connections are kept for the [kiosk] trusted addresses
	// besides Max; default 64.
	KioskReserve int `toml:"kiosk_reserve"`
	// Go durations: the request's headers, the whole request, the answer, and the
	// wait for the next request on a kept-alive connection.
	HeaderTimeout string `toml:"header_timeout"` // default "10s"
	ReadTimeout   string `toml:"read_timeout"`   // default "30s"
	WriteTimeout  string `toml:"write_timeout"`  // default "60s"; not for websockets
	IdleTimeout   string `toml:"idle_timeout"`   // default "60s"

	// The durations parsed.
	Header, Read, Write, Idle time.Duration `toml:"-"`
}

func (n *ConnectionsConfig) applyDefaults() {
	def := func(p *int, d int) {
		if *p == 0 {
			*p = d
		}
	}
	def(&n.Max, 1024)
	def(&n.PerAddress, 32)
	def(&n.KioskReserve, 64)
	defd := func(p *string, d string) {
		if *p == "" {
			*p = d
		}
	}
	defd(&n.HeaderTimeout, "10s")
	defd(&n.ReadTimeout, "30s")
	defd(&n.WriteTimeout, "60s")
	defd(&n.IdleTimeout, "60s")
}

// checkConnections checks the [connections] table and parses its durations.
func (c *Config) checkConnections(v *validator) {
	n := &c.Connections
	for _, f := range []struct {
		key string
		val int
	}{{"max", n.Max}, {"per_address", n.PerAddress}, {"kiosk_reserve", n.KioskReserve}} {
		if f.val < 1 {
			v.add("connections."+f.key, "harus 1 atau lebih; hapus kunci ini untuk memakai bawaan")
		}
	}
	if n.PerAddress > n.Max && n.Max > 0 {
		v.add("connections.per_address", fmt.Sprintf("per_address (%d) lebih besar dari max (%d)", n.PerAddress, n.Max))
	}
	for _, f := range []struct {
		key string
		val string
		dst *time.Duration
	}{{"header_timeout", n.HeaderTimeout, &n.Header}, {"read_timeout", n.ReadTimeout, &n.Read},
		{"write_timeout", n.WriteTimeout, &n.Write}, {"idle_timeout", n.IdleTimeout, &n.Idle}} {
		d, err := parseStandard(f.val)
		if err != nil {
			v.add("connections."+f.key, err.Error())
			continue
		}
		*f.dst = d
	}
	if n.Header > n.Read {
		n.Header = n.Read // the headers are part of the request
	}
}
