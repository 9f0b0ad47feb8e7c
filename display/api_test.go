package display

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/httpjson"
	"github.com/antri-id/antri/queue/queuetest"
)

// apiOffice is the test office as the API tests need it: open 08:00–15:00, one B
// ticket a day, counter 1 serving A only, so that each refusal can be provoked.
func apiOffice(t testing.TB) *queue.Config {
	return queuetest.Office(t, "office", func(c *queue.Config) {
		c.Office.Open, c.Office.Close = "08:00", "15:00"
		c.Services[1].DailyQuota = 1
		c.Counters[0].Services = []string{"A"}
	})
}

// newAPI serves the API office at 10:00 Jakarta time.
func newAPI(t *testing.T) (*httptest.Server, *queue.Queue, *queue.FakeClock) {
	t.Helper()
	cfg := apiOffice(t)
	ts, _, q, clk := serveOffice(t, cfg, time.Date(2026, 11, 2, 10, 0, 0, 0, cfg.Location))
	return ts, q, clk
}

// serveOffice serves a fresh office with cfg over HTTP, its clock at at.
func serveOffice(t testing.TB, cfg *queue.Config, at time.Time) (*httptest.Server, *Server, *queue.Queue, *queue.FakeClock) {
	t.Helper()
	q, clk := queuetest.OpenConfig(t, cfg, at)
	hub := NewHub()
	hctx, cancel := context.WithCancel(context.Background())
	go hub.Run(hctx)
	srv := New(Options{Queue: q, Hub: hub})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); cancel() })
	return ts, srv, q, clk
}

type answer struct {
	code int
	body map[string]any
	raw  string
}

func apiCall(t *testing.T, ts *httptest.Server, method, path, token, body string) answer {
	t.Helper()
	code, raw, h := call(t, ts, method, path, token, body)
	a := answer{code: code, raw: raw}
	_ = json.Unmarshal([]byte(raw), &a.body)
	if !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Errorf("%s %s: content type %q", method, path, h.Get("Content-Type"))
	}
	return a
}

func TestIssueTicket(t *testing.T) {
	ts, _, _ := newAPI(t)
	a := apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"A","priority":false}`)
	if a.code != 201 || a.body["number"] != "A-001" || a.body["service"] != "A" || a.body["people_ahead"] != 0.0 ||
		a.body["stage"] != "issued" || a.body["issued_at"] != "2026-11-02T10:00:00+07:00" {
		t.Fatalf("%d %s", a.code, a.raw)
	}
	a = apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"A"}`)
	// One ahead, one counter serving A, no service finished yet: the 10-minute standard.
	if a.body["number"] != "A-002" || a.body["people_ahead"] != 1.0 || a.body["estimated_wait_s"] != 600.0 {
		t.Fatalf("%s", a.raw)
	}
}

func TestAPIErrors(t *testing.T) {
	ts, _, clk := newAPI(t)
	apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"B"}`) // B's quota is 1
	cases := []struct {
		name, method, path, token, body string
		code                            int
		kind                            string
	}{
		{"unknown service", "POST", "/api/tickets", "", `{"service":"Z"}`, 400, "invalid"},
		{"service missing", "POST", "/api/tickets", "", `{}`, 400, ""},
		{"malformed JSON", "POST", "/api/tickets", "", `{"service":`, 400, ""},
		{"unknown field", "POST", "/api/tickets", "", `{"service":"A","prioritas":true}`, 400, ""},
		{"wrong type", "POST", "/api/tickets", "", `{"service":"A","priority":"ya"}`, 400, ""},
		{"two objects", "POST", "/api/tickets", "", `{"service":"A"}{"service":"A"}`, 400, ""},
		{"oversized", "POST", "/api/tickets", "", `{"service":"` + strings.Repeat("A", 70<<10) + `"}`, 413, ""},
		{"quota reached", "POST", "/api/tickets", "", `{"service":"B"}`, 409, "quota"},
		{"unknown counter", "POST", "/api/counters/9/call", "admin", ``, 404, ""},
		{"unknown action", "POST", "/api/counters/1/tidur", "t1", ``, 404, ""},
		{"no token", "POST", "/api/counters/1/call", "", ``, 401, ""},
		{"wrong token", "POST", "/api/counters/1/call", "salah", ``, 401, ""},
		{"another counter's token", "POST", "/api/counters/1/call", "t2", ``, 401, ""},
		{"finish before call", "POST", "/api/counters/1/finish", "t1", `{"outcome":"done"}`, 409, "conflict"},
		{"nothing waiting", "POST", "/api/counters/1/call", "t1", ``, 404, "not_found"},
		{"bad outcome", "POST", "/api/counters/1/finish", "t1", `{"outcome":"beres"}`, 400, "invalid"},
		{"transfer without service", "POST", "/api/counters/1/transfer", "t1", `{}`, 400, ""},
		{"unknown API path", "GET", "/api/nothing", "", ``, 404, ""},
		{"unknown ticket", "GET", "/api/tickets/A-999", "", ``, 404, "not_found"},
	}
	for _, c := range cases {
		a := apiCall(t, ts, c.method, c.path, c.token, c.body)
		msg, _ := a.body["error"].(string)
		if a.code != c.code || msg == "" || (c.kind != "" && a.body["code"] != c.kind) {
			t.Errorf("%s: %d %s; want %d with an error (kind %q)", c.name, a.code, a.raw, c.code, c.kind)
		}
	}
	clk.Advance(6 * time.Hour) // 16:00, closed
	a := apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"A"}`)
	if a.code != 409 || a.body["code"] != "closed" || !strings.Contains(a.body["error"].(string), "08.00–15.00") {
		t.Errorf("closed office: %d %s", a.code, a.raw)
	}
}

