package display

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// liveSocket is one page's websocket, read by a goroutine of its own into a list of raw
// messages, so a test can ask what a page had received by some point.
type liveSocket struct {
	conn *websocket.Conn
	mu   sync.Mutex
	msgs []string
	err  error // why reading stopped
}

// openView dials /ws?query on addr as a browser on that host would (Origin set) and,
// when token is not "", sends it as the first message.
func openView(t testing.TB, addr, query, token string) *liveSocket {
	t.Helper()
	h := http.Header{"Origin": {"http://" + addr}}
	conn, resp, err := websocket.DefaultDialer.Dial("ws://"+addr+"/ws?"+query, h)
	if err != nil {
		t.Fatalf("dial /ws?%s: %v (%v)", query, err, resp)
	}
	t.Cleanup(func() { conn.Close() })
	if token != "" {
		if err := conn.WriteJSON(map[string]string{"auth": token}); err != nil {
			t.Fatal(err)
		}
	}
	s := &liveSocket{conn: conn}
	go func() {
		for {
			_, data, err := conn.ReadMessage()
			s.mu.Lock()
			if err != nil {
				s.err = err
				s.mu.Unlock()
				return
			}
			s.msgs = append(s.msgs, string(data))
			s.mu.Unlock()
		}
	}()
	return s
}

func (s *liveSocket) received() ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.msgs...), s.err
}

// waitMessage waits until the socket has received a message containing marker and
// returns everything received so far.
func (s *liveSocket) waitMessage(t testing.TB, what, marker string) []string {
	t.Helper()
	var all []string
	queuetest.Eventually(t, what, func() bool {
		msgs, err := s.received()
		all = msgs
		for _, m := range msgs {
			if strings.Contains(m, marker) {
				return true
			}
		}
		if err != nil {
			t.Fatalf("waiting for %s, the socket ended: %v; it had %d messages", what, err, len(msgs))
		}
		return false
	})
	return all
}

