package wire

import (
	"crypto/hmac"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// An office whose SD card died gets its own events back from headquarters to rebuild its
// database (antrid restore; docs/SYNC.md, "Restore"). The request is a GET signed like an
// ingest batch under the office's secret, with its own version tag so that neither
// signature can be used as the other; the answer is signed back by headquarters under the
// same secret, bound to the request by its nonce, so the office takes events only from
// the headquarters that holds its secret.
const (
	EventsVersion      = "antri-events-v1"       // first line of a request's signing string
	EventsReplyVersion = "antri-events-reply-v1" // first line of an answer's signing string

	// MaxEventsPage is the most events one answer carries; the office asks page after page.
	MaxEventsPage = 5000
)

// EventsPath is the path of an office's own events at headquarters:
// GET /api/v1/offices/{office}/events with the signed range after+1 .. after+limit in
// the envelope headers (HeaderSeqFrom, HeaderSeqTo).
func EventsPath(office string) string {
	return "/api/v1/offices/" + url.PathEscape(office) + "/events"
}

// EventsPage is headquarters' answer (gzip JSON): the events it holds of the office in
// the asked range, never past AckedSeq, so that a restore is a history without gaps.
type EventsPage struct {
	Office   string `json:"office"`
	Name     string `json:"office_name"`
	Timezone string `json:"timezone"`
	// AckedSeq is the highest sequence headquarters holds with every one below it.
	AckedSeq int64 `json:"acked_seq"`
	// Held counts every event held, those after a gap too: more than AckedSeq means some
	// arrived after a gap and cannot be restored in order (antrid restore refuses, since
	// the restored office would number its new events over them).
	Held   int64             `json:"held"`
	From   int64             `json:"from_seq"` // range of Events; 0–0 when none
	To     int64             `json:"to_seq"`
	Events []json.RawMessage `json:"events"` // as the office stored them, in sequence order
}

// SetReplyHeaders signs an answer to the request envelope req: the range served, the
// time, the request's nonce and the hash of body as sent.
func SetReplyHeaders(h http.Header, req Envelope, from, to, timestamp int64, body []byte, secret string) {
	e := Envelope{Version: EventsReplyVersion, Office: req.Office, From: from, To: to, Timestamp: timestamp,
		Nonce: req.Nonce, BodyHash: BodyHash(body)}
	e.SetHeaders(h, secret)
}

// CheckReply checks headquarters' answer to the request envelope req: signed under the
// office's secret for this request (its nonce), over body as received. The time is not
// checked: the nonce binds the answer to a request made now, and the Pi being restored
// may not know the time yet.
func CheckReply(h http.Header, req Envelope, body []byte, secret string) (from, to int64, err error) {
	parse := func(name string) int64 {
		v, _ := strconv.ParseInt(h.Get(name), 10, 64)
		return v
	}
	e := Envelope{Version: EventsReplyVersion, Office: h.Get(HeaderOffice), From: parse(HeaderSeqFrom), To: parse(HeaderSeqTo),
		Timestamp: parse(HeaderTimestamp), Nonce: h.Get(HeaderNonce), BodyHash: h.Get(HeaderBodyHash)}
	if e.Office != req.Office || e.Nonce != req.Nonce || !hmac.Equal([]byte(e.Sign(secret)), []byte(h.Get(HeaderSignature))) {
		return 0, 0, refused(http.StatusUnauthorized, ErrorSignature, "jawaban headquarters tidak bertanda tangan rahasia kantor ini untuk permintaan ini: periksa [hq] url dan [hq] secret")
	}
	if err := e.CheckBody(body); err != nil {
		return 0, 0, err
	}
	return e.From, e.To, nil
}
