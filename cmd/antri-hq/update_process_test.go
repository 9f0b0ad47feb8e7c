package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/cmd/antrid/antridtest"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
	"github.com/antri-id/antri/sync/release"
	"github.com/antri-id/antri/sync/update"
	"github.com/antri-id/antri/sync/update/updatetest"
	"github.com/antri-id/antri/sync/wire"
)

const (
	antridPackage = "github.com/antri-id/antri/cmd/antrid"
	// The update tests' office: the "office" fixture's id, with a secret of its own.
	updOffice   = "mpp-uji"
	updSecret   = "rahasia-kantor-uji-pembaruan"
	updOfficeTk = queuetest.DaemonAdmin
	// healthWindow is the test office's [update] health_window: a new version that
	// is not confirmed healthy within it is switched back.
	healthWindow = 20 * time.Second
)

// hqCLI runs this test binary as `antri-hq args...` (envRunMain) with env added,
// and returns its output; a failure fails the test unless wantFail.
func hqCLI(t *testing.T, env []string, wantFail bool, args ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), envRunMain+"=1"), env...)
	out, err := cmd.CombinedOutput()
	if (err != nil) != wantFail {
		t.Fatalf("antri-hq %s: %v (want failure %v)\n%s", strings.Join(args, " "), err, wantFail, out)
	}
	return string(out)
}

// keygen makes a release key with the real tool and returns its file and public key.
func keygen(t *testing.T, dir, name string) (string, string) {
	t.Helper()
	path := filepath.Join(dir, name)
	out := hqCLI(t, nil, false, "release", "keygen", "-o", path)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	pub := lines[len(lines)-1]
	if _, err := release.ParsePublicKey(pub); err != nil {
		t.Fatalf("keygen printed %q: %v", out, err)
	}
	return path, pub
}

// updateWorld is a real antri-hq process and a real antrid under its emulated units,
// with release binaries built and signed by the real tools.
type updateWorld struct {
	t        *testing.T
	hq       *hqProcess
	hqData   string
	token    []string // ANTRI_HQ_TOKEN for the CLI
	signed   string   // release sign's output folder
	key      string
	unit     officeUnit
	office   string // antrid's URL
	pkgBin   string // the first slot: the Debian package's binary (version 1.0.0)
	versions map[string]string
}

// officeUnit is how the office's antrid runs: under its units emulated
// (updatetest.Unit) or under a real systemd (updatetest.Systemd).
type officeUnit interface {
	Starts() int
	Current() string
}

// office starts the office's antrid with the update folder dir, the package's
// binary pkgBin, its config file and data folder, listening on addr.
type startOffice func(t *testing.T, dir, pkgBin, cfg, data, addr string) officeUnit

func emulatedUnits(t *testing.T, dir, pkgBin, cfg, data, addr string) officeUnit {
	return updatetest.Start(t, &updatetest.Unit{Dir: dir, PackageBin: pkgBin,
		Args: []string{"-config", cfg, "-data", data, "-listen", addr}})
}

func realSystemd(t *testing.T, dir, pkgBin, cfg, data, addr string) officeUnit {
	return updatetest.StartSystemd(t, &updatetest.Systemd{Dir: dir, PackageBin: pkgBin, Config: cfg, Data: data, Listen: addr})
}

func newUpdateWorld(t *testing.T, start startOffice) *updateWorld {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs antri-hq and several antrid versions; skipped with -short")
	}
	root := t.TempDir()
	w := &updateWorld{t: t, signed: filepath.Join(root, "signed"), versions: map[string]string{}}
	build := func(version, pkg string, set ...string) string {
		bin, err := antridtest.Build(pkg, version, set...)
		if err != nil {
			t.Fatal(err)
		}
		return bin
	}
	// 1.0.0 is installed by the package; 3.0.0 exits at start; 3.1.0 starts and is
	// never healthy; the rest are antrid.
	for _, v := range []string{"1.0.0", "1.5.0", "2.0.0", "4.0.0", "5.0.0"} {
		w.versions[v] = build(v, antridPackage)
	}
	w.versions["3.0.0"] = build("3.0.0", updatetest.BrokenPackage, "main.mode=exit")
	w.versions["3.1.0"] = build("3.1.0", updatetest.BrokenPackage, "main.mode=hang")

	var pub string
	w.key, pub = keygen(t, root, "release.key")
	hqCfg := filepath.Join(root, "hq.toml")
	w.hqData = filepath.Join(root, "hq")
	if err := os.WriteFile(hqCfg, fmt.Appendf(nil, "data = %q\nadmin_token = %q\nrelease_keys = [%q]\n[[office]]\nid = %q\nsecret = %q\ngroup = \"pilot\"\n",
		w.hqData, adminTok, pub, updOffice, updSecret), 0o600); err != nil {
		t.Fatal(err)
	}
	w.hq = startProcess(t, hqCfg)
	w.token = []string{"ANTRI_HQ_TOKEN=" + adminTok}

	// The office: the Debian package's antrid 1.0.0 as the first slot.
	w.pkgBin = filepath.Join(root, "usr", "bin", "antrid")
	os.MkdirAll(filepath.Dir(w.pkgBin), 0o755)
	if err := copyFile(w.versions["1.0.0"], w.pkgBin); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(root, "var")
	cfg := queuetest.ConfigFile(t, "office", queuetest.LongTokens, func(c *queue.Config) {
		c.HQ = queue.HQConfig{URL: w.hq.url() + "/", Secret: updSecret}
		c.Update = queue.UpdateConfig{PublicKeys: []string{pub}, Apply: "now",
			HealthWindow: healthWindow.String(), CheckEvery: "1s"}
	})
	addr := antridtest.FreeAddr(t)
	w.office = "http://" + addr
	w.unit = start(t, filepath.Join(data, "update"), w.pkgBin, cfg, data, addr)
	w.waitOffice("antrid 1.0.0 from the package", func(st update.Status) bool { return st.Running == "1.0.0" })
	return w
}