// TestPublicSocketsNeverGetComplaintsNotesOrFeedback is the attack of issue 10 at unit
// level: a socket opened without a token — a TV, the kiosk, a phone on /t/, or anyone on
// the guest Wi-Fi — stays connected while a complaint is filed and followed up, a ticket
// is referred with a note and rated, and a survey is sent. It must receive none of their
// words; the admin's socket receives all of them, a counter's those of its services.
func TestPublicSocketsNeverGetComplaintsNotesOrFeedback(t *testing.T) {
	o := newOffice(t)
	const (
		complaintText = "Saya Siti Aminah, HP 0812-3456-7890, petugas loket 2 membentak saya"
		followUpNote  = "Sudah ditelepon ke 0812-3456-7890, minta maaf"
		referralNote  = "Pemohon tunanetra, perlu pendamping ke lantai 2"
	)
	secrets := []string{"Siti Aminah", "0812-3456-7890", "membentak", "minta maaf", "tunanetra", "pendamping"}
	b1 := o.issue("B") // B-001, to be referred from counter 2 to service A with a note
	display := openView(t, o.addr, "", "")
	kiosk := openView(t, o.addr, "view=display", "")
	phone := openView(t, o.addr, "view=ticket&number="+b1, "")
	anyone := openView(t, o.addr, "", "not-a-token-just-hello") // a wrong token is refused
	admin := openView(t, o.addr, "view=admin", "rahasia-admin")
	counter1 := openView(t, o.addr, "view=counter&counter=1", "token-1")
	for _, s := range []*liveSocket{display, kiosk, phone, admin, counter1} {
		s.waitMessage(t, "the snapshot", `"type":"snapshot"`)
	}

	var cp struct{ ID int64 }
	if code := o.call("POST", "/api/complaints", "", map[string]string{"channel": "kiosk", "topic": "Pelayanan petugas", "text": complaintText, "ticket": b1}, &cp); code != 201 {
		t.Fatalf("filing the complaint: HTTP %d", code)
	}
	if code := o.call("PATCH", "/api/complaints/"+jsonNumber(cp.ID), "rahasia-admin", map[string]string{"status": "followed_up", "note": followUpNote}, nil); code != 200 {
		t.Fatalf("following it up: HTTP %d", code)
	}
	o.act("2", "call", nil)
	o.act("2", "transfer", map[string]string{"service": "A", "note": referralNote, "unit": "DPMPTSP"})
	o.act("1", "call", nil) // B-001 again, now in A at counter 1
	o.act("1", "finish", map[string]string{"outcome": "incomplete"})
	if code := o.call("POST", "/api/tickets/"+b1+"/feedback", "token-1", map[string]int{"score": 1}, nil); code != 200 && code != 201 {
		t.Fatalf("feedback: HTTP %d", code)
	}
	if code := o.call("POST", "/api/surveys", "", map[string]any{"answers": []int{1, 1, 1, 1, 1, 1, 1, 1, 1}}, nil); code != 201 && code != 200 {
		t.Fatalf("survey: HTTP %d", code)
	}
	o.call("POST", "/api/admin/running-text", "rahasia-admin", map[string]string{"text": "penanda akhir uji"}, nil)

	for name, s := range map[string]*liveSocket{"display": display, "kiosk": kiosk} {
		msgs := s.waitMessage(t, name+": the marker after everything", "penanda akhir uji")
		assertNone(t, name, msgs, secrets, []string{`"complaint_`, `"feedback"`, `"survey"`, `"referral`, `"outcome"`, `"note"`})
		if !strings.Contains(strings.Join(msgs, "\n"), `"type":"transferred"`) {
			t.Errorf("%s never heard of the transfer at all: %d messages", name, len(msgs))
		}
	}
	msgs := phone.waitMessage(t, "the phone: its ticket finished", `"stage":"finished"`)
	assertNone(t, "the phone on /t/"+b1, msgs, secrets, []string{`"complaint_`, `"feedback"`, `"referral`, `"outcome"`})
	if _, err := anyone.received(); err == nil || !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
		t.Errorf("a socket with a wrong token: %v, want close 1008", err)
	}

	all := strings.Join(admin.waitMessage(t, "the admin: the marker", "penanda akhir uji"), "\n")
	for _, want := range []string{"Siti Aminah", followUpNote, referralNote, `"type":"feedback"`, `"type":"survey"`, `"outcome":"incomplete"`} {
		if !strings.Contains(all, want) {
			t.Errorf("the admin's socket lacks %q", want)
		}
	}
	c1 := counter1.waitMessage(t, "counter 1: the finish", `"type":"finished"`)
	if s := strings.Join(c1, "\n"); !strings.Contains(s, referralNote) {
		t.Error("counter 1, which serves A, did not get the referral note of the ticket sent to A")
	} else if strings.Contains(s, "Siti Aminah") || strings.Contains(s, followUpNote) {
		t.Error("a counter's socket got a complaint's words: complaints are the admin's")
	}
}

func jsonNumber(n int64) string { b, _ := json.Marshal(n); return string(b) }

// assertNone fails for every message that carries one of the words or JSON fragments.
func assertNone(t *testing.T, who string, msgs, words, fragments []string) {
	t.Helper()
	for _, m := range msgs {
		for _, w := range append(append([]string(nil), words...), fragments...) {
			if strings.Contains(m, w) {
				t.Errorf("%s received %q in %s", who, w, m)
			}
		}
	}
}

