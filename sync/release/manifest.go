// Package release is what a release of antrid is, for the three places that handle
// one: the release manager's machine that signs it (`antri-hq release sign`),
// headquarters that stores and hands it out (antri-hq), and the office whose updater
// installs it (package sync/update).
//
// A release is one antrid binary (its pages and voice clips are embedded in it) for
// one operating system and architecture, described by a Manifest (version, size,
// SHA-256, the migrations it applies) and an ed25519 signature over the manifest
// (crypto/ed25519). The private key never leaves the release manager's machine;
// offices and headquarters hold only public keys. The manifest binds the binary by its
// hash, so a verified manifest and a binary of that hash are the release; anything
// else — a forged or reused signature, a truncated or altered binary, another
// architecture, an older version, migrations the running version could not read after
// a switch back — is refused (Check).
//
// docs/FLEET.md describes the whole flow; docs/SYNC.md the requests.
package release

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/antri-id/antri/queue"
)

// Product names what a manifest releases.
const Product = "antrid"

// Format1 is the manifest format this package writes and reads.
const Format1 = 1

// Manifest describes one release binary. Its JSON, byte for byte, is what the
// signature covers; a reader parses it only after the signature is verified.
type Manifest struct {
	// Format is the manifest's format, Format1. A reader refuses a higher one: it may
	// carry a rule the reader does not know to obey. Fields a reader does not know are
	// otherwise ignored, so a later release can add facts without shutting out the
	// offices that must install it.
	Format  int    `json:"format"`
	Product string `json:"product"` // Product
	Version string `json:"version"` // as the binary reports it (`antrid version`)
	OS      string `json:"os"`      // GOOS: "linux"
	Arch    string `json:"arch"`    // Arch of the binary: "arm64", "armv7", "amd64"
	Size    int64  `json:"size"`    // bytes of the binary
	SHA256  string `json:"sha256"`  // hex SHA-256 of the binary
	// Schema is the newest migration the binary applies to an office database, and
	// Migrations all of them with the oldest program that can still use the database
	// after each (queue.Migration).
	Schema     int               `json:"schema"`
	Migrations []queue.Migration `json:"migrations"`
	SignedAt   time.Time         `json:"signed_at"`
	Key        string            `json:"key"` // KeyID of the key that signed it
}

// Info is what a binary says of itself (`antrid release-info`): the part of a
// manifest that comes from the program rather than from its file. The signing tool
// takes it from the binary where it can run it, and the office's updater asks the
// downloaded binary before switching to it, so a manifest that does not describe its
// binary is caught before an office runs it.
type Info struct {
	Product    string            `json:"product"`
	Version    string            `json:"version"`
	OS         string            `json:"os"`
	Arch       string            `json:"arch"`
	Schema     int               `json:"schema"`
	Migrations []queue.Migration `json:"migrations"`
}

// Running is the Info of this program, built as version.
func Running(version string) Info {
	ms := queue.Migrations()
	return Info{Product: Product, Version: version, OS: runtime.GOOS, Arch: RunningArch(),
		Schema: ms[len(ms)-1].Version, Migrations: ms}
}

// RunningArch is this program's architecture as manifests name it.
func RunningArch() string {
	goarm := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		goarm = setting(bi, "GOARM")
	}
	return archName(runtime.GOARCH, goarm)
}

// archName is GOARCH, with the ARM version for 32-bit ARM ("armv7"): an armv6 build
// runs on an armv7 board but not the other way round, so they are different releases.
func archName(goarch, goarm string) string {
	if goarch == "arm" {
		if goarm == "" {
			goarm = "7"
		}
		goarm, _, _ = strings.Cut(goarm, ",") // "7,softfloat"
		return "armv" + goarm
	}
	return goarch
}

