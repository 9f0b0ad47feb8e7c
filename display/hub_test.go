package display

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// countingFeed stands in for the office: its state is the number of the last event
// applied; a snapshot says that number and each event's message its own. The hub calls it
// from its goroutine only, as it does the real feed.
type countingFeed struct {
	n            int64
	pad          string
	failSnapshot bool
}

type wireMsg struct {
	Snapshot *int `json:"snapshot,omitempty"`
	Event    *int `json:"event,omitempty"`
}

func (f *countingFeed) load(context.Context) error { return nil }
func (f *countingFeed) loaded() bool               { return true }
func (f *countingFeed) stale(context.Context) bool { return false }
func (f *countingFeed) snapshot(*client) ([]byte, error) {
	if f.failSnapshot {
		return nil, errors.New("database locked")
	}
	return []byte(fmt.Sprintf(`{"snapshot":%d}`, f.n)), nil
}

func (f *countingFeed) apply(_ context.Context, ev queue.Event) (func(*client) []byte, bool) {
	if ev.Seq <= f.n {
		return nil, false
	}
	f.n = ev.Seq
	msg := []byte(fmt.Sprintf(`{"event":%d,"sent":%d,"pad":%q}`, ev.Seq, ev.At.UnixNano(), f.pad))
	return func(*client) []byte { return msg }, true
}

// producer broadcasts numbered events in order, as the queue's subscriber does.
type producer struct{ n atomic.Int64 }

func (p *producer) next(h *Hub) { h.Broadcast(queue.Event{Seq: p.n.Add(1), Type: "called"}) }

// smallBufListener shrinks the kernel send buffer of every accepted connection, so that a
// client that stops reading fills it after a few KB instead of megabytes of autotuning.
type smallBufListener struct{ net.Listener }

func (l smallBufListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4096)
	}
	return c, err
}

// startHub runs a hub behind a real HTTP server on loopback.
func startHub(t testing.TB, f feed) (*Hub, string, context.CancelFunc) {
	t.Helper()
	h := NewHub()
	h.serve(f, func(string) (scope, bool) { return scope{}, false })
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() { h.Run(ctx); close(ran) }()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.serveWS(w, r, view{kind: viewDisplay})
	}))
	srv.Listener = smallBufListener{srv.Listener}
	srv.Start()
	t.Cleanup(func() {
		cancel()
		<-ran
		srv.Close()
	})
	return h, "ws" + strings.TrimPrefix(srv.URL, "http"), cancel
}

// dial connects a websocket client whose kernel receive buffer is small too.
func dial(t testing.TB, url string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if tc, ok := c.(*net.TCPConn); ok {
				tc.SetReadBuffer(4096)
			}
			return c, err
		},
	}
	c, resp, err := d.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v (response %v)", url, err, resp)
	}
	return c
}

func readWire(c *websocket.Conn) (wireMsg, error) {
	var m wireMsg
	_, data, err := c.ReadMessage()
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("bad message %q: %v", data, err)
	}
	return m, nil
}

// reader follows one client: snapshot first, then every event after it, in order.
type reader struct {
	conn     *websocket.Conn
	snapshot int
	last     atomic.Int64 // number of the last event received
	err      atomic.Pointer[error]
}

func (r *reader) fail(err error) { r.err.Store(&err) }

func (r *reader) run(until int) {
	r.conn.SetReadDeadline(time.Now().Add(queuetest.WaitLimit)) // a stalled hub fails the test
	m, err := readWire(r.conn)
	if err != nil {
		r.fail(err)
		return
	}
	if m.Snapshot == nil {
		r.fail(fmt.Errorf("first message is not the snapshot: %+v", m))
		return
	}
	r.snapshot = *m.Snapshot
	r.last.Store(int64(r.snapshot))
	for r.last.Load() < int64(until) {
		m, err := readWire(r.conn)
		if err != nil {
			r.fail(err)
			return
		}
		if m.Event == nil {
			r.fail(fmt.Errorf("expected an event, got %+v", m))
			return
		}
		if want := r.last.Load() + 1; int64(*m.Event) != want {
			r.fail(fmt.Errorf("got event %d, want %d (gap or duplicate)", *m.Event, want))
			return
		}
		r.last.Store(int64(*m.Event))
	}
}