func TestWebsocketRefusesOtherSitesAndWantsTheTokenFirst(t *testing.T) {
	o := newOffice(t)
	for _, c := range []struct {
		origin string
		want   int
	}{
		{"http://evil.example", http.StatusForbidden},
		{"null", http.StatusForbidden},
		{"http://" + o.addr, http.StatusSwitchingProtocols},
		{"", http.StatusSwitchingProtocols}, // a tool, not a browser: judged by its token
	} {
		h := http.Header{}
		if c.origin != "" {
			h.Set("Origin", c.origin)
		}
		conn, resp, _ := websocket.DefaultDialer.Dial("ws://"+o.addr+"/ws", h)
		if conn != nil {
			conn.Close()
		}
		if resp == nil || resp.StatusCode != c.want {
			t.Errorf("Origin %q: %v, want %d", c.origin, resp, c.want)
		}
	}

	// A staff view sends nothing before the token, and refuses a wrong or missing one.
	for _, c := range []struct{ query, first string }{
		{"view=admin", `{"auth":"token-1"}`},             // a counter's token is not the admin's
		{"view=counter&counter=1", `{"auth":"token-2"}`}, // nor another counter's
		{"view=admin", `{"hello":"x"}`},                  // no token at all
	} {
		conn, _, err := websocket.DefaultDialer.Dial("ws://"+o.addr+"/ws?"+c.query, nil)
		if err != nil {
			t.Fatal(err)
		}
		conn.WriteMessage(websocket.TextMessage, []byte(c.first))
		conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		_, data, err := conn.ReadMessage()
		if !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
			t.Errorf("%s with %s: got %q, %v; want close 1008 and nothing before", c.query, c.first, data, err)
		}
		conn.Close()
	}
	// The token in the address counts for nothing.
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+o.addr+"/ws?auth=rahasia-admin&token=rahasia-admin", nil)
	if err != nil {
		t.Fatal(err)
	}
	var snap snapshotHead
	if err := conn.ReadJSON(&snap); err != nil || snap.View != viewDisplay {
		t.Errorf("a token in the address gave view %q (%v), want the public display", snap.View, err)
	}
	conn.Close()

	// A tool on plain /ws that sends the admin token first gets the admin's view.
	admin := openView(t, o.addr, "", "rahasia-admin")
	admin.waitMessage(t, "the admin's snapshot", `"view":"admin"`)
	// And the admin may open any counter's view.
	openView(t, o.addr, "view=counter&counter=2", "rahasia-admin").waitMessage(t, "counter 2's view for the admin", `"view":"counter"`)
}

// mppOffice serves the MPP-sized fixture: 24 services, 36 counters.
func mppOffice(t *testing.T) (string, *queue.Queue) {
	t.Helper()
	cfg := queuetest.Office(t, "mpp")
	ts, _, q, _ := serveOffice(t, cfg, time.Date(2026, 11, 2, 9, 0, 0, 0, cfg.Location))
	return strings.TrimPrefix(ts.URL, "http://"), q
}

