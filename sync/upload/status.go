package upload

import (
	"context"
	"fmt"
	"time"

	"github.com/antri-id/antri/queue"
)

// Status is the uploader's progress, as /healthz ("hq") and
// GET /api/admin/sync show it.
type Status struct {
	URL              string                 `json:"url"`
	AckedSeq         int64                  `json:"acked_seq"` // headquarters holds every event up to here
	LastSeq          int64                  `json:"last_seq"`  // newest event in the office
	Backlog          int64                  `json:"backlog"`   // events not yet acknowledged
	OldestUnsent     *time.Time             `json:"oldest_unsent_at"`
	OldestUnsentAgeS float64                `json:"oldest_unsent_age_s"`
	LastSuccess      *time.Time             `json:"last_success"`
	LastAttempt      *time.Time             `json:"last_attempt"`
	LastError        string                 `json:"last_error,omitempty"`
	Failures         int                    `json:"consecutive_failures"`
	NextAttempt      *time.Time             `json:"next_attempt,omitempty"`
	InFlight         []int64                `json:"in_flight,omitempty"` // [from, to] of the batch being sent
	Parked           bool                   `json:"parked"`              // the current batch is dead-lettered
	DeadLetters      []queue.SyncDeadLetter `json:"dead_letters"`        // newest first, open ones before resolved
}

// Problem is why the sync needs a person's attention, or "" when it does not:
// a dead-lettered batch, or events waiting longer than StaleAfter. An outage
// of a few hours is normal for an office and is not a problem by itself.
func (s Status) Problem(staleAfter time.Duration) string {
	if s.Parked {
		return "batch ditolak headquarters (" + s.LastError + "); perbaiki lalu POST /api/admin/sync/retry"
	}
	if s.OldestUnsent != nil && time.Duration(s.OldestUnsentAgeS*float64(time.Second)) > staleAfter {
		return fmt.Sprintf("%d event belum terkirim sejak %s: %s", s.Backlog, s.OldestUnsent.Format(time.RFC3339), s.LastError)
	}
	return ""
}

// StaleAfter is the configured age beyond which unsent events are a problem.
func (u *Uploader) StaleAfter() time.Duration { return u.o.StaleAfter }

// Status reads the uploader's progress from the store and its memory.
func (u *Uploader) Status(ctx context.Context) (Status, error) {
	st := Status{URL: u.url, DeadLetters: []queue.SyncDeadLetter{}}
	var err error
	var last time.Time
	if st.AckedSeq, last, err = u.o.Store.SyncAcked(ctx); err != nil {
		return st, err
	}
	if !last.IsZero() {
		st.LastSuccess = &last
	}
	if st.LastSeq, err = u.o.Store.LastSeq(ctx); err != nil {
		return st, err
	}
	st.Backlog = max(st.LastSeq-st.AckedSeq, 0)
	if st.Backlog > 0 {
		at, ok, err := u.o.Store.EventAt(ctx, st.AckedSeq+1)
		if err != nil {
			return st, err
		}
		if ok {
			st.OldestUnsent = &at
			st.OldestUnsentAgeS = max(u.o.Now().Sub(at).Seconds(), 0)
		}
	}
	dl, err := u.o.Store.SyncDeadLetters(ctx, 20)
	if err != nil {
		return st, err
	}
	if dl != nil {
		st.DeadLetters = dl
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if !u.attempt.IsZero() {
		a := u.attempt
		st.LastAttempt = &a
	}
	st.LastError, st.Failures, st.Parked = u.lastErr, u.failures, u.parked
	if !u.next.IsZero() {
		n := u.next
		st.NextAttempt = &n
	}
	if u.inflight[0] != 0 {
		st.InFlight = []int64{u.inflight[0], u.inflight[1]}
	}
	return st, nil
}
