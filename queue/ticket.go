package queue

import (
	"fmt"
	"time"
)

// Stage is where a ticket is in its life. The names are the contract of
// DOMAIN.md and appear as-is in JSON, events and reports.
type Stage string

// The stages of a ticket. A ticket waits in StageIssued (or StageTransferred,
// when it waits again in the service it was referred to), is called to a
// counter, starts service, and ends its segment in one of the end stages.
const (
	StageIssued      Stage = "issued"
	StageCalled      Stage = "called"
	StageStarted     Stage = "started"
	StageFinished    Stage = "finished"
	StageNoShow      Stage = "no_show"
	StageTransferred Stage = "transferred"
	StageExpired     Stage = "expired"
)

// Waiting reports whether a ticket in this stage is waiting to be called.
func (s Stage) Waiting() bool { return s == StageIssued || s == StageTransferred }

// AtCounter reports whether a ticket in this stage occupies a counter.
func (s Stage) AtCounter() bool { return s == StageCalled || s == StageStarted }

// Outcome is how a finished service ended.
type Outcome string

// Outcomes of a finished ticket: complete on this visit, or the citizen must
// come back (documents missing, for example).
const (
	OutcomeDone       Outcome = "done"
	OutcomeIncomplete Outcome = "incomplete"
)

// Valid reports whether o is one of the two outcomes.
func (o Outcome) Valid() bool { return o == OutcomeDone || o == OutcomeIncomplete }

// Ticket is a citizen's numbered ticket as pages, printers and the API see it:
// the current segment's stages with their wall-clock times.
type Ticket struct {
	ID       int64  `json:"id"`
	Number   string `json:"number"`  // e.g. "A-012"
	Day      string `json:"day"`     // local date of issue, YYYY-MM-DD
	Service  string `json:"service"` // the service it waits for or is served in now
	Priority bool   `json:"priority"`
	Stage    Stage  `json:"stage"`
	Counter  string `json:"counter,omitempty"` // counter of the current segment, once called
	Officer  string `json:"officer,omitempty"` // officer who called the current segment (Call.Officer)
	Segment  int    `json:"segment"`           // 1, then +1 for every transfer
	Calls    int    `json:"calls"`             // calls of the current segment (1 + recalls)

	IssuedAt      time.Time  `json:"issued_at"`
	QueuedAt      time.Time  `json:"queued_at"` // issue, or the last transfer in
	CalledAt      *time.Time `json:"called_at"`
	LastCalledAt  *time.Time `json:"last_called_at"`
	StartedAt     *time.Time `json:"started_at"`
	FinishedAt    *time.Time `json:"finished_at"`
	NoShowAt      *time.Time `json:"no_show_at"`
	TransferredAt *time.Time `json:"transferred_at"`
	ExpiredAt     *time.Time `json:"expired_at"`
	// ReturnedAt is when a no-show of this segment was put back in the queue (Requeue),
	// the last time; Returns counts how often. The segment's wait still ends at its first
	// call (called_at); the calls after a return are later calls (last_called_at).
	ReturnedAt *time.Time `json:"returned_at"`
	Returns    int        `json:"returns,omitempty"`

	Outcome         Outcome `json:"outcome,omitempty"`
	TransferredFrom string  `json:"transferred_from,omitempty"`
	Referral        string  `json:"referral,omitempty"` // note carried by the last transfer
	ReferralUnit    string  `json:"referral_unit,omitempty"`

	// The standards in force when this segment was queued (seconds).
	WaitStandardS    int64 `json:"wait_standard_s"`
	ServiceStandardS int64 `json:"service_standard_s"`

	// Manual is a ticket from a book of manual numbers, entered from a paper log
	// (backfill.go): its times are as written by hand, not measured.
	Manual bool `json:"manual,omitempty"`

	// PrintFailed says the ticket's last print failed: the citizen may hold no paper,
	// so the officer calling it says the number aloud (the counter page flags it).
	PrintFailed bool `json:"print_failed,omitempty"`

	// Filled in when a ticket is issued or looked up while waiting.
	PeopleAhead    *int   `json:"people_ahead,omitempty"`
	EstimatedWaitS *int64 `json:"estimated_wait_s,omitempty"`

	// Code is the ticket's secret (see Link): never in JSON, so never on /ws, in
	// /api/state or at headquarters. The issue answer and the printed QR carry it.
	Code string `json:"-"`
}

// Segment is one wait-and-serve pass of a ticket through one service. A
// transfer ends a segment and starts the next one in the target service.
// Indicators are computed over segments.
type Segment struct {
	TicketID        int64
	Index           int
	Service         string
	Counter         string
	Officer         string // who called it (Call.Officer); "" until officers sign in
	Priority        bool
	Queued          Instant // issue or transfer-in
	FirstCall       Instant
	LastCall        Instant
	Started         Instant
	Ended           Instant
	Calls           int
	End             Stage // "" while open; finished, no_show, transferred or expired
	Outcome         Outcome
	WaitStandard    time.Duration
	ServiceStandard time.Duration
	Note, Unit      string // referral note and target unit when End is transferred
	TransferTo      string
	QueueSeq        int64 // seq of the event that queued it: report order

	OfficerNIP string  // the NIP of Officer, when given at sign-in
	Returned   Instant // the last time a no-show of it was put back in the queue (Requeue)
	Returns    int     // how often that happened
}

// FormatNumber gives a ticket number: the service prefix and at least three
// digits, e.g. FormatNumber("A", 12) = "A-012", then "A-1000" after 999.
func FormatNumber(prefix string, n int) string {
	return fmt.Sprintf("%s-%03d", prefix, n)
}