func setting(bi *debug.BuildInfo, key string) string {
	for _, s := range bi.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

// Matches reports how m differs from what its binary says of itself; nil when it
// describes it.
func (m *Manifest) Matches(i Info) error {
	switch {
	case m.Product != i.Product:
		return fmt.Errorf("biner adalah %q, manifest menyebut %q", i.Product, m.Product)
	case m.Version != i.Version:
		return fmt.Errorf("biner melaporkan versi %q, manifest menyebut %q", i.Version, m.Version)
	case m.OS != i.OS || m.Arch != i.Arch:
		return fmt.Errorf("biner untuk %s/%s, manifest menyebut %s/%s", i.OS, i.Arch, m.OS, m.Arch)
	case m.Schema != i.Schema || !sameMigrations(m.Migrations, i.Migrations):
		return fmt.Errorf("migrasi biner (sampai %d) tidak sama dengan manifest (sampai %d)", i.Schema, m.Schema)
	}
	return nil
}

func sameMigrations(a, b []queue.Migration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Office is what an office's updater checks a release against: what it runs now.
type Office struct {
	Version string // the running antrid's version
	OS      string
	Arch    string
	// Schema is the newest migration the running program knows: after a switch back
	// it must still use the database the release migrated.
	Schema int
}

// Refusal is why an office does not install a release. Code is stable (for
// headquarters' lists and the tests), Msg says it in Indonesian.
type Refusal struct {
	Code string
	Msg  string
}

func (r *Refusal) Error() string { return r.Msg }

// Refusal codes.
const (
	RefusedSignature = "signature" // no configured key signed this manifest
	RefusedManifest  = "manifest"  // the manifest is not one (product, fields)
	RefusedPlatform  = "platform"  // another OS or architecture
	RefusedOlder     = "older"     // not newer than the running version
	RefusedSchema    = "schema"    // migrations the running version could not use after a switch back
	RefusedBinary    = "binary"    // the binary's size or hash differs from the manifest (truncated, altered)
	RefusedSelf      = "self"      // the binary does not describe itself as the manifest does
)

func refuse(code, format string, args ...any) *Refusal {
	return &Refusal{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// Check decides whether an office may install the release m (already verified):
// its platform, a version newer than the running one, and migrations the running
// version can still use, so that a switch back after a failed start loses nothing.
func (m *Manifest) Check(o Office) error {
	if m.Product != Product || m.Size <= 0 || len(m.SHA256) != 64 || m.Schema < 1 {
		return refuse(RefusedManifest, "manifest rilis tidak lengkap (produk %q, ukuran %d)", m.Product, m.Size)
	}
	if m.OS != o.OS || m.Arch != o.Arch {
		return refuse(RefusedPlatform, "rilis %s untuk %s/%s, perangkat ini %s/%s", m.Version, m.OS, m.Arch, o.OS, o.Arch)
	}
	if !ParseVersion(m.Version).Publishable() {
		return refuse(RefusedManifest, "versi rilis %q bukan versi rilis (contoh 1.4.0 atau 1.4.0-rc.1)", m.Version)
	}
	if Compare(ParseVersion(m.Version), ParseVersion(o.Version)) <= 0 {
		return refuse(RefusedOlder, "rilis %s tidak lebih baru dari versi yang berjalan %s: versi lama tidak dipasang (untuk kembali, terbitkan kode lama dengan nomor versi baru)", m.Version, o.Version)
	}
	for _, mg := range m.Migrations {
		if mg.Version > o.Schema && mg.OldestReader > o.Schema {
			return refuse(RefusedSchema, "rilis %s membawa migrasi %d yang tidak bisa dibaca versi %s (skema %d) bila pembaruan dibatalkan; pasang dulu rilis antara yang mengenal migrasi %d",
				m.Version, mg.Version, o.Version, o.Schema, mg.OldestReader)
		}
	}
	return nil
}

// ParseManifest reads a manifest's JSON (call it only on a verified one: Verify does).
func ParseManifest(raw []byte) (*Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&m); err != nil {
		return nil, refuse(RefusedManifest, "manifest rilis tidak terbaca: %v", err)
	}
	if dec.More() {
		return nil, refuse(RefusedManifest, "manifest rilis berisi lebih dari satu objek")
	}
	if m.Format != Format1 {
		return nil, refuse(RefusedManifest, "format manifest %d tidak dikenal program ini (mengenal %d): pasang dulu rilis yang lebih baru dengan cara lain", m.Format, Format1)
	}
	return &m, nil
}
