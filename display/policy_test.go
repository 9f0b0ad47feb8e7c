package display

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// policyServer serves the "office" fixture (admin token "admin", counter 1's "t1") with
// a paired kiosk tablet and the edits. Requests go straight to the handler, so that a
// test can come from any address.
func policyServer(t *testing.T, edits ...func(*queue.Config)) (*Server, *queue.Queue, *queue.FakeClock) {
	t.Helper()
	tablet := func(c *queue.Config) { c.Kiosk.Tokens = []string{"tablet-5e8b1f0c3a"} }
	cfg := queuetest.Office(t, "office", append([]func(*queue.Config){tablet}, edits...)...)
	_, srv, q, clk := serveOffice(t, cfg, time.Date(2026, 11, 2, 10, 0, 0, 0, cfg.Location))
	return srv, q, clk
}

// from is one request from addr to the handler: body is JSON unless a Content-Type is
// in headers ("Name: value" strings).
func from(t *testing.T, srv *Server, addr, method, path, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.RemoteAddr = addr
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, r)
	return w
}

const (
	kioskAddr = "127.0.0.1:50000"
	phoneA    = "192.168.20.31:40000"
	phoneB    = "192.168.20.32:40000"
)

// wantError checks a refusal: its status, a JSON body naming what went wrong in
// Indonesian.
func wantError(t *testing.T, w *httptest.ResponseRecorder, code int, words string) {
	t.Helper()
	var body struct{ Error string }
	if w.Code != code || json.Unmarshal(w.Body.Bytes(), &body) != nil || !strings.Contains(body.Error, words) {
		t.Fatalf("got %d %s, want %d with %q", w.Code, w.Body, code, words)
	}
}

func TestPhonesMayNotIssueByDefault(t *testing.T) {
	srv, q, _ := policyServer(t)
	w := from(t, srv, phoneA, "POST", "/api/tickets", `{"service":"A"}`)
	wantError(t, w, http.StatusForbidden, "hanya bisa diambil di mesin antrean")
	// The kiosk, a paired tablet and a counter still issue.
	for _, c := range []struct{ addr, token string }{{kioskAddr, ""}, {"[::1]:5000", ""}, {phoneA, "tablet-5e8b1f0c3a"}, {phoneB, "t1"}} {
		var hdr []string
		if c.token != "" {
			hdr = append(hdr, "Authorization: Bearer "+c.token)
		}
		if w := from(t, srv, c.addr, "POST", "/api/tickets", `{"service":"A"}`, hdr...); w.Code != http.StatusCreated {
			t.Errorf("%s %s: %d %s", c.addr, c.token, w.Code, w.Body)
		}
	}
	st, _ := q.State(context.Background())
	if len(st.Waiting) != 4 {
		t.Errorf("%d waiting, want the 4 trusted tickets", len(st.Waiting))
	}
	// A made-up token is no token.
	w = from(t, srv, phoneA, "POST", "/api/tickets", `{"service":"A"}`, "Authorization: Bearer tablet-palsu-0000000")
	wantError(t, w, http.StatusForbidden, "kios")
}

