package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/antri-id/antri/queue/httpjson"
	"github.com/antri-id/antri/sync/release"
	"github.com/antri-id/antri/sync/wire"
)

// Headers of a publication (PUT /api/v1/releases/{version}/{arch}): the body is the
// binary, these carry its signed manifest and signature, base64.
const (
	headerManifest         = "X-Antri-Release-Manifest"
	headerReleaseSignature = "X-Antri-Release-Signature"
)

// transferTime bounds one upload or download of a release binary.
const transferTime = 30 * time.Minute

// maxUpdateCheck bounds an office's update check body: a report is a few hundred bytes.
const maxUpdateCheck = 64 << 10

// releases is headquarters' part of updates (docs/FLEET.md): releases published by the
// release manager, rollouts, the offices' update checks and downloads, and the page
// that shows how each office's updates went.
type releases struct {
	s      *server
	store  *releaseStore
	keys   []release.PublicKey // release_keys: a publication signed by none is refused
	groups map[string]string   // office id → its [[office]] group
	seen   *nonceCache
}

// releaseRoutes adds the routes of releases to mux.
//
//	PUT  /api/v1/releases/{version}/{arch}  admin  publish a signed release
//	GET  /api/v1/releases                    admin  releases held and rollouts
//	POST /api/v1/rollouts                    admin  {"version", "group"|"office"}
//	GET  /api/v1/updates                     admin  each office's update state, failures first
//	GET  /updates                            admin  the same as a page
//	POST /api/v1/update                      office's signature: report, answered with the release wanted
//	GET  /api/v1/update/release/{v}/{arch}   office's signature: the binary
func (s *server) releaseRoutes(mux *http.ServeMux) {
	rs := &releases{s: s, store: newReleaseStore(filepath.Join(s.cfg.Data, "releases")), groups: map[string]string{}, seen: newNonceCache()}
	rs.keys, _ = s.cfg.releaseKeys() // checked when the config was read
	for _, o := range s.cfg.Offices {
		rs.groups[o.ID] = o.Group
	}
	mux.HandleFunc("PUT /api/v1/releases/{version}/{arch}", s.admin(rs.publish))
	mux.HandleFunc("GET /api/v1/releases", s.admin(rs.list))
	mux.HandleFunc("POST /api/v1/rollouts", s.admin(rs.rollout))
	mux.HandleFunc("GET /api/v1/updates", s.admin(rs.updates))
	mux.HandleFunc("GET /updates", rs.page)
	mux.HandleFunc("POST "+wire.UpdatePath, rs.check)
	mux.HandleFunc("GET "+wire.ReleasePath+"{version}/{arch}", rs.download)
}

// publish is PUT /api/v1/releases/{version}/{arch}: verify the manifest against
// release_keys, then store the binary if it is the manifest's.
func (rs *releases) publish(w http.ResponseWriter, r *http.Request) {
	if len(rs.keys) == 0 {
		httpjson.Error(w, http.StatusConflict, "antri-hq belum punya release_keys: isi kunci publik rilis di konfigurasi antri-hq sebelum menerbitkan")
		return
	}
	raw, err1 := base64.StdEncoding.DecodeString(r.Header.Get(headerManifest))
	sig, err2 := base64.StdEncoding.DecodeString(r.Header.Get(headerReleaseSignature))
	if err1 != nil || err2 != nil || len(raw) == 0 {
		httpjson.Error(w, http.StatusBadRequest, "header "+headerManifest+" dan "+headerReleaseSignature+" wajib, base64 (pakai antri-hq release publish)")
		return
	}
	m, err := release.Verify(rs.keys, raw, sig)
	if err != nil {
		httpjson.Error(w, http.StatusForbidden, err.Error())
		return
	}
	version, arch := r.PathValue("version"), r.PathValue("arch")
	// A release is tens of megabytes, over whatever link the release manager has: more
	// than the minute antri-hq gives any other request. Only the admin gets here.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(transferTime))
	switch {
	case m.Version != version || m.Arch != arch:
		httpjson.Error(w, http.StatusBadRequest, "manifest untuk "+m.Version+"/"+m.Arch+", alamat menyebut "+version+"/"+arch)
		return
	case m.Product != release.Product || !release.ParseVersion(m.Version).Publishable() || !archName.MatchString(m.Arch):
		httpjson.Error(w, http.StatusBadRequest, "manifest bukan rilis antrid yang bisa diterbitkan (versi "+m.Version+")")
		return
	}
	created, err := rs.store.add(m, raw, sig, r.Body)
	var ref *release.Refusal
	switch {
	case errors.Is(err, errReleaseConflict):
		httpjson.Error(w, http.StatusConflict, err.Error())
		return
	case errors.As(err, &ref):
		httpjson.Error(w, http.StatusBadRequest, err.Error())
		return
	case err != nil:
		rs.s.log.Error("menyimpan rilis", "version", version, "arch", arch, "err", err)
		httpjson.Error(w, http.StatusInternalServerError, "menyimpan rilis gagal: "+err.Error())
		return
	}
	code := http.StatusOK
	if created {
		code = http.StatusCreated
		rs.s.log.Info("rilis diterbitkan", "version", version, "arch", arch, "key", m.Key, "sha256", m.SHA256)
	}
	httpjson.Write(w, code, map[string]any{"version": m.Version, "arch": m.Arch, "sha256": m.SHA256, "created": created})
}

