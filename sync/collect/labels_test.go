package collect_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/antri-id/antri/sync/collect"
	"github.com/antri-id/antri/sync/collect/collecttest"
	"github.com/antri-id/antri/sync/wire"
)

// TestOfficeLabelsKept: the names an office gives its services and counters are kept
// from its latest batch that has them; a batch without them (an older antrid, or one
// whose names were cut away) keeps the last ones, and a renamed service is renamed.
func TestOfficeLabelsKept(t *testing.T) {
	collecttest.Run(t, func(t *testing.T, open func() collect.Store) {
		ctx := context.Background()
		s := open()
		names := func() wire.Labels {
			o, ok, err := s.Office(ctx, "mpp-a")
			if err != nil || !ok {
				t.Fatal(ok, err)
			}
			return o.Labels
		}
		if _, _, err := s.Ingest(ctx, batch("mpp-a", events(1, 2))); err != nil {
			t.Fatal(err)
		}
		if got := names(); len(got.Services) != 0 || len(got.Counters) != 0 {
			t.Fatalf("names before any were sent: %+v", got)
		}
		b := batch("mpp-a", events(3, 4))
		b.At = t0.Add(time.Minute)
		b.Labels = &wire.Labels{Services: map[string]string{"A": "Perizinan Berusaha (NIB)", "B": "Kartu Keluarga"},
			Counters: map[string]string{"1": "Loket 1 Disdukcapil"}}
		if _, _, err := s.Ingest(ctx, b); err != nil {
			t.Fatal(err)
		}
		older := batch("mpp-a", events(5, 5))
		older.At = t0.Add(2 * time.Minute)
		if _, _, err := s.Ingest(ctx, older); err != nil {
			t.Fatal(err)
		}
		if got := names(); got.Services["A"] != "Perizinan Berusaha (NIB)" || got.Counters["1"] != "Loket 1 Disdukcapil" || len(got.Services) != 2 {
			t.Fatalf("names after a batch without them: %+v", got)
		}
		renamed := batch("mpp-a", nil)
		renamed.At = t0.Add(3 * time.Minute)
		renamed.Labels = &wire.Labels{Services: map[string]string{"A": "NIB dan Izin Usaha"}}
		if _, _, err := s.Ingest(ctx, renamed); err != nil {
			t.Fatal(err)
		}
		if got := names(); !maps.Equal(got.Services, map[string]string{"A": "NIB dan Izin Usaha"}) || len(got.Counters) != 0 {
			t.Fatalf("names after a rename: %+v", got)
		}
	})
}