func TestCounterActions(t *testing.T) {
	ts, _, clk := newAPI(t)
	apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"A"}`)
	steps := []struct {
		action, token, body, stage string
	}{
		{"call", "t1", ``, "called"},
		{"recall", "t1", ``, "called"},
		{"start", "admin", ``, "started"},
		{"transfer", "t1", `{"service":"B","note":"perlu KK","unit":"Disdukcapil"}`, "transferred"},
	}
	for _, s := range steps {
		clk.Advance(time.Minute)
		a := apiCall(t, ts, "POST", "/api/counters/1/"+s.action, s.token, s.body)
		if a.code != 200 || a.body["number"] != "A-001" || a.body["stage"] != s.stage {
			t.Fatalf("%s: %d %s", s.action, a.code, a.raw)
		}
	}
	a := apiCall(t, ts, "POST", "/api/counters/2/call", "t2", ``)
	if a.code != 200 || a.body["number"] != "A-001" || a.body["service"] != "B" || a.body["referral"] != "perlu KK" {
		t.Fatalf("counter 2 call: %s", a.raw)
	}
	a = apiCall(t, ts, "POST", "/api/counters/2/finish", "t2", ``) // empty body: done
	if a.code != 200 || a.body["outcome"] != "done" {
		t.Fatalf("finish: %s", a.raw)
	}
	apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"A"}`)
	apiCall(t, ts, "POST", "/api/counters/1/call", "t1", ``)
	a = apiCall(t, ts, "POST", "/api/counters/1/noshow", "t1", ``)
	if a.code != 200 || a.body["stage"] != "no_show" {
		t.Fatalf("noshow: %s", a.raw)
	}
}

func TestStateAndHealth(t *testing.T) {
	ts, _, _ := newAPI(t)
	apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"A"}`)
	apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"B","priority":true}`)
	apiCall(t, ts, "POST", "/api/counters/2/call", "t2", ``)
	a := apiCall(t, ts, "GET", "/api/state", "", ``)
	var st queue.State
	if err := json.Unmarshal([]byte(a.raw), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Waiting) != 1 || st.Waiting[0].Number != "A-001" || st.Waiting[0].Service != "A" {
		t.Fatalf("waiting %s", a.raw)
	}
	if st.Counters[0].ID != "1" || st.Counters[0].Current != nil || st.Counters[1].Current.Number != "B-001" {
		t.Fatalf("counters %s", a.raw)
	}
	if !strings.Contains(a.raw, `"current":null`) {
		t.Fatalf("a free counter's current must be null: %s", a.raw)
	}
	h := apiCall(t, ts, "GET", "/healthz", "", ``)
	db, _ := h.body["database"].(map[string]any)
	if h.code != 200 || db["ok"] != true {
		t.Fatalf("healthz %d %s", h.code, h.raw)
	}
	for _, part := range []string{"printer", "buttons", "hq"} {
		if _, ok := h.body[part]; !ok {
			t.Errorf("healthz lacks %s: %s", part, h.raw)
		}
	}
}

