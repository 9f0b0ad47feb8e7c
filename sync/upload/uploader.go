// Package upload sends an office's events to headquarters (antri-hq).
//
// The events table of the office database is the outbox: every change is
// written there in the same transaction as the change itself, with a
// per-office sequence number that grows by one. The Uploader sends those
// events in sequence order, in batches bounded by count and bytes, gzip
// compressed and signed with HMAC-SHA256 under the office's secret (package
// sync/wire). Headquarters answers with the highest sequence it holds without
// gaps; the uploader persists that number and resumes from it after any
// crash, so each event reaches headquarters at least once and is kept there
// exactly once.
package upload

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/sync/wire"
)

// Options configure an Uploader. Store, Office, URL and Secret are required;
// the rest have defaults suited to a Raspberry Pi on a flaky office link.
type Options struct {
	Store      *queue.Store
	Office     string // [office] id
	OfficeName string // [office] name, for headquarters' pages
	Timezone   string // [office] timezone: headquarters computes local months with it
	// Labels name the office's services and counters in headquarters' reports; sent with
	// every batch, so that a renamed service is renamed there too.
	Labels *wire.Labels
	URL    string // [hq] url: headquarters' base URL; wire.IngestPath is appended
	Secret string // [hq] secret
	CAFile string // [hq] ca_file: PEM of the CA that signed headquarters' certificate; system roots if empty

	// Client sends the requests; when nil one is built from CAFile and Timeout.
	Client *http.Client
	// Timeout bounds one request, including a stalled connection (default 60s).
	Timeout time.Duration

	BatchEvents int // most events per batch (default 1000)
	BatchBytes  int // most bytes of event JSON per batch before compression (default 1 MiB); a single larger event still goes alone

	MinBackoff  time.Duration // first retry delay cap (default 1s); doubles per failure, full jitter
	MaxBackoff  time.Duration // largest retry delay cap (default 5m)
	ParkedRetry time.Duration // how long a dead-lettered batch waits before it is tried again (default 15m)
	Idle        time.Duration // how often to look for new events when nothing wakes the uploader (default 30s)
	StaleAfter  time.Duration // Status reports a problem when the oldest unsent event is older (default 24h)

	// Health, when set, measures the office's state; it travels with every batch, and a
	// heartbeat (a batch without events) carries it when nothing was sent for Heartbeat.
	Health    func(ctx context.Context) *wire.Health
	Heartbeat time.Duration // default 5m

	Logger *slog.Logger
	Now    func() time.Time // wall clock for signatures and status (default time.Now)
}

// Uploader drains the office's outbox to headquarters. Run it in its own
// goroutine; it never touches the queue, so ticket issuance goes on whatever
// headquarters or the network does.
type Uploader struct {
	o    Options
	url  string
	wake chan struct{}

	mu       sync.Mutex
	offset   time.Duration // headquarters' clock minus ours, learnt from a stale-timestamp refusal
	attempt  time.Time
	lastErr  string
	failures int
	next     time.Time
	parked   bool
	inflight [2]int64
	contact  time.Time // when the last batch or heartbeat headquarters acknowledged was sent
	beats    int       // Beat calls: the health changed, send it without waiting for the heartbeat
	beatSent int       // beats when the last acknowledged batch or heartbeat measured the health
}

