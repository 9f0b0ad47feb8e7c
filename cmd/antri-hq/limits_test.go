package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/httpjson"
	"github.com/antri-id/antri/queue/queuetest"
	"github.com/antri-id/antri/sync/collect"
	"github.com/antri-id/antri/sync/collect/collecttest"
	"github.com/antri-id/antri/sync/upload"
	"github.com/antri-id/antri/sync/wire"
)

// zeros is an endless body of zero bytes: an attacker's upload, never held
// in memory.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// flood is a request of n bytes; with chunked true it does not say its
// length.
func flood(req *http.Request, n int64, chunked bool) *http.Request {
	req.Body, req.GetBody = io.NopCloser(io.LimitReader(zeros{}, n)), nil
	req.ContentLength = n
	if chunked {
		req.ContentLength = -1
	}
	return req
}

// attempt sends req and returns the status, or 0 when headquarters closed
// the connection before answering (also a refusal: nothing was accepted).
func attempt(req *http.Request) (int, http.Header) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header
}

// bodyCounter counts the request body bytes headquarters' handler read.
type bodyCounter struct {
	h    http.Handler
	read atomic.Int64
}

func (c *bodyCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = &countedBody{ReadCloser: r.Body, n: &c.read}
	c.h.ServeHTTP(w, r)
}

type countedBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// Row "20 unauthenticated 32 MiB bodies to antri-hq's ingest with a known
// office id": antri-hq grew to 1.31 GB before checking any signature. Now the
// headers alone refuse them, and not one byte of the body is read.
func TestIngestRefusesForgeriesBeforeReadingTheBody(t *testing.T) {
	st := collecttest.Opener(t, "sqlite")()
	c := &bodyCounter{h: newTestServer(st)}
	hs := httptest.NewServer(c)
	t.Cleanup(hs.Close)
	const size = 32 << 20
	cases := []struct {
		name   string
		req    func() *http.Request
		status int
		code   string
	}{
		{"known office, no secret", func() *http.Request {
			return flood(newSigned(officeA, "tebakan-penyerang-x", nil, 1, 1).request(hs.URL, []byte{}), size, false)
		}, 401, wire.ErrorSignature},
		{"known office, unsigned, no length", func() *http.Request {
			req := flood(newSigned(officeA, secretA, nil, 1, 1).request(hs.URL, []byte{}), size, true)
			req.Header.Del(wire.HeaderSignature)
			return req
		}, 401, wire.ErrorSignature},
		{"unknown office", func() *http.Request {
			return flood(newSigned("mpp-asing", "rahasia-asing-x", nil, 1, 1).request(hs.URL, []byte{}), size, false)
		}, 403, wire.ErrorOffice},
		{"captured request replayed after the window", func() *http.Request {
			s := newSigned(officeA, secretA, nil, 1, 1)
			s.ts = time.Now().Add(-2 * wire.Window)
			return flood(s.request(hs.URL, []byte{}), size, false)
		}, 401, wire.ErrorStale},
		// With the secret (a stolen one): a length over the cap is refused
		// from the header too.
		{"signed, 32 MiB announced", func() *http.Request {
			return flood(newSigned(officeA, secretA, nil, 1, 1).request(hs.URL, []byte{}), size, false)
		}, 413, wire.ErrorTooLarge},
	}
	for _, c2 := range cases {
		for range 4 {
			code, hdr := attempt(c2.req())
			if code != c2.status || hdr.Get(wire.HeaderError) != c2.code {
				t.Errorf("%s: %d %q, want %d %q", c2.name, code, hdr.Get(wire.HeaderError), c2.status, c2.code)
			}
		}
		if n := c.read.Swap(0); n != 0 {
			t.Errorf("%s: headquarters read %d bytes of the body before refusing", c2.name, n)
		}
	}
	// A captured request replayed within the window: its nonce is known.
	s := newSigned(officeA, secretA, nil, 1, 1)
	if code, b, _ := do(t, s.request(hs.URL, nil)); code != 200 {
		t.Fatalf("original: %d %s", code, b)
	}
	c.read.Store(0)
	if code, hdr := attempt(flood(s.request(hs.URL, nil), size, true)); code != 409 || hdr.Get(wire.HeaderError) != wire.ErrorReplay {
		t.Errorf("replay within the window: %d %q, want 409 replay", code, hdr.Get(wire.HeaderError))
	}
	if n := c.read.Swap(0); n != 0 {
		t.Errorf("replay: headquarters read %d bytes of the body before refusing", n)
	}
	// Signed and not saying its length: read up to the cap, not further.
	code, hdr := attempt(flood(newSigned(officeA, secretA, nil, 1, 1).request(hs.URL, []byte{}), size, true))
	if code != 413 || hdr.Get(wire.HeaderError) != wire.ErrorTooLarge {
		t.Errorf("signed, chunked 32 MiB: %d %q, want 413 too-large", code, hdr.Get(wire.HeaderError))
	}
	if n := c.read.Load(); n > defaultLimits.Body+64<<10 {
		t.Errorf("signed, chunked: read %d bytes, cap %d", n, defaultLimits.Body)
	}
	if n := held(t, st, officeA); n != 0 {
		t.Fatalf("refused requests stored %d events", n)
	}
}

