package display

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/antri-id/antri/device/escpos/preview/previewtest"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// storedEvents is how many events the office has stored.
func storedEvents(t *testing.T, q *queue.Queue) int {
	t.Helper()
	evs, err := q.Store().EventsAfter(ctx, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}

var ctx = context.Background()

// TestOfficerActionsOverHTTP: every new counter action answers what it did, and every
// refusal is a 4xx that says what to do and stores no event (the one event path).
func TestOfficerActionsOverHTTP(t *testing.T) {
	ts, q, clk := newAPI(t)
	for range 3 {
		apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"A"}`)
	}
	apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"B"}`)
	steps := []struct {
		name, action, token, body string
		code                      int
		want                      string // in the answer: a field, or the refusal's words
	}{
		{"pause without a reason", "pause", "t1", `{}`, 400, "alasan jeda"},
		{"pause for an unknown reason", "pause", "t1", `{"reason":"tidur"}`, 400, "istirahat, ishoma, rapat, gangguan"},
		{"pause without a body", "pause", "t1", ``, 400, "JSON"},
		{"resume an open counter", "resume", "t1", ``, 409, "sudah buka"},
		{"call by number, another service's", "call", "t1", `{"number":"B-001"}`, 409, "tidak dilayani Loket 1"},
		{"call by number, unknown", "call", "t1", `{"number":"A-077"}`, 404, "tidak ada hari ini"},
		{"call by number", "call", "t1", `{"number":"A-002"}`, 200, `"number":"A-002"`},
		{"pause while serving", "pause", "t1", `{"reason":"istirahat"}`, 409, "masih melayani A-002"},
		{"close while serving", "close", "t1", ``, 409, "masih melayani A-002"},
		{"no-show", "noshow", "t1", ``, 200, `"stage":"no_show"`},
		{"requeue without a number", "requeue", "t1", `{}`, 400, "wajib diisi"},
		{"requeue from a counter of another service", "requeue", "t2", `{"number":"A-002"}`, 409, "tidak dilayani Loket 2"},
		{"requeue a waiting ticket", "requeue", "t1", `{"number":"A-001"}`, 409, "tidak hadir"},
		{"requeue the no-show", "requeue", "t1", `{"number":"a-002"}`, 200, `"returns":1`},
		{"pause for ishoma", "pause", "t1", `{"reason":"ishoma"}`, 200, `"pause_reason":"ishoma"`},
		{"pause again, same reason", "pause", "t1", `{"reason":"ishoma"}`, 409, "sudah jeda"},
		{"call while paused", "call", "t1", ``, 409, "tekan Lanjutkan"},
		{"resume", "resume", "t1", ``, 200, `"status":"open"`},
		{"sign in without a name", "signin", "t1", `{"nip":"198001012005012001"}`, 400, "nama petugas"},
		{"sign in with a short NIP", "signin", "t1", `{"name":"Siti","nip":"1980"}`, 400, "18 angka"},
		{"sign in", "signin", "t1", `{"name":"Siti Rahmawati","nip":"19800101 200501 2 001"}`, 200, `"nip":"198001012005012001"`},
		{"call: A-001, before the returned A-002 in its place", "call", "t1", ``, 200, `"number":"A-001"`},
		{"finish", "finish", "t1", ``, 200, `"officer":"Siti Rahmawati"`},
		{"call: the returned A-002", "call", "t1", ``, 200, `"calls":2`},
		{"finish it", "finish", "t1", ``, 200, `"number":"A-002"`},
		{"close", "close", "t1", ``, 200, `"status":"closed"`},
		{"sign out after closing", "signout", "t1", ``, 409, "belum ada petugas"},
		{"close again", "close", "t1", ``, 409, "sudah tutup"},
		{"call while closed", "call", "t1", ``, 409, "Buka loket"},
		{"reopen", "resume", "t1", ``, 200, `"status":"open"`},
		{"another counter's token", "pause", "t2", `{"reason":"rapat"}`, 200, `"id":"2"`},
		{"one counter's token for another", "resume", "t1", ``, 0, ""}, // on counter 2 below
	}
	for _, s := range steps {
		clk.Advance(time.Minute)
		counter := "1"
		if s.token == "t2" {
			counter = "2"
		}
		if s.code == 0 { // counter 1's token on counter 2
			a := apiCall(t, ts, "POST", "/api/counters/2/"+s.action, s.token, s.body)
			if a.code != 401 {
				t.Errorf("%s: %d %s, want 401", s.name, a.code, a.raw)
			}
			continue
		}
		before := storedEvents(t, q)
		a := apiCall(t, ts, "POST", "/api/counters/"+counter+"/"+s.action, s.token, s.body)
		stored := storedEvents(t, q) - before
		if a.code != s.code || !strings.Contains(a.raw, s.want) {
			t.Fatalf("%s: %d %s; want %d with %s", s.name, a.code, a.raw, s.code, s.want)
		}
		if s.code != 200 {
			if msg, _ := a.body["error"].(string); msg == "" || stored != 0 {
				t.Fatalf("%s: refusal %s stored %d events", s.name, a.raw, stored)
			}
		} else if stored == 0 {
			t.Fatalf("%s: done, but no event stored", s.name)
		}
	}
	// /api/state: each counter's status and pause reason, and no officer's sign-in.
	a := apiCall(t, ts, "GET", "/api/state", "", ``)
	var st queue.State
	if err := json.Unmarshal([]byte(a.raw), &st); err != nil {
		t.Fatal(err)
	}
	if st.Counters[0].Status != queue.CounterOpen || st.Counters[1].Status != queue.CounterPaused || st.Counters[1].PauseReason != "rapat" ||
		!strings.Contains(a.raw, `"pause_reason":""`) || strings.Contains(a.raw, "198001012005012001") {
		t.Fatalf("/api/state counters: %s", a.raw)
	}
}

