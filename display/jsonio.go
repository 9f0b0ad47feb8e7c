package display

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/antri-id/antri/queue"
)

// maxBody bounds request bodies: every request of the API is a few hundred
// bytes, and a Pi must not be made to buffer megabytes.
const maxBody = 64 << 10

// errorBody is every 4xx and 5xx answer: what was wrong, in Indonesian.
type errorBody struct {
	Error string          `json:"error"`
	Code  queue.ErrorKind `json:"code,omitempty"`
}

// WriteJSON answers v as JSON with code; every answer of antrid's API goes
// through it (or WriteError), so all share one content type and no caching.
func WriteJSON(w http.ResponseWriter, code int, v any) { writeJSON(w, code, v) }

// WriteError answers {"error": msg} with code; msg says, in Indonesian, what
// was wrong and what to do.
func WriteError(w http.ResponseWriter, code int, msg string) { writeError(w, code, msg) }

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, errorBody{Error: msg})
}

// writeQueueError answers a refusal of the queue with its status code, and
// anything else as a server fault that keeps its cause in the log.
func (s *Server) writeQueueError(w http.ResponseWriter, r *http.Request, err error) {
	kind := queue.KindOf(err)
	code := map[queue.ErrorKind]int{
		queue.KindInvalid:  http.StatusBadRequest,
		queue.KindNotFound: http.StatusNotFound,
		queue.KindConflict: http.StatusConflict,
		queue.KindClosed:   http.StatusConflict,
		queue.KindQuota:    http.StatusConflict,
	}[kind]
	if code == 0 {
		if errors.Is(err, queue.ErrClosed) {
			writeError(w, http.StatusServiceUnavailable, err.Error())
			return
		}
		s.log.Error("permintaan gagal", "method", r.Method, "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "terjadi gangguan penyimpanan; coba lagi, dan hubungi teknisi bila berulang")
		return
	}
	writeJSON(w, code, errorBody{Error: err.Error(), Code: kind})
}

// DecodeJSON reads one JSON object from a request body into v: at most
// maxBody bytes, no unknown fields, nothing after it. An empty body leaves v
// as it is when allowEmpty. The error says what was wrong, for a 4xx answer,
// and Status gives that code.
func DecodeJSON(r io.Reader, v any, allowEmpty bool) error {
	lr := &io.LimitedReader{R: r, N: maxBody + 1}
	data, err := io.ReadAll(lr)
	if err != nil {
		return &RequestError{http.StatusBadRequest, "isi permintaan tidak terbaca: " + err.Error()}
	}
	if len(data) > maxBody {
		return &RequestError{http.StatusRequestEntityTooLarge, fmt.Sprintf("isi permintaan lebih dari %d KB", maxBody>>10)}
	}
	if len(data) == 0 && allowEmpty {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &RequestError{http.StatusBadRequest, "JSON tidak valid: " + err.Error()}
	}
	if dec.More() {
		return &RequestError{http.StatusBadRequest, "JSON tidak valid: ada data setelah objek"}
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

// decode reads the body into v or answers the error; it reports success.
func decode(w http.ResponseWriter, r *http.Request, v any, allowEmpty bool) bool {
	if err := DecodeJSON(r.Body, v, allowEmpty); err != nil {
		re := err.(*RequestError)
		writeError(w, re.Status, re.Msg)
		return false
	}
	return true
}