func TestPhoneTicketsPerHour(t *testing.T) {
	srv, _, _ := policyServer(t, func(c *queue.Config) { c.Kiosk.Phones, c.Kiosk.PhoneTicketsPerHour = true, 2 })
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	srv.limits["tickets"].now = func() time.Time { return now }
	// A mistake costs nothing: only tickets given count.
	if w := from(t, srv, phoneA, "POST", "/api/tickets", `{"service":"Z"}`); w.Code != http.StatusBadRequest {
		t.Fatalf("unknown service: %d", w.Code)
	}
	for i := range 2 {
		if w := from(t, srv, phoneA, "POST", "/api/tickets", `{"service":"A"}`); w.Code != http.StatusCreated {
			t.Fatalf("phone ticket %d: %d %s", i+1, w.Code, w.Body)
		}
	}
	w := from(t, srv, phoneA, "POST", "/api/tickets", `{"service":"A"}`)
	wantError(t, w, http.StatusTooManyRequests, "2 per jam")
	if ra, _ := strconv.Atoi(w.Header().Get("Retry-After")); ra < 1790 || ra > 1801 {
		t.Errorf("Retry-After %d s, want 30 minutes (one of 2 tickets an hour)", ra)
	}
	if w := from(t, srv, phoneB, "POST", "/api/tickets", `{"service":"A"}`); w.Code != http.StatusCreated {
		t.Errorf("another phone is refused: %d", w.Code)
	}
	// IPv6: one /64 is one device, whatever address it takes within.
	from(t, srv, "[2001:db8:1:2::10]:1", "POST", "/api/tickets", `{"service":"A"}`)
	from(t, srv, "[2001:db8:1:2::11]:1", "POST", "/api/tickets", `{"service":"A"}`)
	wantError(t, from(t, srv, "[2001:db8:1:2::12]:1", "POST", "/api/tickets", `{"service":"A"}`), http.StatusTooManyRequests, "per jam")
	// Half an hour later one more.
	now = now.Add(31 * time.Minute)
	if w := from(t, srv, phoneA, "POST", "/api/tickets", `{"service":"A"}`); w.Code != http.StatusCreated {
		t.Errorf("after 31 minutes: %d %s", w.Code, w.Body)
	}
	wantError(t, from(t, srv, phoneA, "POST", "/api/tickets", `{"service":"A"}`), http.StatusTooManyRequests, "per jam")
	// The kiosk is never limited.
	for range 5 {
		if w := from(t, srv, kioskAddr, "POST", "/api/tickets", `{"service":"A"}`); w.Code != http.StatusCreated {
			t.Fatalf("kiosk: %d", w.Code)
		}
	}
}

func TestSurveysAndComplaintsPerHour(t *testing.T) {
	srv, q, _ := policyServer(t)
	survey := `{"answers":[1,1,1,1,1,1,1,1,1]}`
	complaint := `{"topic":"Waktu tunggu","text":"Lama"}`
	for range 2 {
		if w := from(t, srv, phoneA, "POST", "/api/surveys", survey); w.Code != http.StatusCreated {
			t.Fatalf("survey: %d %s", w.Code, w.Body)
		}
		if w := from(t, srv, phoneA, "POST", "/api/complaints", complaint); w.Code != http.StatusCreated {
			t.Fatalf("complaint: %d %s", w.Code, w.Body)
		}
	}
	wantError(t, from(t, srv, phoneA, "POST", "/api/surveys", survey), http.StatusTooManyRequests, "survei")
	wantError(t, from(t, srv, phoneA, "POST", "/api/complaints", complaint), http.StatusTooManyRequests, "pengaduan")
	// The kiosk's survey page and a counter recording a complaint are not limited.
	for range 3 {
		if w := from(t, srv, kioskAddr, "POST", "/api/surveys", survey); w.Code != http.StatusCreated {
			t.Fatalf("kiosk survey: %d", w.Code)
		}
		if w := from(t, srv, phoneB, "POST", "/api/complaints", complaint, "Authorization: Bearer t1"); w.Code != http.StatusCreated {
			t.Fatalf("counter complaint: %d", w.Code)
		}
	}
	var surveys, complaints int
	q.Store().Reader().QueryRow(`SELECT (SELECT count(*) FROM surveys), (SELECT count(*) FROM complaints)`).Scan(&surveys, &complaints)
	if surveys != 5 || complaints != 5 {
		t.Errorf("%d surveys, %d complaints stored; want 5 and 5", surveys, complaints)
	}
}

func TestIssueAnswerCarriesTheCodeOnlyThere(t *testing.T) {
	srv, _, _ := policyServer(t)
	w := from(t, srv, kioskAddr, "POST", "/api/tickets", `{"service":"A"}`)
	var tk struct {
		Number, Day, Code, Link string
	}
	if err := json.Unmarshal(w.Body.Bytes(), &tk); err != nil || len(tk.Code) < 8 || tk.Link != "/t/A-001?d="+tk.Day+"&k="+tk.Code {
		t.Fatalf("issue answer %s", w.Body)
	}
	for _, path := range []string{"/api/tickets/A-001", "/api/state"} {
		if b := from(t, srv, kioskAddr, "GET", path, "").Body.String(); strings.Contains(b, tk.Code) {
			t.Errorf("%s shows the ticket's code: %s", path, b)
		}
	}
}

