// Package button turns GPIO push buttons into queue commands: a kiosk's
// "ambil nomor" buttons and a counter's call, recall, start, finish, no-show
// and satisfaction buttons.
//
// Each configured pin (queue.ButtonConfig) is watched by its own goroutine
// that waits for edges (gpio.PinIn.WaitForEdge) and feeds the pin's level to a
// Debouncer, a small state machine driven by timestamps only. The Debouncer
// decides what one press is: noise shorter than the denoise window is
// ignored, contact bounce after a press is locked out, and a held or stuck
// button fires once and not again until it is released. A button held down for
// DefaultStuckAfter (10 s) from its press is stuck: /healthz "buttons" says so
// and staff get a live notice (EventStuck) at once, and another when it is
// released. Pins are independent, so two buttons pressed at once both count.
//
// Real pins come from periph.io (host.Init with the gpioioctl driver, which
// works on the Raspberry Pi 3, 4 and 5); in demo mode SimPins stand in for
// them and are pressed from the HTTP API, through the same watcher and
// Debouncer as a real edge.
package button
