package main

import (
	"context"
	"time"
)

// breachEvery is how often the standards are checked against the waiting
// and served tickets: often enough that a counter sees a breach within
// seconds, rarely enough to cost nothing on a Pi.
const breachEvery = 5 * time.Second

func init() {
	components = append(components, component{name: "breach", start: func(ctx context.Context, a *app) error {
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			a.q.RunBreachWatch(ctx, breachEvery)
		}()
		return nil
	}})
}
