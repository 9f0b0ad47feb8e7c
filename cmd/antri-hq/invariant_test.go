package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"reflect"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/antri-id/antri/queue/queuetest"

	"log/slog"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/sync/collect"
	"github.com/antri-id/antri/sync/collect/collecttest"
	"github.com/antri-id/antri/sync/upload"
)

// The invariant: whatever outages, flapping, crashes, restarts and resends
// happen between an office and headquarters, once synced headquarters holds
// every event of the office exactly once, and its monthly report equals the
// office's own, field by field.
//
// TestStressSyncInvariant runs randomised office histories (a real queue on a
// temporary store, with a fake clock, across a month boundary) while their
// uploaders send through a loopback proxy that drops, stalls and cuts
// connections; uploaders are killed mid-batch and restarted from their
// persisted state, headquarters is restarted, and old batches are resent.
// Seeds: ANTRI_SYNC_SEEDS (default 3, 1 with -short).
func TestStressSyncInvariant(t *testing.T) {
	seeds := 3
	if testing.Short() {
		seeds = 1
	}
	if v, err := strconv.Atoi(os.Getenv("ANTRI_SYNC_SEEDS")); err == nil && v > 0 {
		seeds = v
	}
	for _, kind := range collecttest.Kinds {
		t.Run(kind, func(t *testing.T) {
			for seed := 1; seed <= seeds; seed++ {
				t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
					// A database per history: offices' sequences start at 1 each time.
					syncInvariant(t, uint64(seed), collecttest.Opener(t, kind))
				})
			}
		})
	}
}

// syncOffice is one office of the test with its uploader.
type syncOffice struct {
	id, secret string
	q          *queue.Queue
	st         *queue.Store
	clk        *queue.FakeClock
	stop       func()
	up         *upload.Uploader
	complaints []int64
}

func (o *syncOffice) start(t *testing.T, url string, rnd *rand.Rand) {
	batch := 1 + rnd.IntN(40)
	o.startWith(t, url, func(opt *upload.Options) { opt.BatchEvents = batch })
}

// startWith starts the office's uploader with quick retries, as edit leaves
// its options.
func (o *syncOffice) startWith(t *testing.T, url string, edit func(*upload.Options)) {
	opt := upload.Options{Store: o.st, Office: o.id, OfficeName: "Kantor " + o.id, Timezone: "Asia/Jakarta",
		URL: url, Secret: o.secret, Timeout: 300 * time.Millisecond,
		MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond, Idle: 5 * time.Millisecond,
		ParkedRetry: 5 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)}
	edit(&opt)
	u, err := upload.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	cancelSub := o.q.Subscribe(func(queue.Event) { u.Notify() })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { u.Run(ctx); close(done) }()
	o.up = u
	o.stop = func() { cancel(); <-done; cancelSub() }
}

