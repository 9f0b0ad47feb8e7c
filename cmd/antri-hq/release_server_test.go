package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
	"github.com/antri-id/antri/sync/collect/collecttest"
	"github.com/antri-id/antri/sync/release"
	"github.com/antri-id/antri/sync/update"
	"github.com/antri-id/antri/sync/wire"
)

// releaseHQ is a headquarters that trusts one release key, with office A in group
// "pilot" and office B in none.
type releaseHQ struct {
	url  string
	key  ed25519.PrivateKey
	data string
}

func startReleaseHQ(t *testing.T) *releaseHQ {
	t.Helper()
	pemKey, pub, err := release.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	sk, _ := release.ParsePrivateKey(pemKey)
	cfg := testConfig()
	cfg.Data = t.TempDir()
	cfg.ReleaseKeys = []string{pub.String()}
	cfg.Offices[0].Group = "pilot"
	s := newServer(cfg, collecttest.Opener(t, "sqlite")(), slog.New(slog.DiscardHandler), defaultLimits)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return &releaseHQ{url: hs.URL, key: sk, data: cfg.Data}
}

// fakeRelease is a signed release of a binary of random bytes: headquarters never
// runs what it stores.
type fakeRelease struct {
	signed release.Signed
	binary []byte
	m      release.Manifest
}

func newFakeRelease(t *testing.T, key ed25519.PrivateKey, version, arch string) fakeRelease {
	t.Helper()
	bin := make([]byte, 64<<10)
	rand.Read(bin)
	sum := sha256.Sum256(bin)
	m := release.Manifest{Product: release.Product, Version: version, OS: "linux", Arch: arch,
		Size: int64(len(bin)), SHA256: hex.EncodeToString(sum[:]), Schema: 5,
		Migrations: []queue.Migration{{Version: 5, OldestReader: 5}}}
	s, err := release.Sign(key, m)
	if err != nil {
		t.Fatal(err)
	}
	return fakeRelease{signed: s, binary: bin, m: m}
}

// publish PUTs r as `antri-hq release publish` does, with body instead of its binary
// when body is not nil.
func (h *releaseHQ) publish(t *testing.T, r fakeRelease, body []byte, token string) (int, string) {
	t.Helper()
	if body == nil {
		body = r.binary
	}
	req, _ := http.NewRequest(http.MethodPut, h.url+"/api/v1/releases/"+r.m.Version+"/"+r.m.Arch, bytes.NewReader(body))
	req.Header.Set(headerManifest, base64.StdEncoding.EncodeToString(r.signed.Manifest))
	req.Header.Set(headerReleaseSignature, base64.StdEncoding.EncodeToString(r.signed.Signature))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	code, msg, _ := do(t, req)
	return code, msg
}

func (h *releaseHQ) rollout(t *testing.T, body string) (int, string) {
	t.Helper()
	code, b, _ := queuetest.Send(t, http.MethodPost, h.url+"/api/v1/rollouts", adminTok, strings.NewReader(body))
	return code, string(b)
}

// client is office id's update client.
func (h *releaseHQ) client(id, secret string) *update.Client {
	return &update.Client{URL: h.url, Office: id, Secret: secret, HTTP: http.DefaultClient}
}

func arm64Report(running string) wire.UpdateReport {
	return wire.UpdateReport{Running: running, OS: "linux", Arch: "arm64"}
}

