// Package wire is what offices and headquarters share: the signed, gzip
// compressed batch of events an office sends to antri-hq's ingest, the
// headers that carry its envelope, the HMAC-SHA256 signature over them, and
// headquarters' answer. The office side (package sync/upload) and the
// headquarters side (cmd/antri-hq with package sync/collect) both build on it,
// so neither can drift from the other.
//
// docs/SYNC.md describes the protocol for other implementations.
package wire

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Protocol names: the ingest path, headers and the signature's version tag.
const (
	IngestPath = "/api/v1/ingest"

	HeaderOffice    = "X-Antri-Office"      // office id
	HeaderSeqFrom   = "X-Antri-Seq-From"    // first sequence in the batch
	HeaderSeqTo     = "X-Antri-Seq-To"      // last sequence in the batch
	HeaderTimestamp = "X-Antri-Timestamp"   // unix seconds when signed
	HeaderNonce     = "X-Antri-Nonce"       // 32 hex digits, new for every attempt
	HeaderBodyHash  = "X-Antri-Body-SHA256" // hex SHA-256 of the body as sent (gzip bytes)
	HeaderSignature = "X-Antri-Signature"   // hex HMAC-SHA256 of SigningString under the secret
	HeaderError     = "X-Antri-Error"       // on refusals: a machine-readable reason (ErrorStale, ...)

	// SignatureVersion starts the signing string, so a later protocol can
	// change what is signed without ambiguity.
	SignatureVersion = "antri-sync-v1"

	// Window is how far a batch's timestamp may be from headquarters' clock.
	// Older batches are refused as replays; within it, a nonce is accepted once.
	Window = 5 * time.Minute
)

// Values of HeaderError.
const (
	ErrorStale     = "stale-timestamp"
	ErrorReplay    = "replay"
	ErrorSignature = "bad-signature"
	ErrorOffice    = "unknown-office"
	ErrorBody      = "bad-body"
	ErrorTooLarge  = "too-large" // 413: over one of headquarters' caps (docs/SYNC.md); resending will not help
	ErrorBusy      = "busy"      // 429: too many batches of this office, or of all, at once; retry after Retry-After
)

// Batch is the JSON body (before gzip) of one ingest request. It carries what
// headquarters needs to report on the office besides the events: its name and
// its time zone (months and days are the office's local ones).
type Batch struct {
	Office   string            `json:"office"`
	Name     string            `json:"office_name"`
	Timezone string            `json:"timezone"`
	From     int64             `json:"from_seq"`
	To       int64             `json:"to_seq"`
	Events   []json.RawMessage `json:"events"` // queue.Event JSON, as stored, in sequence order
	// Health is the office's state now (health.go). A heartbeat is a batch with no events,
	// From and To 0, sent when the office has had nothing to send for a while, so that a
	// quiet office is not taken for a silent one.
	Health *Health `json:"health,omitempty"`
	// Labels are the names the office's config gives its services and counters, for
	// headquarters' workbooks and printable reports (the events carry only codes).
	Labels *Labels `json:"labels,omitempty"`
}

// Labels are an office's names for its services (code → name) and counters (id →
// name), as its config says them.
type Labels struct {
	Services map[string]string `json:"services,omitempty"`
	Counters map[string]string `json:"counters,omitempty"`
}

// Heartbeat reports whether the batch carries no events, only the office's health: its
// range is 0–0.
func (b Batch) Heartbeat() bool { return b.From == 0 && b.To == 0 }

// Ack is headquarters' answer to an accepted batch (200), duplicates included.
type Ack struct {
	Office string `json:"office"`
	// Acked is the highest sequence headquarters holds with every sequence
	// below it held too. The uploader resumes after it.
	Acked int64 `json:"acked_seq"`
	// Stored counts the events of this batch that were new.
	Stored int `json:"stored"`
}

// Envelope is what is signed besides the body.
type Envelope struct {
	// Version is the signing string's first line: SignatureVersion (an ingest batch) when
	// empty, EventsVersion or EventsReplyVersion for a restore (events.go). A signature
	// made for one purpose is never valid for another.
	Version   string
	Office    string
	From, To  int64
	Timestamp int64 // unix seconds
	Nonce     string
	BodyHash  string // hex SHA-256 of the body as sent
}

// SigningString is the text the signature is computed over: the version tag,
// then the office id, sequence range, timestamp, nonce and body hash, each on
// its own line.
func (e Envelope) SigningString() string {
	v := e.Version
	if v == "" {
		v = SignatureVersion
	}
	return fmt.Sprintf("%s\n%s\n%d\n%d\n%d\n%s\n%s", v, e.Office, e.From, e.To, e.Timestamp, e.Nonce, e.BodyHash)
}

// Sign is the hex HMAC-SHA256 of the envelope under secret.
func (e Envelope) Sign(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(e.SigningString()))
	return hex.EncodeToString(m.Sum(nil))
}