// officeStatus is GET /api/admin/update; ok is false while antrid does not answer
// (it is restarting).
func (w *updateWorld) officeStatus() (update.Status, bool) {
	var st update.Status
	req, _ := http.NewRequest(http.MethodGet, w.office+"/api/admin/update", nil)
	req.Header.Set("Authorization", "Bearer "+updOfficeTk)
	resp, err := statusClient.Do(req)
	if err != nil {
		return st, false
	}
	defer resp.Body.Close()
	return st, resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&st) == nil
}

var statusClient = &http.Client{Timeout: 5 * time.Second}

// waitOffice waits until the office answers with a status for which cond holds.
func (w *updateWorld) waitOffice(what string, cond func(update.Status) bool) update.Status {
	w.t.Helper()
	var last update.Status
	queuetest.Eventually(w.t, "the office: "+what, func() bool {
		st, ok := w.officeStatus()
		if ok {
			last = st
		}
		if !ok || !cond(st) {
			time.Sleep(50 * time.Millisecond)
			return false
		}
		return true
	})
	return last
}

// officeReport is what headquarters shows of the office's updates.
func (w *updateWorld) officeReport() officeUpdateRow {
	w.t.Helper()
	var got struct {
		Offices []officeUpdateRow `json:"offices"`
	}
	if code := queuetest.Call(w.t, http.MethodGet, w.hq.url()+"/api/v1/updates", adminTok, nil, &got); code != http.StatusOK || len(got.Offices) != 1 {
		w.t.Fatalf("GET /api/v1/updates: %d %+v", code, got)
	}
	return got.Offices[0]
}

// waitHQ waits until headquarters shows the office's update in state about version.
func (w *updateWorld) waitHQ(state, version string) officeUpdateRow {
	w.t.Helper()
	var row officeUpdateRow
	queuetest.Eventually(w.t, "headquarters to show the office's update "+state+" "+version, func() bool {
		row = w.officeReport()
		if u := row.Update; u == nil || u.State != state || u.Version != version {
			time.Sleep(50 * time.Millisecond)
			return false
		}
		return true
	})
	return row
}

// waitFleetFailed waits until headquarters' fleet list (GET /api/v1/offices, from the
// health the office sends) flags the office's failed update to version first.
func (w *updateWorld) waitFleetFailed(version string) {
	w.t.Helper()
	var got struct {
		Offices []officeStatus `json:"offices"`
	}
	queuetest.Eventually(w.t, "the fleet list to flag the failed update to "+version, func() bool {
		queuetest.Call(w.t, http.MethodGet, w.hq.url()+"/api/v1/offices", adminTok, nil, &got)
		for _, o := range got.Offices {
			if o.ID == updOffice && len(o.Attention) > 0 && o.Attention[0].Code == attnUpdateFailed &&
				strings.Contains(o.Attention[0].Text, version) {
				return true
			}
		}
		time.Sleep(50 * time.Millisecond)
		return false
	})
}

// sign signs the binaries of versions with key using the real tool and returns the
// signed files, by version.
func (w *updateWorld) sign(key string, versions ...string) map[string]string {
	w.t.Helper()
	out := map[string]string{}
	args := []string{"release", "sign", "-key", key, "-o", w.signed}
	for _, v := range versions {
		args = append(args, w.versions[v])
		out[v] = filepath.Join(w.signed, "antrid-"+v+"-"+release.RunningArch())
	}
	hqCLI(w.t, nil, false, args...)
	return out
}