func TestPublishVerifiesSignatureAndBinary(t *testing.T) {
	h := startReleaseHQ(t)
	_, rogue, _ := ed25519.GenerateKey(rand.Reader)
	r := newFakeRelease(t, h.key, "2.0.0", "arm64")

	if code, msg := h.publish(t, r, nil, ""); code != http.StatusUnauthorized {
		t.Errorf("without the admin token: %d %s", code, msg)
	}
	if code, msg := h.publish(t, newFakeRelease(t, rogue, "2.0.0", "arm64"), nil, adminTok); code != http.StatusForbidden || !strings.Contains(msg, "tanda tangan") {
		t.Errorf("signed by another key: %d %s", code, msg)
	}
	if code, msg := h.publish(t, r, r.binary[:1000], adminTok); code != http.StatusBadRequest || !strings.Contains(msg, "terpotong") {
		t.Errorf("truncated binary: %d %s", code, msg)
	}
	altered := append([]byte(nil), r.binary...)
	altered[7] ^= 1
	if code, msg := h.publish(t, r, altered, adminTok); code != http.StatusBadRequest || !strings.Contains(msg, "SHA-256") {
		t.Errorf("altered binary: %d %s", code, msg)
	}
	if _, err := os.Stat(filepath.Join(h.data, "releases", "2.0.0")); err == nil {
		t.Error("refused publications left a release folder")
	}
	if code, msg := h.publish(t, r, nil, adminTok); code != http.StatusCreated {
		t.Fatalf("publish: %d %s", code, msg)
	}
	if code, msg := h.publish(t, r, nil, adminTok); code != http.StatusOK {
		t.Errorf("the same release again: %d %s", code, msg)
	}
	if code, msg := h.publish(t, newFakeRelease(t, h.key, "2.0.0", "arm64"), nil, adminTok); code != http.StatusConflict {
		t.Errorf("2.0.0 again with another binary: %d %s", code, msg)
	}
	got, err := os.ReadFile(filepath.Join(h.data, "releases", "2.0.0", "arm64", "antrid"))
	if err != nil || !bytes.Equal(got, r.binary) {
		t.Errorf("stored binary differs from the published one (%v)", err)
	}
	dev := newFakeRelease(t, h.key, "2.0.0-3-gabc1234", "arm64")
	if code, msg := h.publish(t, dev, nil, adminTok); code != http.StatusBadRequest {
		t.Errorf("a development build: %d %s", code, msg)
	}
}

func TestRolloutReachesGroupThenEveryone(t *testing.T) {
	h := startReleaseHQ(t)
	ctx := context.Background()
	r := newFakeRelease(t, h.key, "2.0.0", "arm64")
	if code, msg := h.rollout(t, `{"version":"2.0.0","group":"pilot"}`); code != http.StatusNotFound {
		t.Errorf("rollout of an unpublished version: %d %s", code, msg)
	}
	if code, msg := h.publish(t, r, nil, adminTok); code != http.StatusCreated {
		t.Fatalf("publish: %d %s", code, msg)
	}
	if code, msg := h.rollout(t, `{"version":"2.0.0","group":"nowhere"}`); code != http.StatusNotFound {
		t.Errorf("rollout to a group no office is in: %d %s", code, msg)
	}
	if code, msg := h.rollout(t, `{"version":"2.0.0","group":"pilot"}`); code != http.StatusOK {
		t.Fatalf("rollout: %d %s", code, msg)
	}
	a, b := h.client(officeA, secretA), h.client(officeB, secretB)
	ans, err := a.Check(ctx, arm64Report("1.0.0"))
	if err != nil {
		t.Fatal(err)
	}
	if ans.Desired != "2.0.0" || ans.Release == nil || !bytes.Equal(ans.Release.Manifest, r.signed.Manifest) || !bytes.Equal(ans.Release.Signature, r.signed.Signature) {
		t.Fatalf("pilot office got %+v", ans)
	}
	if ans, _ := b.Check(ctx, arm64Report("1.0.0")); ans.Desired != "" || ans.Release != nil {
		t.Errorf("office outside the pilot got %+v before the rollout to everyone", ans)
	}
	if code, msg := h.rollout(t, `{"version":"2.0.0","group":"semua"}`); code != http.StatusOK {
		t.Fatalf("rollout to everyone: %d %s", code, msg)
	}
	if ans, _ := b.Check(ctx, arm64Report("1.0.0")); ans.Release == nil {
		t.Errorf("office B got %+v after the rollout to everyone", ans)
	}
	// A platform without a build gets the wish and why there is nothing to fetch.
	armv7 := wire.UpdateReport{Running: "1.0.0", OS: "linux", Arch: "armv7"}
	if ans, _ := b.Check(ctx, armv7); ans.Desired != "2.0.0" || ans.Release != nil || !strings.Contains(ans.Note, "armv7") {
		t.Errorf("armv7 office got %+v", ans)
	}
	// An office's own version wins over its groups'; withdrawing it falls back.
	if code, msg := h.rollout(t, `{"version":"","group":"pilot"}`); code != http.StatusOK {
		t.Fatalf("withdraw: %d %s", code, msg)
	}
	if ans, _ := a.Check(ctx, arm64Report("1.0.0")); ans.Desired != "2.0.0" {
		t.Errorf("after the pilot's rollout was withdrawn office A wants %q, want everyone's 2.0.0", ans.Desired)
	}
}