// issueMany takes n tickets spread over every service, from 20 issuers at once.
func issueMany(t *testing.T, q *queue.Queue, n int) {
	t.Helper()
	svcs := q.Config().Services
	var wg sync.WaitGroup
	for w := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 20 {
				if _, err := q.Do(context.Background(), queue.Issue{Service: svcs[i%len(svcs)].Code, Priority: i%17 == 0}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestSnapshotsShowWhatEachPageShows: with 2,000 tickets waiting in an office of 24
// services and 36 counters, a display's snapshot has the counts, estimates, names and
// latest calls — and fits in 8 KB, where the whole state was hundreds; a phone's has its
// ticket and place; a counter's the waiting lists of its own services only.
func TestSnapshotsShowWhatEachPageShows(t *testing.T) {
	addr, q := mppOffice(t)
	issueMany(t, q, 2000)
	ctx := context.Background()
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"} {
		if _, err := q.Do(ctx, queue.Call{Counter: k}); err != nil {
			t.Fatal(err)
		}
	}

	raw := openView(t, addr, "view=display", "").waitMessage(t, "the display's snapshot", `"type":"snapshot"`)[0]
	if len(raw) > 8*1024 {
		t.Errorf("the display's snapshot with 2,000 waiting is %d bytes, want ≤ 8 KB", len(raw))
	}
	t.Logf("display snapshot: %d bytes with 2,000 waiting", len(raw))
	var d struct {
		Type string `json:"type"`
		Now  string `json:"now"`
		displaySnapshot
	}
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatal(err)
	}
	waiting := 0
	for _, s := range d.Services {
		waiting += s.Waiting
		if s.Waiting > 0 && s.EstimatedWaitS <= 0 {
			t.Errorf("service %s: %d waiting with no estimate", s.Code, s.Waiting)
		}
	}
	if d.View != viewDisplay || len(d.Services) != 24 || len(d.Counters) != 36 || waiting != 1990 || len(d.Called) != 10 || d.Now == "" {
		t.Errorf("display snapshot: view %q, %d services, %d counters, %d waiting, %d calls, now %q; want display, 24, 36, 1990, 10, set",
			d.View, len(d.Services), len(d.Counters), waiting, len(d.Called), d.Now)
	}
	if strings.Contains(raw, `"waiting":[`) || strings.Contains(raw, "referral") {
		t.Error("the display's snapshot carries a list of tickets")
	}

	tk, err := q.TicketByNumber(ctx, "A-050", "")
	if err != nil {
		t.Fatal(err)
	}
	raw = openView(t, addr, "view=ticket&number=a-050", "").waitMessage(t, "the phone's snapshot", `"type":"snapshot"`)[0]
	var p struct{ ticketSnapshot }
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		t.Fatal(err)
	}
	if p.Ticket == nil || p.Ticket.Number != "A-050" || p.Ticket.PeopleAhead == nil || *p.Ticket.PeopleAhead != *tk.PeopleAhead ||
		*p.Ticket.EstimatedWaitS != *tk.EstimatedWaitS || len(raw) > 4*1024 {
		t.Errorf("the phone's snapshot (%d bytes) = %s; the API says %d ahead, %d s", len(raw), raw, *tk.PeopleAhead, *tk.EstimatedWaitS)
	}

	raw = openView(t, addr, "view=counter&counter=1", "loket-01-mpp-besar-5d2a").waitMessage(t, "counter 1's snapshot", `"type":"snapshot"`)[0]
	var c struct{ counterSnapshot }
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		t.Fatal(err)
	}
	k, _ := q.Config().Counter("1")
	st, _ := q.State(ctx)
	want := 0
	for _, w := range st.Waiting {
		if strings.Contains(strings.Join(k.Services, " "), w.Service) {
			want++
		}
	}
	if len(c.Waiting) != want || c.Counter.ID != "1" || c.Counter.Current == nil {
		t.Errorf("counter 1's snapshot: %d waiting (want %d, its services %v), current %v", len(c.Waiting), want, k.Services, c.Counter.Current)
	}
	for i, w := range c.Waiting {
		if i > 0 && w.Priority == c.Waiting[i-1].Priority && w.QueueSeq < c.Waiting[i-1].QueueSeq || !strings.Contains(strings.Join(k.Services, " "), w.Service) {
			t.Fatalf("counter 1's list is not its services in call order at %d: %+v", i, w)
		}
	}
}

