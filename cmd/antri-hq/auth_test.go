package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/antri-id/antri/sync/collect/collecttest"
)

// Row "antri-hq accepts ?token=": a token in the address ends up in browser
// history, proxy logs and Referer headers. Only the Authorization header
// counts: a bearer token from tools, HTTP Basic (the token as the password)
// from a browser's own sign-in dialog.
func TestAdminTokenOnlyInTheAuthorizationHeader(t *testing.T) {
	_, hs := startHQ(t, collecttest.Opener(t, "sqlite")())
	paths := []string{"/?month=2025-03", "/api/v1/offices", "/api/v1/offices/" + officeA + "/reports/monthly?month=2025-03"}
	for _, path := range paths {
		sep := "&"
		if !strings.Contains(path, "?") {
			sep = "?"
		}
		for _, q := range []string{"token=", "access_token=", "admin_token="} {
			if code, _ := get(t, hs.URL+path+sep+q+adminTok, ""); code != 401 {
				t.Errorf("%s with ?%s<token>: %d, want 401", path, q, code)
			}
		}
		req, _ := http.NewRequest(http.MethodGet, hs.URL+path, nil)
		req.SetBasicAuth("admin", adminTok)
		if code, _, _ := do(t, req); code == 401 {
			t.Errorf("%s with Basic: 401", path)
		}
		req, _ = http.NewRequest(http.MethodGet, hs.URL+path, nil)
		req.SetBasicAuth("admin", "salah")
		if code, _, _ := do(t, req); code != 401 {
			t.Errorf("%s with a wrong Basic password: %d", path, code)
		}
		if code, _ := get(t, hs.URL+path, adminTok); code == 401 {
			t.Errorf("%s with Bearer: 401", path)
		}
	}
	// The page asks the browser to sign in, and says how.
	req, _ := http.NewRequest(http.MethodGet, hs.URL+"/", nil)
	code, body, hdr := do(t, req)
	if code != 401 || !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Basic ") || !strings.Contains(body, "admin_token") || strings.Contains(body, "<input") {
		t.Fatalf("page without a token: %d %q %s", code, hdr.Get("WWW-Authenticate"), body)
	}
}
