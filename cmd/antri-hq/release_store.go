package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/antri-id/antri/sync/release"
	"github.com/antri-id/antri/sync/wire"
)

// releaseStore is headquarters' store of releases, of the version it wants each office
// or group to run (rollouts), and of what each office last said of its updates. It
// lives in files under <data>/releases, beside the SQLite store (or whatever
// PostgreSQL holds): release binaries are tens of megabytes that only ever get written
// once and read whole, which a file does best (sendfile, Range), and the rest is a
// few kilobytes.
//
//	releases/<version>/<arch>/antrid            the binary (read-only)
//	releases/<version>/<arch>/manifest.json     its signed manifest, byte for byte
//	releases/<version>/<arch>/manifest.sig      the ed25519 signature
//	releases/rollouts.json                      rollouts
//	releases/offices/<office>.json              each office's last report and its history
//
// Every file is written whole (release.WriteFile): a crash leaves the old or the new.
// One antri-hq process uses the folder at a time.
type releaseStore struct {
	dir string

	mu       sync.Mutex
	loaded   bool
	rollouts rollouts
	offices  map[string]*officeUpdates
}

// rollouts is which version headquarters wants where. An office runs its own
// version if it has one, else its group's, else the version of group "semua".
type rollouts struct {
	Groups  map[string]string `json:"groups"`  // group → version
	Offices map[string]string `json:"offices"` // office id → version
	Changes []rolloutChange   `json:"changes"` // newest last, the last 100
}

// rolloutChange is one change of a rollout, kept for the page.
type rolloutChange struct {
	At      time.Time `json:"at"`
	Group   string    `json:"group,omitempty"`
	Office  string    `json:"office,omitempty"`
	Version string    `json:"version"` // "" when the rollout was withdrawn
}

// everyone is the group every office is in.
const everyone = "semua"

// officeUpdates is what headquarters knows of one office's updates.
type officeUpdates struct {
	LastCheck time.Time         `json:"last_check"` // headquarters' clock
	Report    wire.UpdateReport `json:"report"`
	// History is the office's earlier update states, newest last (the last 20): a
	// failure stays visible after the office has moved on.
	History []wire.UpdateReport `json:"history,omitempty"`
}

// storedRelease is one release binary held.
type storedRelease struct {
	Manifest  *release.Manifest
	Raw, Sig  []byte // the manifest as signed, and its signature
	Binary    string // path of the binary
	Published time.Time
}

var (
	archName = regexp.MustCompile(`^[a-z0-9]{1,16}$`)
	officeID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
)

func newReleaseStore(dir string) *releaseStore { return &releaseStore{dir: dir} }

// load reads rollouts and offices once, creating the folder.
func (st *releaseStore) load() error {
	if st.loaded {
		return nil
	}
	if err := os.MkdirAll(filepath.Join(st.dir, "offices"), 0o750); err != nil {
		return fmt.Errorf("membuat folder rilis %s: %w", st.dir, err)
	}
	st.rollouts = rollouts{Groups: map[string]string{}, Offices: map[string]string{}}
	if err := readJSON(filepath.Join(st.dir, "rollouts.json"), &st.rollouts); err != nil {
		return err
	}
	if st.rollouts.Groups == nil {
		st.rollouts.Groups = map[string]string{}
	}
	if st.rollouts.Offices == nil {
		st.rollouts.Offices = map[string]string{}
	}
	st.offices = map[string]*officeUpdates{}
	ents, err := os.ReadDir(filepath.Join(st.dir, "offices"))
	if err != nil {
		return err
	}
	for _, e := range ents {
		id, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || !officeID.MatchString(id) {
			continue
		}
		var o officeUpdates
		if err := readJSON(filepath.Join(st.dir, "offices", e.Name()), &o); err != nil {
			return err
		}
		st.offices[id] = &o
	}
	st.loaded = true
	return nil
}

// readJSON reads path into v; a missing file leaves v as it is.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s rusak: %w (pulihkan dari cadangan atau hapus berkasnya)", path, err)
	}
	return nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return release.WriteFile(path, append(b, '\n'), 0o640)
}

// errReleaseConflict is a publication of a version and architecture already held
// with other content: a release never changes once offices may have it.
var errReleaseConflict = errors.New("rilis ini sudah diterbitkan dengan isi lain; rilis tidak pernah diganti: terbitkan dengan nomor versi baru")

// add stores a verified release: the manifest and signature as signed, and the
// binary read from body, which must be the manifest's size and hash. Publishing the
// same release again is no change (created false).
func (st *releaseStore) add(m *release.Manifest, raw, sig []byte, body io.Reader) (created bool, err error) {
	dir := filepath.Join(st.dir, m.Version, m.Arch)
	if old, err := os.ReadFile(filepath.Join(dir, "manifest.json")); err == nil {
		oldSig, _ := os.ReadFile(filepath.Join(dir, "manifest.sig"))
		if string(old) == string(raw) && string(oldSig) == string(sig) {
			_, err := io.Copy(io.Discard, io.LimitReader(body, m.Size+1))
			return false, err
		}
		return false, errReleaseConflict
	}
	if err := os.MkdirAll(st.dir, 0o750); err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp(st.dir, ".upload-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(body, m.Size+1))
	if err != nil {
		return false, fmt.Errorf("menerima biner: %w", err)
	}
	if err := m.CheckBinary(n, hex.EncodeToString(h.Sum(nil))); err != nil {
		return false, err
	}
	if err := tmp.Chmod(0o444); err != nil {
		return false, err
	}
	if err := tmp.Sync(); err != nil {
		return false, err
	}
	// The manifest is written last: a release exists once its manifest does.
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return false, err
	}
	if err := release.Rename(tmp.Name(), filepath.Join(dir, "antrid")); err != nil {
		return false, err
	}
	if err := release.WriteFile(filepath.Join(dir, "manifest.sig"), sig, 0o444); err != nil {
		return false, err
	}
	if err := release.WriteFile(filepath.Join(dir, "manifest.json"), raw, 0o444); err != nil {
		return false, err
	}
	return true, nil
}

