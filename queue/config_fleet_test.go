package queue_test

import (
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

func TestHeartbeatConfig(t *testing.T) {
	if got := queuetest.Office(t, "office").HQ.HeartbeatEvery; got != queue.DefaultHeartbeat {
		t.Errorf("default heartbeat %v", got)
	}
	hb := func(v string) func(*queue.Config) {
		return func(c *queue.Config) {
			c.HQ.URL, c.HQ.Secret, c.HQ.Heartbeat = "https://pusat.example/", "rahasia-kantor-0123456789", v
		}
	}
	if got := queuetest.Office(t, "office", hb("30s")).HQ.HeartbeatEvery; got != 30*time.Second {
		t.Errorf("heartbeat 30s: %v", got)
	}
	text := string(queuetest.Fixture("office")) + "\n[hq]\nurl = \"https://pusat.example/\"\nsecret = \"rahasia-kantor-0123456789\"\nheartbeat = \"%s\"\n"
	for _, bad := range []string{"0s", "2h", "lima menit"} {
		if _, err := queue.ParseConfig("uji.toml", []byte(strings.Replace(text, "%s", bad, 1))); err == nil || !strings.Contains(err.Error(), "hq.heartbeat") {
			t.Errorf("heartbeat %q: %v", bad, err)
		}
	}
}
