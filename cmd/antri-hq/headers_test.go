package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/antri-id/antri/sync/collect/collecttest"
)

// Row "antri-hq sends no CSP": every answer, refusals and 404s included,
// forbids framing, type sniffing and caching, and lets a page load nothing
// but antri-hq's own stylesheet.
func TestEveryAnswerCarriesSecurityHeaders(t *testing.T) {
	_, hs := startHQ(t, collecttest.Opener(t, "sqlite")())
	reqs := map[string]*http.Request{}
	for _, path := range []string{"/", "/?month=2025-03", "/page.css", "/healthz", "/api/v1/offices", "/api/tidak-ada", "/tidak-ada"} {
		for _, tok := range []string{"", adminTok} {
			req, _ := http.NewRequest(http.MethodGet, hs.URL+path, nil)
			if tok != "" {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			reqs["GET "+path+" token="+tok] = req
		}
	}
	reqs["ingest, unsigned"] = newSigned(officeA, "bukan-rahasia-a", nil, 1, 1).request(hs.URL, []byte{})
	reqs["ingest, accepted"] = newSigned(officeA, secretA, nil, 1, 1).request(hs.URL, nil)
	for name, req := range reqs {
		code, _, h := do(t, req)
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "style-src 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s (%d): Content-Security-Policy %q lacks %q", name, code, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe") {
			t.Errorf("%s: Content-Security-Policy %q allows inline code or style", name, csp)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
			if got := h.Get(k); got != want {
				t.Errorf("%s (%d): %s %q, want %q", name, code, k, got, want)
			}
		}
	}
	// The page keeps to its policy: no inline style or script, its stylesheet served as CSS.
	_, page := get(t, hs.URL+"/", adminTok)
	if bad := regexp.MustCompile(`<style|<script|\sstyle=|\son[a-z]+=`).Find(page); bad != nil {
		t.Errorf("page has %q, which its Content-Security-Policy blocks", bad)
	}
	code, css := get(t, hs.URL+"/page.css", "")
	if code != 200 || !strings.Contains(string(css), ".bar{fill:") {
		t.Fatalf("page.css: %d %.80s", code, css)
	}
}