// get is the release version for arch; ok is false when it is not held.
func (st *releaseStore) get(version, arch string) (storedRelease, bool, error) {
	if !release.ParseVersion(version).Publishable() || !archName.MatchString(arch) {
		return storedRelease{}, false, nil
	}
	dir := filepath.Join(st.dir, version, arch)
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return storedRelease{}, false, nil
	}
	if err != nil {
		return storedRelease{}, false, err
	}
	sig, err := os.ReadFile(filepath.Join(dir, "manifest.sig"))
	if err != nil {
		return storedRelease{}, false, err
	}
	m, err := release.ParseManifest(raw)
	if err != nil {
		return storedRelease{}, false, err
	}
	fi, err := os.Stat(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return storedRelease{}, false, err
	}
	return storedRelease{Manifest: m, Raw: raw, Sig: sig, Binary: filepath.Join(dir, "antrid"), Published: fi.ModTime()}, true, nil
}

// releaseSummary is one version held, for the list.
type releaseSummary struct {
	Version   string    `json:"version"`
	Arches    []string  `json:"arches"`
	Published time.Time `json:"published"`
}

// list is every version held, newest first.
func (st *releaseStore) list() ([]releaseSummary, error) {
	ents, err := os.ReadDir(st.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []releaseSummary
	for _, e := range ents {
		if !e.IsDir() || !release.ParseVersion(e.Name()).Publishable() {
			continue
		}
		arches, err := os.ReadDir(filepath.Join(st.dir, e.Name()))
		if err != nil {
			return nil, err
		}
		sum := releaseSummary{Version: e.Name()}
		for _, a := range arches {
			r, ok, err := st.get(e.Name(), a.Name())
			if err != nil {
				return nil, err
			}
			if ok {
				sum.Arches = append(sum.Arches, a.Name())
				if r.Published.After(sum.Published) {
					sum.Published = r.Published
				}
			}
		}
		if len(sum.Arches) > 0 {
			out = append(out, sum)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return release.Compare(release.ParseVersion(out[i].Version), release.ParseVersion(out[j].Version)) > 0
	})
	return out, nil
}

// setRollout sets (version "" withdraws) the version wanted for a group or an office.
func (st *releaseStore) setRollout(group, office, version string, now time.Time) (rollouts, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.load(); err != nil {
		return rollouts{}, err
	}
	r := st.rollouts
	groups, offices := cloneMap(r.Groups), cloneMap(r.Offices)
	target, key := groups, group
	if office != "" {
		target, key = offices, office
	}
	if version == "" {
		delete(target, key)
	} else {
		target[key] = version
	}
	changes := append(append([]rolloutChange(nil), r.Changes...), rolloutChange{At: now, Group: group, Office: office, Version: version})
	if len(changes) > 100 {
		changes = changes[len(changes)-100:]
	}
	next := rollouts{Groups: groups, Offices: offices, Changes: changes}
	if err := writeJSON(filepath.Join(st.dir, "rollouts.json"), next); err != nil {
		return rollouts{}, err
	}
	st.rollouts = next
	return next, nil
}

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// desired is the version wanted for office in group, and where the wish comes from.
func (st *releaseStore) desired(office, group string) (version, from string, err error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.load(); err != nil {
		return "", "", err
	}
	return st.rollouts.desired(office, group)
}

func (r rollouts) desired(office, group string) (version, from string, err error) {
	if v := r.Offices[office]; v != "" {
		return v, "kantor " + office, nil
	}
	if v := r.Groups[group]; group != "" && v != "" {
		return v, "grup " + group, nil
	}
	if v := r.Groups[everyone]; v != "" {
		return v, "grup " + everyone, nil
	}
	return "", "", nil
}

// report records an office's update report, seen at now. A state that differs from
// the last one (changed) pushes the last one into the history.
func (st *releaseStore) report(office string, rep wire.UpdateReport, now time.Time) (changed bool, err error) {
	if !officeID.MatchString(office) {
		return false, fmt.Errorf("id kantor %q tidak bisa dipakai sebagai nama berkas", office)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.load(); err != nil {
		return false, err
	}
	next := officeUpdates{LastCheck: now, Report: rep}
	old := st.offices[office]
	changed = old == nil || old.Report.State != rep.State || old.Report.Version != rep.Version || old.Report.Running != rep.Running
	if old != nil {
		next.History = old.History
		if old.Report.State != "" && (old.Report.State != rep.State || old.Report.Version != rep.Version) {
			next.History = append(append([]wire.UpdateReport(nil), old.History...), old.Report)
			if len(next.History) > 20 {
				next.History = next.History[len(next.History)-20:]
			}
		}
	}
	if err := writeJSON(filepath.Join(st.dir, "offices", office+".json"), next); err != nil {
		return false, err
	}
	st.offices[office] = &next
	return changed, nil
}

// snapshot is the rollouts and every office's updates, copied.
func (st *releaseStore) snapshot() (rollouts, map[string]officeUpdates, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.load(); err != nil {
		return rollouts{}, nil, err
	}
	offs := make(map[string]officeUpdates, len(st.offices))
	for id, o := range st.offices {
		offs[id] = *o
	}
	return st.rollouts, offs, nil
}
