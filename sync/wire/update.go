package wire

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// The update check: an office's updater tells headquarters how its last update went
// and learns which release headquarters wants it to run (docs/SYNC.md, "Updates";
// docs/FLEET.md). Both requests are signed with the office's secret like an ingest
// batch, over a signing string of their own that names the method and path, so that
// no signature made for one request is valid for another.
const (
	UpdatePath  = "/api/v1/update"          // POST an UpdateCheck, answered with an UpdateAnswer
	ReleasePath = "/api/v1/update/release/" // GET ReleasePath + "{version}/{arch}": the binary

	// UpdateSignatureVersion starts an update request's signing string.
	UpdateSignatureVersion = "antri-update-v1"
)

// Update states an office reports (UpdateReport.State).
const (
	UpdateInstalled  = "installed"   // verified and in the other slot, waiting for the office to close
	UpdateTrial      = "trial"       // switched to it; it must report healthy within the health window
	UpdateConfirmed  = "confirmed"   // it ran healthy for long enough: the office keeps it
	UpdateRolledBack = "rolled_back" // it did not come up healthy: switched back to the version before
	UpdateRefused    = "refused"     // not installed: Code and Reason say why
)

// UpdateReport is the office's update state: what it runs and the outcome of its last
// update. It is small and self-contained so that the office's health report can carry
// the same object.
type UpdateReport struct {
	Running string `json:"running"` // the version running now
	OS      string `json:"os"`
	Arch    string `json:"arch"` // as release manifests name it
	// State is one of the Update* constants, about Version; empty when the office
	// has never updated itself.
	State   string    `json:"state,omitempty"`
	Version string    `json:"version,omitempty"` // the release the state is about
	From    string    `json:"from,omitempty"`    // the version it replaced, or replaces
	Code    string    `json:"code,omitempty"`    // refusals and switch backs: a stable reason code
	Reason  string    `json:"reason,omitempty"`  // the same in Indonesian, for headquarters' page
	At      time.Time `json:"at,omitzero"`       // when the state was reached, on the office's clock
}

// Failed reports whether the last update failed: refused or switched back.
func (r UpdateReport) Failed() bool { return r.State == UpdateRefused || r.State == UpdateRolledBack }

// UpdateCheck is the body of POST UpdatePath.
type UpdateCheck struct {
	Office string       `json:"office"`
	Update UpdateReport `json:"update"`
}

// UpdateAnswer is headquarters' answer to an UpdateCheck.
type UpdateAnswer struct {
	// Desired is the version headquarters wants the office to run; empty when it
	// wants nothing in particular.
	Desired string `json:"desired,omitempty"`
	// Release is Desired built for the office's platform; nil when there is none
	// (Note says why).
	Release *OfferedRelease `json:"release,omitempty"`
	Note    string          `json:"note,omitempty"`
}

// OfferedRelease is a release as headquarters offers it: the signed manifest, byte
// for byte (base64 in JSON), and where to fetch the binary.
type OfferedRelease struct {
	Version   string `json:"version"`
	Manifest  []byte `json:"manifest"`
	Signature []byte `json:"signature"`
	Path      string `json:"path"` // ReleasePath + "{version}/{arch}", on headquarters' URL
}

// UpdateEnvelope is what an update request's signature covers besides the body.
type UpdateEnvelope struct {
	Office    string
	Method    string // "POST", "GET"
	Path      string // the request's path, e.g. UpdatePath
	Timestamp int64  // unix seconds
	Nonce     string
	BodyHash  string // hex SHA-256 of the body ("" body for a GET)
}

// SigningString is the version tag, office, method, path, timestamp, nonce and body
// hash, each on its own line.
func (e UpdateEnvelope) SigningString() string {
	return fmt.Sprintf("%s\n%s\n%s\n%s\n%d\n%s\n%s", UpdateSignatureVersion, e.Office, e.Method, e.Path, e.Timestamp, e.Nonce, e.BodyHash)
}

// Sign is the hex HMAC-SHA256 of the envelope under secret.
func (e UpdateEnvelope) Sign(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(e.SigningString()))
	return hex.EncodeToString(m.Sum(nil))
}

// SetHeaders writes the envelope and its signature under secret into h, in the
// headers an ingest batch uses (without its sequence range).
func (e UpdateEnvelope) SetHeaders(h http.Header, secret string) {
	h.Set(HeaderOffice, e.Office)
	h.Set(HeaderTimestamp, strconv.FormatInt(e.Timestamp, 10))
	h.Set(HeaderNonce, e.Nonce)
	h.Set(HeaderBodyHash, e.BodyHash)
	h.Set(HeaderSignature, e.Sign(secret))
}

// ReadUpdateEnvelope parses the envelope of an update request r.
func ReadUpdateEnvelope(r *http.Request) (UpdateEnvelope, error) {
	h := r.Header
	e := UpdateEnvelope{Office: h.Get(HeaderOffice), Method: r.Method, Path: r.URL.Path,
		Nonce: h.Get(HeaderNonce), BodyHash: h.Get(HeaderBodyHash)}
	if e.Office == "" || h.Get(HeaderSignature) == "" {
		return e, refused(http.StatusUnauthorized, ErrorSignature, "permintaan tidak bertanda tangan: header %s dan %s wajib", HeaderOffice, HeaderSignature)
	}
	ts, err := strconv.ParseInt(h.Get(HeaderTimestamp), 10, 64)
	if err != nil {
		return e, refused(http.StatusBadRequest, ErrorBody, "header %s harus bilangan bulat", HeaderTimestamp)
	}
	e.Timestamp = ts
	if len(e.Nonce) < 16 || len(e.Nonce) > 64 {
		return e, refused(http.StatusBadRequest, ErrorBody, "header %s harus 16–64 karakter", HeaderNonce)
	}
	return e, nil
}

// Verify checks the signature under the office's secret, the body as received and
// the timestamp against headquarters' clock (±Window). The nonce is the caller's to
// check.
func (e UpdateEnvelope) Verify(h http.Header, secret string, body []byte, now time.Time) error {
	if !hmac.Equal([]byte(e.Sign(secret)), []byte(h.Get(HeaderSignature))) {
		return refused(http.StatusUnauthorized, ErrorSignature, "tanda tangan permintaan salah: periksa [hq] secret kantor %q sama dengan [[office]] secret di antri-hq", e.Office)
	}
	if !hmac.Equal([]byte(BodyHash(body)), []byte(e.BodyHash)) {
		return refused(http.StatusBadRequest, ErrorBody, "isi permintaan berubah di jalan (hash SHA-256 tidak cocok)")
	}
	skew := now.Sub(time.Unix(e.Timestamp, 0))
	if skew > Window || skew < -Window {
		return refused(http.StatusUnauthorized, ErrorStale, "waktu permintaan %s terlalu jauh dari jam headquarters %s (batas ±%s): periksa jam/NTP kantor",
			time.Unix(e.Timestamp, 0).UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339), Window)
	}
	return nil
}
