package queue_test

import (
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestPublishCarriesOnlyNotices: a live notice reaches the subscribers with Seq 0; an
// event type that records a change (a call, an issue) is refused, so no page can be made
// to announce a call that is not in the database.
func TestPublishCarriesOnlyNotices(t *testing.T) {
	q, _ := queuetest.Open(t, "office", time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	var got []queue.Event
	cancel := q.Subscribe(func(ev queue.Event) { got = append(got, ev) })
	defer cancel()
	for _, typ := range []string{queue.EventCalled, queue.EventIssued, queue.EventFinished, "anything"} {
		if err := q.Publish(queue.Event{Type: typ, Seq: 7, Ticket: &queue.Ticket{Number: "A-001"}}); err == nil {
			t.Errorf("Publish(%q) accepted; only notices may be published", typ)
		}
	}
	for _, typ := range []string{queue.EventBreach, queue.EventBreachCleared, queue.NoticePrinterStatus, queue.NoticeButtonRefused} {
		if err := q.Publish(queue.Event{Type: typ, Seq: 7}); err != nil {
			t.Errorf("Publish(%q): %v", typ, err)
		}
	}
	if len(got) != 4 {
		t.Fatalf("subscribers got %d events, want the 4 notices", len(got))
	}
	for _, ev := range got {
		if ev.Seq != 0 || ev.Office == "" || ev.At.IsZero() {
			t.Errorf("notice %+v: want Seq 0, the office and a time", ev)
		}
	}
}
