package update

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/antri-id/antri/sync/release"
	"github.com/antri-id/antri/sync/wire"
)

// Time limits of the requests: a check is small; a download is tens of megabytes
// over an office link, and one cut off by the limit resumes on the next check.
const (
	checkTimeout    = time.Minute
	downloadTimeout = 30 * time.Minute
)

// Client makes the office's signed update requests to headquarters (docs/SYNC.md,
// "Updates"): the update check and the download of a release binary.
type Client struct {
	URL    string // headquarters' base URL ([hq] url)
	Office string // [office] id
	Secret string // [hq] secret
	HTTP   *http.Client
	Now    func() time.Time // default time.Now

	mu     sync.Mutex
	offset time.Duration // headquarters' clock minus ours, learnt from a stale-timestamp refusal
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// sign sets the headers of an update request with body.
func (c *Client) sign(req *http.Request, body []byte) {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	c.mu.Lock()
	ts := c.now().Add(c.offset).Unix()
	c.mu.Unlock()
	env := wire.UpdateEnvelope{Office: c.Office, Method: req.Method, Path: req.URL.Path, Timestamp: ts,
		Nonce: hex.EncodeToString(nonce), BodyHash: wire.BodyHash(body)}
	env.SetHeaders(req.Header, c.Secret)
}

// send signs and sends a request, signing again once with headquarters' clock when
// it says ours is off (a Pi without a battery clock before NTP).
func (c *Client) send(ctx context.Context, method, path string, body []byte, header http.Header) (*http.Response, error) {
	for try := 0; ; try++ {
		req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.URL, "/")+path, bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("alamat [hq] url tidak valid: %w", err)
		}
		for k, v := range header {
			req.Header[k] = v
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		c.sign(req, body)
		resp, err := c.HTTP.Do(req)
		if err != nil {
			return nil, fmt.Errorf("headquarters tidak terjangkau: %w", err)
		}
		if resp.StatusCode == http.StatusUnauthorized && resp.Header.Get(wire.HeaderError) == wire.ErrorStale && try == 0 {
			if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
				c.mu.Lock()
				c.offset = d.Sub(c.now())
				c.mu.Unlock()
				resp.Body.Close()
				continue
			}
		}
		return resp, nil
	}
}

// answerError is a refusal by headquarters, with its message.
func answerError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(b, &e) == nil && e.Error != "" {
		return fmt.Errorf("headquarters menjawab %s: %s", resp.Status, e.Error)
	}
	return fmt.Errorf("headquarters menjawab %s", resp.Status)
}

// Check sends the office's update report and returns headquarters' answer.
func (c *Client) Check(ctx context.Context, rep wire.UpdateReport) (*wire.UpdateAnswer, error) {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	body, err := json.Marshal(wire.UpdateCheck{Office: c.Office, Update: rep})
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, http.MethodPost, wire.UpdatePath, body, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, answerError(resp)
	}
	var ans wire.UpdateAnswer
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&ans); err != nil {
		return nil, fmt.Errorf("jawaban headquarters rusak: %w", err)
	}
	return &ans, nil
}

// Download fetches the binary at path (an OfferedRelease's) into the file at dst,
// resuming after what dst already holds. size is the manifest's: headquarters holding
// a binary of another size (truncated or replaced there) is a *release.Refusal, and
// no more than size bytes are ever written, so a longer answer cannot fill the card.
// A download cut off returns an error and resumes on the next call.
func (c *Client) Download(ctx context.Context, path, dst string, size int64) error {
	ctx, cancel := context.WithTimeout(ctx, downloadTimeout)
	defer cancel()
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	have, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	if have > size {
		if err := f.Truncate(0); err != nil {
			return err
		}
		have, _ = f.Seek(0, io.SeekStart)
	}
	if have == size {
		return nil // complete: the hash decides
	}
	h := http.Header{}
	if have > 0 {
		h.Set("Range", fmt.Sprintf("bytes=%d-", have))
	}
	resp, err := c.send(ctx, http.MethodGet, path, nil, h)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	total := int64(-1)
	switch resp.StatusCode {
	case http.StatusPartialContent:
		total = rangeTotal(resp.Header.Get("Content-Range"))
	case http.StatusOK: // the whole file after all: start again
		total = resp.ContentLength
		if err := f.Truncate(0); err != nil {
			return err
		}
		if have, err = f.Seek(0, io.SeekStart); err != nil {
			return err
		}
	case http.StatusRequestedRangeNotSatisfiable:
		total = rangeTotal(resp.Header.Get("Content-Range"))
		if err := f.Truncate(0); err != nil {
			return err
		}
	default:
		return answerError(resp)
	}
	if total >= 0 && total != size {
		f.Truncate(0)
		return &release.Refusal{Code: release.RefusedBinary,
			Msg: fmt.Sprintf("headquarters menyimpan biner rilis %d byte, manifest menyebut %d: rilis terpotong atau diganti di headquarters", total, size)}
	}
	if resp.StatusCode == http.StatusRequestedRangeNotSatisfiable {
		return errors.New("bagian unduhan yang tersimpan tidak cocok; diunduh ulang dari awal")
	}
	_, err = io.Copy(f, io.LimitReader(resp.Body, size-have))
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("unduhan terputus (dilanjutkan nanti): %w", err)
	}
	return nil
}

// rangeTotal is the complete length in a Content-Range header ("bytes 0-9/100",
// "bytes */100"), or -1.
func rangeTotal(v string) int64 {
	_, total, ok := strings.Cut(v, "/")
	if !ok {
		return -1
	}
	n, err := strconv.ParseInt(total, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// errNoUpdates is returned by New when updates are not configured.
var errNoUpdates = errors.New("pembaruan tidak aktif: isi [hq] url dan [update] public_keys")