// act does one random thing at the office; refusals (nothing waiting, a
// counter busy) are part of a real day and are ignored.
func (o *syncOffice) act(t *testing.T, rnd *rand.Rand) {
	ctx := context.Background()
	cfg := o.q.Config()
	counter := cfg.Counters[rnd.IntN(len(cfg.Counters))].ID
	var err error
	switch r := rnd.IntN(100); {
	case r < 30:
		_, err = o.q.Do(ctx, queue.Issue{Service: cfg.Services[rnd.IntN(len(cfg.Services))].Code, Priority: rnd.IntN(8) == 0})
	case r < 48:
		_, err = o.q.Do(ctx, queue.Call{Counter: counter})
	case r < 52:
		_, err = o.q.Do(ctx, queue.Recall{Counter: counter})
	case r < 62:
		_, err = o.q.Do(ctx, queue.Start{Counter: counter})
	case r < 76:
		out := queue.Outcome("done")
		if rnd.IntN(4) == 0 {
			out = "incomplete"
		}
		var tk *queue.Ticket
		tk, err = o.q.Do(ctx, queue.Finish{Counter: counter, Outcome: out})
		if err == nil && rnd.IntN(2) == 0 {
			_, err = o.q.Do(ctx, queue.Feedback{Number: tk.Number, Score: 1 + rnd.IntN(4)})
		}
	case r < 81:
		_, err = o.q.Do(ctx, queue.NoShow{Counter: counter})
	case r < 86:
		_, err = o.q.Do(ctx, queue.Transfer{Counter: counter, Service: cfg.Services[rnd.IntN(len(cfg.Services))].Code, Note: "rujukan", Unit: "Dinas"})
	case r < 90:
		var a [9]int
		for i := range a {
			a[i] = 1 + rnd.IntN(4)
		}
		_, err = o.q.Do(ctx, &queue.SubmitSurvey{Answers: a})
	case r < 94:
		var c *queue.Complaint
		c, err = o.q.ReceiveComplaint(ctx, queue.ReceiveComplaint{Channel: "loket", Topic: "Antrian", Text: "Antrian terlalu lama"})
		if err == nil {
			o.complaints = append(o.complaints, c.ID)
		}
	case r < 97:
		if len(o.complaints) > 0 {
			i := rnd.IntN(len(o.complaints))
			_, err = o.q.Do(ctx, queue.UpdateComplaint{ID: o.complaints[i], Status: queue.ComplaintClosed, Note: "Sudah ditindaklanjuti"})
			o.complaints = append(o.complaints[:i], o.complaints[i+1:]...)
		}
	default:
		// The end of a day: the clock moves to the next morning and what
		// still waits expires.
		o.clk.Advance(time.Duration(12+rnd.IntN(6)) * time.Hour)
		err = o.q.CloseDay(ctx)
	}
	if err != nil && queue.KindOf(err) == "" {
		t.Fatalf("office %s: %v", o.id, err)
	}
	o.clk.Advance(time.Duration(rnd.IntN(600)) * time.Second)
}