func TestUpdateRequestsAreSigned(t *testing.T) {
	h := startReleaseHQ(t)
	ctx := context.Background()
	if _, err := h.client(officeA, secretB).Check(ctx, arm64Report("1.0.0")); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("another office's secret: %v", err)
	}
	if _, err := h.client("mpp-tak-dikenal", secretA).Check(ctx, arm64Report("1.0.0")); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("unknown office: %v", err)
	}
	body, _ := json.Marshal(wire.UpdateCheck{Office: officeA, Update: arm64Report("1.0.0")})
	signed := func(ts time.Time, nonce, path string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, h.url+path, bytes.NewReader(body))
		wire.UpdateEnvelope{Office: officeA, Method: http.MethodPost, Path: wire.UpdatePath, Timestamp: ts.Unix(),
			Nonce: nonce, BodyHash: wire.BodyHash(body)}.SetHeaders(req.Header, secretA)
		return req
	}
	nonce := "00112233445566778899aabbccddeeff"
	if code, msg, _ := do(t, signed(time.Now(), nonce, wire.UpdatePath)); code != http.StatusOK {
		t.Fatalf("signed check: %d %s", code, msg)
	}
	if code, _, hd := do(t, signed(time.Now(), nonce, wire.UpdatePath)); code != http.StatusConflict || hd.Get(wire.HeaderError) != wire.ErrorReplay {
		t.Errorf("the same request again: %d %s", code, hd.Get(wire.HeaderError))
	}
	if code, _, hd := do(t, signed(time.Now().Add(-time.Hour), "ffeeddccbbaa99887766554433221100", wire.UpdatePath)); code != http.StatusUnauthorized || hd.Get(wire.HeaderError) != wire.ErrorStale || hd.Get("Date") == "" {
		t.Errorf("an hour old: %d %s", code, hd.Get(wire.HeaderError))
	}
	// A signature for the check is not one for a download.
	r := newFakeRelease(t, h.key, "2.0.0", "arm64")
	h.publish(t, r, nil, adminTok)
	get, _ := http.NewRequest(http.MethodGet, h.url+wire.ReleasePath+"2.0.0/arm64", nil)
	get.Header = signed(time.Now(), "0123456789abcdef0123456789abcdef", wire.UpdatePath).Header
	if code, msg, _ := do(t, get); code != http.StatusUnauthorized {
		t.Errorf("download with the check's signature: %d %s", code, msg)
	}
}

func TestDownloadResumesWhereItStopped(t *testing.T) {
	h := startReleaseHQ(t)
	r := newFakeRelease(t, h.key, "2.0.0", "arm64")
	if code, msg := h.publish(t, r, nil, adminTok); code != http.StatusCreated {
		t.Fatalf("publish: %d %s", code, msg)
	}
	dst := filepath.Join(t.TempDir(), "antrid.part")
	if err := os.WriteFile(dst, r.binary[:10000], 0o600); err != nil { // a download cut off
		t.Fatal(err)
	}
	c := h.client(officeA, secretA)
	if err := c.Download(context.Background(), wire.ReleasePath+"2.0.0/arm64", dst, r.m.Size); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, r.binary) {
		t.Errorf("resumed download has %d bytes and differs from the release", len(got))
	}
	if err := c.Download(context.Background(), wire.ReleasePath+"9.9.9/arm64", filepath.Join(t.TempDir(), "x"), 100); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("a release not held: %v", err)
	}
}

