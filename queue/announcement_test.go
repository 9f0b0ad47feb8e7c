package queue_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// openAnnouncementQueue opens the test office on a Monday morning.
func openAnnouncementQueue(t *testing.T) (*queue.Queue, *queue.Store) {
	t.Helper()
	q, _ := queuetest.Open(t, "office", time.Date(2024, 5, 6, 9, 0, 0, 0, time.UTC))
	return q, q.Store()
}

// The admin's running text is kept in the meta table and reaches displays
// as one stored running_text event.
func TestSetRunningTextStoresAndEmits(t *testing.T) {
	ctx := context.Background()
	q, store := openAnnouncementQueue(t)
	var got []queue.Event
	q.Subscribe(func(ev queue.Event) { got = append(got, ev) })

	if _, err := q.Do(ctx, queue.SetRunningText{Text: "  Loket 3 istirahat\n pukul 12.00  "}); err != nil {
		t.Fatal(err)
	}
	if text, err := q.RunningText(ctx); err != nil || text != "Loket 3 istirahat pukul 12.00" {
		t.Fatalf("RunningText = %q, %v; want the text with spaces and line breaks folded", text, err)
	}
	if len(got) != 1 || got[0].Type != queue.EventRunningText || got[0].Seq == 0 || got[0].Ticket != nil {
		t.Fatalf("events = %+v; want one stored running_text event without a ticket", got)
	}
	var d queue.RunningTextData
	if err := json.Unmarshal(got[0].Data, &d); err != nil || d.Text != "Loket 3 istirahat pukul 12.00" {
		t.Fatalf("event data %s: %v", got[0].Data, err)
	}
	_, bodies, err := store.RawEventsAfter(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 1 || !strings.Contains(string(bodies[0]), `"running_text"`) {
		t.Fatalf("outbox = %s; want the running_text event stored", bodies)
	}

	// Clearing it.
	if _, err := q.Do(ctx, queue.SetRunningText{}); err != nil {
		t.Fatal(err)
	}
	if text, _ := q.RunningText(ctx); text != "" {
		t.Fatalf("after clearing, RunningText = %q", text)
	}
}

func TestSetRunningTextRefusesTooLong(t *testing.T) {
	q, _ := openAnnouncementQueue(t)
	_, err := q.Do(context.Background(), queue.SetRunningText{Text: strings.Repeat("é", queue.MaxRunningText+1)})
	if queue.KindOf(err) != queue.KindInvalid || !strings.Contains(err.Error(), "terlalu panjang") {
		t.Fatalf("err = %v; want an invalid refusal saying the text is too long", err)
	}
	if text, _ := q.RunningText(context.Background()); text != "" {
		t.Fatalf("refused text was stored: %q", text)
	}
}
