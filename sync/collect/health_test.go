package collect_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/antri-id/antri/sync/collect"
	"github.com/antri-id/antri/sync/collect/collecttest"
	"github.com/antri-id/antri/sync/wire"
)

// TestHealthAndHeartbeats: the latest health an office sent is kept; a heartbeat (a
// batch without events) moves last_seen and the health but nothing else; a batch
// without health (an older antrid) keeps the last one.
func TestHealthAndHeartbeats(t *testing.T) {
	collecttest.Run(t, func(t *testing.T, open func() collect.Store) {
		ctx := context.Background()
		s := open()
		b := batch("mpp-a", events(1, 3))
		b.Health = []byte(`{"version":"1.0.0"}`)
		if _, _, err := s.Ingest(ctx, b); err != nil {
			t.Fatal(err)
		}
		beat := batch("mpp-a", nil)
		beat.At, beat.Health = t0.Add(time.Hour), []byte(`{"version":"1.0.1"}`)
		if acked, stored, err := s.Ingest(ctx, beat); err != nil || acked != 3 || stored != 0 {
			t.Fatalf("heartbeat: acked %d stored %d err %v", acked, stored, err)
		}
		old := batch("mpp-a", events(4, 4))
		old.At = t0.Add(2 * time.Hour)
		if _, _, err := s.Ingest(ctx, old); err != nil {
			t.Fatal(err)
		}
		o, ok, err := s.Office(ctx, "mpp-a")
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		if string(o.Health) != `{"version":"1.0.1"}` || !o.LastSeen.Equal(t0.Add(2*time.Hour)) || o.AckedSeq != 4 || o.Events != 4 {
			t.Fatalf("office %+v health %s", o, o.Health)
		}
	})
}

// TestEventsFromAndUsedNonces: what a restore reads, by sequence, and the nonce of its
// request refused a second time.
func TestEventsFromAndUsedNonces(t *testing.T) {
	collecttest.Run(t, func(t *testing.T, open func() collect.Store) {
		ctx := context.Background()
		s := open()
		if _, _, err := s.Ingest(ctx, batch("mpp-a", events(1, 9))); err != nil {
			t.Fatal(err)
		}
		var got []int64
		err := s.EventsFrom(ctx, "mpp-a", 3, 6, func(ev collect.Event) error {
			got = append(got, ev.Seq)
			if string(ev.Body) == "" {
				t.Errorf("event %d without its body", ev.Seq)
			}
			return nil
		})
		if err != nil || len(got) != 3 || got[0] != 4 || got[2] != 6 {
			t.Fatalf("events 4..6: %v %v", got, err)
		}
		if err := s.UseNonce(ctx, "mpp-a", "restore-nonce-0001", t0); err != nil {
			t.Fatal(err)
		}
		if err := s.UseNonce(ctx, "mpp-a", "restore-nonce-0001", t0); !errors.Is(err, wire.ErrReplay) {
			t.Fatalf("the same nonce again: %v, want ErrReplay", err)
		}
	})
}