// gzipBatch is the gzip body of a batch whose office_name is name bytes of
// "x", written in pieces: 250 MiB of name need not be held to be sent.
func gzipBatch(t testing.TB, office string, nameBytes int, events []json.RawMessage, from, to int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	fmt.Fprintf(zw, `{"office":%q,"office_name":"`, office)
	chunk := bytes.Repeat([]byte("x"), 1<<20)
	for left := nameBytes; left > 0; left -= len(chunk) {
		zw.Write(chunk[:min(left, len(chunk))])
	}
	evs, _ := json.Marshal(events)
	if events == nil {
		evs = []byte("[]")
	}
	fmt.Fprintf(zw, `","timezone":"Asia/Jakarta","from_seq":%d,"to_seq":%d,"events":%s}`, from, to, evs)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Row "a signed batch whose office_name is 250 MiB: accepted; the HQ page
// became 1 GB". Every field headquarters stores has a cap; a batch over one
// is refused whole (413 too-large, or 400 bad-body for what is not a name
// or type at all), except the office's name, which is only shown and is cut.
func TestIngestCapsWhatASignedBatchCanMakeHeadquartersHold(t *testing.T) {
	evs := officeEvents(t, officeA, 3)
	collecttest.Run(t, func(t *testing.T, open func() collect.Store) {
		st := open()
		_, hs := startHQ(t, st)
		withEvent := func(i int, edit func(map[string]any)) []json.RawMessage {
			out := append([]json.RawMessage(nil), evs...)
			var m map[string]any
			json.Unmarshal(evs[i], &m)
			edit(m)
			out[i], _ = json.Marshal(m)
			return out
		}
		cases := []struct {
			name   string
			req    func() *http.Request
			status int
			code   string
		}{
			{"office_name of 250 MiB", func() *http.Request {
				return newSigned(officeA, secretA, nil, 1, 3).request(hs.URL, gzipBatch(t, officeA, 250<<20, evs, 1, 3))
			}, 413, wire.ErrorTooLarge},
			{"more events than a batch holds", func() *http.Request {
				many := make([]json.RawMessage, defaultLimits.Events+1)
				for i := range many {
					many[i] = json.RawMessage(`{}`)
				}
				return newSigned(officeA, secretA, many, 1, int64(len(many))).request(hs.URL, nil)
			}, 413, wire.ErrorTooLarge},
			{"an event over 1 MiB", func() *http.Request {
				big := withEvent(1, func(m map[string]any) {
					m["data"] = map[string]string{"note": strings.Repeat("a", defaultLimits.Event)}
				})
				return newSigned(officeA, secretA, big, 1, 3).request(hs.URL, nil)
			}, 413, wire.ErrorTooLarge},
			{"an event type that is no type", func() *http.Request {
				return newSigned(officeA, secretA, withEvent(0, func(m map[string]any) { m["type"] = "<b>issued</b>" }), 1, 3).request(hs.URL, nil)
			}, 400, wire.ErrorBody},
			{"an event type of 65 bytes", func() *http.Request {
				return newSigned(officeA, secretA, withEvent(0, func(m map[string]any) { m["type"] = strings.Repeat("a", 65) }), 1, 3).request(hs.URL, nil)
			}, 400, wire.ErrorBody},
			{"a time zone of 1 KiB", func() *http.Request {
				s := newSigned(officeA, secretA, evs, 1, 3)
				s.batch.Timezone = "Asia/" + strings.Repeat("J", 1<<10)
				return s.request(hs.URL, nil)
			}, 400, wire.ErrorBody},
		}
		for _, c := range cases {
			code, body, hdr := do(t, c.req())
			if code != c.status || hdr.Get(wire.HeaderError) != c.code || !strings.Contains(body, `"error"`) || len(body) > 1024 {
				t.Errorf("%s: got %d %q %.300s, want %d %q and a short message", c.name, code, hdr.Get(wire.HeaderError), body, c.status, c.code)
			}
			if n := held(t, st, officeA); n != 0 {
				t.Fatalf("%s: %d events stored from a refused batch", c.name, n)
			}
		}

		// A name of 1 MiB fits the batch: the events are kept, the name cut.
		code, body, _ := do(t, newSigned(officeA, secretA, nil, 1, 3).request(hs.URL, gzipBatch(t, officeA, 1<<20, evs, 1, 3)))
		if code != 200 {
			t.Fatalf("batch with a 1 MiB name: %d %s", code, body)
		}
		o, _, err := st.Office(context.Background(), officeA)
		if err != nil || o.Name != strings.Repeat("x", defaultLimits.OfficeName) || o.AckedSeq != 3 {
			t.Fatalf("office after a long name: %d bytes of name, acked %d (err %v); want %d bytes, 3", len(o.Name), o.AckedSeq, err, defaultLimits.OfficeName)
		}
		code, page := get(t, hs.URL+"/?month=2025-03", adminTok)
		if code != 200 || len(page) > 64<<10 {
			t.Fatalf("page after a long name: %d, %d bytes", code, len(page))
		}

		// 3,000 service names of 1 KiB and a code of 1 KiB fit the 4 MiB batch too:
		// headquarters keeps 200 names, each cut, and no such code.
		many := newSigned(officeA, secretA, nil, 0, 0)
		many.batch.Labels = &wire.Labels{Services: map[string]string{strings.Repeat("K", 1<<10): "kode panjang"}}
		for i := range 3000 {
			many.batch.Labels.Services[fmt.Sprintf("S%05d", i)] = strings.Repeat("n", 1<<10)
		}
		if code, body, _ := do(t, many.request(hs.URL, nil)); code != 200 {
			t.Fatalf("heartbeat with 3,000 long names: %d %s", code, body)
		}
		o, _, _ = st.Office(context.Background(), officeA)
		if n := len(o.Labels.Services); n != defaultLimits.Labels || len(o.Labels.Services["S00000"]) != defaultLimits.OfficeName {
			t.Fatalf("kept %d names, the first %d bytes; want %d of %d bytes", n, len(o.Labels.Services["S00000"]), defaultLimits.Labels, defaultLimits.OfficeName)
		}
		for code := range o.Labels.Services {
			if len(code) > maxLabelKey {
				t.Fatalf("kept a code of %d bytes", len(code))
			}
		}
	})
}

func TestCutKeepsWholeCharacters(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"Mal Pelayanan", 3, "Mal"},
		{"Kantor Bupati Pohuwato", 100, "Kantor Bupati Pohuwato"},
		{"Café", 4, "Caf"}, // é is two bytes: cut before it, not in it
		{"日本", 4, "日"},
		{"ab", 0, ""},
	} {
		if got := cut(c.in, c.n); got != c.want {
			t.Errorf("cut(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
	if got := clip(strings.Repeat("é", 100)); len(got) > 100 || !strings.HasSuffix(got, "…(200 byte)") {
		t.Errorf("clip of 200 bytes = %q", got)
	}
}

// The largest batch an honest antrid can make is accepted, sent by the real
// uploader: a transfer note as long as antrid's API takes (64 KiB of '<',
// each escaped to six bytes by JSON, and kept twice: ticket and data),
// among ordinary events up to the uploader's 1 MiB, under an office name of
// 200 characters. The caps sit well above it.
func TestIngestAcceptsTheLargestBatchAnHonestOfficeSends(t *testing.T) {
	q, st, _ := office(t, officeA)
	ctx := context.Background()
	for range 3 {
		if _, err := q.Do(ctx, queue.Issue{Service: "A"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := q.Do(ctx, queue.Call{Counter: "1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Do(ctx, queue.Transfer{Counter: "1", Service: "B", Note: "rujukan", Unit: "Dinas"}); err != nil {
		t.Fatal(err)
	}
	seqs, bodies, err := st.RawEventsAfter(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var ev queue.Event
	for _, b := range bodies {
		if json.Unmarshal(b, &ev); ev.Type == queue.EventTransferred {
			break
		}
	}
	if ev.Type != queue.EventTransferred || ev.Ticket == nil {
		t.Fatalf("no transferred event among %d", len(bodies))
	}
	note := strings.Repeat("<", httpjson.MaxBody-100)
	ev.Ticket.Referral = note
	ev.Data, _ = json.Marshal(queue.TransferData{From: "A", To: "B", Note: note, Unit: "Dinas"})
	big := 0
	var extra []rawEvent
	for i := range 400 { // 1 MiB of ordinary events after it
		e := ev
		e.Seq = seqs[len(seqs)-1] + int64(i) + 1
		if i > 0 {
			e.Ticket = &queue.Ticket{Number: fmt.Sprintf("A-%03d", i), Service: "A", Stage: queue.StageIssued, IssuedAt: ev.At, QueuedAt: ev.At}
			e.Type, e.Data = queue.EventIssued, nil
		}
		b, _ := json.Marshal(e)
		if i == 0 {
			big = len(b)
		}
		extra = append(extra, rawEvent{e.Seq, e.Type, b})
	}
	if big < 700<<10 || big >= defaultLimits.Event {
		t.Fatalf("largest honest event is %d KiB; the test means one of about 770 KiB, under the %d KiB cap", big>>10, defaultLimits.Event>>10)
	}
	writeEvents(t, st, slices.Values(extra))
	hq := collecttest.Opener(t, "sqlite")()
	_, hs := startHQ(t, hq)
	o := &syncOffice{id: officeA, secret: secretA, q: q, st: st}
	o.startWith(t, hs.URL, func(opt *upload.Options) {
		opt.BatchEvents, opt.BatchBytes, opt.Timeout = 0, 0, 10*time.Second // antrid's own bounds
		opt.OfficeName = strings.Repeat("Mal Pelayanan Publik ", 10)[:200]
	})
	defer o.stop()
	queuetest.Eventually(t, "the largest batches acknowledged", func() bool {
		s, err := o.up.Status(ctx)
		if err == nil && s.Parked {
			t.Fatalf("honest batch refused: %s", s.LastError)
		}
		return err == nil && s.Backlog == 0
	})
	last, _ := st.LastSeq(ctx)
	assertSameEvents(t, o, hq, last)
}

// gateCount is how many ingests of office, and overall, are in progress.
func gateCount(s *server, office string) (int, int) {
	s.gate.mu.Lock()
	defer s.gate.mu.Unlock()
	return s.gate.office[office], s.gate.total
}

// slowBatch starts a correctly signed ingest whose body arrives only when
// finish is called; it returns once headquarters holds its place.
func slowBatch(t *testing.T, srv *server, url, office, secret string, evs []json.RawMessage) (finish func() int) {
	t.Helper()
	s := newSigned(office, secret, evs, 1, int64(len(evs)))
	body := s.body()
	req := s.request(url, body)
	pr, pw := io.Pipe()
	req.Body, req.GetBody = pr, nil
	before, _ := gateCount(srv, office)
	got := make(chan int, 1)
	go func() {
		code, _ := attempt(req)
		got <- code
	}()
	queuetest.Eventually(t, office+" batch in progress", func() bool { n, _ := gateCount(srv, office); return n > before })
	return func() int {
		go func() { pw.Write(body); pw.Close() }()
		return <-got
	}
}

// More than a few batches at once, of one office or of all, are refused
// with 429 busy (the uploader retries after Retry-After) rather than held in
// memory; places are only for correctly signed requests, so forgeries
// cannot take them from offices.
func TestIngestLimitsBatchesInProgress(t *testing.T) {
	evsA, evsB := officeEvents(t, officeA, 2), officeEvents(t, officeB, 2)
	st := collecttest.Opener(t, "sqlite")()
	lim := defaultLimits
	lim.PerOffice, lim.Overall = 2, 3
	srv, url := startHQLimits(t, st, lim)
	// Someone with office B's secret holds two batches open.
	b1 := slowBatch(t, srv, url, officeB, secretB, evsB)
	b2 := slowBatch(t, srv, url, officeB, secretB, evsB)
	code, body, hdr := do(t, newSigned(officeB, secretB, evsB, 1, 2).request(url, nil))
	if code != 429 || hdr.Get(wire.HeaderError) != wire.ErrorBusy || hdr.Get("Retry-After") == "" {
		t.Fatalf("third batch of one office at once: %d %q %s, want 429 busy with Retry-After", code, hdr.Get(wire.HeaderError), body)
	}
	// Forgeries do not count: unsigned floods of office A find its place free.
	for range 10 {
		if code, _ := attempt(flood(newSigned(officeA, "bukan-rahasia-a", nil, 1, 1).request(url, []byte{}), 1<<20, false)); code != 401 {
			t.Fatalf("forgery: %d", code)
		}
	}
	// Office A still gets through: its own batch takes the last place overall.
	a1 := slowBatch(t, srv, url, officeA, secretA, evsA)
	if _, total := gateCount(srv, officeA); total != 3 {
		t.Fatalf("%d ingests in progress, want 3", total)
	}
	code, _, hdr = do(t, newSigned(officeA, secretA, evsA, 1, 2).request(url, nil))
	if code != 429 || hdr.Get(wire.HeaderError) != wire.ErrorBusy {
		t.Fatalf("a batch past the overall limit: %d %q, want 429 busy", code, hdr.Get(wire.HeaderError))
	}
	for name, finish := range map[string]func() int{"B 1": b1, "B 2": b2, "A 1": a1} {
		if code := finish(); code != 200 {
			t.Errorf("held batch %s, once sent: %d", name, code)
		}
	}
	if _, total := gateCount(srv, officeA); total != 0 {
		t.Fatalf("%d places still taken after every batch ended", total)
	}
	if code, b, _ := do(t, newSigned(officeA, secretA, evsA, 1, 2).request(url, nil)); code != 200 {
		t.Fatalf("after the rush: %d %s", code, b)
	}
	if held(t, st, officeA) != 2 || held(t, st, officeB) != 2 {
		t.Fatalf("held A %d, B %d; want 2 each", held(t, st, officeA), held(t, st, officeB))
	}
}

// A correctly signed batch whose body never finishes is cut by the read
// timeout, and its place is given back: it cannot hold headquarters.
func TestIngestSlowBodyIsCutByTheReadTimeout(t *testing.T) {
	evs := officeEvents(t, officeA, 2)
	st := collecttest.Opener(t, "sqlite")()
	lim := defaultLimits
	lim.PerOffice, lim.ReadTimeout = 1, 300*time.Millisecond
	srv, url := startHQLimits(t, st, lim)
	s := newSigned(officeA, secretA, evs, 1, 2)
	req := s.request(url, nil)
	pr, pw := io.Pipe()
	defer pw.Close()
	req.Body, req.GetBody = pr, nil
	go pw.Write([]byte{0x1f}) // the first byte of a gzip stream, then nothing
	if code, _ := attempt(req); code != 0 && code != http.StatusRequestTimeout {
		t.Fatalf("a body that never ends: %d, want 408 or the connection closed", code)
	}
	queuetest.Eventually(t, "the place given back", func() bool { n, _ := gateCount(srv, officeA); return n == 0 })
	if code, b, _ := do(t, newSigned(officeA, secretA, evs, 1, 2).request(url, nil)); code != 200 {
		t.Fatalf("the office's next batch: %d %s", code, b)
	}
}

// chanListener is a listener whose connections a test hands over.
type chanListener struct {
	conns chan net.Conn
	done  chan struct{}
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}
func (l *chanListener) Close() error   { close(l.done); return nil }
func (l *chanListener) Addr() net.Addr { return &net.TCPAddr{} }

// Past limits.Conns open connections the listener accepts no more until one
// closes: a connection flood cannot use up the process's file descriptors.
func TestListenerBoundsOpenConnections(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inner := &chanListener{conns: make(chan net.Conn), done: make(chan struct{})}
		lim := defaultLimits
		lim.Conns = 2
		ln := lim.listener(inner)
		defer ln.Close()
		accepted := make(chan net.Conn)
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				accepted <- c
			}
		}()
		// offer hands the listener a new connection and returns it if it
		// was accepted.
		offer := func() net.Conn {
			server, client := net.Pipe()
			t.Cleanup(func() { client.Close() })
			go func() {
				select {
				case inner.conns <- server:
				case <-inner.done:
				}
			}()
			synctest.Wait()
			select {
			case c := <-accepted:
				return c
			default:
				return nil
			}
		}
		first, second := offer(), offer()
		if first == nil || second == nil {
			t.Fatal("connections under the bound were not accepted")
		}
		if c := offer(); c != nil {
			t.Fatal("a third connection was accepted past the bound of 2")
		}
		first.Close()
		first.Close() // closing twice frees one place, not two
		synctest.Wait()
		select {
		case <-accepted: // the third, waiting since
		default:
			t.Fatal("a place was freed but the waiting connection was not accepted")
		}
		if c := offer(); c != nil {
			t.Fatal("a fourth connection was accepted: one close freed two places")
		}
	})
}