// TestCounterBreachesAfterReload: GET /api/counters/{c}/breaches lists the standards the
// counter's own tickets are past now, as the live notices would: a service at it, the
// waits of its services; not another counter's.
func TestCounterBreachesAfterReload(t *testing.T) {
	ts, _, clk := newAPI(t)
	apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"A"}`)
	apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"A"}`)
	apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"B"}`)
	apiCall(t, ts, "POST", "/api/counters/1/call", "t1", ``)
	clk.Advance(40 * time.Minute) // A waits 15 min at most and is served in 10; B waits 30
	var breaches []queue.Breach
	for _, c := range []struct{ counter, token, want string }{
		{"1", "t1", "A-001:service A-002:wait"},
		{"2", "t2", "B-001:wait"},
		{"2", "admin", "B-001:wait"},
	} {
		a := apiCall(t, ts, "GET", "/api/counters/"+c.counter+"/breaches", c.token, ``)
		if err := json.Unmarshal([]byte(a.raw), &breaches); err != nil || a.code != 200 {
			t.Fatalf("counter %s: %d %s", c.counter, a.code, a.raw)
		}
		var got []string
		for _, b := range breaches {
			got = append(got, b.Number+":"+b.Kind)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("counter %s's breaches %v, want %s", c.counter, got, c.want)
		}
	}
	if a := apiCall(t, ts, "GET", "/api/counters/1/breaches", "t2", ``); a.code != 401 {
		t.Errorf("counter 2's token read counter 1's breaches: %d", a.code)
	}
}

// TestPairedCounterDeviceActsForItsCounterOnly: the admin pairs a counter tablet; its
// token (shown once, in a link and a QR code that a phone camera reads) works for that
// counter's actions, session, breaches and socket, for no other counter and for nothing
// of the admin's; once revoked, its socket is closed and its requests refused.
func TestPairedCounterDeviceActsForItsCounterOnly(t *testing.T) {
	ts, q, _ := newAPI(t)
	addr := strings.TrimPrefix(ts.URL, "http://")
	if a := apiCall(t, ts, "POST", "/api/admin/devices", "t1", `{"kind":"counter","counter":"1"}`); a.code != 401 {
		t.Fatalf("a counter paired a device: %d", a.code)
	}
	for _, bad := range []string{`{"kind":"counter","counter":"9"}`, `{"kind":"kiosk","counter":"1"}`, `{"kind":"tv"}`} {
		if a := apiCall(t, ts, "POST", "/api/admin/devices", "admin", bad); a.code != 400 {
			t.Errorf("pairing %s: %d %s", bad, a.code, a.raw)
		}
	}
	a := apiCall(t, ts, "POST", "/api/admin/devices", "admin", `{"kind":"counter","counter":"1","name":"Tablet Loket 1"}`)
	var paired PairedDevice
	if err := json.Unmarshal([]byte(a.raw), &paired); err != nil || a.code != 201 || len(paired.Token) != 43 ||
		paired.Link != "/counter/1#counter-token="+paired.Token || paired.URL != ts.URL+paired.Link || paired.Name != "Tablet Loket 1" {
		t.Fatalf("pairing: %d %s", a.code, a.raw)
	}
	// The QR code carries the link, as a phone or tablet camera reads it.
	pngData, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(paired.QR, "data:image/png;base64,"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(pngData)); err != nil {
		t.Fatalf("the QR code is not a PNG: %v", err)
	}
	qrFile := filepath.Join(t.TempDir(), "pair.png")
	if err := os.WriteFile(qrFile, pngData, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := previewtest.ScanPNG(t, qrFile); len(got) != 1 || got[0] != paired.URL {
		t.Fatalf("the QR code reads %q, want %q", got, paired.URL)
	}
	list := apiCall(t, ts, "GET", "/api/admin/devices", "admin", ``)
	if list.code != 200 || strings.Contains(list.raw, paired.Token) || !strings.Contains(list.raw, `"name":"Tablet Loket 1"`) {
		t.Fatalf("device list: %d %s", list.code, list.raw)
	}

	tok := paired.Token
	apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"A"}`)
	for _, c := range []struct {
		method, path, body string
		code               int
	}{
		{"GET", "/api/counters/1/session", ``, 200},
		{"GET", "/api/counters/1/breaches", ``, 200},
		{"POST", "/api/counters/1/signin", `{"name":"Budi"}`, 200},
		{"POST", "/api/counters/1/call", ``, 200},
		{"POST", "/api/counters/2/call", ``, 401},
		{"GET", "/api/counters/2/session", ``, 401},
		{"GET", "/api/admin/devices", ``, 401},
		{"GET", "/api/complaints", ``, 401},
	} {
		if a := apiCall(t, ts, c.method, c.path, tok, c.body); a.code != c.code {
			t.Errorf("the tablet's %s %s: %d %s, want %d", c.method, c.path, a.code, a.raw, c.code)
		}
	}
	sock := openView(t, addr, "view=counter&counter=1", tok)
	sock.waitMessage(t, "the tablet's counter view", `"view":"counter"`)
	other := openView(t, addr, "view=counter&counter=2", tok)
	if _, err := waitClosed(t, other); !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
		t.Errorf("the tablet opened counter 2's view: %v", err)
	}

	revoke := apiCall(t, ts, "POST", "/api/admin/devices/"+jsonNumber(paired.ID)+"/revoke", "admin", ``)
	if revoke.code != 200 || !strings.Contains(revoke.raw, `"revoked_at":"`) {
		t.Fatalf("revoking: %d %s", revoke.code, revoke.raw)
	}
	if _, err := waitClosed(t, sock); !websocket.IsCloseError(err, websocket.ClosePolicyViolation) || !strings.Contains(err.Error(), "dicabut") {
		t.Errorf("the revoked tablet's socket: %v, want close 1008 saying it was revoked", err)
	}
	before := storedEvents(t, q)
	if a := apiCall(t, ts, "POST", "/api/counters/1/finish", tok, ``); a.code != 401 || !strings.Contains(a.body["error"].(string), "dicabut") {
		t.Errorf("the revoked tablet finished: %d %s", a.code, a.raw)
	}
	if storedEvents(t, q) != before {
		t.Error("a revoked device's request stored an event")
	}
	if a := apiCall(t, ts, "POST", "/api/admin/devices/"+jsonNumber(paired.ID)+"/revoke", "admin", ``); a.code != 409 {
		t.Errorf("revoking twice: %d", a.code)
	}
	// Nowhere in the store is the token itself.
	var n int
	if err := q.Store().Reader().QueryRow(`SELECT count(*) FROM events WHERE body LIKE ?`, "%"+tok+"%").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d events hold the token (%v)", n, err)
	}
}

