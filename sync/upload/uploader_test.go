package upload_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue/queuetest"
	"github.com/antri-id/antri/sync/upload"
	"github.com/antri-id/antri/sync/wire"
)

func TestUploaderSendsEveryEventInBoundedBatches(t *testing.T) {
	q, st, _ := office(t)
	issue(t, q, 10)
	hq := newFakeHQ(t)
	url := serve(t, hq)
	o := opts(st, url)
	o.BatchEvents = 3
	o.Labels = &wire.Labels{Services: map[string]string{"A": "Perizinan Berusaha (NIB)"}, Counters: map[string]string{"1": "Loket 1"}}
	drain(t, o)
	want := [][2]int64{{1, 3}, {4, 6}, {7, 9}, {10, 10}}
	if len(hq.batches) != len(want) {
		t.Fatalf("batches %v, want %v", hq.batches, want)
	}
	for i, l := range hq.labels { // headquarters names the services as the office does
		if l == nil || l.Services["A"] != "Perizinan Berusaha (NIB)" || l.Counters["1"] != "Loket 1" {
			t.Fatalf("batch %v carries the names %+v", hq.batches[i], l)
		}
	}
	for i := range want {
		if hq.batches[i] != want[i] {
			t.Fatalf("batches %v, want %v", hq.batches, want)
		}
	}
	_, bodies, _ := st.RawEventsAfter(context.Background(), 0, 100)
	for i, b := range bodies {
		if string(hq.events[int64(i+1)]) != string(b) {
			t.Fatalf("event %d at hq differs:\n%s\n%s", i+1, hq.events[int64(i+1)], b)
		}
	}
	acked, last, _ := st.SyncAcked(context.Background())
	if acked != 10 || last.IsZero() {
		t.Fatalf("persisted acked %d at %v, want 10 with a time", acked, last)
	}

	// Byte bound: each batch holds at most BatchBytes of event JSON (at least one event).
	issue(t, q, 10)
	o.BatchEvents, o.BatchBytes = 1000, len(bodies[0])*2+len(bodies[0])/2
	drain(t, o)
	for i, size := range hq.sizes[4:] {
		b := hq.batches[4+i]
		if size > o.BatchBytes || b[1]-b[0]+1 > 2 {
			t.Fatalf("batch %v has %d bytes, over the bound %d", b, size, o.BatchBytes)
		}
	}
	if hq.held() != 20 {
		t.Fatalf("hq holds %d events, want 20", hq.held())
	}
}

func TestUploaderRetriesTransientFailures(t *testing.T) {
	q, st, _ := office(t)
	issue(t, q, 5)
	hq := newFakeHQ(t)
	hq.failNext(status(503, "Retry-After", "0"), status(429), status(408), hijack(), status(502))
	url := serve(t, hq)
	u := drain(t, opts(st, url))
	s, _ := u.Status(context.Background())
	if len(s.DeadLetters) != 0 || s.Parked || s.Failures != 0 || hq.refused != 5 {
		t.Fatalf("after transient failures: %+v (refused %d)", s, hq.refused)
	}
	if hq.held() != 5 {
		t.Fatalf("hq holds %d events, want 5", hq.held())
	}
}

func TestUploaderParksRefusedBatchWithoutBlockingTickets(t *testing.T) {
	q, st, _ := office(t)
	issue(t, q, 3)
	hq := newFakeHQ(t)
	hq.failNext(status(400))
	url := serve(t, hq)
	u, _ := upload.New(opts(st, url))
	stop := run(u)
	defer stop()
	var s upload.Status
	queuetest.Eventually(t, "batch parked", func() bool {
		s, _ = u.Status(context.Background())
		return s.Parked
	})
	if len(s.DeadLetters) != 1 || s.DeadLetters[0].From != 1 || s.DeadLetters[0].To != 3 || s.DeadLetters[0].Status != 400 ||
		!strings.Contains(s.DeadLetters[0].Reason, "uji: ditolak") || !s.DeadLetters[0].Resolved.IsZero() {
		t.Fatalf("dead letters %+v", s.DeadLetters)
	}
	if p := s.Problem(time.Hour); !strings.Contains(p, "ditolak") {
		t.Fatalf("problem %q should say the batch was refused", p)
	}
	// The office keeps issuing tickets while the batch is parked.
	issue(t, q, 2)
	if hq.held() != 0 {
		t.Fatalf("hq got %d events from a parked batch", hq.held())
	}
	u.Retry()
	queuetest.Eventually(t, "backlog drained after retry", func() bool { return backlog(t, u) == 0 })
	s, _ = u.Status(context.Background())
	if s.Parked || s.DeadLetters[0].Resolved.IsZero() || hq.held() != 5 {
		t.Fatalf("after retry: %+v, hq holds %d", s, hq.held())
	}
}

