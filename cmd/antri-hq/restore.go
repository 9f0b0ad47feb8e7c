package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/antri-id/antri/sync/collect"
	"github.com/antri-id/antri/sync/wire"
)

// maxEventsBytes bounds the event JSON of one answer, like a batch the other way: the
// office asks again after the last event it got.
const maxEventsBytes = 4 << 20

// officeEvents is GET /api/v1/offices/{office}/events: an office's own events back, for
// antrid restore on a new SD card (docs/SYNC.md, "Restore"). Only the office itself may
// read them, with a request signed under its secret (wire.EventsVersion): they are its
// history, complaint texts included. Only events up to acked_seq are served, so the
// office rebuilds a history without gaps.
func (s *server) officeEvents(w http.ResponseWriter, r *http.Request) {
	env, page, err := s.events(r)
	if err != nil {
		s.refused(w, r, err, "membaca event untuk pemulihan", "headquarters gagal membaca event; coba lagi")
		return
	}
	var body bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&body, gzip.BestSpeed)
	if err := json.NewEncoder(zw).Encode(page); err != nil || zw.Close() != nil {
		s.refused(w, r, err, "menyusun event untuk pemulihan", "headquarters gagal menyusun jawaban; coba lagi")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Encoding", "gzip")
	wire.SetReplyHeaders(h, env, page.From, page.To, s.now().Unix(), body.Bytes(), s.secrets[env.Office])
	w.WriteHeader(http.StatusOK)
	w.Write(body.Bytes())
}

// events checks the request as an ingest is checked (headers before anything is read,
// the cheapest refusal first) and reads the page.
func (s *server) events(r *http.Request) (wire.Envelope, *wire.EventsPage, error) {
	env, err := wire.ReadEnvelope(r.Header)
	if err != nil {
		return env, nil, err
	}
	env.Version = wire.EventsVersion
	secret, ok := s.secrets[env.Office]
	if !ok || env.Office != r.PathValue("office") {
		return env, nil, refuse(http.StatusForbidden, wire.ErrorOffice, "kantor %q tidak terdaftar atau bukan kantor di alamat ini", clip(env.Office))
	}
	now := s.now()
	if err := env.Authenticate(r.Header, secret, now); err != nil {
		return env, nil, err
	}
	if env.From < 1 || env.To-env.From >= wire.MaxEventsPage {
		return env, nil, refuse(http.StatusBadRequest, wire.ErrorBody, "minta paling banyak %d event sekaligus, mulai urutan 1", wire.MaxEventsPage)
	}
	leave, ok := s.gate.enter(env.Office)
	if !ok {
		return env, nil, refuse(http.StatusTooManyRequests, wire.ErrorBusy, "headquarters sedang sibuk dengan kantor %s; coba lagi", env.Office)
	}
	defer leave()
	if err := s.store.UseNonce(r.Context(), env.Office, env.Nonce, now); errors.Is(err, wire.ErrReplay) {
		return env, nil, refuse(http.StatusConflict, wire.ErrorReplay, "%s", err.Error())
	} else if err != nil {
		return env, nil, err
	}
	o, ok, err := s.store.Office(r.Context(), env.Office)
	if err != nil {
		return env, nil, err
	}
	if !ok {
		return env, nil, refuse(http.StatusNotFound, wire.ErrorOffice, "headquarters belum menyimpan satu event pun dari kantor %s: tidak ada yang bisa dipulihkan dari sini", env.Office)
	}
	page := &wire.EventsPage{Office: o.ID, Name: o.Name, Timezone: o.Timezone, AckedSeq: o.AckedSeq, Held: o.Events, Events: []json.RawMessage{}}
	size := 0
	errFull := errors.New("penuh")
	err = s.store.EventsFrom(r.Context(), env.Office, env.From-1, min(env.To, o.AckedSeq), func(ev collect.Event) error {
		if len(page.Events) > 0 && size+len(ev.Body) > maxEventsBytes {
			return errFull
		}
		if page.From == 0 {
			page.From = ev.Seq
		}
		page.To, size = ev.Seq, size+len(ev.Body)
		page.Events = append(page.Events, ev.Body)
		return nil
	})
	if err != nil && !errors.Is(err, errFull) {
		return env, nil, err
	}
	return env, page, nil
}
