package main

import (
	"log/slog"
	"sync"
	"time"
)

// quietLog writes a warning at most once per interval for each key, saying
// how many like it were left out since: a flood of refused batches must not
// fill headquarters' disk with log lines. Keys come from a bounded set
// (configured offices, refusal codes), never from what a client sends.
type quietLog struct {
	log   *slog.Logger
	every time.Duration
	now   func() time.Time

	mu   sync.Mutex
	keys map[string]*quietKey
}

type quietKey struct {
	last    time.Time
	skipped int
}

func newQuietLog(log *slog.Logger, every time.Duration) *quietLog {
	return &quietLog{log: log, every: every, now: time.Now, keys: map[string]*quietKey{}}
}

// Warn logs msg with args under key, unless key was logged within the interval.
func (q *quietLog) Warn(key, msg string, args ...any) {
	q.mu.Lock()
	k := q.keys[key]
	if k == nil {
		k = &quietKey{}
		q.keys[key] = k
	}
	now := q.now()
	if !k.last.IsZero() && now.Sub(k.last) < q.every {
		k.skipped++
		q.mu.Unlock()
		return
	}
	skipped := k.skipped
	k.last, k.skipped = now, 0
	q.mu.Unlock()
	if skipped > 0 {
		args = append(args, "serupa_dilewati", skipped)
	}
	q.log.Warn(msg, args...)
}