// rollOut publishes the signed file (unless "") and rolls version out to the pilot group.
func (w *updateWorld) rollOut(file, version string) {
	w.t.Helper()
	if file != "" {
		hqCLI(w.t, w.token, false, "release", "publish", "-hq", w.hq.url(), file)
	}
	hqCLI(w.t, w.token, false, "release", "rollout", "-hq", w.hq.url(), "-group", "pilot", "-version", version)
}

// TestUpdateCycleRealProcesses is issue 14's cycle with a real antri-hq and real
// antrid processes, started as antrid.service starts them (deploy/antri-update.sh,
// restarts, the watch timer; emulated by updatetest, without systemd): updateCycle,
// then a forged signature, a truncated binary and a downgrade are refused, and
// headquarters shows each refusal.
func TestUpdateCycleRealProcesses(t *testing.T) {
	w := newUpdateWorld(t, emulatedUnits)
	files := updateCycle(t, w)
	refusals(t, w, files)
}

// TestUpdateCycleUnderSystemd is updateCycle with antrid.service, the watch service
// and its timer run by a real systemd (updatetest.Systemd: the user manager in a
// private mount namespace).
func TestUpdateCycleUnderSystemd(t *testing.T) {
	updateCycle(t, newUpdateWorld(t, realSystemd))
}

// updateCycle: release 2.0.0 is published, rolled out and confirmed, and a ticket
// issued before it is still waiting; 3.0.0 exits at start and the office is back on
// 2.0.0 within the health window, which headquarters shows; 3.1.0 starts but never
// becomes healthy and is switched back by the watch alone. It returns the signed
// release files by version.
func updateCycle(t *testing.T, w *updateWorld) map[string]string {
	var tk struct {
		Number string `json:"number"`
	}
	if code := queuetest.Call(t, http.MethodPost, w.office+"/api/tickets", "", strings.NewReader(`{"service":"A"}`), &tk); code != http.StatusCreated {
		t.Fatalf("issue a ticket: %d", code)
	}
	files := w.sign(w.key, "1.5.0", "2.0.0", "3.0.0", "3.1.0", "4.0.0", "5.0.0")
	// 2.0.0: installed, switched to, confirmed healthy.
	w.rollOut(files["2.0.0"], "2.0.0")
	st := w.waitOffice("running 2.0.0, confirmed", func(st update.Status) bool {
		return st.Running == "2.0.0" && st.Update.State == wire.UpdateConfirmed
	})
	if st.Update.From != "1.0.0" || st.Trial {
		t.Errorf("after 2.0.0 the office says %+v", st)
	}
	slot2 := w.unit.Current()
	if !strings.HasSuffix(slot2, "/antrid") || slot2 == w.pkgBin {
		t.Errorf("current points at %q, want a slot binary", slot2)
	}
	if b, err := os.ReadFile(w.pkgBin); err != nil || !bytes.Equal(b, mustRead(t, w.versions["1.0.0"])) {
		t.Error("the package's binary (the first slot) was changed")
	}
	w.waitHQ(wire.UpdateConfirmed, "2.0.0")
	var state struct {
		Waiting []struct {
			Number string `json:"number"`
		} `json:"waiting"`
	}
	queuetest.Call(t, http.MethodGet, w.office+"/api/state", "", nil, &state)
	if len(state.Waiting) != 1 || state.Waiting[0].Number != tk.Number {
		t.Errorf("after the update the waiting list is %+v, want the ticket %s issued before it", state.Waiting, tk.Number)
	}

	// 3.0.0 exits at start: antri-update switches back after max_starts.
	starts := w.unit.Starts()
	w.rollOut(files["3.0.0"], "3.0.0")
	var switched time.Time
	queuetest.Eventually(t, "the office to switch to 3.0.0", func() bool {
		if c := w.unit.Current(); c != slot2 && c != "" {
			switched = time.Now()
			return true
		}
		time.Sleep(20 * time.Millisecond)
		return false
	})
	st = w.waitOffice("back on 2.0.0 after 3.0.0 failed", func(st update.Status) bool {
		return st.Running == "2.0.0" && st.Update.State == wire.UpdateRolledBack
	})
	if back := time.Since(switched); back > healthWindow {
		t.Errorf("back on 2.0.0 %v after the switch to 3.0.0, later than the health window %v", back, healthWindow)
	}
	if st.Update.Version != "3.0.0" || st.Update.Code != "crashed" || st.Update.From != "2.0.0" {
		t.Errorf("after 3.0.0 the office says %+v", st.Update)
	}
	if n := w.unit.Starts() - starts; n < 4 {
		t.Errorf("%d starts since 3.0.0 was rolled out; want 3 failed starts of it and one of 2.0.0", n)
	}
	row := w.waitHQ(wire.UpdateRolledBack, "3.0.0")
	if !row.Failed || !strings.Contains(row.Update.Reason, "dikembalikan") {
		t.Errorf("headquarters shows %+v, want the failed update with its reason", row)
	}
	code, page := get(t, w.hq.url()+"/updates", adminTok)
	if code != http.StatusOK || !strings.Contains(string(page), "Gagal, dikembalikan 3.0.0") {
		t.Errorf("headquarters' page (%d) does not show the failed update:\n%s", code, page)
	}
	w.waitFleetFailed("3.0.0")

	// 3.1.0 starts and never becomes healthy: only the watch can catch it.
	w.rollOut(files["3.1.0"], "3.1.0")
	st = w.waitOffice("back on 2.0.0 after 3.1.0 hung", func(st update.Status) bool {
		return st.Running == "2.0.0" && st.Update.State == wire.UpdateRolledBack && st.Update.Version == "3.1.0"
	})
	if st.Update.Code != "unhealthy" {
		t.Errorf("after 3.1.0 the office says %+v, want code unhealthy", st.Update)
	}
	w.waitHQ(wire.UpdateRolledBack, "3.1.0")
	return files
}