// BodyHash is the hex SHA-256 of body.
func BodyHash(body []byte) string {
	h := sha256.Sum256(body)
	return hex.EncodeToString(h[:])
}

// SetHeaders writes the envelope and its signature under secret into h.
func (e Envelope) SetHeaders(h http.Header, secret string) {
	h.Set(HeaderOffice, e.Office)
	h.Set(HeaderSeqFrom, strconv.FormatInt(e.From, 10))
	h.Set(HeaderSeqTo, strconv.FormatInt(e.To, 10))
	h.Set(HeaderTimestamp, strconv.FormatInt(e.Timestamp, 10))
	h.Set(HeaderNonce, e.Nonce)
	h.Set(HeaderBodyHash, e.BodyHash)
	h.Set(HeaderSignature, e.Sign(secret))
}

// RefusedError is a request headquarters refuses; Code is a HeaderError
// value and Status the HTTP status to answer.
type RefusedError struct {
	Status int
	Code   string
	Msg    string
}

func (e *RefusedError) Error() string { return e.Msg }

func refused(status int, code, format string, args ...any) *RefusedError {
	return &RefusedError{Status: status, Code: code, Msg: fmt.Sprintf(format, args...)}
}

// ReadEnvelope parses the envelope headers of an ingest request. The range 0–0 is a
// heartbeat: a batch without events (Batch.Heartbeat).
func ReadEnvelope(h http.Header) (Envelope, error) {
	e := Envelope{Office: h.Get(HeaderOffice), Nonce: h.Get(HeaderNonce), BodyHash: h.Get(HeaderBodyHash)}
	if e.Office == "" || h.Get(HeaderSignature) == "" {
		return e, refused(http.StatusUnauthorized, ErrorSignature, "batch tidak bertanda tangan: header %s dan %s wajib", HeaderOffice, HeaderSignature)
	}
	var err error
	parse := func(name string) int64 {
		v, perr := strconv.ParseInt(h.Get(name), 10, 64)
		if perr != nil && err == nil {
			err = refused(http.StatusBadRequest, ErrorBody, "header %s harus bilangan bulat", name)
		}
		return v
	}
	e.From, e.To, e.Timestamp = parse(HeaderSeqFrom), parse(HeaderSeqTo), parse(HeaderTimestamp)
	if err != nil {
		return e, err
	}
	if (e.From < 1 || e.To < e.From) && (e.From != 0 || e.To != 0) { // 0–0: a heartbeat
		return e, refused(http.StatusBadRequest, ErrorBody, "rentang urutan %d–%d tidak valid", e.From, e.To)
	}
	if len(e.Nonce) < 16 || len(e.Nonce) > 64 {
		return e, refused(http.StatusBadRequest, ErrorBody, "header %s harus 16–64 karakter", HeaderNonce)
	}
	return e, nil
}

// Verify checks a request's envelope against the office's secret, the body
// as received and headquarters' clock: Authenticate, then CheckBody. It does
// not check the nonce: the store does, atomically with storing the events.
func (e Envelope) Verify(h http.Header, secret string, body []byte, now time.Time) error {
	if err := e.Authenticate(h, secret, now); err != nil {
		return err
	}
	return e.CheckBody(body)
}

// Authenticate checks the signature of the envelope (which covers the body's
// hash) under the office's secret, and its timestamp against headquarters'
// clock. It needs only the headers, so headquarters refuses a forged or old
// request before reading its body.
func (e Envelope) Authenticate(h http.Header, secret string, now time.Time) error {
	want := e.Sign(secret)
	if !hmac.Equal([]byte(want), []byte(h.Get(HeaderSignature))) {
		return refused(http.StatusUnauthorized, ErrorSignature, "tanda tangan batch salah: periksa [hq] secret kantor %q sama dengan [[office]] secret di antri-hq", e.Office)
	}
	skew := now.Sub(time.Unix(e.Timestamp, 0))
	if skew > Window || skew < -Window {
		return refused(http.StatusUnauthorized, ErrorStale, "waktu batch %s terlalu jauh dari jam headquarters %s (batas ±%s): periksa jam/NTP kantor",
			time.Unix(e.Timestamp, 0).UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339), Window)
	}
	return nil
}

// CheckBody checks that body, as received, is the one whose hash was signed.
func (e Envelope) CheckBody(body []byte) error {
	if !hmac.Equal([]byte(BodyHash(body)), []byte(e.BodyHash)) {
		return refused(http.StatusBadRequest, ErrorBody, "isi batch berubah di jalan (hash SHA-256 tidak cocok)")
	}
	return nil
}

// ErrReplay is returned by a collect.Store for a nonce it has already seen.
var ErrReplay = errors.New("batch ini sudah pernah diterima (nonce sama): kiriman ulang ditolak")
