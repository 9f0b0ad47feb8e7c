package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/sync/collect"
	"github.com/antri-id/antri/sync/collect/collecttest"
	"github.com/antri-id/antri/sync/wire"
)

// officeEvents makes n real events of office id and returns them as stored.
func officeEvents(t *testing.T, id string, n int) []json.RawMessage {
	q, st, _ := office(t, id)
	for i := 0; i < n; i++ {
		if _, err := q.Do(context.Background(), queue.Issue{Service: "A"}); err != nil {
			t.Fatal(err)
		}
	}
	_, bodies, err := st.RawEventsAfter(context.Background(), 0, n)
	if err != nil {
		t.Fatal(err)
	}
	return bodies
}

func TestIngestAcceptsAndAcknowledgesDuplicates(t *testing.T) {
	evs := officeEvents(t, officeA, 6)
	collecttest.Run(t, func(t *testing.T, open func() collect.Store) {
		st := open()
		_, hs := startHQ(t, st)
		code, body, _ := do(t, newSigned(officeA, secretA, evs[:4], 1, 4).request(hs.URL, nil))
		if code != 200 || !strings.Contains(body, `"acked_seq":4`) || !strings.Contains(body, `"stored":4`) {
			t.Fatalf("first batch: %d %s", code, body)
		}
		// A resend of 3–6 (the office lost the answer): success, only 5–6 new.
		code, body, _ = do(t, newSigned(officeA, secretA, evs[2:], 3, 6).request(hs.URL, nil))
		if code != 200 || !strings.Contains(body, `"acked_seq":6`) || !strings.Contains(body, `"stored":2`) {
			t.Fatalf("resend: %d %s", code, body)
		}
		if n := held(t, st, officeA); n != 6 {
			t.Fatalf("holds %d events, want 6", n)
		}
	})
}

func TestIngestRejectsForgeriesAndStoresNothing(t *testing.T) {
	evs := officeEvents(t, officeA, 3)
	evsB := officeEvents(t, officeB, 3)
	collecttest.Run(t, func(t *testing.T, open func() collect.Store) {
		st := open()
		srv, hs := startHQ(t, st)
		cases := []struct {
			name   string
			req    func() *http.Request
			status int
			code   string
		}{
			{"wrong secret", func() *http.Request { return newSigned(officeA, "bukan-rahasianya", evs, 1, 3).request(hs.URL, nil) }, 401, wire.ErrorSignature},
			{"altered body", func() *http.Request {
				req := newSigned(officeA, secretA, evs, 1, 3).request(hs.URL, nil) // signed over the real body
				tampered := newSigned(officeA, secretA, evs[:1], 1, 3).body()
				req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(tampered)), int64(len(tampered))
				return req
			}, 400, wire.ErrorBody},
			{"stale timestamp", func() *http.Request {
				s := newSigned(officeA, secretA, evs, 1, 3)
				s.ts = time.Now().Add(-wire.Window - time.Minute)
				return s.request(hs.URL, nil)
			}, 401, wire.ErrorStale},
			{"timestamp from the future", func() *http.Request {
				s := newSigned(officeA, secretA, evs, 1, 3)
				s.ts = time.Now().Add(wire.Window + time.Minute)
				return s.request(hs.URL, nil)
			}, 401, wire.ErrorStale},
			{"unknown office", func() *http.Request { return newSigned("mpp-asing", "rahasia-asing", evs, 1, 3).request(hs.URL, nil) }, 403, wire.ErrorOffice},
			{"another office's events under its own signature", func() *http.Request {
				s := newSigned(officeA, secretA, evsB, 1, 3)
				return s.request(hs.URL, nil)
			}, 400, wire.ErrorOffice},
			{"another office's id signed with own secret", func() *http.Request {
				s := newSigned(officeB, secretA, evs, 1, 3)
				s.batch.Office = officeB
				return s.request(hs.URL, nil)
			}, 401, wire.ErrorSignature},
			{"unsigned", func() *http.Request {
				req := newSigned(officeA, secretA, evs, 1, 3).request(hs.URL, nil)
				req.Header.Del(wire.HeaderSignature)
				return req
			}, 401, wire.ErrorSignature},
			{"range in body differs from the signed one", func() *http.Request {
				s := newSigned(officeA, secretA, evs, 1, 3)
				body := s.body()
				s.batch.To = 2 // headers say 1–2, body says 1–3
				return s.request(hs.URL, body)
			}, 400, wire.ErrorBody},
		}
		for _, c := range cases {
			code, body, hdr := do(t, c.req())
			if code != c.status || hdr.Get(wire.HeaderError) != c.code || !strings.Contains(body, `"error"`) {
				t.Errorf("%s: got %d %q %s, want %d %q", c.name, code, hdr.Get(wire.HeaderError), body, c.status, c.code)
			}
			if n := held(t, st, officeA) + held(t, st, officeB); n != 0 {
				t.Fatalf("%s: %d events stored from a refused batch", c.name, n)
			}
		}
		if offs, _ := st.Offices(context.Background()); len(offs) != 0 {
			t.Fatalf("refused batches created offices %+v", offs)
		}

		// A replay: the same request bytes sent twice within the window.
		s := newSigned(officeA, secretA, evs[:2], 1, 2)
		body := s.body()
		if code, b, _ := do(t, s.request(hs.URL, body)); code != 200 {
			t.Fatalf("original: %d %s", code, b)
		}
		code, b, hdr := do(t, s.request(hs.URL, body))
		if code != 409 || hdr.Get(wire.HeaderError) != wire.ErrorReplay {
			t.Fatalf("replay: %d %s", code, b)
		}
		// A replay of a captured batch after the window: refused as stale,
		// even where the original never arrived, and even after a restart.
		late := newSigned(officeA, secretA, evs, 1, 3)
		req := late.request(hs.URL, nil)
		srv.now = func() time.Time { return time.Now().Add(wire.Window + time.Second) }
		if code, b, _ := do(t, req); code != 401 {
			t.Fatalf("late replay: %d %s", code, b)
		}
		if n := held(t, st, officeA); n != 2 {
			t.Fatalf("after replays holds %d, want the 2 of the original", n)
		}
	})
}

func TestReportAndOfficesNeedTheAdminToken(t *testing.T) {
	collecttest.Run(t, func(t *testing.T, open func() collect.Store) {
		_, hs := startHQ(t, open())
		for _, path := range []string{"/api/v1/offices", "/api/v1/offices/" + officeA + "/reports/monthly?month=2025-03"} {
			if code, _ := get(t, hs.URL+path, ""); code != 401 {
				t.Errorf("%s without token: %d", path, code)
			}
			if code, _ := get(t, hs.URL+path, "salah"); code != 401 {
				t.Errorf("%s with a wrong token: %d", path, code)
			}
		}
		code, b := get(t, hs.URL+"/api/v1/offices", adminTok)
		if code != 200 || !strings.Contains(string(b), officeB) || !strings.Contains(string(b), "MPP Kabupaten Lain") {
			t.Fatalf("offices: %d %s", code, b)
		}
		code, b = get(t, hs.URL+"/api/v1/offices/"+officeA+"/reports/monthly?month=2025-03", adminTok)
		if code != 404 || !strings.Contains(string(b), "belum mengirim") {
			t.Fatalf("report of a silent office: %d %s", code, b)
		}
	})
}
