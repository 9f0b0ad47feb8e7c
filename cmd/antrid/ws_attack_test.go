package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestWebsocketAttackGetsNoComplaintOrNote is issue 10's row "a websocket to /ws from any
// page, any Origin received every complaint's full text and the admin's follow-up notes",
// against the real daemon: a socket from another site is refused; a socket from the
// office's own pages without a token stays open while a complaint is filed and followed
// up and a ticket is referred with a note, and gets none of it; the admin's socket does.
func TestWebsocketAttackGetsNoComplaintOrNote(t *testing.T) {
	d := antridtest.Start(t, antridtest.FreeAddr(t), "-config", queuetest.ConfigFile(t, "office", longTokens), "-data", t.TempDir())
	base := d.URL
	addr := strings.TrimPrefix(base, "http://")

	// From another site's page: refused before any byte of state.
	_, resp, err := websocket.DefaultDialer.Dial("ws://"+addr+"/ws", http.Header{"Origin": {"http://situs-lain.example"}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a websocket from another site: %v, %v; want 403", resp, err)
	}

	dial := func(query, token string) *websocket.Conn {
		t.Helper()
		c, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/ws"+query, http.Header{"Origin": {base}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if token != "" {
			c.WriteJSON(map[string]string{"auth": token})
		}
		c.SetReadDeadline(time.Now().Add(30 * time.Second))
		if _, snap, err := c.ReadMessage(); err != nil || !strings.Contains(string(snap), `"type":"snapshot"`) {
			t.Fatalf("/ws%s: %s, %v; want the snapshot first", query, snap, err)
		}
		return c
	}
	attacker := dial("", "")
	display := dial("?view=display", "")
	admin := dial("?view=admin", daemonAdmin)

	post := func(method, path, token, body string, want int) {
		t.Helper()
		if code, answer, _ := queuetest.Send(t, method, base+path, token, strings.NewReader(body)); code != want {
			t.Fatalf("%s %s: %d %s, want %d", method, path, code, answer, want)
		}
	}
	post("POST", "/api/tickets", "", `{"service":"A"}`, 201)
	post("POST", "/api/complaints", "", `{"channel":"kiosk","topic":"Pelayanan petugas","text":"Nama saya Budi Santoso, NIK 3201010101010001, petugas meminta uang","ticket":"A-001"}`, 201)
	post("PATCH", "/api/complaints/1", daemonAdmin, `{"status":"followed_up","note":"Budi ditelepon di 0813-1111-2222"}`, 200)
	post("POST", "/api/counters/1/call", daemonToken("1"), ``, 200)
	post("POST", "/api/counters/1/transfer", daemonToken("1"), `{"service":"B","note":"Pemohon disabilitas rungu","unit":"Disdukcapil"}`, 200)
	post("POST", "/api/admin/running-text", daemonAdmin, `{"text":"penanda"}`, 200)

	read := func(c *websocket.Conn) string {
		t.Helper()
		var all []string
		for !strings.Contains(strings.Join(all, ""), "penanda") {
			_, m, err := c.ReadMessage()
			if err != nil {
				t.Fatalf("after %d messages: %v", len(all), err)
			}
			all = append(all, string(m))
		}
		return strings.Join(all, "\n")
	}
	for name, c := range map[string]*websocket.Conn{"plain /ws": attacker, "the display": display} {
		got := read(c)
		for _, secret := range []string{"Budi", "3201010101010001", "uang", "0813-1111-2222", "disabilitas", "Disdukcapil", "complaint"} {
			if strings.Contains(got, secret) {
				t.Errorf("%s without a token received %q:\n%s", name, secret, got)
			}
		}
		var ev struct{ Type string }
		json.Unmarshal([]byte(got[strings.LastIndex(got, "\n")+1:]), &ev)
		if !strings.Contains(got, `"type":"transferred"`) || ev.Type != "running_text" {
			t.Errorf("%s did not follow the queue: %s", name, got)
		}
	}
	got := read(admin)
	for _, want := range []string{"Budi Santoso", "Budi ditelepon di 0813-1111-2222", "Pemohon disabilitas rungu"} {
		if !strings.Contains(got, want) {
			t.Errorf("the admin's socket lacks %q", want)
		}
	}
}