func TestFeedbackNeedsTheCodeFromAPhone(t *testing.T) {
	srv, q, _ := policyServer(t)
	w := from(t, srv, kioskAddr, "POST", "/api/tickets", `{"service":"A"}`)
	var tk struct{ Code string }
	json.Unmarshal(w.Body.Bytes(), &tk)
	from(t, srv, kioskAddr, "POST", "/api/tickets", `{"service":"A"}`)
	for range 2 {
		q.Do(context.Background(), queue.Call{Counter: "1"})
		q.Do(context.Background(), queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	}
	wantError(t, from(t, srv, phoneA, "POST", "/api/tickets/A-001/feedback", `{"score":1}`), http.StatusForbidden, "kode tiket A-001")
	wantError(t, from(t, srv, phoneA, "POST", "/api/tickets/A-001/feedback", `{"score":1,"code":"0000000000"}`), http.StatusForbidden, "kode")
	if w := from(t, srv, phoneA, "POST", "/api/tickets/A-001/feedback", `{"score":4,"code":"`+tk.Code+`"}`); w.Code != http.StatusCreated {
		t.Fatalf("feedback with the code: %d %s", w.Code, w.Body)
	}
	// The kiosk (trusted) rates without the code.
	if w := from(t, srv, kioskAddr, "POST", "/api/tickets/A-002/feedback", `{"score":3}`); w.Code != http.StatusCreated {
		t.Fatalf("kiosk feedback: %d %s", w.Code, w.Body)
	}
}

func TestCrossSiteAndNonJSONRequestsRefused(t *testing.T) {
	srv, q, _ := policyServer(t)
	cases := []struct {
		name    string
		headers []string
		code    int
	}{
		{"no-cors text/plain from another site", []string{"Origin: http://jahat.example", "Content-Type: text/plain"}, http.StatusForbidden},
		{"form from another site", []string{"Origin: http://jahat.example", "Content-Type: application/x-www-form-urlencoded"}, http.StatusForbidden},
		{"sandboxed frame", []string{"Origin: null"}, http.StatusForbidden},
		{"text/plain without Origin", []string{"Content-Type: text/plain"}, http.StatusUnsupportedMediaType},
		{"curl -d (form)", []string{"Content-Type: application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType},
		{"no content type", []string{"Content-Type: "}, http.StatusUnsupportedMediaType},
		{"same-origin text/plain", []string{"Origin: http://example.com", "Content-Type: text/plain;charset=UTF-8"}, http.StatusUnsupportedMediaType},
	}
	for _, c := range cases {
		w := from(t, srv, kioskAddr, "POST", "/api/tickets", `{"service":"A"}`, c.headers...)
		if w.Code != c.code || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
			t.Errorf("%s: %d %s, want %d JSON", c.name, w.Code, w.Body, c.code)
		}
	}
	st, _ := q.State(context.Background())
	if len(st.Waiting) != 0 {
		t.Fatalf("%d tickets issued by refused requests", len(st.Waiting))
	}
	// The page of the appliance itself (httptest's host is example.com), curl with
	// JSON, and a counter button's tool with no body at all pass.
	for _, h := range [][]string{{"Origin: http://example.com"}, nil, {"Content-Type: application/json; charset=utf-8"}} {
		if w := from(t, srv, kioskAddr, "POST", "/api/tickets", `{"service":"A"}`, h...); w.Code != http.StatusCreated {
			t.Errorf("%v: %d %s", h, w.Code, w.Body)
		}
	}
	if w := from(t, srv, phoneA, "POST", "/api/counters/1/call", "", "Authorization: Bearer t1"); w.Code != http.StatusOK {
		t.Errorf("counter call without a body: %d %s", w.Code, w.Body)
	}
	// Another site's page cannot act with a stolen token either.
	w := from(t, srv, phoneA, "POST", "/api/counters/1/recall", "", "Authorization: Bearer t1", "Origin: http://jahat.example")
	wantError(t, w, http.StatusForbidden, "situs lain")
}

func TestPublicHealthShowsOnlyOK(t *testing.T) {
	srv, _, _ := policyServer(t)
	srv.SetCheck("hq", func(context.Context) Health {
		return Health{Error: "kantor pusat https://pusat.example tidak menjawab", Detail: map[string]any{"backlog": 12}}
	})
	w := from(t, srv, phoneA, "GET", "/healthz", "")
	if w.Code != http.StatusServiceUnavailable || strings.Contains(w.Body.String(), "pusat.example") || strings.Contains(w.Body.String(), "backlog") {
		t.Fatalf("public healthz: %d %s", w.Code, w.Body)
	}
	var parts map[string]map[string]any
	json.Unmarshal(w.Body.Bytes(), &parts)
	if len(parts["hq"]) != 1 || parts["hq"]["ok"] != false || parts["database"]["ok"] != true {
		t.Errorf("public parts %v", parts)
	}
	w = from(t, srv, phoneA, "GET", "/healthz", "", "Authorization: Bearer admin")
	if !strings.Contains(w.Body.String(), "pusat.example") || !strings.Contains(w.Body.String(), `"backlog":12`) {
		t.Errorf("admin healthz lacks the details: %s", w.Body)
	}
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	srv, _, _ := policyServer(t)
	for _, path := range []string{"/kiosk", "/display", "/t/A-001", "/static/app.js", "/static/style.css", "/static/kiosk.html",
		"/api/state", "/healthz", "/tidak-ada", "/api/tidak-ada", "/voice/dua.ogg"} {
		w := from(t, srv, phoneA, "GET", path, "")
		h := w.Header()
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Referrer-Policy") != "no-referrer" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s (%d): headers %v", path, w.Code, h)
		}
		if strings.HasPrefix(path, "/api/") && h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", path, h.Get("Cache-Control"))
		}
	}
}

