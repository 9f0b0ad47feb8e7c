//go:build e2e

package e2e

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"
)

// Tokens of e2e.toml.
const (
	adminToken    = "e2e-admin-token-5f2a9c7d1e8b"
	kioskToken    = "e2e-kiosk-token-8d3b6a1f0c4e" // [kiosk] tokens: the host is no trusted address
	officeName    = "Mal Pelayanan Publik Uji Emulasi"
	stuckNoticeIn = 75 * time.Second
)

type ticket struct {
	Number  string `json:"number"`
	Service string `json:"service"`
	Day     string `json:"day"`
	Stage   string `json:"stage"`
}

type state struct {
	Day     string    `json:"day"`
	Now     time.Time `json:"now"`
	Waiting []ticket  `json:"waiting"`
	Called  []ticket  `json:"called"`
	Counter []struct {
		ID      string  `json:"id"`
		Current *ticket `json:"current"`
	} `json:"counters"`
}

type health map[string]struct {
	OK     bool            `json:"ok"`
	Error  string          `json:"error"`
	Detail json.RawMessage `json:"detail"`
}

type printed struct {
	Bytes       []byte         `json:"bytes"`
	NotReady    int            `json:"not_ready"`
	Queries     int            `json:"queries"`
	Answered    map[string]int `json:"answered"`
	LatenciesMS []float64      `json:"latencies_ms"`
	Opens       int            `json:"opens"`
}

func (v *vm) state() state {
	v.t.Helper()
	var s state
	if err := v.get(v.api+"/api/state", "", &s); err != nil {
		v.t.Fatalf("/api/state: %v", err)
	}
	return s
}

// health is /healthz with the admin token (the details). It answers 503
// when a part is not ok; the body is what matters here.
func (v *vm) health() health {
	v.t.Helper()
	var h health
	err := v.get(v.api+"/healthz", adminToken, &h)
	if he, ok := err.(*httpError); ok && he.Code == 503 {
		err = json.Unmarshal([]byte(he.Body), &h)
	}
	if err != nil {
		v.t.Fatalf("/healthz: %v", err)
	}
	return h
}

func (v *vm) printed() printed {
	v.t.Helper()
	var p printed
	if err := v.get(v.agent+"/printed", "", &p); err != nil {
		v.t.Fatalf("agent /printed: %v", err)
	}
	return p
}

// press presses a button through gpio-sim.
func (v *vm) press(pin string, hold time.Duration, bounce int) {
	v.t.Helper()
	v.agentPost("/press", url.Values{"pin": {pin}, "hold": {hold.String()}, "bounce": {itoa(bounce)}}, nil)
}

func (v *vm) setPrinter(st string) {
	v.t.Helper()
	v.agentPost("/printer", url.Values{"state": {st}}, nil)
}

func (v *vm) cable(plugged bool) {
	v.t.Helper()
	v.agentPost("/cable", url.Values{"plugged": {map[bool]string{true: "true", false: "false"}[plugged]}}, nil)
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// numbers lists the numbers of tickets in order.
func numbers(ts []ticket) []string {
	var n []string
	for _, t := range ts {
		n = append(n, t.Number)
	}
	return n
}

// issued is every ticket of today antrid knows (waiting, called, at a
// counter), by number.
func (s state) issued() map[string]ticket {
	m := map[string]ticket{}
	for _, l := range [][]ticket{s.Waiting, s.Called} {
		for _, t := range l {
			m[t.Number] = t
		}
	}
	for _, c := range s.Counter {
		if c.Current != nil {
			m[c.Current.Number] = *c.Current
		}
	}
	return m
}

// waitHealth polls /healthz until part's ok is want; it returns the error text.
func (v *vm) waitHealth(part string, want bool, d time.Duration) string {
	v.t.Helper()
	var last string
	v.waitFor("/healthz "+part+" ok="+map[bool]string{true: "true", false: "false"}[want], d, func() bool {
		h := v.health()
		last = h[part].Error
		return h[part].OK == want
	})
	return last
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
