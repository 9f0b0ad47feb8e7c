package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
	"github.com/antri-id/antri/sync/collect/collecttest"
	"github.com/antri-id/antri/sync/upload"
)

// backlog fills an office database with n events shaped like real ones (a
// finished ticket's snapshot), written straight into the events table: a
// million Do calls would take the benchmark's whole budget to prepare.
func backlog(b *testing.B, n int) *queue.Store {
	b.Helper()
	q, st, _ := office(b, officeA)
	ctx := context.Background()
	q.Do(ctx, queue.Issue{Service: "A"})
	q.Do(ctx, queue.Call{Counter: "1"})
	q.Do(ctx, queue.Finish{Counter: "1", Outcome: "done"})
	_, bodies, err := st.RawEventsAfter(ctx, 2, 1)
	if err != nil || len(bodies) != 1 {
		b.Fatal(err)
	}
	tmpl := bodies[0]
	rest, ok := bytes.CutPrefix(tmpl, []byte(`{"seq":3,`))
	if !ok {
		b.Fatalf("unexpected event shape %s", tmpl)
	}
	writeEvents(b, st, func(yield func(rawEvent) bool) {
		for seq := int64(4); seq <= int64(n); seq++ {
			if !yield(rawEvent{seq, queue.EventFinished, append([]byte(`{"seq":`+strconv.FormatInt(seq, 10)+`,`), rest...)}) {
				return
			}
		}
	})
	return st
}

// BenchmarkSyncDrainBacklog drains a backlog (ANTRI_SYNC_BACKLOG events,
// default 1 000 000) from an office database to antri-hq on SQLite over
// loopback, with the uploader's default batch bounds. Goal: ≤ 60 s for 1 M.
func BenchmarkSyncDrainBacklog(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("ANTRI_SYNC_BACKLOG")); err == nil && v > 0 {
		n = v
	}
	st := backlog(b, n)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		hq := collecttest.Opener(b, "sqlite")()
		hs := httptest.NewServer(newTestServer(hq))
		if err := st.SetSyncAcked(ctx, 0, time.Now()); err != nil {
			b.Fatal(err)
		}
		u, err := upload.New(upload.Options{Store: st, Office: officeA, OfficeName: "Kantor", Timezone: "Asia/Jakarta",
			URL: hs.URL, Secret: secretA, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { u.Run(rctx); close(done) }()
		for {
			s, err := u.Status(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if s.Backlog == 0 {
				break
			}
			if s.Parked {
				b.Fatalf("batch parked: %s", s.LastError)
			}
			if time.Since(start) > queuetest.WaitLimit {
				b.Fatalf("backlog %d not sent after %v", s.Backlog, queuetest.WaitLimit)
			}
			time.Sleep(20 * time.Millisecond)
		}
		el := time.Since(start)
		b.StopTimer()
		cancel()
		<-done
		hs.Close()
		if o, _, _ := hq.Office(ctx, officeA); o.AckedSeq != int64(n) {
			b.Fatalf("hq acked %d of %d", o.AckedSeq, n)
		}
		b.ReportMetric(float64(n)/el.Seconds(), "events/s")
		b.ReportMetric(el.Seconds(), "s/drain")
		b.StartTimer()
	}
}

// BenchmarkIngest measures POST /api/v1/ingest end to end (signature,
// gunzip, parsing, storing) on each store, in batches of 1000 events.
func BenchmarkIngest(b *testing.B) {
	const per = 1000
	st := backlog(b, 3)
	_, tmpl, err := st.RawEventsAfter(context.Background(), 2, 1)
	if err != nil {
		b.Fatal(err)
	}
	rest := bytes.TrimPrefix(tmpl[0], []byte(`{"seq":3,`))
	for _, kind := range collecttest.Kinds {
		b.Run(kind, func(b *testing.B) {
			hq := collecttest.Opener(b, kind)()
			hs := httptest.NewServer(newTestServer(hq))
			defer hs.Close()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				from := int64(i*per + 1)
				evs := make([]json.RawMessage, per)
				for j := range evs {
					evs[j] = append([]byte(`{"seq":`+strconv.FormatInt(from+int64(j), 10)+`,`), rest...)
				}
				s := newSigned(officeA, secretA, evs, from, from+per-1)
				body := s.body()
				b.StartTimer()
				if code, msg, _ := do(b, s.request(hs.URL, body)); code != 200 {
					b.Fatalf("ingest: %d %s", code, msg)
				}
			}
			b.ReportMetric(float64(b.N*per)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