// New checks the options and builds the uploader (reading CAFile now, so a
// wrong path is reported at start).
func New(o Options) (*Uploader, error) {
	if o.Store == nil || o.Office == "" || o.URL == "" || o.Secret == "" {
		return nil, errors.New("upload: Store, Office, URL dan Secret wajib; isi [office] id, [hq] url dan [hq] secret")
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.Timeout, 60*time.Second)
	def(&o.MinBackoff, time.Second)
	def(&o.MaxBackoff, 5*time.Minute)
	def(&o.ParkedRetry, 15*time.Minute)
	def(&o.Idle, 30*time.Second)
	def(&o.StaleAfter, 24*time.Hour)
	def(&o.Heartbeat, 5*time.Minute)
	if o.BatchEvents <= 0 {
		o.BatchEvents = 1000
	}
	if o.BatchBytes <= 0 {
		o.BatchBytes = 1 << 20
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Client == nil {
		c, err := NewHTTPClient(o.CAFile, o.Timeout)
		if err != nil {
			return nil, err
		}
		o.Client = c
	}
	return &Uploader{o: o, url: strings.TrimSuffix(o.URL, "/") + wire.IngestPath, wake: make(chan struct{}, 1)}, nil
}

// Notify wakes the uploader: new events are in the outbox. It never blocks,
// so it may be called from a queue subscriber.
func (u *Uploader) Notify() {
	select {
	case u.wake <- struct{}{}:
	default:
	}
}

// Beat sends the office's health soon, without waiting for the heartbeat: the printer
// ran out of paper, for instance. It never blocks.
func (u *Uploader) Beat() {
	u.mu.Lock()
	u.beats++
	u.mu.Unlock()
	u.Notify()
}

// heartbeatDue reports whether a heartbeat should go now that there are no events.
func (u *Uploader) heartbeatDue() bool {
	if u.o.Health == nil {
		return false
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.beats != u.beatSent || u.o.Now().Sub(u.contact) >= u.o.Heartbeat
}

// untilHeartbeat is how long until a heartbeat is due (Idle when there is no health to
// send): an idle uploader wakes for it, whatever Idle is.
func (u *Uploader) untilHeartbeat() time.Duration {
	if u.o.Health == nil {
		return u.o.Idle
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return max(u.contact.Add(u.o.Heartbeat).Sub(u.o.Now()), 10*time.Millisecond)
}

// Retry makes a parked (dead-lettered) batch be tried again now, e.g. after
// the secret was corrected at headquarters.
func (u *Uploader) Retry() {
	u.mu.Lock()
	u.failures = 0
	u.mu.Unlock()
	u.Notify()
}

// Run sends batches until ctx ends. It resumes after the sequence last
// acknowledged by headquarters, as persisted in the store.
func (u *Uploader) Run(ctx context.Context) error {
	for {
		sent, err := u.step(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			u.o.Logger.Warn("sinkronisasi ke headquarters tertunda", "err", err)
		}
		if sent {
			continue
		}
		u.mu.Lock()
		next := u.next
		u.mu.Unlock()
		wait := time.Until(next)
		if next.IsZero() || wait <= 0 {
			wait = min(u.o.Idle, u.untilHeartbeat())
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-u.wake:
			u.mu.Lock()
			// New events do not cut a backoff short; Retry does (failures 0).
			early := u.failures == 0 || time.Now().After(u.next)
			u.mu.Unlock()
			if !early {
				select {
				case <-ctx.Done():
					t.Stop()
					return nil
				case <-t.C:
				}
			}
		case <-t.C:
		}
		t.Stop()
	}
}

// errKind classifies a failed attempt.
type errKind int

const (
	kindRetry errKind = iota // network, 5xx, 408, 429: try again after a backoff
	kindPark                 // other 4xx: dead-letter the batch
)

type sendError struct {
	kind       errKind
	status     int
	retryAfter time.Duration
	msg        string
}

func (e *sendError) Error() string { return e.msg }

// step sends the next batch once. sent is true when headquarters
// acknowledged it and more may follow at once.
func (u *Uploader) step(ctx context.Context) (sent bool, err error) {
	defer func() {
		if ctx.Err() != nil {
			sent, err = false, nil // stopping is not a failure of headquarters
		}
	}()
	acked, _, err := u.o.Store.SyncAcked(ctx)
	if err != nil {
		return false, u.failIf(ctx, &sendError{kind: kindRetry, msg: "membaca status sinkronisasi: " + err.Error()})
	}
	seqs, bodies, err := u.o.Store.RawEventsAfter(ctx, acked, u.o.BatchEvents)
	if err != nil {
		return false, u.failIf(ctx, &sendError{kind: kindRetry, msg: "membaca outbox: " + err.Error()})
	}
	batch := wire.Batch{Office: u.o.Office, Name: u.o.OfficeName, Timezone: u.o.Timezone, Labels: u.o.Labels}
	if len(seqs) == 0 {
		u.mu.Lock()
		u.next = time.Time{}
		u.mu.Unlock()
		if !u.heartbeatDue() {
			return false, nil
		}
		seqs = []int64{0} // a heartbeat: the range 0–0, no events
	} else {
		n, size := 0, 0
		for n < len(bodies) && (n == 0 || size+len(bodies[n]) <= u.o.BatchBytes) {
			size += len(bodies[n])
			n++
		}
		seqs, bodies = seqs[:n], bodies[:n]
		batch.Events = bodies
	}
	n := len(seqs)
	batch.From, batch.To = seqs[0], seqs[n-1]
	u.mu.Lock()
	beats := u.beats // a Beat from now on is newer than the health measured here
	u.mu.Unlock()
	if u.o.Health != nil {
		batch.Health = u.o.Health(ctx)
	}
	u.mu.Lock()
	if !batch.Heartbeat() {
		u.inflight = [2]int64{seqs[0], seqs[n-1]}
	}
	u.attempt = u.o.Now()
	sentAt := u.attempt
	u.mu.Unlock()
	ack, serr := u.send(ctx, batch)
	if serr != nil {
		if ctx.Err() != nil {
			return false, nil
		}
		if batch.Heartbeat() {
			serr.kind = kindRetry // a heartbeat is never dead-lettered: the next one carries newer health
		}
		if serr.kind == kindPark {
			_, derr := u.o.Store.AddSyncDeadLetter(ctx, queue.SyncDeadLetter{From: seqs[0], To: seqs[n-1],
				Status: serr.status, Reason: serr.msg, At: u.o.Now()})
			if derr != nil {
				u.o.Logger.Error("mencatat batch yang ditolak", "err", derr)
			}
		}
		return false, u.failIf(ctx, serr)
	}
	last, err := u.o.Store.LastSeq(ctx)
	if err != nil {
		return false, u.failIf(ctx, &sendError{kind: kindRetry, msg: err.Error()})
	}
	if ack.Acked > last {
		// Headquarters holds more of this office than the office has: the
		// database was replaced or another office uses the same id.
		u.o.Logger.Error("headquarters menyimpan urutan lebih tinggi dari database kantor; periksa [office] id unik dan database tidak diganti",
			"hq_acked", ack.Acked, "office_last", last)
		ack.Acked = last
	}
	if err := u.o.Store.SetSyncAcked(ctx, ack.Acked, u.o.Now()); err != nil {
		return false, u.failIf(ctx, &sendError{kind: kindRetry, msg: "menyimpan status sinkronisasi: " + err.Error()})
	}
	u.mu.Lock()
	u.failures, u.lastErr, u.parked, u.next, u.inflight = 0, "", false, time.Time{}, [2]int64{}
	u.contact, u.beatSent = sentAt, beats
	u.mu.Unlock()
	if batch.Heartbeat() {
		return false, nil
	}
	if ack.Acked < seqs[n-1] {
		// Headquarters is missing something before this batch (restored from
		// a backup): the next step resends from its answer.
		u.o.Logger.Warn("headquarters meminta kirim ulang", "from", ack.Acked+1)
	}
	return true, nil
}

// failIf records a failure unless ctx ended (the uploader is stopping).
func (u *Uploader) failIf(ctx context.Context, e *sendError) error {
	if ctx.Err() != nil {
		return nil
	}
	return u.fail(e)
}

// fail records a failed attempt and schedules the next.
func (u *Uploader) fail(e *sendError) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.failures++
	u.lastErr = e.msg
	var wait time.Duration
	if e.kind == kindPark {
		u.parked = true
		wait = u.o.ParkedRetry
	} else {
		u.parked = false
		wait = Backoff(u.o.MinBackoff, u.o.MaxBackoff, u.failures)
		if e.retryAfter > wait {
			wait = e.retryAfter
		}
	}
	u.next = time.Now().Add(wait)
	return e
}

// Backoff is the delay before retry number attempt (1 for the first): "full
// jitter", uniform between 0 and min(max, min·2^(attempt-1)), so offices that
// lost their link together do not come back in lockstep.
func Backoff(min, max time.Duration, attempt int) time.Duration {
	c := min
	for i := 1; i < attempt && c < max; i++ {
		c *= 2
	}
	if c > max {
		c = max
	}
	return time.Duration(mrand.Int64N(int64(c) + 1))
}

// send posts one batch and reads headquarters' answer.
func (u *Uploader) send(ctx context.Context, b wire.Batch) (*wire.Ack, *sendError) {
	var raw bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&raw, gzip.BestSpeed) // the Pi's CPU is the bottleneck, not the link
	if err := json.NewEncoder(zw).Encode(b); err != nil {
		return nil, &sendError{kind: kindPark, msg: "menyusun batch: " + err.Error()}
	}
	if err := zw.Close(); err != nil {
		return nil, &sendError{kind: kindPark, msg: err.Error()}
	}
	body := raw.Bytes()
	for try := 0; ; try++ {
		ack, serr := u.post(ctx, b, body)
		if serr != nil && serr.status == http.StatusUnauthorized && serr.retryAfter < 0 && try == 0 {
			continue // clock offset corrected from headquarters' Date: sign again at once
		}
		if serr != nil && serr.retryAfter < 0 {
			serr.retryAfter = 0
		}
		return ack, serr
	}
}

func (u *Uploader) post(ctx context.Context, b wire.Batch, body []byte) (*wire.Ack, *sendError) {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	u.mu.Lock()
	now := u.o.Now().Add(u.offset)
	u.mu.Unlock()
	env := wire.Envelope{Office: b.Office, From: b.From, To: b.To, Timestamp: now.Unix(),
		Nonce: hex.EncodeToString(nonce), BodyHash: wire.BodyHash(body)}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.url, bytes.NewReader(body))
	if err != nil {
		return nil, &sendError{kind: kindPark, msg: "alamat [hq] url tidak valid: " + err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	env.SetHeaders(req.Header, u.o.Secret)
	resp, err := u.o.Client.Do(req)
	if err != nil {
		return nil, &sendError{kind: kindRetry, msg: "headquarters tidak terjangkau: " + err.Error()}
	}
	defer resp.Body.Close()
	msg, rerr := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode == http.StatusOK {
		var ack wire.Ack
		if rerr == nil {
			rerr = json.Unmarshal(msg, &ack)
		}
		if rerr != nil {
			return nil, &sendError{kind: kindRetry, msg: "jawaban headquarters terputus atau rusak: " + rerr.Error()}
		}
		return &ack, nil
	}
	reason := fmt.Sprintf("headquarters menjawab %s: %s", resp.Status, errorText(msg))
	e := &sendError{status: resp.StatusCode, msg: reason, retryAfter: retryAfter(resp.Header.Get("Retry-After"), u.o.Now())}
	switch {
	case resp.StatusCode >= 500, resp.StatusCode == http.StatusRequestTimeout, resp.StatusCode == http.StatusTooManyRequests:
		e.kind = kindRetry
	case resp.StatusCode == http.StatusUnauthorized && resp.Header.Get(wire.HeaderError) == wire.ErrorStale:
		// Our clock is off (a Pi without a battery clock before NTP):
		// adopt headquarters' time for signing instead of parking.
		e.kind = kindRetry
		if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
			u.mu.Lock()
			u.offset = d.Sub(u.o.Now())
			u.mu.Unlock()
			e.retryAfter = -1
		}
	default:
		e.kind = kindPark
	}
	return nil, e
}

// errorText is the "error" of a JSON error body, or the body itself.
func errorText(b []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(b, &e) == nil && e.Error != "" {
		return e.Error
	}
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// retryAfter parses a Retry-After header: delay seconds or an HTTP date.
// Absurd values are capped at an hour.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	var d time.Duration
	if s, err := strconv.Atoi(v); err == nil {
		d = time.Duration(s) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	if d < 0 {
		return 0
	}
	if d > time.Hour {
		d = time.Hour
	}
	return d
}
