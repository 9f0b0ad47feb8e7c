package release

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
)

// signedPrefix starts what a release signature covers, before the manifest's bytes: a
// signature made by the same key for anything else is never a release signature.
const signedPrefix = "antri-release-v1\n"

// PublicKey is a release signing key as offices and headquarters configure it:
// [update] public_keys in antrid's config, release_keys in antri-hq's.
type PublicKey struct {
	Key ed25519.PublicKey
	ID  string // KeyID
}

// ParsePublicKey reads a public key written as base64 of its 32 bytes (what
// `antri-hq release keygen` prints).
func ParsePublicKey(s string) (PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return PublicKey{}, fmt.Errorf("kunci publik rilis %q bukan 32 byte ed25519 dalam base64 (keluaran antri-hq release keygen)", s)
	}
	return PublicKey{Key: ed25519.PublicKey(b), ID: KeyID(b)}, nil
}

// ParsePublicKeys reads each of keys; none at all is an error.
func ParsePublicKeys(keys []string) ([]PublicKey, error) {
	if len(keys) == 0 {
		return nil, errors.New("tidak ada kunci publik rilis")
	}
	out := make([]PublicKey, 0, len(keys))
	for _, s := range keys {
		k, err := ParsePublicKey(s)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, nil
}

// String is the key as configured: base64 of its bytes.
func (k PublicKey) String() string { return base64.StdEncoding.EncodeToString(k.Key) }

// KeyID names a public key in manifests and messages: the first 8 bytes of its
// SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:8])
}

// GenerateKey makes a new signing key: the private key as PKCS#8 PEM (the file the
// release manager keeps; `openssl pkey` reads it too) and its public key.
func GenerateKey() (privatePEM []byte, pub PublicKey, err error) {
	pk, sk, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, PublicKey{}, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(sk)
	if err != nil {
		return nil, PublicKey{}, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), PublicKey{Key: pk, ID: KeyID(pk)}, nil
}

// ParsePrivateKey reads a PKCS#8 PEM ed25519 private key.
func ParsePrivateKey(b []byte) (ed25519.PrivateKey, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, errors.New("berkas kunci bukan PEM \"PRIVATE KEY\" (buat dengan antri-hq release keygen)")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("berkas kunci tidak terbaca: %w", err)
	}
	sk, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("berkas kunci berisi kunci %T, bukan ed25519", k)
	}
	return sk, nil
}

// LoadPrivateKey reads the private key file at path, refusing one that others than
// its owner may read (as ssh does): a signing key readable by a group has leaked.
func LoadPrivateKey(path string) (ed25519.PrivateKey, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("membaca kunci rilis: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("kunci rilis %s bisa dibaca orang lain (izin %v): jalankan chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("membaca kunci rilis: %w", err)
	}
	return ParsePrivateKey(b)
}

// Signed is a release's manifest as signed (its exact bytes) and the signature.
type Signed struct {
	Manifest  []byte // JSON of a Manifest
	Signature []byte // ed25519 over signedPrefix + Manifest
}

// Sign fills m's Format and Key and signs it with sk.
func Sign(sk ed25519.PrivateKey, m Manifest) (Signed, error) {
	m.Format = Format1
	m.Key = KeyID(sk.Public().(ed25519.PublicKey))
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Signed{}, err
	}
	raw = append(raw, '\n')
	return Signed{Manifest: raw, Signature: ed25519.Sign(sk, signed(raw))}, nil
}

func signed(manifest []byte) []byte {
	return append([]byte(signedPrefix), manifest...)
}

// Verify checks that one of keys signed the manifest bytes and returns the manifest.
// A manifest that no key signed is refused (RefusedSignature) before it is parsed.
func Verify(keys []PublicKey, manifest, signature []byte) (*Manifest, error) {
	if len(keys) == 0 {
		return nil, refuse(RefusedSignature, "tidak ada kunci publik rilis untuk memeriksa tanda tangan")
	}
	ok := false
	for _, k := range keys {
		if len(signature) == ed25519.SignatureSize && ed25519.Verify(k.Key, signed(manifest), signature) {
			ok = true
			break
		}
	}
	if !ok {
		return nil, refuse(RefusedSignature, "tanda tangan rilis tidak sah untuk kunci yang dipercaya (%s): rilis palsu atau kunci belum dipasang", keyIDs(keys))
	}
	return ParseManifest(manifest)
}

func keyIDs(keys []PublicKey) string {
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	return strings.Join(ids, ", ")
}

// CheckBinary compares a binary's size and hex SHA-256 with the manifest: a
// truncated, padded or altered binary is refused (RefusedBinary).
func (m *Manifest) CheckBinary(size int64, sha256hex string) error {
	if size != m.Size {
		return refuse(RefusedBinary, "biner rilis %s berukuran %d byte, manifest %d: unduhan terpotong atau biner diubah", m.Version, size, m.Size)
	}
	if !strings.EqualFold(sha256hex, m.SHA256) {
		return refuse(RefusedBinary, "SHA-256 biner rilis %s tidak sama dengan manifest: biner diubah", m.Version)
	}
	return nil
}
