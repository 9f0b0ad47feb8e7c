package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/antri-id/antri/sync/collect"
	"github.com/antri-id/antri/sync/wire"
)

// Limits of one ingest request: what the wire carries and what it may
// inflate to (a gzip bomb is refused, not decoded).
const (
	maxCompressed   = 32 << 20
	maxDecompressed = 256 << 20
)

// ingest is POST /api/v1/ingest: verify, then store each event once.
// Refusals say why in {"error"} and in the X-Antri-Error header.
func (s *server) ingest(w http.ResponseWriter, r *http.Request) {
	ack, err := s.accept(r)
	if err != nil {
		var re *wire.RefusedError
		if !errors.As(err, &re) {
			s.log.Error("ingest gagal disimpan", "err", err)
			writeError(w, http.StatusServiceUnavailable, "headquarters gagal menyimpan; kantor akan mengirim ulang: "+err.Error())
			return
		}
		if re.Code == wire.ErrorStale {
			// Our clock, so an office with a wrong clock can correct itself.
			w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
		}
		w.Header().Set(wire.HeaderError, re.Code)
		s.log.Warn("batch ditolak", "office", r.Header.Get(wire.HeaderOffice), "remote", r.RemoteAddr, "status", re.Status, "reason", re.Msg)
		writeError(w, re.Status, re.Msg)
		return
	}
	writeJSON(w, http.StatusOK, ack)
}

func refuse(status int, code, format string, args ...any) error {
	return &wire.RefusedError{Status: status, Code: code, Msg: fmt.Sprintf(format, args...)}
}

func (s *server) accept(r *http.Request) (*wire.Ack, error) {
	env, err := wire.ReadEnvelope(r.Header)
	if err != nil {
		return nil, err
	}
	secret, ok := s.secrets[env.Office]
	if !ok {
		return nil, refuse(http.StatusForbidden, wire.ErrorOffice, "kantor %q tidak terdaftar: tambahkan [[office]] id = %q di konfigurasi antri-hq", env.Office, env.Office)
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxCompressed))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, refuse(http.StatusRequestEntityTooLarge, wire.ErrorBody, "batch lebih dari %d MiB; perkecil ukuran batch", maxCompressed>>20)
		}
		return nil, refuse(http.StatusBadRequest, wire.ErrorBody, "membaca batch: %v", err)
	}
	now := s.now()
	if err := env.Verify(r.Header, secret, body, now); err != nil {
		return nil, err
	}
	var rd io.Reader = bytes.NewReader(body)
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(rd)
		if err != nil {
			return nil, refuse(http.StatusBadRequest, wire.ErrorBody, "batch bukan gzip yang valid: %v", err)
		}
		rd = zr
	}
	lr := &io.LimitedReader{R: rd, N: maxDecompressed + 1}
	var b wire.Batch
	dec := json.NewDecoder(lr)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		if lr.N <= 0 {
			return nil, refuse(http.StatusRequestEntityTooLarge, wire.ErrorBody, "batch melebihi %d MiB setelah dibuka", maxDecompressed>>20)
		}
		return nil, refuse(http.StatusBadRequest, wire.ErrorBody, "isi batch tidak valid: %v", err)
	}
	if b.Office != env.Office || b.From != env.From || b.To != env.To {
		return nil, refuse(http.StatusBadRequest, wire.ErrorBody, "isi batch (kantor %q, %d–%d) tidak sama dengan header (kantor %q, %d–%d)",
			b.Office, b.From, b.To, env.Office, env.From, env.To)
	}
	cb := collect.Batch{Office: env.Office, Name: b.Name, Timezone: b.Timezone, Nonce: env.Nonce, At: now}
	if _, err := time.LoadLocation(b.Timezone); err != nil || b.Timezone == "" {
		return nil, refuse(http.StatusBadRequest, wire.ErrorBody, "zona waktu kantor %q tidak dikenal", b.Timezone)
	}
	last := env.From - 1
	for i, raw := range b.Events {
		var head struct {
			Seq    int64     `json:"seq"`
			Office string    `json:"office"`
			Type   string    `json:"type"`
			At     time.Time `json:"at"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			return nil, refuse(http.StatusBadRequest, wire.ErrorBody, "event ke-%d tidak valid: %v", i+1, err)
		}
		if head.Office != env.Office {
			return nil, refuse(http.StatusBadRequest, wire.ErrorOffice, "event %d milik kantor %q, bukan %q: batch ditolak", head.Seq, head.Office, env.Office)
		}
		if head.Seq <= last || head.Seq > env.To || head.Type == "" || head.At.IsZero() {
			return nil, refuse(http.StatusBadRequest, wire.ErrorBody, "event ke-%d (urutan %d, jenis %q) tidak urut dalam %d–%d atau tanpa waktu", i+1, head.Seq, head.Type, env.From, env.To)
		}
		last = head.Seq
		cb.Events = append(cb.Events, collect.Event{Seq: head.Seq, At: head.At, Type: head.Type, Body: raw})
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
