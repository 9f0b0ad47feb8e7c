package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/antri-id/antri/queue/httpjson"
	"github.com/antri-id/antri/sync/collect"
	"github.com/antri-id/antri/sync/wire"
)

// ingest is POST /api/v1/ingest: verify, then store each event once.
// Refusals say why in {"error"} and in the X-Antri-Error header
// (docs/SYNC.md, "What headquarters checks").
func (s *server) ingest(w http.ResponseWriter, r *http.Request) {
	ack, err := s.accept(r)
	if err != nil {
		s.refused(w, r, err, "ingest gagal disimpan", "headquarters gagal menyimpan; kantor akan mengirim ulang")
		return
	}
	httpjson.Write(w, http.StatusOK, ack)
}

// refused answers a signed request headquarters did not serve: a refusal with its code
// (X-Antri-Error), logged at most once a minute per office and code, or another error as
// 503 with failed, logged as what.
func (s *server) refused(w http.ResponseWriter, r *http.Request, err error, what, failed string) {
	var re *wire.RefusedError
	if !errors.As(err, &re) {
		s.log.Error(what, "office", clip(r.Header.Get(wire.HeaderOffice)), "err", err)
		httpjson.Error(w, http.StatusServiceUnavailable, failed)
		return
	}
	switch re.Code {
	case wire.ErrorStale:
		// Our clock, so an office with a wrong clock can correct itself.
		w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	case wire.ErrorBusy:
		w.Header().Set("Retry-After", "2")
	}
	w.Header().Set(wire.HeaderError, re.Code)
	office := r.Header.Get(wire.HeaderOffice)
	if _, known := s.secrets[office]; !known {
		office = "" // one log key for every unknown id, whatever a client makes up
	}
	s.quiet.Warn(office+" "+re.Code, "batch ditolak", "office", office, "sent_as", clip(r.Header.Get(wire.HeaderOffice)),
		"remote", r.RemoteAddr, "status", re.Status, "code", re.Code, "reason", re.Msg)
	httpjson.Error(w, re.Status, re.Msg)
}

func refuse(status int, code, format string, args ...any) error {
	return &wire.RefusedError{Status: status, Code: code, Msg: fmt.Sprintf(format, args...)}
}

// accept checks a batch in the order that costs a sender the most before it
// costs headquarters anything: the headers alone (office, signature, time,
// size) before any byte of the body is read, a place among the ingests in
// progress before the body is held, the signed hash before it is
// decompressed, and every cap before anything is stored.
func (s *server) accept(r *http.Request) (*wire.Ack, error) {
	env, err := wire.ReadEnvelope(r.Header)
	if err != nil {
		return nil, err
	}
	secret, ok := s.secrets[env.Office]
	if !ok {
		return nil, refuse(http.StatusForbidden, wire.ErrorOffice, "kantor %q tidak terdaftar: tambahkan [[office]] id = %q di konfigurasi antri-hq", clip(env.Office), clip(env.Office))
	}
	now := s.now()
	if err := env.Authenticate(r.Header, secret, now); err != nil {
		return nil, err
	}
	if r.ContentLength > s.limits.Body {
		return nil, s.tooLarge(r.ContentLength)
	}
	leave, ok := s.gate.enter(env.Office)
	if !ok {
		return nil, refuse(http.StatusTooManyRequests, wire.ErrorBusy, "headquarters sedang menerima batch lain kantor %s (paling banyak %d sekaligus per kantor, %d semuanya); kantor akan mencoba lagi",
			env.Office, s.limits.PerOffice, s.limits.Overall)
	}
	defer leave()
	if seen, err := s.store.NonceSeen(r.Context(), env.Office, env.Nonce); err != nil {
		return nil, err
	} else if seen {
		return nil, refuse(http.StatusConflict, wire.ErrorReplay, "%s", wire.ErrReplay.Error())
	}
	body, err := s.readBody(r)
	if err != nil {
		return nil, err
	}
	if err := env.CheckBody(body); err != nil {
		return nil, err
	}
	b, err := s.decode(body, r.Header.Get("Content-Encoding"))
	if err != nil {
		return nil, err
	}
	cb, err := s.batch(r.Context(), env, b, now)
	if err != nil {
		return nil, err
	}
	acked, stored, err := s.store.Ingest(r.Context(), cb)
	if errors.Is(err, wire.ErrReplay) {
		return nil, refuse(http.StatusConflict, wire.ErrorReplay, "%s", err.Error())
	}
	if err != nil {
		return nil, err
	}
	return &wire.Ack{Office: env.Office, Acked: acked, Stored: stored}, nil
}

func (s *server) tooLarge(n int64) error {
	return refuse(http.StatusRequestEntityTooLarge, wire.ErrorTooLarge, "batch %d byte, lebih dari batas %d MiB terkompresi; antrid mengirim paling banyak 1 MiB per batch, periksa versi dan pengaturannya",
		n, s.limits.Body>>20)
}

// readBody reads the gzip bytes, at most limits.Body of them. A body cut off
// (the read timeout, a dropped link) is 408: the office sends it again.
func (s *server) readBody(r *http.Request) ([]byte, error) {
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength))
	}
	_, err := buf.ReadFrom(io.LimitReader(r.Body, s.limits.Body+1))
	if int64(buf.Len()) > s.limits.Body {
		return nil, s.tooLarge(int64(buf.Len()))
	}
	if err != nil {
		return nil, refuse(http.StatusRequestTimeout, wire.ErrorBody, "batch terputus saat dibaca (%d byte diterima); kantor akan mengirim ulang", buf.Len())
	}
	return buf.Bytes(), nil
}