func syncInvariant(t *testing.T, seed uint64, open func() collect.Store) {
	rnd := rand.New(rand.NewPCG(seed, 2025))
	ctx := context.Background()

	hqStore := open()
	srv := newTestServer(hqStore)
	hs := httptest.NewServer(srv)
	proxy, err := newFlakyProxy(hs.Listener.Addr().String(), seed)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { proxy.Close(); hs.Close() }()

	var offices []*syncOffice
	for _, id := range []struct{ id, secret string }{{officeA, secretA}, {officeB, secretB}} {
		q, st, clk := office(t, id.id)
		// Start late on 27 February (local) so the history crosses into March.
		clk.Step(time.Date(2025, 2, 27, 1, 0, 0, 0, time.UTC).Sub(clk.Now().Wall))
		o := &syncOffice{id: id.id, secret: id.secret, q: q, st: st, clk: clk}
		o.start(t, proxy.URL(), rnd)
		offices = append(offices, o)
	}

	steps := 1500
	if testing.Short() {
		steps = 600
	}
	for i := 0; i < steps; i++ {
		o := offices[rnd.IntN(len(offices))]
		o.act(t, rnd)
		if i%50 != 49 {
			continue
		}
		switch rnd.IntN(7) {
		case 0: // an outage begins: established connections break too
			proxy.set("", true, 0)
			proxy.cutAll()
		case 1: // flapping
			proxy.set("", false, 0.5)
		case 2: // the link is back
			proxy.set("", false, 0)
		case 3: // antrid killed mid-batch: stalled or cut, then cancelled; restarted from its database
			proxy.set("", false, 0.9)
			time.Sleep(time.Duration(rnd.IntN(30)) * time.Millisecond)
			o.stop()
			o.start(t, proxy.URL(), rnd)
		case 4: // antri-hq restarted on its database
			hs.Close()
			hqStore.Close()
			hqStore = open()
			srv = newTestServer(hqStore)
			hs = httptest.NewServer(srv)
			proxy.set(hs.Listener.Addr().String(), false, 0.2)
		case 5: // duplicates resent: the office forgets part of what was acknowledged
			o.stop()
			acked, _, err := o.st.SyncAcked(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := o.st.SetSyncAcked(ctx, acked/2, time.Now()); err != nil {
				t.Fatal(err)
			}
			o.start(t, proxy.URL(), rnd)
		case 6: // an old batch sent again by hand, as a new signed request
			_, bodies, err := o.st.RawEventsAfter(ctx, 0, 5)
			if err != nil {
				t.Fatal(err)
			}
			if len(bodies) == 5 {
				req := newSigned(o.id, o.secret, bodies, 1, 5).request(hs.URL, nil)
				if code, b, _ := do(t, req); code != 200 {
					t.Fatalf("resent old batch: %d %s", code, b)
				}
			}
		}
	}

	// The weather clears; every office drains its backlog.
	proxy.set("", false, 0)
	for _, o := range offices {
		queuetest.Eventually(t, o.id+" drained", func() bool {
			st, err := o.up.Status(ctx)
			return err == nil && st.Backlog == 0
		})
		o.stop()
	}
	t.Logf("proxy connections by mode: %v", proxy.Stats())

	for _, o := range offices {
		last, err := o.st.LastSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		assertSameEvents(t, o, hqStore, last)
		for _, month := range []string{"2025-02", "2025-03"} {
			want, err := o.q.MonthlyReport(ctx, month)
			if err != nil {
				t.Fatal(err)
			}
			code, body := get(t, hs.URL+"/api/v1/offices/"+o.id+"/reports/monthly?month="+month, adminTok)
			if code != 200 {
				t.Fatalf("%s %s: %d %s", o.id, month, code, body)
			}
			wantJSON, _ := json.Marshal(want)
			if d := jsonDiff(t, wantJSON, body); d != "" {
				t.Fatalf("%s %s: headquarters' report differs from the office's: %s", o.id, month, d)
			}
		}
		mar, _ := o.q.MonthlyReport(ctx, "2025-03")
		feb, _ := o.q.MonthlyReport(ctx, "2025-02")
		if feb.Overall.Issued == 0 || mar.Overall.Issued == 0 || mar.Overall.Done+feb.Overall.Done == 0 {
			t.Fatalf("%s: history too thin to compare (Feb issued %d, Mar issued %d)", o.id, feb.Overall.Issued, mar.Overall.Issued)
		}
	}
}

// assertSameEvents checks headquarters holds events 1..last of the office,
// each once, byte for byte as the office stored them.
func assertSameEvents(t *testing.T, o *syncOffice, st collect.Store, last int64) {
	t.Helper()
	ctx := context.Background()
	_, bodies, err := o.st.RawEventsAfter(ctx, 0, int(last)+1)
	if err != nil {
		t.Fatal(err)
	}
	var got []collect.Event
	if err := st.Events(ctx, o.id, time.Time{}, time.Time{}, func(e collect.Event) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if int64(len(got)) != last || len(bodies) != len(got) {
		t.Fatalf("%s: headquarters holds %d events, office has %d", o.id, len(got), last)
	}
	for i, e := range got {
		if e.Seq != int64(i+1) || string(e.Body) != string(bodies[i]) {
			t.Fatalf("%s: event %d differs:\nhq     %s\noffice %s", o.id, i+1, e.Body, bodies[i])
		}
	}
	off, ok, err := st.Office(ctx, o.id)
	if err != nil || !ok || off.AckedSeq != last || off.Events != last {
		t.Fatalf("%s: headquarters' office row %+v, want acked and events %d", o.id, off, last)
	}
}

// jsonDiff compares two JSON documents value by value and names the first
// differing path ("" when equal).
func jsonDiff(t *testing.T, a, b []byte) string {
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatal(err)
	}
	return diffAt("$", va, vb)
}

func diffAt(path string, a, b any) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
		keys := map[string]bool{}
		for k := range x {
			keys[k] = true
		}
		for k := range y {
			keys[k] = true
		}
		var ks []string
		for k := range keys {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		for _, k := range ks {
			if d := diffAt(path+"."+k, x[k], y[k]); d != "" {
				return d
			}
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
		for i := range x {
			if d := diffAt(fmt.Sprintf("%s[%d]", path, i), x[i], y[i]); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a, b) {
		return fmt.Sprintf("%s: office %v, headquarters %v", path, a, b)
	}
	return ""
}
