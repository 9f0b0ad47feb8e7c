package collect_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/antri-id/antri/sync/collect"
	"github.com/antri-id/antri/sync/collect/collecttest"
	"github.com/antri-id/antri/sync/wire"
)

var t0 = time.Date(2025, 3, 31, 16, 30, 0, 0, time.UTC) // 23:30 in Jakarta

func events(from, to int64) []collect.Event {
	var out []collect.Event
	for s := from; s <= to; s++ {
		out = append(out, collect.Event{Seq: s, At: t0.Add(time.Duration(s) * time.Minute), Type: "issued",
			Body: []byte(fmt.Sprintf(`{"seq":%d,"office":"mpp-a","type":"issued"}`, s))})
	}
	return out
}

var nonceN int

func batch(office string, evs []collect.Event) collect.Batch {
	nonceN++
	return collect.Batch{Office: office, Name: "MPP " + office, Timezone: "Asia/Jakarta",
		Nonce: fmt.Sprintf("nonce-%08d-%d", nonceN, time.Now().UnixNano()), At: t0, Events: evs}
}

func seqsOf(t *testing.T, s collect.Store, office string, from, to time.Time) []int64 {
	t.Helper()
	var out []int64
	err := s.Events(context.Background(), office, from, to, func(ev collect.Event) error {
		out = append(out, ev.Seq)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestIngestKeepsEachEventOnce(t *testing.T) {
	collecttest.Run(t, func(t *testing.T, open func() collect.Store) {
		ctx := context.Background()
		s := open()
		acked, stored, err := s.Ingest(ctx, batch("mpp-a", events(1, 5)))
		if err != nil || acked != 5 || stored != 5 {
			t.Fatalf("first batch: acked %d stored %d err %v, want 5 5 nil", acked, stored, err)
		}
		// The same events again (a resend after a lost answer): success, nothing new.
		acked, stored, err = s.Ingest(ctx, batch("mpp-a", events(3, 5)))
		if err != nil || acked != 5 || stored != 0 {
			t.Fatalf("resend: acked %d stored %d err %v, want 5 0 nil", acked, stored, err)
		}
		// A later batch arriving before the one in between: held, not acknowledged.
		acked, stored, err = s.Ingest(ctx, batch("mpp-a", events(9, 12)))
		if err != nil || acked != 5 || stored != 4 {
			t.Fatalf("after a gap: acked %d stored %d err %v, want 5 4 nil", acked, stored, err)
		}
		acked, _, err = s.Ingest(ctx, batch("mpp-a", events(6, 8)))
		if err != nil || acked != 12 {
			t.Fatalf("gap filled: acked %d err %v, want 12", acked, err)
		}
		// Another office's sequences are its own.
		if acked, _, err := s.Ingest(ctx, batch("mpp-b", events(1, 2))); err != nil || acked != 2 {
			t.Fatalf("office b: acked %d err %v", acked, err)
		}
		got := seqsOf(t, s, "mpp-a", time.Time{}, time.Time{})
		if len(got) != 12 {
			t.Fatalf("office a holds %v, want 1..12", got)
		}
		for i, seq := range got {
			if seq != int64(i+1) {
				t.Fatalf("office a holds %v, want 1..12 in order", got)
			}
		}
		offs, err := s.Offices(ctx)
		if err != nil || len(offs) != 2 {
			t.Fatalf("offices %v err %v", offs, err)
		}
		if offs[0].ID != "mpp-a" || offs[0].AckedSeq != 12 || offs[0].Events != 12 || offs[0].Timezone != "Asia/Jakarta" || offs[0].Name != "MPP mpp-a" {
			t.Fatalf("office a = %+v", offs[0])
		}
	})
}

func TestIngestRefusesReplayedNonce(t *testing.T) {
	collecttest.Run(t, func(t *testing.T, open func() collect.Store) {
		ctx := context.Background()
		s := open()
		b := batch("mpp-a", events(1, 3))
		if _, _, err := s.Ingest(ctx, b); err != nil {
			t.Fatal(err)
		}
		b2 := b
		b2.Events = events(4, 6) // even with other events under the same nonce
		if _, _, err := s.Ingest(ctx, b2); !errors.Is(err, wire.ErrReplay) {
			t.Fatalf("replayed nonce: err %v, want ErrReplay", err)
		}
		// Headquarters asks before reading a body; another office's nonces are its own.
		if seen, err := s.NonceSeen(ctx, "mpp-a", b.Nonce); err != nil || !seen {
			t.Fatalf("NonceSeen of a stored nonce: %v %v", seen, err)
		}
		if seen, err := s.NonceSeen(ctx, "mpp-b", b.Nonce); err != nil || seen {
			t.Fatalf("NonceSeen of another office: %v %v", seen, err)
		}
		if got := seqsOf(t, s, "mpp-a", time.Time{}, time.Time{}); len(got) != 3 {
			t.Fatalf("after replay holds %v, want 1..3", got)
		}
	})
}

func TestStoreSurvivesReopen(t *testing.T) {
	collecttest.Run(t, func(t *testing.T, open func() collect.Store) {
		ctx := context.Background()
		s := open()
		if _, _, err := s.Ingest(ctx, batch("mpp-a", events(1, 4))); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Ingest(ctx, batch("mpp-a", events(7, 8))); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s = open()
		o, ok, err := s.Office(ctx, "mpp-a")
		if err != nil || !ok || o.AckedSeq != 4 || o.Events != 6 {
			t.Fatalf("after reopen office = %+v ok %v err %v, want acked 4 of 6 events", o, ok, err)
		}
		acked, _, err := s.Ingest(ctx, batch("mpp-a", events(5, 6)))
		if err != nil || acked != 8 {
			t.Fatalf("after reopen acked %d err %v, want 8", acked, err)
		}
		if _, ok, _ := s.Office(ctx, "nope"); ok {
			t.Fatal("unknown office reported as known")
		}
	})
}

func TestEventsBetweenTimes(t *testing.T) {
	collecttest.Run(t, func(t *testing.T, open func() collect.Store) {
		ctx := context.Background()
		s := open()
		if _, _, err := s.Ingest(ctx, batch("mpp-a", events(1, 10))); err != nil {
			t.Fatal(err)
		}
		got := seqsOf(t, s, "mpp-a", t0.Add(3*time.Minute), t0.Add(6*time.Minute))
		if fmt.Sprint(got) != "[3 4 5]" {
			t.Fatalf("events in [3m, 6m) = %v, want [3 4 5]", got)
		}
		stop := errors.New("stop")
		n := 0
		err := s.Events(ctx, "mpp-a", time.Time{}, time.Time{}, func(collect.Event) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Fatalf("fn error not returned at once: n %d err %v", n, err)
		}
	})
}

func TestEventsSinceKeepsOlderEventsOfTheNamedTypes(t *testing.T) {
	collecttest.Run(t, func(t *testing.T, open func() collect.Store) {
		ctx := context.Background()
		s := open()
		evs := events(1, 6)
		evs[1].Type = "complaint_received" // seq 2, before the window
		evs[4].Type = "complaint_updated"  // seq 5, inside it
		if _, _, err := s.Ingest(ctx, batch("mpp-a", evs)); err != nil {
			t.Fatal(err)
		}
		var got []string
		from := t0.Add(4 * time.Minute) // seq 4 onwards
		err := s.EventsSince(ctx, "mpp-a", from, []string{"complaint_received", "complaint_updated"}, func(ev collect.Event) error {
			got = append(got, fmt.Sprintf("%d:%s", ev.Seq, ev.Type))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := "[2:complaint_received 4:issued 5:complaint_updated 6:issued]"
		if fmt.Sprint(got) != want {
			t.Fatalf("EventsSince = %v, want %s", got, want)
		}
	})
}
