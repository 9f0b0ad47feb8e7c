package queue

import (
	"fmt"
	"time"
)

// DefaultHeartbeat is how often an office with nothing to send tells headquarters it is
// alive: well inside headquarters' silent_after (an hour by default), rarely enough to
// cost nothing on a Pi or a metered link.
const DefaultHeartbeat = 5 * time.Minute

// checkFleet checks [hq] heartbeat.
func (c *Config) checkFleet(v *validator) {
	h := &c.HQ
	h.HeartbeatEvery = DefaultHeartbeat
	if h.Heartbeat == "" {
		return
	}
	d, err := time.ParseDuration(h.Heartbeat)
	if err != nil || d < time.Second || d > time.Hour {
		v.add("hq.heartbeat", fmt.Sprintf(`%q tidak valid: tulis durasi antara "1s" dan "1h", contoh "5m"`, h.Heartbeat))
		return
	}
	h.HeartbeatEvery = d
}
