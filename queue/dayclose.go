package queue

import (
	"context"
	"log/slog"
	"time"
)

// CloseDay expires every ticket still waiting from an office day before today (day.go:
// never one that has waited less than dayQuiet on this boot's clock).
func (q *Queue) CloseDay(ctx context.Context) error {
	_, err := q.Do(ctx, Expire{Before: q.Today()})
	return err
}

// RunDayClose closes the day now (the first start after a midnight the appliance slept
// through) and then every interval, until ctx ends. It polls rather than sleeping until
// midnight, because the wall clock of a Pi without a real-time clock can jump by hours at
// NTP sync, and because a ticket too young to expire at midnight (day.go, rule 4) expires
// at a later look. Each look is one transaction through the writer that writes nothing
// unless the office day changes, a ticket expires, or the clock's anchor is due.
func (q *Queue) RunDayClose(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	failing := false
	for {
		if err := q.CloseDay(ctx); err != nil && ctx.Err() == nil {
			if !failing {
				slog.Error("penutupan hari gagal; dicoba lagi", "err", err)
			}
			failing = true
		} else {
			failing = false
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
