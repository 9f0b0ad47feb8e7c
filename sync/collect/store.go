// Package collect is headquarters' storage of the events offices send
// (antri-hq): each (office, sequence) once, whatever is resent. One Store
// interface, two implementations over database/sql: SQLite (one file,
// nothing to install) and PostgreSQL through pgx (a province with hundreds
// of offices). The same test suite runs on both.
package collect

import (
	"context"
	"encoding/json"
	"time"

	"github.com/antri-id/antri/sync/wire"
)

// Event is one office event as headquarters keeps it: the fields it indexes
// and the JSON exactly as the office stored it.
type Event struct {
	Seq  int64
	At   time.Time // when it happened (the event's "at")
	Type string
	Body json.RawMessage
}

// Batch is one accepted ingest request, already verified.
type Batch struct {
	Office   string
	Name     string // office name, as the office's config says
	Timezone string // office time zone (IANA name)
	Nonce    string // the request's nonce: a replay within the window is refused
	At       time.Time
	Events   []Event // in increasing sequence order; none in a heartbeat
	// Health is the office's wire.Health JSON as sent; when not empty it replaces the
	// one kept.
	Health json.RawMessage
	// Labels are the office's names of its services and counters as sent; when not
	// nil they replace the ones kept.
	Labels *wire.Labels
}

// Office is what headquarters knows of one office.
type Office struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Timezone string    `json:"timezone"`
	AckedSeq int64     `json:"acked_seq"` // every event up to here is held
	Events   int64     `json:"events"`    // events held (more than acked_seq when some arrived after a gap)
	LastSeen time.Time `json:"last_seen,omitzero"`
	// Health is the latest wire.Health JSON the office sent; empty when none.
	Health json.RawMessage `json:"health,omitempty"`
	// Labels are the names of its services and counters, from its latest batch that
	// had them; empty before.
	Labels wire.Labels `json:"labels"`
}

// Store keeps offices' events.
type Store interface {
	// Ingest stores the batch's events that are new, atomically with its
	// nonce, and returns the office's highest contiguous sequence held and
	// how many events were new. A nonce already seen is wire.ErrReplay and
	// stores nothing.
	Ingest(ctx context.Context, b Batch) (acked int64, stored int, err error)
	// NonceSeen reports whether a batch of office with this nonce was
	// stored (within the window nonces are kept): headquarters refuses a
	// replay before reading its body. Ingest checks again, atomically.
	NonceSeen(ctx context.Context, office, nonce string) (bool, error)
	// Offices lists every office that has sent something, by id.
	Offices(ctx context.Context) ([]Office, error)
	// Office is one office; ok is false when it never sent anything.
	Office(ctx context.Context, id string) (o Office, ok bool, err error)
	// Events calls fn with the office's events with from <= at < to (zero
	// times are open ends), in sequence order, until fn returns an error.
	Events(ctx context.Context, office string, from, to time.Time, fn func(Event) error) error
	// EventsSince calls fn with the office's events at or after from, and
	// those of the types anyTime whenever they happened, in sequence order,
	// until fn returns an error. A month's report needs nothing older but
	// the complaints received before it.
	EventsSince(ctx context.Context, office string, from time.Time, anyTime []string, fn func(Event) error) error
	// EventsFrom calls fn with the office's events with after < seq <= upTo, in sequence
	// order, until fn returns an error: what an office gets back for a restore.
	EventsFrom(ctx context.Context, office string, after, upTo int64, fn func(Event) error) error
	// UseNonce records the nonce of an office's request that stores nothing (a restore's
	// request for its events); a nonce already seen is wire.ErrReplay.
	UseNonce(ctx context.Context, office, nonce string, at time.Time) error
	// Close releases the database.
	Close() error
}
