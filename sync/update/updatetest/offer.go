package updatetest

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/antri-id/antri/sync/release"
	"github.com/antri-id/antri/sync/wire"
)

// Offer is a stand-in headquarters for the tests of the updater and of its admin
// page: it offers one release (or none) to whoever checks and records their reports.
// It checks no signature; the real antri-hq is tested in cmd/antri-hq.
type Offer struct {
	URL     string
	Reports chan wire.UpdateReport // the last 100 reports, for a test to read

	answer atomic.Pointer[wire.UpdateAnswer]
	binary atomic.Pointer[[]byte]
	gets   atomic.Int32
}

// NewOffer serves an Offer until the test ends.
func NewOffer(t testing.TB) *Offer {
	o := &Offer{Reports: make(chan wire.UpdateReport, 100)}
	o.answer.Store(&wire.UpdateAnswer{})
	o.binary.Store(new([]byte))
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == wire.UpdatePath:
			var c wire.UpdateCheck
			json.NewDecoder(r.Body).Decode(&c)
			select {
			case o.Reports <- c.Update:
			default:
			}
			json.NewEncoder(w).Encode(o.answer.Load())
		case strings.HasPrefix(r.URL.Path, wire.ReleasePath):
			o.gets.Add(1)
			http.ServeContent(w, r, "antrid", time.Time{}, strings.NewReader(string(*o.binary.Load())))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(hs.Close)
	o.URL = hs.URL
	return o
}

// Release offers the binary at path, with a manifest of it (as the binary
// describes itself, edited by edit when not nil) signed by sk.
func (o *Offer) Release(t testing.TB, sk ed25519.PrivateKey, path string, edit func(*release.Manifest)) {
	t.Helper()
	f, err := release.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := release.AskBinary(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	m := release.Manifest{Product: release.Product, Version: info.Version, OS: f.OS, Arch: f.Arch, Size: f.Size,
		SHA256: f.SHA256, Schema: info.Schema, Migrations: info.Migrations}
	if edit != nil {
		edit(&m)
	}
	s, err := release.Sign(sk, m)
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	o.binary.Store(&bin)
	o.answer.Store(&wire.UpdateAnswer{Desired: m.Version, Release: &wire.OfferedRelease{Version: m.Version,
		Manifest: s.Manifest, Signature: s.Signature, Path: wire.ReleasePath + m.Version + "/" + m.Arch}})
}

// Binary is the binary offered.
func (o *Offer) Binary() []byte { return *o.binary.Load() }

// Downloads counts the requests for the binary.
func (o *Offer) Downloads() int { return int(o.gets.Load()) }

// Key is a new release signing key.
func Key(t testing.TB) (ed25519.PrivateKey, release.PublicKey) {
	t.Helper()
	pemKey, pub, err := release.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	sk, err := release.ParsePrivateKey(pemKey)
	if err != nil {
		t.Fatal(err)
	}
	return sk, pub
}
