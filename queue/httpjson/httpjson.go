// Package httpjson is how antrid's HTTP API reads requests and answers them, for every
// package that serves a part of it (display, the printer's spooler, the demo's simulated
// pins, the headquarters uploader): one strict decoder, one answer shape, and the one
// error body of DOMAIN.md — bad input gets a 4xx with {"error": "..."} that says, in
// Indonesian, what was wrong and what to do next.
package httpjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/antri-id/antri/queue"
)

// MaxBody bounds request bodies: every request of the API is a few hundred bytes, and a
// Pi must not be made to buffer megabytes.
const MaxBody = 64 << 10

// Mux is where a package adds its routes: *http.ServeMux, or antrid's display.Server,
// which puts the appliance's checks (the admin token on /api/admin/, ...) in front.
type Mux interface {
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
}

// ErrorBody is every 4xx and 5xx answer: what was wrong, in Indonesian.
type ErrorBody struct {
	Error string          `json:"error"`
	Code  queue.ErrorKind `json:"code,omitempty"`
	// Reason is why a ticket was refused when a page must tell it apart: "capacity"
	// (DOMAIN.md "Crisis").
	Reason string `json:"reason,omitempty"`
}

// Write answers v as JSON with code; every answer of antrid's API goes through it (or
// Error), so all share one content type and no caching.
func Write(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// Error answers {"error": msg} with code; msg says, in Indonesian, what was wrong and
// what to do.
func Error(w http.ResponseWriter, code int, msg string) {
	Write(w, code, ErrorBody{Error: msg})
}

// QueueError answers a refusal of the queue with its status code, a failing card or
// database file with 503 and words for the citizen (queue.StorageRefusal, logged once a
// minute), and anything else as a server fault whose cause goes to log, not to the client.
func QueueError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	err = queue.StorageRefusal(err)
	kind := queue.KindOf(err)
	code := map[queue.ErrorKind]int{
		queue.KindInvalid:   http.StatusBadRequest,
		queue.KindNotFound:  http.StatusNotFound,
		queue.KindConflict:  http.StatusConflict,
		queue.KindClosed:    http.StatusConflict,
		queue.KindQuota:     http.StatusConflict,
		queue.KindForbidden: http.StatusForbidden,
		queue.KindStorage:   http.StatusServiceUnavailable,
		queue.KindCapacity:  http.StatusConflict,
	}[kind]
	if code == 0 {
		if errors.Is(err, queue.ErrClosed) {
			Error(w, http.StatusServiceUnavailable, err.Error())
			return
		}
		log.Error("permintaan gagal", "method", r.Method, "path", r.URL.Path, "err", err)
		Error(w, http.StatusInternalServerError, "terjadi gangguan penyimpanan; coba lagi, dan hubungi teknisi bila berulang")
		return
	}
	Write(w, code, ErrorBody{Error: err.Error(), Code: kind, Reason: queue.ReasonOf(err)})
}

// DecodeBody reads one JSON object from a request body into v: at most MaxBody bytes,
// no unknown fields, nothing after it. An empty body leaves v as it is when allowEmpty.
// The error is a *RequestError that says what was wrong, with the status to answer.
func DecodeBody(r io.Reader, v any, allowEmpty bool) error {
	lr := &io.LimitedReader{R: r, N: MaxBody + 1}
	data, err := io.ReadAll(lr)
	if err != nil {
		return &RequestError{http.StatusBadRequest, "isi permintaan tidak terbaca: " + err.Error()}
	}
	if len(data) > MaxBody {
		return &RequestError{http.StatusRequestEntityTooLarge, fmt.Sprintf("isi permintaan lebih dari %d KB", MaxBody>>10)}
	}
	if len(data) == 0 && allowEmpty {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &RequestError{http.StatusBadRequest, "JSON tidak valid: " + err.Error()}
	}
	var rest json.RawMessage
	if err := dec.Decode(&rest); err != io.EOF {
		return &RequestError{http.StatusBadRequest, "JSON tidak valid: ada data setelah objek"}
	}
	return nil
}

// RequestError is a bad request body, with the status code to answer.
type RequestError struct {
	Status int
	Msg    string
}

func (e *RequestError) Error() string { return e.Msg }

// Decode reads the request's body into v (see DecodeBody) or answers the error; it
// reports success.
func Decode(w http.ResponseWriter, r *http.Request, v any, allowEmpty bool) bool {
	if err := DecodeBody(r.Body, v, allowEmpty); err != nil {
		re := err.(*RequestError)
		Error(w, re.Status, re.Msg)
		return false
	}
	return true
}
