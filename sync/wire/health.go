package wire

import (
	"encoding/json"
	"time"
)

// Health is an office's state as headquarters shows it (GET /api/v1/offices "health",
// antri-hq's page): what a person at headquarters needs to see an office is in trouble
// before the office calls. antrid measures it when it sends a batch, and at least every
// heartbeat when it has nothing to send. Every part is the office's latest; headquarters
// keeps only the newest Health of each office.
type Health struct {
	At      time.Time     `json:"at"`      // when the office measured it, on its own clock
	Version string        `json:"version"` // antrid's version
	Clock   ClockHealth   `json:"clock"`
	Printer PrinterHealth `json:"printer"`
	Disk    DiskHealth    `json:"disk"`
	Boot    BootHealth    `json:"boot"`
	Queue   QueueHealth   `json:"queue"`
	// Update is the office updater's report of what it runs and how its last update
	// went: the updater's own JSON (its wire.UpdateReport: "running", "state",
	// "version", "from", "code", "reason", "at"; docs/FLEET.md), carried as it is.
	// Headquarters lists an office whose last update was refused or switched back
	// ("state" "refused" or "rolled_back") among the first. Absent without an updater.
	Update json.RawMessage `json:"update,omitempty"`
}

// UpdateFailed reports whether the update part says the last update failed: refused,
// or switched back because the new version did not come up healthy.
func (h *Health) UpdateFailed() (version, reason string, failed bool) {
	var u struct {
		State   string `json:"state"`
		Version string `json:"version"`
		Reason  string `json:"reason"`
	}
	if len(h.Update) == 0 || json.Unmarshal(h.Update, &u) != nil {
		return "", "", false
	}
	return u.Version, u.Reason, u.State == "refused" || u.State == "rolled_back"
}

// ClockHealth is whether the office's clock is known to be right. A Pi has no battery
// clock: until a time server answers, its wall clock may be hours off.
type ClockHealth struct {
	// Synchronized is true when a time server (NTP) keeps the clock right, false when not,
	// and null when antrid cannot tell.
	Synchronized *bool `json:"synchronized"`
}

// PrinterHealth is the ticket printer's state.
type PrinterHealth struct {
	Configured  bool   `json:"configured"` // false: the office has no printer, and that is fine
	OK          bool   `json:"ok"`
	Status      string `json:"status"`            // the printer's own report: "Siap", "Kertas habis", ...
	Problem     string `json:"problem,omitempty"` // what stops printing, in Indonesian
	PaperOut    bool   `json:"paper_out"`         // out of paper: headquarters lists such offices first
	FailedToday int    `json:"failed_today"`      // tickets whose last print failed today
}

// DiskHealth is the room left on the card that holds the office's database.
type DiskHealth struct {
	FreeMB  int64 `json:"free_mb"`
	TotalMB int64 `json:"total_mb"`
}

// BootHealth is when the appliance last started.
type BootHealth struct {
	At      time.Time `json:"at"`       // the kernel's boot, on the office's wall clock
	UptimeS int64     `json:"uptime_s"` // seconds since, on the clock that never steps
}

// QueueHealth is the office's queue now.
type QueueHealth struct {
	Waiting  int `json:"waiting"`  // tickets waiting to be called
	Breaches int `json:"breaches"` // waits and services past their standard now
}