// TestPairedKioskTabletTakesTickets: a kiosk tablet paired from /admin takes tickets from
// an address the office does not trust, like a [kiosk] tokens tablet; a phone does not.
func TestPairedKioskTabletTakesTickets(t *testing.T) {
	srv, q, _ := policyServer(t)
	cmd := &queue.PairDevice{Kind: queue.DeviceKiosk, Name: "Tablet lantai 2"}
	if _, err := q.Do(ctx, cmd); err != nil {
		t.Fatal(err)
	}
	if w := from(t, srv, phoneA, "POST", "/api/tickets", `{"service":"A"}`); w.Code != 403 {
		t.Fatalf("a phone took a ticket: %d", w.Code)
	}
	if w := from(t, srv, phoneA, "POST", "/api/tickets", `{"service":"A"}`, "Authorization: Bearer "+cmd.Token); w.Code != 201 {
		t.Fatalf("the paired tablet: %d %s", w.Code, w.Body)
	}
	if w := from(t, srv, phoneA, "POST", "/api/counters/1/call", ``, "Authorization: Bearer "+cmd.Token); w.Code != 401 {
		t.Fatalf("a kiosk tablet called at a counter: %d", w.Code)
	}
	if _, err := q.Do(ctx, &queue.RevokeDevice{ID: cmd.Device.ID}); err != nil {
		t.Fatal(err)
	}
	if w := from(t, srv, phoneA, "POST", "/api/tickets", `{"service":"A"}`, "Authorization: Bearer "+cmd.Token); w.Code != 403 {
		t.Fatalf("the revoked tablet took a ticket: %d", w.Code)
	}
}