// list is GET /api/v1/releases.
func (rs *releases) list(w http.ResponseWriter, r *http.Request) {
	held, err := rs.store.list()
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, "membaca rilis: "+err.Error())
		return
	}
	ro, _, err := rs.store.snapshot()
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, "membaca rollout: "+err.Error())
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"releases": held, "rollouts": ro})
}

// rolloutRequest is the body of POST /api/v1/rollouts: the version (empty to
// withdraw) wanted for a group (every office of [[office]] group, or "semua") or for
// one office.
type rolloutRequest struct {
	Version string `json:"version"`
	Group   string `json:"group,omitempty"`
	Office  string `json:"office,omitempty"`
}

func (rs *releases) rollout(w http.ResponseWriter, r *http.Request) {
	var req rolloutRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, httpjson.MaxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		httpjson.Error(w, http.StatusBadRequest, "isi tidak valid: "+err.Error()+`; contoh {"version":"1.4.0","group":"pilot"}`)
		return
	}
	if (req.Group == "") == (req.Office == "") {
		httpjson.Error(w, http.StatusBadRequest, `sebut salah satu: "group" (nama grup atau "semua") atau "office"`)
		return
	}
	if req.Office != "" {
		if _, ok := rs.s.secrets[req.Office]; !ok {
			httpjson.Error(w, http.StatusNotFound, "kantor "+req.Office+" tidak terdaftar di konfigurasi antri-hq")
			return
		}
	} else if !rs.groupExists(req.Group) {
		httpjson.Error(w, http.StatusNotFound, "grup "+req.Group+" tidak dipakai kantor mana pun ([[office]] group); grup semua berlaku untuk semua kantor")
		return
	}
	if req.Version != "" {
		held, err := rs.store.list()
		if err != nil {
			httpjson.Error(w, http.StatusInternalServerError, "membaca rilis: "+err.Error())
			return
		}
		found := false
		for _, h := range held {
			found = found || h.Version == req.Version
		}
		if !found {
			httpjson.Error(w, http.StatusNotFound, "rilis "+req.Version+" belum diterbitkan; terbitkan dulu dengan antri-hq release publish")
			return
		}
	}
	ro, err := rs.store.setRollout(req.Group, req.Office, req.Version, rs.s.now())
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, "menyimpan rollout: "+err.Error())
		return
	}
	rs.s.log.Info("rollout diubah", "group", req.Group, "office", req.Office, "version", req.Version)
	httpjson.Write(w, http.StatusOK, ro)
}

func (rs *releases) groupExists(g string) bool {
	if g == everyone {
		return true
	}
	for _, og := range rs.groups {
		if og == g {
			return true
		}
	}
	return false
}

// officeUpdateRow is one office in GET /api/v1/updates and on the page.
type officeUpdateRow struct {
	ID        string              `json:"id"`
	Name      string              `json:"name,omitempty"`
	Group     string              `json:"group,omitempty"`
	Desired   string              `json:"desired,omitempty"`
	LastCheck time.Time           `json:"last_check,omitzero"`
	Update    *wire.UpdateReport  `json:"update"` // null: never checked in
	History   []wire.UpdateReport `json:"history,omitempty"`
	Failed    bool                `json:"failed"` // the last update was refused or switched back
	Behind    bool                `json:"behind"` // runs another version than Desired
}