func TestUpdatesListFailuresFirst(t *testing.T) {
	h := startReleaseHQ(t)
	ctx := context.Background()
	r := newFakeRelease(t, h.key, "2.0.0", "arm64")
	h.publish(t, r, nil, adminTok)
	h.rollout(t, `{"version":"2.0.0","group":"semua"}`)
	now := time.Now().UTC().Truncate(time.Second)
	a := arm64Report("2.0.0")
	a.State, a.Version, a.From, a.At = wire.UpdateConfirmed, "2.0.0", "1.0.0", now
	b := arm64Report("1.0.0")
	b.State, b.Version, b.From, b.Code, b.Reason, b.At = wire.UpdateTrial, "2.0.0", "1.0.0", "", "", now
	if _, err := h.client(officeB, secretB).Check(ctx, b); err != nil {
		t.Fatal(err)
	}
	b.State, b.Code, b.Reason = wire.UpdateRolledBack, "crashed", "versi baru gagal berjalan"
	for _, c := range []struct {
		id, secret string
		rep        wire.UpdateReport
	}{{officeA, secretA, a}, {officeB, secretB, b}} {
		if _, err := h.client(c.id, c.secret).Check(ctx, c.rep); err != nil {
			t.Fatal(err)
		}
	}
	var got struct {
		Offices []officeUpdateRow `json:"offices"`
	}
	if code := queuetest.Call(t, http.MethodGet, h.url+"/api/v1/updates", adminTok, nil, &got); code != http.StatusOK {
		t.Fatalf("GET /api/v1/updates: %d", code)
	}
	if len(got.Offices) != 2 || got.Offices[0].ID != officeB || !got.Offices[0].Failed || got.Offices[1].Failed {
		t.Fatalf("offices %+v: want the failed office B first", got.Offices)
	}
	if u := got.Offices[0].Update; u.State != wire.UpdateRolledBack || u.Code != "crashed" || u.Version != "2.0.0" {
		t.Errorf("office B's update %+v", u)
	}
	if hist := got.Offices[0].History; len(hist) != 1 || hist[0].State != wire.UpdateTrial {
		t.Errorf("office B's history %+v: want the trial before the switch back", hist)
	}
	code, page := get(t, h.url+"/updates", adminTok)
	if code != http.StatusOK || !strings.Contains(string(page), "Gagal, dikembalikan 2.0.0") || !strings.Contains(string(page), "versi baru gagal berjalan") {
		t.Errorf("page %d:\n%s", code, page)
	}
	if i, j := strings.Index(string(page), officeB), strings.Index(string(page), officeA); i < 0 || j < 0 || i > j {
		t.Error("the page does not list the failed office first")
	}
	// The fleet's page and the updates' page lead to each other.
	if !strings.Contains(string(page), `href="/"`) {
		t.Error("the updates page has no way back to the fleet's page")
	}
	if code, home := get(t, h.url+"/", adminTok); code != http.StatusOK || !strings.Contains(string(home), `href="/updates"`) {
		t.Errorf("the fleet's page (%d) does not link to /updates", code)
	}
}

func TestConfigReleaseKeysAndGroups(t *testing.T) {
	_, pub, _ := release.GenerateKey()
	base := "admin_token = \"" + adminTok + "\"\n"
	office := "[[office]]\nid = \"" + officeA + "\"\nsecret = \"" + secretA + "\"\n"
	good := base + "release_keys = [\"" + pub.String() + "\"]\n" + office + "group = \"pilot\"\n"
	c, err := parseConfig("hq.toml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if c.Offices[0].Group != "pilot" || len(c.ReleaseKeys) != 1 {
		t.Errorf("parsed %+v", c)
	}
	for name, text := range map[string]string{
		"key not base64":   base + "release_keys = [\"bukan-kunci\"]\n" + office,
		"key too short":    base + "release_keys = [\"" + base64.StdEncoding.EncodeToString([]byte("pendek")) + "\"]\n" + office,
		"group upper case": base + office + "group = \"Pilot\"\n",
	} {
		if _, err := parseConfig("hq.toml", []byte(text)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