// TestEveryViewGetsEachEventOnceAfterItsSnapshot: pages of every kind connect while the
// office is busy. Each must get, after its snapshot, every event of its view once, in
// order — none already in the snapshot, none missing — and a display that applies them
// must end where a fresh snapshot starts.
func TestEveryViewGetsEachEventOnceAfterItsSnapshot(t *testing.T) {
	addr, q := mppOffice(t)
	ctx := context.Background()
	var mu sync.Mutex
	var events []queue.Event
	q.Subscribe(func(ev queue.Event) { mu.Lock(); events = append(events, ev); mu.Unlock() })
	issueMany(t, q, 60)

	type page struct {
		kind viewKind
		s    *liveSocket
	}
	var pages []page
	open := func() {
		pages = append(pages,
			page{viewDisplay, openView(t, addr, "view=display", "")},
			page{viewTicket, openView(t, addr, "view=ticket&number=A-003", "")},
			page{viewCounter, openView(t, addr, "view=counter&counter=1", "loket-01-mpp-besar-5d2a")},
			page{viewAdmin, openView(t, addr, "view=admin", "admin-mpp-besar-0123456789")})
	}
	counters := []string{"1", "2", "25", "26"} // 1 serves A, 25 and 26 serve A or C among others
	for i := range 400 {
		if i%100 == 0 {
			open()
		}
		k := counters[i%len(counters)]
		var cmd queue.Command
		switch i % 7 {
		case 0, 3:
			cmd = queue.Issue{Service: []string{"A", "B", "C"}[i%3], Priority: i%11 == 0}
		case 1, 4:
			cmd = queue.Call{Counter: k}
		case 2:
			cmd = queue.Transfer{Counter: k, Service: "A", Note: "rujukan uji"}
		case 5:
			cmd = queue.Finish{Counter: k, Outcome: queue.OutcomeDone}
		case 6:
			cmd = &queue.ReceiveComplaint{Channel: "kiosk", Topic: "Waktu tunggu", Text: "terlalu lama"}
		}
		q.Do(ctx, cmd)
	}
	q.Do(ctx, queue.SetRunningText{Text: "selesai"})
	mu.Lock()
	all := append([]queue.Event(nil), events...)
	mu.Unlock()
	k1, _ := q.Config().Counter("1")

	for i, p := range pages {
		var snap struct {
			Seq      int64            `json:"seq"`
			Services []serviceSummary `json:"services"`
		}
		first := p.s.waitMessage(t, "a snapshot", `"type":"snapshot"`)[0]
		json.Unmarshal([]byte(first), &snap)
		var want []int64
		for _, ev := range all {
			if ev.Seq <= snap.Seq {
				continue
			}
			_, public := publicEvents[ev.Type]
			if p.kind == viewAdmin || p.kind == viewDisplay && public || p.kind == viewCounter && counterSees(k1, ev) ||
				p.kind == viewTicket && public && ev.Ticket != nil && ev.Ticket.Number == "A-003" {
				want = append(want, ev.Seq)
			}
		}
		if len(want) == 0 && p.kind != viewTicket {
			t.Fatalf("page %d (%s): nothing to receive after seq %d; the test proves nothing", i, p.kind, snap.Seq)
		}
		var got []int64
		queuetest.Eventually(t, fmt.Sprintf("page %d (%s) to receive up to seq %v", i, p.kind, want), func() bool {
			msgs, _ := p.s.received()
			got = got[:0]
			services := snap.Services
			for _, m := range msgs[1:] {
				var ev struct {
					Seq      int64            `json:"seq"`
					Type     string           `json:"type"`
					Services []serviceSummary `json:"services"`
				}
				json.Unmarshal([]byte(m), &ev)
				if ev.Type == "place" {
					continue // a ticket page's place: checked below for order only
				}
				got = append(got, ev.Seq)
				for _, s := range ev.Services {
					for j := range services {
						if services[j].Code == s.Code {
							services[j] = s
						}
					}
				}
			}
			return len(want) == 0 || len(got) > 0 && got[len(got)-1] >= want[len(want)-1]
		})
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("page %d (%s, snapshot at %d) got seqs %v, want %v", i, p.kind, snap.Seq, got, want)
		}
		msgs, _ := p.s.received()
		last := snap.Seq
		for _, m := range msgs[1:] {
			var ev struct{ Seq int64 }
			json.Unmarshal([]byte(m), &ev)
			if ev.Seq <= last {
				t.Fatalf("page %d (%s): message seq %d after %d (duplicate or already in the snapshot): %s", i, p.kind, ev.Seq, last, m)
			}
			last = ev.Seq
		}
		if p.kind == viewDisplay {
			var fresh struct {
				Services []serviceSummary `json:"services"`
			}
			json.Unmarshal([]byte(openView(t, addr, "", "").waitMessage(t, "a fresh snapshot", `"type":"snapshot"`)[0]), &fresh)
			if fmt.Sprint(snap.Services) != fmt.Sprint(fresh.Services) {
				t.Errorf("display %d applied the events to %v, a fresh snapshot shows %v", i, snap.Services, fresh.Services)
			}
		}
	}
}
