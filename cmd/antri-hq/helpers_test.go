package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"iter"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
	"github.com/antri-id/antri/sync/collect"
	"github.com/antri-id/antri/sync/wire"
)

const (
	officeA  = "mpp-kota-contoh"
	secretA  = "rahasia-kantor-a"
	officeB  = "mpp-kab-lain"
	secretB  = "rahasia-kantor-b"
	adminTok = "hq-admin-uji-rahasia"
)

func testConfig() *config {
	return &config{AdminToken: adminTok, Offices: []officeConfig{
		{ID: officeA, Secret: secretA}, {ID: officeB, Name: "MPP Kabupaten Lain", Secret: secretB}}}
}

func newTestServer(store collect.Store) *server {
	return newServer(testConfig(), store, slog.New(slog.DiscardHandler), defaultLimits)
}

// startHQLimits serves a headquarters with lim over loopback HTTP, with
// lim's timeouts and connection bound as antri-hq's main sets them.
func startHQLimits(t testing.TB, st collect.Store, lim limits) (*server, string) {
	t.Helper()
	s := newServer(testConfig(), st, slog.New(slog.DiscardHandler), lim)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := lim.httpServer(s)
	go hs.Serve(lim.listener(ln))
	t.Cleanup(func() { hs.Close() })
	return s, "http://" + ln.Addr().String()
}

// office is a real antrid queue on a temporary store with a fake clock.
func office(t testing.TB, id string) (*queue.Queue, *queue.Store, *queue.FakeClock) {
	t.Helper()
	cfg := queuetest.Example(t, queuetest.AlwaysOpen, func(c *queue.Config) { c.Office.ID = id })
	q, clk := queuetest.OpenConfig(t, cfg, time.Date(2025, 3, 3, 1, 0, 0, 0, time.UTC))
	return q, q.Store(), clk
}

// signed builds an ingest request as an office would send it.
type signed struct {
	office, secret string
	batch          wire.Batch
	ts             time.Time
	nonce          string
}

func newSigned(office, secret string, events []json.RawMessage, from, to int64) *signed {
	n := make([]byte, 16)
	rand.Read(n)
	return &signed{office: office, secret: secret, ts: time.Now(), nonce: hex.EncodeToString(n),
		batch: wire.Batch{Office: office, Name: "Kantor " + office, Timezone: "Asia/Jakarta", From: from, To: to, Events: events}}
}

func (s *signed) body() []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	json.NewEncoder(zw).Encode(s.batch)
	zw.Close()
	return buf.Bytes()
}

// request signs body (or s.body()) and returns the request.
func (s *signed) request(url string, body []byte) *http.Request {
	if body == nil {
		body = s.body()
	}
	env := wire.Envelope{Office: s.office, From: s.batch.From, To: s.batch.To, Timestamp: s.ts.Unix(), Nonce: s.nonce, BodyHash: wire.BodyHash(body)}
	req, _ := http.NewRequest(http.MethodPost, url+wire.IngestPath, bytes.NewReader(body))
	req.Header.Set("Content-Encoding", "gzip")
	env.SetHeaders(req.Header, s.secret)
	return req
}

func do(t testing.TB, req *http.Request) (int, string, http.Header) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func get(t testing.TB, url, token string) (int, []byte) {
	t.Helper()
	code, b, _ := queuetest.Send(t, http.MethodGet, url, token, nil)
	return code, b
}

// held counts the events headquarters holds for office.
func held(t testing.TB, st collect.Store, office string) int {
	t.Helper()
	n := 0
	if err := st.Events(context.Background(), office, time.Time{}, time.Time{}, func(collect.Event) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func startHQ(t testing.TB, st collect.Store) (*server, *httptest.Server) {
	s := newTestServer(st)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs
}

// rawEvent is one row of an office's events table.
type rawEvent struct {
	seq  int64
	typ  string
	body []byte
}

// writeEvents writes events straight into an office's events table, in one
// transaction: what Do would take too long to make (a million events) or
// never makes (the largest event antrid's API allows).
func writeEvents(t testing.TB, st *queue.Store, events iter.Seq[rawEvent]) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+st.Path()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	ins, err := tx.Prepare(`INSERT INTO events (seq, type, body) VALUES (?, ?, ?)`)
	if err != nil {
		t.Fatal(err)
	}
	for e := range events {
		if _, err := ins.Exec(e.seq, e.typ, e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
