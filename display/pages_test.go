package display

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/antri-id/antri/display/voice"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/httpjson"
	"github.com/antri-id/antri/queue/queuetest"
)

// office is a running antrid HTTP face over a real SQLite store, which can be stopped
// and booted again on the same address like a daemon restart.
type office struct {
	t       *testing.T
	q       *queue.Queue
	data    string
	addr    string
	srv     *Server
	hs      *http.Server
	stopHub context.CancelFunc
	synth   voice.Synthesizer // nil: espeak-ng when installed, as antrid
	// training, when set before boot, makes it a training office (Options.Training).
	training *Training
}

func newOffice(t *testing.T) *office { return newOfficeOnClock(t, nil) }

// newOfficeOnClock is newOffice on clk (the system clock when nil).
func newOfficeOnClock(t *testing.T, clk queue.Clock) *office {
	t.Helper()
	return openOffice(t, queuetest.Office(t, "pages"), nil, clk)
}

// newOfficeWith is newOffice with another office's config, on clk (the system clock when nil).
func newOfficeWith(t *testing.T, cfg *queue.Config, clk queue.Clock) *office {
	t.Helper()
	return openOffice(t, cfg, nil, clk)
}

// newOfficeOf is newOffice with another config, and a synthesiser of its own.
func newOfficeOf(t *testing.T, cfg *queue.Config, synth voice.Synthesizer) *office {
	t.Helper()
	return openOffice(t, cfg, synth, nil)
}

func openOffice(t *testing.T, cfg *queue.Config, synth voice.Synthesizer, clk queue.Clock) *office {
	t.Helper()
	q := queuetest.OpenClock(t, cfg, clk)
	// The data folder is the store's, as in the daemon: antri.db beside voice/.
	o := &office{t: t, q: q, data: filepath.Dir(q.Store().Path()), addr: "127.0.0.1:0", synth: synth}
	o.boot()
	t.Cleanup(o.stop)
	return o
}

// boot starts a fresh hub and server on o.addr (a free port the first time).
func (o *office) boot() {
	o.t.Helper()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		o.t.Fatalf("listen %s: %v", o.addr, err)
	}
	o.addr = ln.Addr().String()
	hub := NewHub()
	ctx, cancel := context.WithCancel(context.Background())
	go hub.Run(ctx)
	o.stopHub = cancel
	o.srv = New(Options{Queue: o.q, Hub: hub, DataDir: o.data, Synth: o.synth, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Training: o.training})
	o.hs = &http.Server{Handler: o.srv.Handler()}
	go o.hs.Serve(ln)
}

// stop ends the HTTP server and closes every websocket, as a daemon stopping does.
func (o *office) stop() {
	if o.hs == nil {
		return
	}
	o.hs.Close()
	o.stopHub()
	o.hs = nil
}

func (o *office) url(path string) string { return "http://" + o.addr + path }

// call sends one API request and decodes the JSON answer into out (if not nil).
func (o *office) call(method, path, token string, body any, out any) int {
	o.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	return queuetest.Call(o.t, method, o.url(path), token, rd, out)
}

// issue takes a ticket through the API, as the kiosk does.
func (o *office) issue(service string) string {
	o.t.Helper()
	var tk queue.Ticket
	if code := o.call("POST", "/api/tickets", "", map[string]any{"service": service}, &tk); code != http.StatusCreated {
		o.t.Fatalf("issuing %s: HTTP %d", service, code)
	}
	return tk.Number
}

// act runs a counter action through the API with the counter's token.
func (o *office) act(counter, action string, body any) *queue.Ticket {
	o.t.Helper()
	var tk queue.Ticket
	k, _ := o.q.Config().Counter(counter)
	if code := o.call("POST", "/api/counters/"+counter+"/"+action, k.Token, body, &tk); code != http.StatusOK {
		o.t.Fatalf("counter %s %s: HTTP %d", counter, action, code)
	}
	return &tk
}

func TestPagesAreServedFromTheBinary(t *testing.T) {
	o := newOffice(t)
	for path, marker := range map[string]string{
		"/display":   `src="/static/display.js"`,
		"/kiosk":     `src="/static/kiosk.js"`,
		"/counter/1": `src="/static/counter.js"`,
		"/layanan":   `src="/static/layanan.js"`,
		"/admin":     `src="/static/admin.js"`,
		"/t/A-001":   `src="/static/ticket.js"`,

		"/display/counter/1": `src="/static/counterdisplay.js"`,
	} {
		resp, err := http.Get(o.url(path))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), marker) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s: %d %s, body without %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), marker)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q does not keep the page to the appliance", path, csp)
		}
		if strings.Contains(string(body), "http://") || strings.Contains(string(body), "https://") {
			t.Errorf("GET %s: the page refers to an outside address; it must work without internet", path)
		}
	}
	resp, err := http.Get(o.url("/counter/99"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /counter/99 (no such counter) = %d, want 404", resp.StatusCode)
	}
	resp, err = http.Get(o.url("/static/app.js"))
	if err != nil {
		t.Fatal(err)
	}
	js, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(js), "const Antri") {
		t.Errorf("GET /static/app.js = %d", resp.StatusCode)
	}
}

func TestRunningTextNeedsAdminAndReachesTheSnapshot(t *testing.T) {
	o := newOffice(t)
	var e httpjson.ErrorBody
	if code := o.call("POST", "/api/admin/running-text", "token-1", map[string]string{"text": "x"}, &e); code != 401 {
		t.Fatalf("with a counter token: %d, want 401", code)
	}
	var got RunningTextRequest
	if code := o.call("POST", "/api/admin/running-text", "rahasia-admin", map[string]string{"text": " Loket 2 istirahat\n12.00–13.00 "}, &got); code != 200 {
		t.Fatalf("with the admin token: %d", code)
	}
	if got.Text != "Loket 2 istirahat 12.00–13.00" {
		t.Errorf("answer text = %q", got.Text)
	}
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+o.addr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var snap struct {
		Type string `json:"type"`
		displaySnapshot
	}
	if err := conn.ReadJSON(&snap); err != nil {
		t.Fatal(err)
	}
	if snap.Type != "snapshot" || snap.RunningText != "Loket 2 istirahat 12.00–13.00" {
		t.Errorf("snapshot = %s / running_text %q", snap.Type, snap.RunningText)
	}
	// A change reaches a connected page as a running_text event.
	o.call("POST", "/api/admin/running-text", "rahasia-admin", map[string]string{"text": ""}, nil)
	var ev queue.Event
	if err := conn.ReadJSON(&ev); err != nil {
		t.Fatal(err)
	}
	if ev.Type != queue.EventRunningText || string(ev.Data) != `{"text":""}` {
		t.Errorf("event = %s %s", ev.Type, ev.Data)
	}
}

func TestSessionEndpointsCheckTokens(t *testing.T) {
	o := newOffice(t)
	for _, c := range []struct {
		path, token string
		want        int
	}{
		{"/api/counters/1/session", "token-1", 200},
		{"/api/counters/1/session", "token-2", 401},
		{"/api/counters/1/session", "rahasia-admin", 200},
		{"/api/counters/1/session", "", 401},
		{"/api/counters/7/session", "token-1", 404},
		{"/api/admin/session", "rahasia-admin", 200},
		{"/api/admin/session", "token-1", 401},
	} {
		if code := o.call("GET", c.path, c.token, nil, nil); code != c.want {
			t.Errorf("GET %s with %q = %d, want %d", c.path, c.token, code, c.want)
		}
	}
}
