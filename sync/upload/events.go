package upload

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/antri-id/antri/sync/wire"
)

// maxEventsAnswer bounds what the office reads of one answer (headquarters sends at most
// 4 MiB of event JSON per page, which gzip shrinks).
const maxEventsAnswer = 16 << 20

// Events asks headquarters for the office's own events after sequence after, one page of
// at most wire.MaxEventsPage (antrid restore). The answer must be signed by headquarters
// under the office's secret for this very request; its events are those headquarters
// holds without a gap, in order. An empty page means there is nothing more.
func (u *Uploader) Events(ctx context.Context, after int64) (*wire.EventsPage, error) {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	body := []byte{}
	env := wire.Envelope{Version: wire.EventsVersion, Office: u.o.Office, From: after + 1, To: after + wire.MaxEventsPage,
		Timestamp: u.o.Now().Add(u.offsetNow()).Unix(), Nonce: hex.EncodeToString(nonce), BodyHash: wire.BodyHash(body)}
	url := strings.TrimSuffix(u.o.URL, "/") + wire.EventsPath(u.o.Office)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("alamat [hq] url tidak valid: %w", err)
	}
	env.SetHeaders(req.Header, u.o.Secret)
	// Asked for explicitly, the gzip body is not inflated by the transport: the signature
	// covers the bytes as sent.
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := u.o.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("headquarters tidak terjangkau: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxEventsAnswer))
	if err != nil {
		return nil, fmt.Errorf("jawaban headquarters terputus: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		if resp.StatusCode == http.StatusUnauthorized && resp.Header.Get(wire.HeaderError) == wire.ErrorStale {
			if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
				u.setOffset(d.Sub(u.o.Now())) // a Pi without its clock yet: sign with headquarters' time
			}
		}
		return nil, &StatusError{Status: resp.StatusCode, Code: resp.Header.Get(wire.HeaderError),
			Msg: fmt.Sprintf("headquarters menjawab %s: %s", resp.Status, errorText(raw))}
	}
	if _, _, err := wire.CheckReply(resp.Header, env, raw, u.o.Secret); err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("jawaban headquarters bukan gzip: %w", err)
	}
	var page wire.EventsPage
	if err := json.NewDecoder(io.LimitReader(zr, maxEventsAnswer)).Decode(&page); err != nil {
		return nil, fmt.Errorf("jawaban headquarters tidak terbaca: %w", err)
	}
	if page.Office != u.o.Office {
		return nil, fmt.Errorf("headquarters mengirim event kantor %q, bukan %q", page.Office, u.o.Office)
	}
	return &page, nil
}

// StatusError is an answer of headquarters other than 200; Code is its X-Antri-Error.
type StatusError struct {
	Status int
	Code   string
	Msg    string
}

func (e *StatusError) Error() string { return e.Msg }

func (u *Uploader) offsetNow() time.Duration {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.offset
}

func (u *Uploader) setOffset(d time.Duration) {
	u.mu.Lock()
	u.offset = d
	u.mu.Unlock()
}