func TestHubStalledClientIsDroppedOthersGetEveryEventInOrder(t *testing.T) {
	const clients, events, burst = 100, 2000, 100
	state := &producer{}
	h, url, _ := startHub(t, &countingFeed{pad: strings.Repeat("x", 200)}) // a realistic call event size

	stalled := dial(t, url) // connected first, then never read until the end
	readers := make([]*reader, clients-1)
	var wg sync.WaitGroup
	for i := range readers {
		readers[i] = &reader{conn: dial(t, url)}
		wg.Add(1)
		go func() { defer wg.Done(); readers[i].run(events) }()
	}
	queuetest.Eventually(t, "100 clients registered", func() bool { return h.Clients() == clients })

	for sent := 0; sent < events; {
		for range burst {
			state.next(h)
			sent++
		}
		// Pace like a busy office, not a flood: the next burst goes out once every healthy
		// page has shown the last one. The stalled page never catches up.
		queuetest.Eventually(t, fmt.Sprintf("readers to receive event %d", sent), func() bool {
			for _, r := range readers {
				if r.err.Load() != nil {
					return true // reported below
				}
				if r.last.Load() < int64(sent) {
					return false
				}
			}
			return true
		})
		for i, r := range readers {
			if e := r.err.Load(); e != nil {
				t.Fatalf("healthy client %d: %v", i, *e)
			}
		}
	}
	wg.Wait()
	for i, r := range readers {
		if r.snapshot != 0 || r.last.Load() != events {
			t.Errorf("client %d: snapshot %d, last event %d; want 0 and %d", i, r.snapshot, r.last.Load(), events)
		}
	}
	queuetest.Eventually(t, "the stalled client to be dropped", func() bool { return h.Clients() == clients-1 })

	// The stalled page now reads what reached it: the snapshot, an unbroken prefix of the
	// events, then the end of the connection — not all 2000 events.
	sr := &reader{conn: stalled}
	sr.run(events)
	if e := sr.err.Load(); e == nil {
		t.Fatalf("stalled client received all %d events; it should have been dropped", events)
	} else if strings.Contains((*e).Error(), "gap or duplicate") {
		t.Fatalf("stalled client: %v", *e)
	}
	if sr.last.Load() >= events {
		t.Fatalf("stalled client got %d events", sr.last.Load())
	}
	t.Logf("stalled client was dropped after %d events", sr.last.Load())
	stalled.Close()

	for _, r := range readers {
		r.conn.Close()
	}
	queuetest.Eventually(t, "every client to be unregistered", func() bool { return h.Clients() == 0 })
}

func TestHubSnapshotFirstThenEventsWithoutGapOrDuplicate(t *testing.T) {
	// Clients connect while events stream; each must see exactly the events after its own
	// snapshot. This exercises the race between snapshot and queued events.
	const clients, events = 20, 3000
	state := &producer{}
	h, url, _ := startHub(t, &countingFeed{})

	var wg sync.WaitGroup
	readers := make([]*reader, clients)
	var activeMu sync.Mutex
	var active []*reader // readers started so far, for the producer's back-pressure
	produced := make(chan struct{})
	go func() {
		defer close(produced)
		for i := 1; i <= events; i++ {
			state.next(h)
			if i%(events/(2*clients)) == 0 {
				// Let the next client join here, while events keep flowing.
				j := i / (events / (2 * clients))
				if !queuetest.Until(func() bool {
					activeMu.Lock()
					defer activeMu.Unlock()
					return len(active) > j || len(active) == clients
				}) {
					t.Errorf("client %d did not join within %v", j+1, queuetest.WaitLimit)
					return
				}
			}
			if i%20 != 0 {
				continue
			}
			// Pacing only, so that no reader falls sendBuffer behind on a slow machine
			// (-race): wait until every page that has its snapshot is within 100 events.
			// Clients still join mid-stream, which is what this test is about.
			activeMu.Lock()
			rs := slices.Clone(active)
			activeMu.Unlock()
			deadline := time.Now().Add(20 * time.Second)
			for _, r := range rs {
				for r.err.Load() == nil && r.last.Load() >= 0 && r.last.Load() < int64(i-100) && time.Now().Before(deadline) {
					time.Sleep(100 * time.Microsecond)
				}
			}
		}
	}()
	for i := range readers {
		r := &reader{conn: dial(t, url)}
		r.last.Store(-1) // no snapshot yet
		readers[i] = r
		activeMu.Lock()
		active = append(active, r)
		activeMu.Unlock()
		wg.Add(1)
		go func() { defer wg.Done(); r.run(events) }()
	}
	<-produced
	wg.Wait()
	joinedMidStream := 0
	for i, r := range readers {
		if e := r.err.Load(); e != nil {
			t.Fatalf("client %d (snapshot %d): %v", i, r.snapshot, *e)
		}
		if r.last.Load() != events {
			t.Errorf("client %d: last event %d, want %d", i, r.last.Load(), events)
		}
		if r.snapshot > 0 && r.snapshot < events {
			joinedMidStream++
		}
		r.conn.Close()
	}
	if joinedMidStream == 0 {
		t.Fatalf("no client joined while events were flowing; the test proves nothing")
	}
	queuetest.Eventually(t, "every client to be unregistered", func() bool { return h.Clients() == 0 })
}