// updateRows is every configured office's update state: failures first, then those
// not yet on the version wanted, then by id.
func (rs *releases) updateRows() ([]officeUpdateRow, rollouts, error) {
	ro, offs, err := rs.store.snapshot()
	if err != nil {
		return nil, ro, err
	}
	var rows []officeUpdateRow
	for _, o := range rs.s.cfg.Offices {
		row := officeUpdateRow{ID: o.ID, Name: o.Name, Group: o.Group}
		row.Desired, _, _ = ro.desired(o.ID, o.Group)
		if u, ok := offs[o.ID]; ok {
			rep := u.Report
			row.Update, row.LastCheck, row.History = &rep, u.LastCheck, u.History
			row.Failed = rep.Failed()
			row.Behind = row.Desired != "" && rep.Running != row.Desired
		} else {
			row.Behind = row.Desired != ""
		}
		rows = append(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Failed != b.Failed {
			return a.Failed
		}
		if a.Behind != b.Behind {
			return a.Behind
		}
		return a.ID < b.ID
	})
	return rows, ro, nil
}

// updates is GET /api/v1/updates.
func (rs *releases) updates(w http.ResponseWriter, r *http.Request) {
	rows, ro, err := rs.updateRows()
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, "membaca status pembaruan: "+err.Error())
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"offices": rows, "rollouts": ro})
}

// check is POST /api/v1/update: an office's update report, signed with its secret,
// answered with the release headquarters wants it to run.
func (rs *releases) check(w http.ResponseWriter, r *http.Request) {
	office, body, ok := rs.authenticate(w, r, maxUpdateCheck)
	if !ok {
		return
	}
	if !rs.seen.add(office, r.Header.Get(wire.HeaderNonce), rs.s.now()) {
		rs.refuse(w, &wire.RefusedError{Status: http.StatusConflict, Code: wire.ErrorReplay, Msg: "permintaan ini sudah pernah diterima (nonce sama): kiriman ulang ditolak"})
		return
	}
	var c wire.UpdateCheck
	if err := json.Unmarshal(body, &c); err != nil || c.Office != office {
		rs.refuse(w, &wire.RefusedError{Status: http.StatusBadRequest, Code: wire.ErrorBody, Msg: "isi pemeriksaan pembaruan tidak valid atau untuk kantor lain"})
		return
	}
	changed, err := rs.store.report(office, c.Update, rs.s.now())
	if err != nil {
		rs.s.log.Error("menyimpan laporan pembaruan", "office", office, "err", err)
		httpjson.Error(w, http.StatusServiceUnavailable, "headquarters gagal menyimpan laporan pembaruan; kantor akan mengirim ulang")
		return
	}
	if changed {
		level := slog.LevelInfo
		if c.Update.Failed() {
			level = slog.LevelWarn
		}
		rs.s.log.Log(r.Context(), level, "status pembaruan kantor", "office", office, "running", c.Update.Running,
			"state", c.Update.State, "version", c.Update.Version, "code", c.Update.Code, "reason", c.Update.Reason)
	}
	desired, from, err := rs.store.desired(office, rs.groups[office])
	if err != nil {
		httpjson.Error(w, http.StatusServiceUnavailable, "membaca rollout: "+err.Error())
		return
	}
	ans := wire.UpdateAnswer{Desired: desired}
	if desired != "" {
		rel, ok, err := rs.store.get(desired, c.Update.Arch)
		switch {
		case err != nil:
			httpjson.Error(w, http.StatusServiceUnavailable, "membaca rilis: "+err.Error())
			return
		case !ok || rel.Manifest.OS != c.Update.OS:
			ans.Note = "rilis " + desired + " (" + from + ") belum diterbitkan untuk " + c.Update.OS + "/" + c.Update.Arch
		default:
			ans.Release = &wire.OfferedRelease{Version: desired, Manifest: rel.Raw, Signature: rel.Sig,
				Path: wire.ReleasePath + desired + "/" + c.Update.Arch}
		}
	}
	httpjson.Write(w, http.StatusOK, ans)
}

