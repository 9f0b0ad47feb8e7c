package button

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/antri-id/antri/queue"
)

// EventStuck is the type of the live notice (queue.Queue.Publish, not stored)
// sent when a button has been held down for Options.StuckAfter, and again
// when it is released. It reaches the admin and the counters the button
// belongs to (its counter, or the counters serving its service), never a
// public page.
const EventStuck = queue.NoticeButtonStuck

// Stuck is the Data of a button_stuck notice.
type Stuck struct {
	Pin     string    `json:"pin"`
	Action  string    `json:"action"`
	Stuck   bool      `json:"stuck"`   // true: it is stuck now; false: it was released
	Since   time.Time `json:"since"`   // when it went down
	HeldS   float64   `json:"held_s"`  // how long it had been down when the notice was sent
	Message string    `json:"message"` // Indonesian, says what to do
}

// stuck records that button b became stuck (held down since since) or was
// released after being stuck, and tells staff at once with a live notice: a
// stuck ticket button gives no ticket to anyone until someone frees it.
func (p *Panel) stuck(b *pinButton, since, at time.Time, stuck bool) {
	p.mu.Lock()
	if stuck {
		b.stuckSince = since
	} else {
		b.stuckSince = time.Time{}
	}
	p.mu.Unlock()
	ev := stuckEvent(b.cfg, since, at, stuck, p.clockTime(since))
	if stuck {
		p.opts.Logger.Warn("tombol macet", "pin", b.cfg.Pin, "action", Describe(b.cfg), "held", at.Sub(since).Round(time.Second))
	} else {
		p.opts.Logger.Info("tombol macet sudah dilepas", "pin", b.cfg.Pin, "action", Describe(b.cfg), "held", at.Sub(since).Round(time.Second))
	}
	_ = p.q.Publish(ev) // a notice type: never refused
}

// stuckEvent is the live notice of a button that became stuck (stuck) or was
// released after being stuck; clock is since as the office's wall-clock time.
func stuckEvent(b queue.ButtonConfig, since, at time.Time, stuck bool, clock string) queue.Event {
	held := at.Sub(since)
	msg := fmt.Sprintf("Tombol %s (%s) tertekan terus sejak pukul %s dan tidak memberi nomor sampai dilepas; lepaskan tombolnya atau periksa kabelnya.",
		b.Pin, Describe(b), clock)
	if !stuck {
		msg = fmt.Sprintf("Tombol %s (%s) sudah dilepas setelah tertekan %d detik; tombol berfungsi lagi.", b.Pin, Describe(b), int(held.Round(time.Second).Seconds()))
	}
	data, _ := json.Marshal(Stuck{Pin: b.Pin, Action: b.Action, Stuck: stuck, Since: since.Round(0), HeldS: held.Seconds(), Message: msg})
	return queue.Event{Type: EventStuck, Service: b.Service, Counter: b.Counter, Data: data}
}
