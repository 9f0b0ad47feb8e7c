package display

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

func TestOriginAllowed(t *testing.T) {
	cfg := queuetest.Office(t, "office", func(c *queue.Config) { c.Office.Origins = []string{"http://antri.local:8080"} })
	_, s, _, _ := serveOffice(t, cfg, time.Date(2026, 11, 2, 10, 0, 0, 0, cfg.Location))
	for _, c := range []struct {
		host, origin string
		ok           bool
	}{
		{"192.168.1.20:8080", "", true},                          // curl, a tool
		{"192.168.1.20:8080", "http://192.168.1.20:8080", true},  // the appliance's own page by address
		{"antri.local:8080", "http://ANTRI.local:8080", true},    // by name, any case
		{"192.168.1.20", "http://192.168.1.20:80", true},         // default port written or not
		{"192.168.1.20:8080", "http://antri.local:8080", true},   // listed in [office] origins
		{"192.168.1.20:8080", "http://evil.example", false},      // another site
		{"192.168.1.20:8080", "http://192.168.1.20:9999", false}, // another port is another origin
		{"192.168.1.20:8080", "null", false},                     // a sandboxed frame
		{"192.168.1.20:8080", "http://192.168.1.20:8080/x", false},
	} {
		r := httptest.NewRequest(http.MethodPost, "/api/tickets", nil)
		r.Host = c.host
		if c.origin != "" {
			r.Header.Set("Origin", c.origin)
		}
		if got := s.originAllowed(r); got != c.ok {
			t.Errorf("Host %s, Origin %q: allowed %v, want %v", c.host, c.origin, got, c.ok)
		}
	}
}