// download is GET /api/v1/update/release/{version}/{arch}: the binary, for an office
// (its signature), with Range so that a download cut off resumes.
func (rs *releases) download(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := rs.authenticate(w, r, 0); !ok {
		return
	}
	rel, ok, err := rs.store.get(r.PathValue("version"), r.PathValue("arch"))
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, "membaca rilis: "+err.Error())
		return
	}
	if !ok {
		httpjson.Error(w, http.StatusNotFound, "rilis tidak ada")
		return
	}
	f, err := os.Open(rel.Binary)
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, "membaca biner rilis: "+err.Error())
		return
	}
	defer f.Close()
	// An office on a slow link takes longer than antri-hq's usual write timeout; one
	// that is cut off anyway resumes with Range.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(transferTime))
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(w, r, "antrid", rel.Published, f)
}

// authenticate checks an office's signature on r, reading at most limit bytes of
// body, and answers the refusal itself (ok false).
func (rs *releases) authenticate(w http.ResponseWriter, r *http.Request, limit int64) (office string, body []byte, ok bool) {
	env, err := wire.ReadUpdateEnvelope(r)
	if err != nil {
		rs.refuse(w, err)
		return "", nil, false
	}
	secret, known := rs.s.secrets[env.Office]
	if !known {
		rs.refuse(w, &wire.RefusedError{Status: http.StatusForbidden, Code: wire.ErrorOffice, Msg: "kantor " + env.Office + " tidak terdaftar di antri-hq"})
		return "", nil, false
	}
	body, err = io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil || int64(len(body)) > limit {
		rs.refuse(w, &wire.RefusedError{Status: http.StatusRequestEntityTooLarge, Code: wire.ErrorBody, Msg: "isi permintaan terlalu besar atau terputus"})
		return "", nil, false
	}
	if err := env.Verify(r.Header, secret, body, rs.s.now()); err != nil {
		rs.refuse(w, err)
		return "", nil, false
	}
	return env.Office, body, true
}

// refuse answers a refusal as ingest does: the status, {"error"} and X-Antri-Error;
// a stale timestamp carries headquarters' clock in Date.
func (rs *releases) refuse(w http.ResponseWriter, err error) {
	var re *wire.RefusedError
	if !errors.As(err, &re) {
		httpjson.Error(w, http.StatusInternalServerError, err.Error())
		return
	}
	if re.Code == wire.ErrorStale {
		w.Header().Set("Date", rs.s.now().UTC().Format(http.TimeFormat))
	}
	w.Header().Set(wire.HeaderError, re.Code)
	httpjson.Error(w, re.Status, re.Msg)
}

// nonceCache remembers the nonces of update checks for twice the signature window,
// after which the timestamp check refuses their requests anyway. It is in memory: an
// update check replayed within minutes of a restart of antri-hq is accepted once,
// which records an office report minutes old and hands out nothing the office could
// not have asked for itself.
type nonceCache struct {
	mu   sync.Mutex
	seen map[string]time.Time // office + "\n" + nonce → when
	last time.Time            // last pruning
}

func newNonceCache() *nonceCache { return &nonceCache{seen: map[string]time.Time{}} }

// add records the nonce; false when it was seen within the window.
func (c *nonceCache) add(office, nonce string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Sub(c.last) > wire.Window {
		for k, at := range c.seen {
			if now.Sub(at) > 2*wire.Window {
				delete(c.seen, k)
			}
		}
		c.last = now
	}
	k := office + "\n" + nonce
	if _, dup := c.seen[k]; dup {
		return false
	}
	c.seen[k] = now
	return true
}

// releaseKeys parses release_keys (checked in parseConfig).
func (c *config) releaseKeys() ([]release.PublicKey, error) {
	if len(c.ReleaseKeys) == 0 {
		return nil, nil
	}
	return release.ParsePublicKeys(c.ReleaseKeys)
}

// groupName is how an [[office]] group is written.
var groupName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// releaseProblems are what is wrong in the config's release keys and office groups.
func (c *config) releaseProblems() []string {
	var probs []string
	if _, err := c.releaseKeys(); err != nil {
		probs = append(probs, "release_keys: "+err.Error())
	}
	for _, o := range c.Offices {
		if o.Group != "" && !groupName.MatchString(o.Group) {
			probs = append(probs, "[[office]] "+o.ID+": group "+o.Group+" harus huruf kecil, angka dan tanda hubung (contoh \"pilot\")")
		}
	}
	return probs
}
