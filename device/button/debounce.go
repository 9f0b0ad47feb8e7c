package button

import "time"

// Defaults of a Debouncer.
const (
	// DefaultDenoise is how long a level must hold to count. Mechanical
	// contacts settle within a few milliseconds; interference spikes on a
	// long cable last microseconds.
	DefaultDenoise = 5 * time.Millisecond
	// DefaultLockout is how long after a press another press is ignored:
	// the bounce of the release and a nervous double tap.
	DefaultLockout = 150 * time.Millisecond
)

// Debouncer decides when a button's level changes are one press. It is a pure
// state machine: it is told the level and the time, and never reads a clock
// itself, so tests drive it with made-up timestamps.
//
// A press is the debounced level becoming active: the raw level must stay
// active for Denoise, at least Lockout after the previous press. The
// debounced level must then become inactive (for Denoise) before the next
// press: a held or stuck button fires once.
type Debouncer struct {
	Denoise time.Duration // a level must hold this long to count
	Lockout time.Duration // after a press, ignore presses for this long

	raw       bool      // the level last seen
	rawSince  time.Time // when raw last changed
	stable    bool      // the debounced level
	pressed   bool      // a press happened (lastPress is valid)
	lastPress time.Time
}

// NewDebouncer returns a Debouncer with the default windows.
func NewDebouncer() *Debouncer {
	return &Debouncer{Denoise: DefaultDenoise, Lockout: DefaultLockout}
}

// Update tells the debouncer that the button is active (pressed) or not at
// time now: after an edge, or when the time it asked for comes. It reports
// whether this is a press, and when it wants to be asked again if no edge
// comes first (the zero time: not before the next edge).
func (d *Debouncer) Update(now time.Time, active bool) (press bool, next time.Time) {
	if active != d.raw {
		d.raw, d.rawSince = active, now
	}
	if d.raw != d.stable && now.Sub(d.rawSince) >= d.Denoise {
		d.stable = d.raw
		if d.stable {
			if !d.pressed || now.Sub(d.lastPress) >= d.Lockout {
				press = true
				d.pressed, d.lastPress = true, now
			}
		}
	}
	if d.raw != d.stable {
		next = d.rawSince.Add(d.Denoise)
	}
	return press, next
}

// Reset starts the debouncer from the level a button has when watching
// begins, without a press: a button stuck down at boot does not take a ticket
// each time antrid restarts; it must be released first.
func (d *Debouncer) Reset(now time.Time, active bool) {
	d.raw, d.rawSince, d.stable = active, now, active
	d.pressed = false
}

// Active reports the debounced level: whether the button counts as held down.
func (d *Debouncer) Active() bool { return d.stable }