func TestHubSnapshotErrorClosesWithInternalError(t *testing.T) {
	h, url, _ := startHub(t, &countingFeed{failSnapshot: true})
	c := dial(t, url)
	defer c.Close()
	_, _, err := c.ReadMessage()
	if !websocket.IsCloseError(err, websocket.CloseInternalServerErr) {
		t.Fatalf("got %v, want close 1011", err)
	}
	if n := h.Clients(); n != 0 {
		t.Fatalf("Clients() = %d after a failed snapshot, want 0", n)
	}
}

func TestHubRunEndClosesClientsAndRefusesNewOnes(t *testing.T) {
	h, url, stop := startHub(t, &countingFeed{})
	c := dial(t, url)
	defer c.Close()
	if _, err := readWire(c); err != nil {
		t.Fatal(err)
	}
	queuetest.Eventually(t, "client registered", func() bool { return h.Clients() == 1 })
	stop()
	_, _, err := c.ReadMessage()
	if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Fatalf("after Run ended the page got %v, want close 1001 (going away)", err)
	}
	if n := h.Clients(); n != 0 {
		t.Fatalf("Clients() = %d after Run ended", n)
	}
	h.Broadcast(queue.Event{Seq: 1}) // must not block once Run has ended
	_, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("dial after Run ended: %v, %v; want 503", resp, err)
	}
}

func TestHubDisconnectsDoNotLeakGoroutines(t *testing.T) {
	state := &producer{}
	h, url, _ := startHub(t, &countingFeed{})
	before := runtime.NumGoroutine()
	conns := make([]*websocket.Conn, 50)
	for i := range conns {
		conns[i] = dial(t, url)
	}
	queuetest.Eventually(t, "50 clients registered", func() bool { return h.Clients() == 50 })
	state.next(h)
	for _, c := range conns {
		c.Close()
	}
	queuetest.Eventually(t, "every client to be unregistered", func() bool { return h.Clients() == 0 })
	queuetest.Eventually(t, "the pumps to end", func() bool { return runtime.NumGoroutine() <= before })
}

// TestHubIdlePageHoldsOneGoroutine: once a page has its snapshot and nothing happens, it
// costs its reader only; a writer runs while there is something to send.
func TestHubIdlePageHoldsOneGoroutine(t *testing.T) {
	h, url, _ := startHub(t, &countingFeed{})
	before := runtime.NumGoroutine()
	conns := make([]*websocket.Conn, 50)
	for i := range conns {
		conns[i] = dial(t, url)
		if _, err := readWire(conns[i]); err != nil {
			t.Fatalf("page %d got no snapshot: %v", i, err)
		}
	}
	queuetest.Eventually(t, "50 clients registered", func() bool { return h.Clients() == 50 })
	queuetest.Eventually(t, "one goroutine per idle page", func() bool { return runtime.NumGoroutine() <= before+len(conns) })
	(&producer{}).next(h) // an event still reaches every page
	for i, c := range conns {
		if m, err := readWire(c); err != nil || m.Event == nil || *m.Event != 1 {
			t.Fatalf("page %d after the event: %+v, %v", i, m, err)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

// TestHubPingsIdlePages: the hub pings every page (which answers with a pong that keeps
// its read deadline), also when nothing else is sent.
func TestHubPingsIdlePages(t *testing.T) {
	h := NewHub()
	h.pingEvery = 50 * time.Millisecond
	h.serve(&countingFeed{}, func(string) (scope, bool) { return scope{}, false })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go h.Run(ctx)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.serveWS(w, r, view{kind: viewDisplay})
	}))
	defer srv.Close()
	c := dial(t, "ws"+strings.TrimPrefix(srv.URL, "http"))
	defer c.Close()
	var pings atomic.Int32
	c.SetPingHandler(func(string) error { pings.Add(1); return nil })
	go func() {
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}()
	queuetest.Eventually(t, "three pings", func() bool { return pings.Load() >= 3 })
}