func TestWebsocketSnapshotThenEvents(t *testing.T) {
	ts, _, _ := newAPI(t)
	apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"A"}`)
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var snap struct {
		Type string `json:"type"`
		displaySnapshot
	}
	if err := conn.ReadJSON(&snap); err != nil {
		t.Fatal(err)
	}
	if snap.Type != "snapshot" || snap.View != viewDisplay || snap.Services[0].Waiting != 1 || snap.Seq != 1 {
		t.Fatalf("snapshot %+v", snap)
	}
	apiCall(t, ts, "POST", "/api/counters/1/call", "t1", ``)
	var ev queue.Event
	if err := conn.ReadJSON(&ev); err != nil {
		t.Fatal(err)
	}
	if ev.Type != "called" || ev.Seq != 2 || ev.Counter != "1" || ev.Ticket.Number != "A-001" {
		t.Fatalf("event %+v", ev)
	}
}

// FuzzDecodeIssue: the ticket request decoder never panics and, when it
// accepts a body, accepted exactly one object of known fields.
func FuzzDecodeIssue(f *testing.F) {
	for _, s := range []string{`{"service":"A","priority":false}`, `{"service":"B"}`, `{}`, `{"service":1}`, `[]`, `{"service":"A"} x`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var req IssueRequest
		if err := httpjson.DecodeBody(strings.NewReader(string(data)), &req, false); err != nil {
			if re, ok := err.(*httpjson.RequestError); !ok || re.Status < 400 || re.Status > 499 || re.Msg == "" {
				t.Fatalf("not a 4xx with a message: %#v", err)
			}
			return
		}
		if _, err := json.Marshal(req); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzDecodeTransfer does the same for the transfer body, which allows empty
// bodies only where the action does (finish).
func FuzzDecodeTransfer(f *testing.F) {
	for _, s := range []string{`{"service":"B","note":"perlu KK","unit":"Disdukcapil"}`, `{"outcome":"done"}`, `null`, `{"service":"B","service":"C"}`, "{\"note\":\"\xff\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var tr TransferRequest
		errT := httpjson.DecodeBody(strings.NewReader(string(data)), &tr, false)
		var fr FinishRequest
		errF := httpjson.DecodeBody(strings.NewReader(string(data)), &fr, true)
		for _, err := range []error{errT, errF} {
			if err == nil {
				continue
			}
			if re, ok := err.(*httpjson.RequestError); !ok || re.Status < 400 || re.Status > 499 {
				t.Fatalf("not a 4xx: %#v", err)
			}
		}
		if len(data) == 0 && errF != nil {
			t.Fatal("an empty finish body means done")
		}
	})
}

// TestAdminRoutesNeedTheAdminTokenWhoeverAddsThem: a route another package adds under
// /api/admin/ (the printer's, the uploader's) is refused without the admin token, also
// when the path is written so that it only becomes /api/admin/ once cleaned.
func TestAdminRoutesNeedTheAdminTokenWhoeverAddsThem(t *testing.T) {
	ts, s, _, _ := serveOffice(t, apiOffice(t), time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	reached := 0
	s.HandleFunc("GET /api/admin/from-elsewhere", func(w http.ResponseWriter, r *http.Request) {
		reached++
		httpjson.Write(w, http.StatusOK, map[string]bool{"ok": true})
	})
	for _, p := range []string{"/api/admin/from-elsewhere", "/api/x/../admin/from-elsewhere", "/api//admin/from-elsewhere"} {
		if a := apiCall(t, ts, "GET", p, "", ""); a.code != http.StatusUnauthorized {
			t.Errorf("GET %s without a token: %d, want 401", p, a.code)
		}
		if a := apiCall(t, ts, "GET", p, "t1", ""); a.code != http.StatusUnauthorized {
			t.Errorf("GET %s with a counter token: %d, want 401", p, a.code)
		}
	}
	if reached != 0 {
		t.Fatalf("the handler ran %d times without the admin token", reached)
	}
	if a := apiCall(t, ts, "GET", "/api/admin/from-elsewhere", "admin", ""); a.code != http.StatusOK || reached != 1 {
		t.Errorf("with the admin token: %d (handler ran %d times), want 200 once", a.code, reached)
	}
}
