package queue

import (
	"encoding/json"
	"time"
)

// Event types written by the queue. Each is one row of the events table, in
// the same transaction as the change it records.
const (
	EventIssued      = "issued"
	EventCalled      = "called"
	EventRecalled    = "recalled"
	EventStarted     = "started"
	EventFinished    = "finished"
	EventNoShow      = "no_show"
	EventTransferred = "transferred"
	EventExpired     = "expired"
)

// Live notices: published to the subscribers as they happen, never stored (Seq 0).
// Breach notices are the queue's own (EventBreach, EventBreachCleared); these come from
// the devices.
const (
	NoticePrinterStatus = "printer_status" // the printer's state changed (device/printjob)
	NoticeButtonRefused = "button_refused" // the queue refused a button's command (device/button)
	// NoticeUpdateStatus says the updater's outcome changed (sync/update): installed,
	// confirmed, refused or switched back. It carries no data: the admin page reloads its
	// update card, and headquarters gets the office's health at once.
	NoticeUpdateStatus = "update_status"
)

// noticeTypes are the event types Publish accepts: everything else is a change of state,
// which reaches subscribers only through Do, after its commit.
var noticeTypes = map[string]bool{
	EventBreach: true, EventBreachCleared: true, NoticePrinterStatus: true, NoticeButtonRefused: true,
	NoticeUpdateStatus: true,
	NoticeSurge:        true, // a surge begins or ends (incident_watch.go)
}

// Event is one change of the office's state. Seq is the per-office sequence:
// it grows by one with every stored event and never repeats, which is what
// lets headquarters keep each event exactly once. Events with Seq 0 are live
// notices (a breach warning, a printer problem) that are published but not
// stored.
type Event struct {
	Seq     int64           `json:"seq"`
	Office  string          `json:"office"`
	Type    string          `json:"type"`
	At      time.Time       `json:"at"`
	Boot    string          `json:"boot,omitempty"`
	MonoNS  int64           `json:"mono_ns,omitempty"`
	Service string          `json:"service,omitempty"`
	Counter string          `json:"counter,omitempty"`
	Ticket  *Ticket         `json:"ticket,omitempty"` // the ticket after the change
	Data    json.RawMessage `json:"data,omitempty"`   // type-specific details
}

// Instant is when the event happened, with its monotonic reading.
func (e Event) Instant() Instant {
	return Instant{Wall: e.At, Boot: e.Boot, Mono: time.Duration(e.MonoNS)}
}

// TransferData is the Data of a transferred event.
type TransferData struct {
	From string `json:"from"`
	To   string `json:"to"`
	Note string `json:"note,omitempty"`
	Unit string `json:"unit,omitempty"`
}

// FinishData is the Data of a finished event.
type FinishData struct {
	Outcome Outcome `json:"outcome"`
}