// refusals: a release signed by an untrusted key is refused at publication; a forged
// signature and a truncated binary (someone got into headquarters' disk) and a
// downgrade are refused by the office, which keeps running 2.0.0; headquarters shows
// each refusal.
func refusals(t *testing.T, w *updateWorld, files map[string]string) {

	// A release signed by a key headquarters does not trust is refused at publication.
	rogueKey, _ := keygen(t, t.TempDir(), "rogue.key")
	rogueDir := filepath.Join(t.TempDir(), "rogue")
	hqCLI(t, nil, false, "release", "sign", "-key", rogueKey, "-o", rogueDir, w.versions["4.0.0"])
	if out := hqCLI(t, w.token, true, "release", "publish", "-hq", w.hq.url(), filepath.Join(rogueDir, "antrid-4.0.0-"+release.RunningArch())); !strings.Contains(out, "403") {
		t.Errorf("publishing a release signed by an untrusted key: %s", out)
	}

	// Forged on headquarters' disk (someone who got in there): the office refuses.
	w.rollOut(files["4.0.0"], "") // published, not rolled out yet
	forgeSignature(t, filepath.Join(w.hqData, "releases", "4.0.0", release.RunningArch(), "manifest.sig"), rogueKey, files["4.0.0"])
	w.rollOut("", "4.0.0")
	row := w.waitHQ(wire.UpdateRefused, "4.0.0")
	if row.Update.Code != release.RefusedSignature {
		t.Errorf("forged signature: headquarters shows %+v", row.Update)
	}
	// No restart here: the health goes at once (the heartbeat is 5 minutes away).
	w.waitFleetFailed("4.0.0")

	// Truncated on headquarters' disk: refused once downloaded.
	w.rollOut(files["5.0.0"], "")
	stored := filepath.Join(w.hqData, "releases", "5.0.0", release.RunningArch(), "antrid")
	os.Chmod(stored, 0o644)
	fi, _ := os.Stat(stored)
	if err := os.Truncate(stored, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	w.rollOut("", "5.0.0")
	row = w.waitHQ(wire.UpdateRefused, "5.0.0")
	if row.Update.Code != release.RefusedBinary {
		t.Errorf("truncated binary: headquarters shows %+v", row.Update)
	}

	// A downgrade is refused.
	w.rollOut(files["1.5.0"], "1.5.0")
	row = w.waitHQ(wire.UpdateRefused, "1.5.0")
	if row.Update.Code != release.RefusedOlder || row.Update.Running != "2.0.0" {
		t.Errorf("downgrade: headquarters shows %+v", row.Update)
	}
	if st, ok := w.officeStatus(); !ok || st.Running != "2.0.0" {
		t.Errorf("after the refusals the office runs %+v", st)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// forgeSignature replaces the signature file at path with a signature by the key in
// keyFile over signedFile's manifest, byte for byte: a valid signature, by a key the
// office does not trust.
func forgeSignature(t *testing.T, path, keyFile, signedFile string) {
	t.Helper()
	sk, err := release.LoadPrivateKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	raw := mustRead(t, signedFile+".manifest.json")
	os.Chmod(path, 0o644)
	if err := os.WriteFile(path, ed25519.Sign(sk, append([]byte("antri-release-v1\n"), raw...)), 0o444); err != nil {
		t.Fatal(err)
	}
}
