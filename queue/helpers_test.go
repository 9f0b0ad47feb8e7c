package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
)

// The offices of these tests are the fixtures of package queuetest:
// "office" for the queue itself, "reports" for the figures of reports,
// complaints and breaches.

var ctx = context.Background()

// mustLoc loads a time zone of the tests.
func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

var jakarta = mustLoc("Asia/Jakarta")

// jakartaNoon is a Monday morning at the office, when the queue tests begin.
var jakartaNoon = time.Date(2026, 11, 2, 10, 0, 0, 0, jakarta)

// wib is a wall time in the office's zone (UTC+7).
func wib(y int, m time.Month, d, h, min, s int) time.Time {
	return time.Date(y, m, d, h, min, s, 0, jakarta)
}

// do runs commands and fails the test on the first refusal.
func do(t testing.TB, q *queue.Queue, cmds ...queue.Command) *queue.Ticket {
	t.Helper()
	var tk *queue.Ticket
	for _, c := range cmds {
		var err error
		if tk, err = q.Do(ctx, c); err != nil {
			t.Fatalf("%T%+v: %v", c, c, err)
		}
	}
	return tk
}

func wantKind(t testing.TB, err error, kind queue.ErrorKind) {
	t.Helper()
	if queue.KindOf(err) != kind {
		t.Fatalf("want refusal %q, got %v", kind, err)
	}
}

// allEvents reads the whole outbox, in seq order.
func allEvents(t testing.TB, q *queue.Queue) []queue.Event {
	t.Helper()
	evs, err := q.Store().EventsAfter(ctx, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}