// TestCounterStatusOnPublicScreens: the waiting room sees a counter pause (and why),
// resume and close, on the TV's view and on the counter's own small screen; it never
// sees who signed in, nor the admin's devices.
func TestCounterStatusOnPublicScreens(t *testing.T) {
	ts, q, _ := newAPI(t)
	addr := strings.TrimPrefix(ts.URL, "http://")
	apiCall(t, ts, "POST", "/api/tickets", "", `{"service":"A"}`)
	apiCall(t, ts, "POST", "/api/counters/1/call", "t1", ``)
	tv := openView(t, addr, "view=display", "")
	screen1 := openView(t, addr, "view=counterdisplay&counter=1", "")
	screen2 := openView(t, addr, "view=counterdisplay&counter=2", "")
	counter2 := openView(t, addr, "view=counter&counter=2", "t2")
	snap := screen1.waitMessage(t, "counter 1's screen snapshot", `"type":"snapshot"`)[0]
	if !strings.Contains(snap, `"counter":{"id":"1","name":"Loket 1","status":"open","current":{"number":"A-001"`) {
		t.Fatalf("counter 1's screen snapshot %s", snap)
	}
	counter2.waitMessage(t, "counter 2's snapshot", `"type":"snapshot"`)

	apiCall(t, ts, "POST", "/api/counters/1/signin", "t1", `{"name":"Siti Rahmawati","nip":"198001012005012001"}`)
	apiCall(t, ts, "POST", "/api/counters/1/finish", "t1", ``)
	apiCall(t, ts, "POST", "/api/counters/1/pause", "t1", `{"reason":"rapat"}`)
	if _, err := q.Do(ctx, &queue.PairDevice{Kind: queue.DeviceKiosk, Name: "Tablet penanda"}); err != nil {
		t.Fatal(err)
	}
	apiCall(t, ts, "POST", "/api/counters/2/close", "t2", ``)
	apiCall(t, ts, "POST", "/api/admin/running-text", "admin", `{"text":"penanda akhir"}`)

	for name, s := range map[string]*liveSocket{"the TV": tv, "counter 1's screen": screen1} {
		msgs := s.waitMessage(t, name+": the pause", `"pause_reason":"rapat"`)
		assertNone(t, name, msgs, []string{"Siti", "198001012005012001", "Tablet penanda"}, []string{`"officer_signed_in"`, `"device_paired"`})
	}
	tv.waitMessage(t, "the TV: counter 2 closed", `"status":"closed"`)
	msgs := screen1.waitMessage(t, "counter 1's screen: the finish", `"type":"finished"`)
	if strings.Contains(strings.Join(msgs, ""), `"status":"closed"`) {
		t.Error("counter 1's screen got counter 2's closing")
	}
	if m := screen2.waitMessage(t, "counter 2's screen: its closing", `"status":"closed"`); strings.Contains(strings.Join(m, ""), "rapat") {
		t.Error("counter 2's screen got counter 1's pause")
	}
	// A counter's own socket has its officer; another counter's has neither them nor the devices.
	c2 := strings.Join(counter2.waitMessage(t, "counter 2: its closing", `"status":"closed"`), "\n")
	if strings.Contains(c2, "Siti") || strings.Contains(c2, "Tablet penanda") {
		t.Errorf("counter 2's socket got counter 1's officer or the admin's devices: %s", c2)
	}
}

// waitClosed waits until a socket has ended and returns what it received and why.
func waitClosed(t *testing.T, s *liveSocket) ([]string, error) {
	t.Helper()
	var msgs []string
	var err error
	queuetest.Eventually(t, "the socket closed", func() bool {
		msgs, err = s.received()
		return err != nil
	})
	return msgs, err
}