func TestBadPathsAre4xx(t *testing.T) {
	srv, _, _ := policyServer(t)
	for _, path := range []string{"/static/%ff", "/static/%00", "/static/a%ffb.js", "/static/..%2f..%2fetc%2fpasswd", "/static/%2e%2e/", "/static/", "/static/app.js/x", "/static/voice", "/static/a:b\\c", "/static/%20",
		"/t/%ff", "/counter/%ff", "/voice/%ff.ogg", "/%ff", "/api/%ff", "/api/tickets/%ff", "/api/voice/%ff/1", "/api/complaints/%ff"} {
		w := from(t, srv, phoneA, "GET", path, "")
		if w.Code < 400 || w.Code > 499 {
			// A redirect to the clean path is fine too.
			if w.Code/100 != 3 {
				t.Errorf("%s: %d %q", path, w.Code, w.Body)
			}
			continue
		}
		ct := w.Header().Get("Content-Type")
		if strings.HasPrefix(path, "/api/") != strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: %d with content type %q (JSON under /api/, text elsewhere)", path, w.Code, ct)
		}
	}
}

func TestRateLimiterMemoryIsBounded(t *testing.T) {
	l := newRateLimiter(2)
	l.max = 100
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	addr := func(i int) netip.Prefix {
		return clientKey(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}))
	}
	for i := range 100 {
		if ok, _, _ := l.take(addr(i)); !ok {
			t.Fatalf("client %d refused", i)
		}
	}
	// Full of clients that are still counted: a new one is refused, not let in by
	// forgetting someone's count.
	if ok, _, full := l.take(addr(1000)); ok || !full {
		t.Fatalf("101st client: ok=%v full=%v", ok, full)
	}
	if l.tracked() != 100 {
		t.Fatalf("%d tracked", l.tracked())
	}
	// An hour later every bucket is full again: they are forgotten to make room.
	now = now.Add(time.Hour)
	if ok, _, _ := l.take(addr(1000)); !ok || l.tracked() != 1 {
		t.Fatalf("after an hour: ok=%v tracked=%d", ok, l.tracked())
	}
}
