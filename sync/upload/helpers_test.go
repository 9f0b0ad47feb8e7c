package upload_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
	"github.com/antri-id/antri/sync/upload"
	"github.com/antri-id/antri/sync/wire"
)

const secret = "rahasia-kantor-uji"

// office is a real queue on a temporary store, with a fake clock.
func office(t testing.TB) (*queue.Queue, *queue.Store, *queue.FakeClock) {
	t.Helper()
	q, clk := queuetest.OpenConfig(t, queuetest.Example(t, queuetest.AlwaysOpen), time.Date(2025, 5, 6, 2, 0, 0, 0, time.UTC))
	return q, q.Store(), clk
}

func issue(t testing.TB, q *queue.Queue, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if _, err := q.Do(context.Background(), queue.Issue{Service: "A"}); err != nil {
			t.Fatal(err)
		}
	}
}

// fakeHQ is a minimal headquarters: it verifies like antri-hq, keeps events
// by sequence, answers the highest contiguous one, and fails on demand.
type fakeHQ struct {
	t   testing.TB
	now func() time.Time

	mu      sync.Mutex
	events  map[int64]json.RawMessage
	batches [][2]int64 // [from, to] of every accepted batch
	sizes   []int      // uncompressed event bytes per accepted batch
	fail    []func(w http.ResponseWriter) bool
	refused int
	labels  []*wire.Labels // of every accepted batch
}

func newFakeHQ(t testing.TB) *fakeHQ {
	return &fakeHQ{t: t, now: time.Now, events: map[int64]json.RawMessage{}}
}

// failNext makes the next requests answer with these handlers (each returns
// true when it answered).
func (h *fakeHQ) failNext(fs ...func(w http.ResponseWriter) bool) {
	h.mu.Lock()
	h.fail = append(h.fail, fs...)
	h.mu.Unlock()
}

func (h *fakeHQ) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.fail) > 0 {
		f := h.fail[0]
		h.fail = h.fail[1:]
		if f(w) {
			h.refused++
			return
		}
	}
	body, _ := io.ReadAll(r.Body)
	env, err := wire.ReadEnvelope(r.Header)
	if err == nil {
		err = env.Verify(r.Header, secret, body, h.now())
	}
	if err != nil {
		re := err.(*wire.RefusedError)
		w.Header().Set(wire.HeaderError, re.Code)
		w.Header().Set("Date", h.now().UTC().Format(http.TimeFormat))
		h.refused++
		http.Error(w, re.Msg, re.Status)
		return
	}
	if r.Header.Get("Content-Encoding") != "gzip" {
		h.t.Errorf("batch sent without Content-Encoding: gzip")
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		h.t.Fatalf("body is not gzip: %v", err)
	}
	var b wire.Batch
	if err := json.NewDecoder(zr).Decode(&b); err != nil {
		h.t.Fatalf("batch: %v", err)
	}
	size := 0
	for _, ev := range b.Events {
		var e queue.Event
		if err := json.Unmarshal(ev, &e); err != nil {
			h.t.Fatal(err)
		}
		h.events[e.Seq] = ev
		size += len(ev)
	}
	h.batches = append(h.batches, [2]int64{b.From, b.To})
	h.sizes = append(h.sizes, size)
	h.labels = append(h.labels, b.Labels)
	var acked int64
	for h.events[acked+1] != nil {
		acked++
	}
	json.NewEncoder(w).Encode(wire.Ack{Office: b.Office, Acked: acked})
}

// status answers with code and optional headers.
func status(code int, hdr ...string) func(w http.ResponseWriter) bool {
	return func(w http.ResponseWriter) bool {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		http.Error(w, `{"error":"uji: ditolak"}`, code)
		return true
	}
}

// hijack drops the connection without an answer: a network error.
func hijack() func(w http.ResponseWriter) bool {
	return func(w http.ResponseWriter) bool {
		c, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			c.Close()
		}
		return true
	}
}

func opts(st *queue.Store, url string) upload.Options {
	return upload.Options{Store: st, Office: "mpp-kota-contoh", OfficeName: "MPP Contoh", Timezone: "Asia/Jakarta",
		URL: url, Secret: secret, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond,
		Idle: 5 * time.Millisecond, ParkedRetry: time.Hour, Timeout: 5 * time.Second,
		Logger: slog.New(slog.DiscardHandler)}
}

// run starts u and returns a function stopping it and waiting for its end.
func run(u *upload.Uploader) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { u.Run(ctx); close(done) }()
	return func() { cancel(); <-done }
}

// serve runs hq as an HTTP server until the test ends and returns its URL.
func serve(t testing.TB, hq *fakeHQ) string {
	srv := httptest.NewServer(hq)
	t.Cleanup(srv.Close)
	return srv.URL
}

// drain runs an uploader with o until it has sent every event, and returns
// it stopped.
func drain(t testing.TB, o upload.Options) *upload.Uploader {
	t.Helper()
	u, err := upload.New(o)
	if err != nil {
		t.Fatal(err)
	}
	stop := run(u)
	defer stop()
	queuetest.Eventually(t, "the backlog to drain", func() bool { return backlog(t, u) == 0 })
	return u
}

func backlog(t testing.TB, u *upload.Uploader) int64 {
	st, err := u.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.Backlog
}

// held is how many events hq holds.
func (h *fakeHQ) held() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.events)
}
