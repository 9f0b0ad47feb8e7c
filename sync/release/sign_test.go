package release_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/sync/release"
)

func newKey(t *testing.T) (ed25519.PrivateKey, release.PublicKey) {
	t.Helper()
	pemBytes, pub, err := release.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	sk, err := release.ParsePrivateKey(pemBytes)
	if err != nil {
		t.Fatal(err)
	}
	return sk, pub
}

func manifest(version string) release.Manifest {
	return release.Manifest{Product: release.Product, Version: version, OS: "linux", Arch: "arm64",
		Size: 1000, SHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		Schema: 5, Migrations: []queue.Migration{{Version: 1, OldestReader: 1}, {Version: 5, OldestReader: 5}}}
}

func refusal(err error) string {
	var r *release.Refusal
	if errors.As(err, &r) {
		return r.Code
	}
	return ""
}

func TestSignedManifestVerifies(t *testing.T) {
	sk, pub := newKey(t)
	_, other := newKey(t)
	s, err := release.Sign(sk, manifest("2.0.0"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := release.Verify([]release.PublicKey{other, pub}, s.Manifest, s.Signature)
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != "2.0.0" || m.Key != pub.ID || m.Format != release.Format1 {
		t.Errorf("verified manifest %+v", m)
	}
	// The key as configured round-trips.
	if k, err := release.ParsePublicKey(pub.String()); err != nil || !k.Key.Equal(pub.Key) || k.ID != pub.ID {
		t.Errorf("ParsePublicKey(%q) = %v, %v", pub.String(), k, err)
	}
}

func TestForgedReleasesAreRefused(t *testing.T) {
	sk, pub := newKey(t)
	rogue, _ := newKey(t)
	s, err := release.Sign(sk, manifest("2.0.0"))
	if err != nil {
		t.Fatal(err)
	}
	byRogue, _ := release.Sign(rogue, manifest("2.0.0"))
	altered := bytes.Replace(s.Manifest, []byte(`"2.0.0"`), []byte(`"9.0.0"`), 1)
	// A signature by the right key over other bytes (here: without the release prefix)
	// is not a release signature.
	bare := ed25519.Sign(sk, s.Manifest)
	for name, c := range map[string]release.Signed{
		"another key":          byRogue,
		"manifest altered":     {Manifest: altered, Signature: s.Signature},
		"signature truncated":  {Manifest: s.Manifest, Signature: s.Signature[:40]},
		"no signature":         {Manifest: s.Manifest},
		"signed without label": {Manifest: s.Manifest, Signature: bare},
	} {
		if _, err := release.Verify([]release.PublicKey{pub}, c.Manifest, c.Signature); refusal(err) != release.RefusedSignature {
			t.Errorf("%s: Verify = %v, want a signature refusal", name, err)
		}
	}
	if _, err := release.Verify(nil, s.Manifest, s.Signature); refusal(err) != release.RefusedSignature {
		t.Errorf("no keys: Verify = %v, want a signature refusal", err)
	}
}

func TestManifestOfAnUnknownFormatIsRefused(t *testing.T) {
	sk, pub := newKey(t)
	s, _ := release.Sign(sk, manifest("2.0.0"))
	later := bytes.Replace(s.Manifest, []byte(`"format": 1`), []byte(`"format": 2`), 1)
	sig := ed25519.Sign(sk, append([]byte("antri-release-v1\n"), later...))
	if _, err := release.Verify([]release.PublicKey{pub}, later, sig); refusal(err) != release.RefusedManifest {
		t.Errorf("format 2: Verify = %v, want a manifest refusal", err)
	}
}

func TestCheckAgainstTheOffice(t *testing.T) {
	office := release.Office{Version: "1.0.0", OS: "linux", Arch: "arm64", Schema: 5}
	with := func(version string, edit func(*release.Manifest)) *release.Manifest {
		m := manifest(version)
		m.Format = release.Format1
		if edit != nil {
			edit(&m)
		}
		return &m
	}
	for name, c := range map[string]struct {
		m    *release.Manifest
		want string
	}{
		"newer":             {with("1.1.0", nil), ""},
		"pre-release":       {with("1.1.0-rc.1", nil), ""},
		"same version":      {with("1.0.0", nil), release.RefusedOlder},
		"older":             {with("0.9.0", nil), release.RefusedOlder},
		"older pre-release": {with("1.0.0-rc.2", nil), release.RefusedOlder},
		"dev build":         {with("1.1.0-3-gabc1234", nil), release.RefusedManifest},
		"other arch":        {with("1.1.0", func(m *release.Manifest) { m.Arch = "armv7" }), release.RefusedPlatform},
		"readable migration": {with("1.1.0", func(m *release.Manifest) {
			m.Migrations = append(m.Migrations, queue.Migration{Version: 6, OldestReader: 5})
			m.Schema = 6
		}), ""},
		"unreadable migration": {with("1.1.0", func(m *release.Manifest) {
			m.Migrations = append(m.Migrations, queue.Migration{Version: 6, OldestReader: 5}, queue.Migration{Version: 7, OldestReader: 7})
			m.Schema = 7
		}), release.RefusedSchema},
		"no hash": {with("1.1.0", func(m *release.Manifest) { m.SHA256 = "" }), release.RefusedManifest},
	} {
		err := c.m.Check(office)
		if refusal(err) != c.want || (c.want == "") != (err == nil) {
			t.Errorf("%s: Check = %v, want %q", name, err, c.want)
		}
	}
	// A development build at the office takes any release.
	if err := with("0.1.0", nil).Check(release.Office{Version: "dev", OS: "linux", Arch: "arm64", Schema: 5}); err != nil {
		t.Errorf("release over a dev build: %v", err)
	}
}

func TestCheckBinary(t *testing.T) {
	m := manifest("2.0.0")
	if err := m.CheckBinary(m.Size, m.SHA256); err != nil {
		t.Error(err)
	}
	if err := m.CheckBinary(m.Size-1, m.SHA256); refusal(err) != release.RefusedBinary {
		t.Errorf("truncated: %v", err)
	}
	if err := m.CheckBinary(m.Size, "ff"+m.SHA256[2:]); refusal(err) != release.RefusedBinary {
		t.Errorf("altered: %v", err)
	}
}

func TestPrivateKeyReadableByOthersIsRefused(t *testing.T) {
	pemBytes, _, err := release.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "release.key")
	if err := os.WriteFile(path, pemBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := release.LoadPrivateKey(path); err == nil {
		t.Error("a key file readable by others was accepted")
	}
	os.Chmod(path, 0o600)
	if _, err := release.LoadPrivateKey(path); err != nil {
		t.Error(err)
	}
}
