//go:build e2e

package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// staffEvent is one message of antrid's /ws as the admin page gets it.
type staffEvent struct {
	Type    string          `json:"type"`
	Service string          `json:"service"`
	Counter string          `json:"counter"`
	Data    json.RawMessage `json:"data"`
}

// adminSocket opens /ws with the admin's scope, as the admin page does, and
// delivers every event on the returned channel until the test ends.
func (v *vm) adminSocket(t *testing.T) <-chan staffEvent {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: 30 * time.Second}
	c, _, err := d.Dial(strings.Replace(v.api, "http://", "ws://", 1)+"/ws?view=admin", nil)
	if err != nil {
		t.Fatalf("/ws: %v", err)
	}
	if err := c.WriteJSON(map[string]string{"auth": adminToken}); err != nil {
		t.Fatalf("/ws auth: %v", err)
	}
	out := make(chan staffEvent, 256)
	go func() {
		defer close(out)
		for {
			var ev staffEvent
			if err := c.ReadJSON(&ev); err != nil {
				return
			}
			select {
			case out <- ev:
			default: // the test stopped reading
			}
		}
	}()
	t.Cleanup(func() { c.Close() })
	return out
}

// waitNotice waits for the next event of type typ on a socket.
func waitNotice(t *testing.T, evs <-chan staffEvent, typ string, d time.Duration) staffEvent {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case ev, ok := <-evs:
			if !ok {
				t.Fatalf("/ws closed while waiting for %s", typ)
			}
			if ev.Type == typ {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %s on /ws within %v", typ, d)
		}
	}
}