func TestUploaderResumesFromPersistedAck(t *testing.T) {
	q, st, _ := office(t)
	issue(t, q, 4)
	hq := newFakeHQ(t)
	url := serve(t, hq)
	drain(t, opts(st, url))
	issue(t, q, 3)
	drain(t, opts(st, url)) // a restarted antrid
	last := hq.batches[len(hq.batches)-1]
	if last != [2]int64{5, 7} {
		t.Fatalf("after restart sent %v, want only 5–7 (batches %v)", last, hq.batches)
	}
}

func TestUploaderCorrectsItsClockFromHeadquarters(t *testing.T) {
	q, st, _ := office(t)
	issue(t, q, 2)
	hq := newFakeHQ(t)
	url := serve(t, hq)
	o := opts(st, url)
	o.Now = func() time.Time { return time.Now().Add(-3 * time.Hour) } // a Pi before NTP
	u := drain(t, o)
	s, _ := u.Status(context.Background())
	if hq.refused != 1 || len(s.DeadLetters) != 0 {
		t.Fatalf("want one stale refusal then success, got refused %d, dead letters %+v", hq.refused, s.DeadLetters)
	}
}

func TestUploaderTrustsConfiguredCA(t *testing.T) {
	q, st, _ := office(t)
	issue(t, q, 2)
	hq := newFakeHQ(t)
	srv := httptest.NewUnstartedServer(hq)
	srv.TLS = &tls.Config{}
	srv.StartTLS()
	defer srv.Close()
	url := srv.URL

	// Without the CA the certificate is refused: retried, never delivered.
	u, _ := upload.New(opts(st, url))
	stop := run(u)
	queuetest.Eventually(t, "a failed attempt", func() bool {
		s, _ := u.Status(context.Background())
		return s.Failures > 0
	})
	stop()
	s, _ := u.Status(context.Background())
	if !strings.Contains(s.LastError, "certificate") || s.Parked || hq.held() != 0 {
		t.Fatalf("untrusted certificate: %+v", s)
	}

	ca := filepath.Join(t.TempDir(), "hq-ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	o := opts(st, url)
	o.CAFile = ca
	drain(t, o)
	if hq.held() != 2 {
		t.Fatalf("hq holds %d events, want 2", hq.held())
	}
	o.CAFile = filepath.Join(t.TempDir(), "missing.pem")
	if _, err := upload.New(o); err == nil || !strings.Contains(err.Error(), "ca_file") {
		t.Fatalf("missing ca_file: err %v, want one naming ca_file", err)
	}
}

func TestStatusReportsBacklogAndOldestUnsent(t *testing.T) {
	q, st, clk := office(t)
	issue(t, q, 1)
	first := clk.Now().Wall
	clk.Advance(time.Hour)
	issue(t, q, 2)
	o := opts(st, "http://127.0.0.1:1")
	o.Now = func() time.Time { return first.Add(30 * time.Hour) }
	u, _ := upload.New(o)
	s, err := u.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.Backlog != 3 || s.LastSeq != 3 || s.AckedSeq != 0 || s.OldestUnsent == nil || !s.OldestUnsent.Equal(first) ||
		s.OldestUnsentAgeS != 30*3600 || s.LastSuccess != nil {
		t.Fatalf("status %+v", s)
	}
	if p := s.Problem(24 * time.Hour); !strings.Contains(p, "3 event belum terkirim") {
		t.Fatalf("problem %q", p)
	}
	if p := s.Problem(48 * time.Hour); p != "" {
		t.Fatalf("an outage shorter than StaleAfter is no problem, got %q", p)
	}
	b, _ := json.Marshal(s)
	for _, k := range []string{`"backlog":3`, `"oldest_unsent_age_s":108000`, `"last_success":null`, `"dead_letters":[]`} {
		if !strings.Contains(string(b), k) {
			t.Fatalf("status JSON %s lacks %s", b, k)
		}
	}
}

func TestBackoffIsFullJitterUnderTheCap(t *testing.T) {
	min, max := 100*time.Millisecond, 2*time.Second
	for attempt, cap := range map[int]time.Duration{1: min, 2: 2 * min, 4: 8 * min, 5: 16 * min, 6: max, 30: max} {
		var top time.Duration
		for i := 0; i < 2000; i++ {
			d := upload.Backoff(min, max, attempt)
			if d < 0 || d > cap {
				t.Fatalf("attempt %d: %v outside [0, %v]", attempt, d, cap)
			}
			top = maxDur(top, d)
		}
		if top < cap/2 {
			t.Fatalf("attempt %d: largest of 2000 draws %v, want spread up to %v", attempt, top, cap)
		}
	}
}

func maxDur(a, b time.Duration) time.Duration {
	if a > b {
		return a
	}
	return b
}
