package queue

import (
	"context"
	"log/slog"
	"time"
)

// CloseDay expires every ticket still waiting from a day before today.
func (q *Queue) CloseDay(ctx context.Context) error {
	_, err := q.Do(ctx, Expire{Before: q.Today()})
	return err
}

// RunDayClose closes the day now (the first start after a midnight the
// appliance slept through) and again whenever the local date changes, until
// ctx ends. It polls rather than sleeping until midnight, because the wall
// clock of a Pi without a real-time clock can jump by hours at NTP sync.
func (q *Queue) RunDayClose(ctx context.Context, every time.Duration) {
	last := ""
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if today := q.Today(); today != last {
			if err := q.CloseDay(ctx); err != nil {
				slog.Error("penutupan hari gagal; dicoba lagi", "err", err)
			} else {
				last = today
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
