package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/sync/collect/collecttest"
	"github.com/antri-id/antri/sync/upload"
	"github.com/antri-id/antri/sync/wire"
)

// eventsRequest is a GET for office's events after 0, signed as e says under secret.
func eventsRequest(url, office, secret string, e wire.Envelope) *http.Request {
	n := make([]byte, 16)
	rand.Read(n)
	if e.Nonce == "" {
		e.Nonce = hex.EncodeToString(n)
	}
	e.From, e.To, e.Timestamp, e.BodyHash = 1, 100, time.Now().Unix(), wire.BodyHash(nil)
	if e.Office == "" {
		e.Office = office
	}
	req, _ := http.NewRequest(http.MethodGet, url+wire.EventsPath(office), nil)
	e.SetHeaders(req.Header, secret)
	return req
}

// TestEventsOnlyToTheOfficeItself: an office gets its own events back, without the ones
// after a gap, signed back by headquarters; another office's secret, a signature made
// for a batch and a replayed request get nothing.
func TestEventsOnlyToTheOfficeItself(t *testing.T) {
	q, st, _ := office(t, officeA)
	ctx := context.Background()
	for range 5 {
		if _, err := q.Do(ctx, queue.Issue{Service: "A"}); err != nil {
			t.Fatal(err)
		}
	}
	_, bodies, _ := st.RawEventsAfter(ctx, 0, 100)
	hq := collecttest.Opener(t, "sqlite")()
	_, hs := startHQ(t, hq)
	for _, r := range [][2]int64{{1, 2}, {4, 5}} { // event 3 never arrived
		s := newSigned(officeA, secretA, bodies[r[0]-1:r[1]], r[0], r[1])
		if code, body, _ := do(t, s.request(hs.URL, nil)); code != 200 {
			t.Fatalf("ingest: %d %s", code, body)
		}
	}
	u, err := upload.New(upload.Options{Store: st, Office: officeA, URL: hs.URL, Secret: secretA})
	if err != nil {
		t.Fatal(err)
	}
	p, err := u.Events(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.AckedSeq != 2 || p.Held != 4 || len(p.Events) != 2 || p.From != 1 || p.To != 2 || string(p.Events[1]) != string(bodies[1]) {
		t.Fatalf("page %+v", p)
	}

	for name, c := range map[string]struct {
		req  *http.Request
		code int
	}{
		"another office's secret":  {eventsRequest(hs.URL, officeA, secretB, wire.Envelope{Version: wire.EventsVersion}), 401},
		"another office's request": {eventsRequest(hs.URL, officeA, secretB, wire.Envelope{Version: wire.EventsVersion, Office: officeB}), 403},
		"a batch's signature":      {eventsRequest(hs.URL, officeA, secretA, wire.Envelope{}), 401},
	} {
		if code, body, _ := do(t, c.req); code != c.code {
			t.Errorf("%s: %d %s, want %d", name, code, body, c.code)
		}
	}
	replay := eventsRequest(hs.URL, officeA, secretA, wire.Envelope{Version: wire.EventsVersion})
	again := replay.Clone(ctx)
	if code, _, h := do(t, replay); code != 200 {
		t.Fatalf("a signed request: %d", code)
	} else if _, _, err := wire.CheckReply(h, wire.Envelope{Office: officeA, Nonce: replay.Header.Get(wire.HeaderNonce)}, []byte("not the body"), secretA); err == nil {
		t.Error("an answer whose body changed on the way was taken")
	}
	if code, body, _ := do(t, again); code != http.StatusConflict {
		t.Errorf("the same request again: %d %s", code, body)
	}
}