// decode inflates and parses the batch, at most limits.Inflated bytes of
// JSON: a gzip bomb stops there.
func (s *server) decode(body []byte, encoding string) (*wire.Batch, error) {
	var rd io.Reader = bytes.NewReader(body)
	switch encoding {
	case "gzip":
		zr, err := gzip.NewReader(rd)
		if err != nil {
			return nil, refuse(http.StatusBadRequest, wire.ErrorBody, "batch bukan gzip yang valid: %v", err)
		}
		rd = zr
	case "", "identity":
	default:
		return nil, refuse(http.StatusBadRequest, wire.ErrorBody, "Content-Encoding %q tidak dikenal; kirim gzip", clip(encoding))
	}
	lr := &io.LimitedReader{R: rd, N: s.limits.Inflated + 1}
	var b wire.Batch
	dec := json.NewDecoder(lr)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		if lr.N <= 0 {
			return nil, refuse(http.StatusRequestEntityTooLarge, wire.ErrorTooLarge, "batch lebih dari %d MiB setelah dibuka", s.limits.Inflated>>20)
		}
		return nil, refuse(http.StatusBadRequest, wire.ErrorBody, "isi batch tidak valid: %v", err)
	}
	return &b, nil
}

// batch checks a parsed batch against its envelope and the caps on what is
// stored, and returns what the store keeps.
func (s *server) batch(ctx context.Context, env wire.Envelope, b *wire.Batch, now time.Time) (collect.Batch, error) {
	if b.Office != env.Office || b.From != env.From || b.To != env.To {
		return collect.Batch{}, refuse(http.StatusBadRequest, wire.ErrorBody, "isi batch (kantor %q, %d–%d) tidak sama dengan header (kantor %q, %d–%d)",
			clip(b.Office), b.From, b.To, env.Office, env.From, env.To)
	}
	if n := len(b.Events); n > s.limits.Events {
		return collect.Batch{}, refuse(http.StatusRequestEntityTooLarge, wire.ErrorTooLarge, "batch berisi %d event; paling banyak %d", n, s.limits.Events)
	}
	if len(b.Timezone) > s.limits.Timezone {
		return collect.Batch{}, refuse(http.StatusBadRequest, wire.ErrorBody, "zona waktu kantor %q bukan nama IANA (paling panjang %d byte)", clip(b.Timezone), s.limits.Timezone)
	}
	if _, err := time.LoadLocation(b.Timezone); err != nil || b.Timezone == "" {
		return collect.Batch{}, refuse(http.StatusBadRequest, wire.ErrorBody, "zona waktu kantor %q tidak dikenal", b.Timezone)
	}
	// The name is only shown: a longer one is cut rather than the batch
	// refused, since antrid does not bound [office] name.
	name := b.Name
	if len(name) > s.limits.OfficeName {
		name = cut(name, s.limits.OfficeName)
		s.quiet.Warn(env.Office+" name", "nama kantor terlalu panjang, dipotong", "office", env.Office, "bytes", len(b.Name), "kept", name)
	}
	cb := collect.Batch{Office: env.Office, Name: name, Timezone: b.Timezone, Nonce: env.Nonce, At: now,
		Health: s.keptHealth(env.Office, b.Health), Labels: s.keptLabels(env.Office, b.Labels)}
	last := env.From - 1
	for i, raw := range b.Events {
		if len(raw) > s.limits.Event {
			return collect.Batch{}, refuse(http.StatusRequestEntityTooLarge, wire.ErrorTooLarge, "event ke-%d berukuran %d KiB; paling banyak %d KiB", i+1, len(raw)>>10, s.limits.Event>>10)
		}
		var head struct {
			Seq    int64     `json:"seq"`
			Office string    `json:"office"`
			Type   string    `json:"type"`
			At     time.Time `json:"at"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			return collect.Batch{}, refuse(http.StatusBadRequest, wire.ErrorBody, "event ke-%d tidak valid: %v", i+1, err)
		}
		if head.Office != env.Office {
			return collect.Batch{}, refuse(http.StatusBadRequest, wire.ErrorOffice, "event %d milik kantor %q, bukan %q: batch ditolak", head.Seq, clip(head.Office), env.Office)
		}
		if !eventType(head.Type, s.limits.Type) {
			return collect.Batch{}, refuse(http.StatusBadRequest, wire.ErrorBody, "event ke-%d: jenis %q bukan nama jenis event (huruf kecil, angka, _; paling panjang %d)", i+1, clip(head.Type), s.limits.Type)
		}
		if head.Seq <= last || head.Seq > env.To || head.At.IsZero() {
			return collect.Batch{}, refuse(http.StatusBadRequest, wire.ErrorBody, "event ke-%d (urutan %d) tidak urut dalam %d–%d atau tanpa waktu", i+1, head.Seq, env.From, env.To)
		}
		last = head.Seq
		cb.Events = append(cb.Events, collect.Event{Seq: head.Seq, At: head.At, Type: head.Type, Body: raw})
		if i%1000 == 999 && ctx.Err() != nil {
			return collect.Batch{}, ctx.Err()
		}
	}
	return cb, nil
}

// eventType reports whether t looks like an event type of antrid ("issued",
// "complaint_received"): lower-case letters, digits and _, at most max bytes.
func eventType(t string, max int) bool {
	if t == "" || len(t) > max {
		return false
	}
	for _, c := range []byte(t) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// cut shortens s to at most n bytes, on a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// clip is what a message or log line quotes of something a client sent.
func clip(s string) string {
	const n = 64
	if len(s) <= n {
		return s
	}
	return cut(s, n) + "…(" + strconv.Itoa(len(s)) + " byte)"
}
