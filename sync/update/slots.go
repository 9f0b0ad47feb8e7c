package update

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/antri-id/antri/sync/release"
	"github.com/antri-id/antri/sync/wire"
)

// The update folder ([update] dir, default <data>/update, on the data partition so
// that it is writable with a read-only root) is shared with deploy/antri-update.sh,
// which starts antrid and switches back a failed update without antrid's help:
//
//	slot-a/antrid, slot-b/antrid   release binaries, each with manifest.json and
//	                               manifest.sig beside it; the running one is never
//	                               written
//	current   -> the binary antri-update.sh starts (absolute symbolic link); absent:
//	             the Debian package's /usr/bin/antrid, the first slot
//	fallback  -> during a trial: the binary to switch back to
//	trial        during a trial: key=value lines (trialFile) the script reads
//	trial-clock  during a trial: boot=<boot_id> and since=<seconds since boot> when
//	             its window began (the script sets them again after a reboot)
//	attempts     during a trial: how often the script started the trial binary
//	outcome.json the last update's state (wire.UpdateReport without Running)
//	restart-needed  written by the script when it switched back while the trial
//	             binary ran; the root half of the watch restarts antrid and removes it
//
// Every change is a whole file or symbolic link renamed into place
// (release.WriteFile, release.Rename): after a power cut each is old or new.
const (
	slotA         = "slot-a"
	slotB         = "slot-b"
	binaryName    = "antrid"
	currentLink   = "current"
	fallbackLink  = "fallback"
	trialName     = "trial"
	clockName     = "trial-clock"
	attemptsName  = "attempts"
	outcomeName   = "outcome.json"
	manifestName  = "manifest.json"
	signatureName = "manifest.sig"
	partSuffix    = ".part"
)

// Rollback codes the script writes (outcome.json "code") when it switches back.
const (
	codeCrashed   = "crashed"   // the trial binary was started max_starts times without confirming
	codeUnhealthy = "unhealthy" // not confirmed healthy within the health window
	codeMissing   = "missing"   // the trial binary is not there or not executable
)

// rollbackReasons say the script's codes in Indonesian for headquarters.
var rollbackReasons = map[string]string{
	codeCrashed:   "versi baru gagal berjalan (berhenti atau mogok setiap kali dimulai); dikembalikan ke versi sebelumnya",
	codeUnhealthy: "versi baru tidak melaporkan sehat dalam batas waktu; dikembalikan ke versi sebelumnya",
	codeMissing:   "biner versi baru hilang atau tidak bisa dijalankan; dikembalikan ke versi sebelumnya",
}

// slots is the update folder.
type slots struct{ dir string }

func (s slots) path(name ...string) string { return filepath.Join(append([]string{s.dir}, name...)...) }

// resolve is path with every symbolic link followed; "" when it does not exist.
func resolve(path string) string {
	p, err := filepath.EvalSymlinks(path)
	if err != nil {
		return ""
	}
	return p
}

// link points the symbolic link name at target, replacing it in one rename.
func (s slots) link(name, target string) error {
	tmp := s.path("." + name + ".new")
	os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return err
	}
	return release.Rename(tmp, s.path(name))
}

// other is the slot to install into: the one the running binary is not in.
func (s slots) other(running string) string {
	if filepath.Dir(running) == resolve(s.path(slotA)) {
		return slotB
	}
	return slotA
}

// trialFile is the trial file: what the script needs to count starts and check
// the deadline without antrid. It is written once, before the switch; the window's
// start is in trial-clock, which the script may set again.
type trialFile struct {
	Version   string   // the release on trial
	From      string   // the version it replaces
	Window    int      // seconds the trial binary has to confirm, from trial-clock's since
	MaxStarts int      // starts after which the script switches back
	Parts     []string // /healthz parts that were healthy before the switch: the trial must keep them
}

func (t trialFile) encode() []byte {
	return fmt.Appendf(nil, "version=%s\nfrom=%s\nwindow=%d\nmax_starts=%d\nparts=%s\n",
		safe(t.Version), safe(t.From), t.Window, t.MaxStarts, strings.Join(t.Parts, " "))
}

// safe is a version as the script may copy it into JSON and logs: characters of
// versions only, anything else as "_".
func safe(v string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || strings.ContainsRune(".+-~_", r) {
			return r
		}
		return '_'
	}, v)
}

// readTrial reads the trial file; ok is false when there is none.
func (s slots) readTrial() (t trialFile, ok bool, err error) { return s.readTrialNamed(trialName) }

// readTrialNamed reads a trial file under another name (one being confirmed).
func (s slots) readTrialNamed(name string) (t trialFile, ok bool, err error) {
	f, err := os.Open(s.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return t, false, nil
	}
	if err != nil {
		return t, false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), "=")
		switch k {
		case "version":
			t.Version = v
		case "from":
			t.From = v
		case "window":
			t.Window, _ = strconv.Atoi(v)
		case "max_starts":
			t.MaxStarts, _ = strconv.Atoi(v)
		case "parts":
			t.Parts = strings.Fields(v)
		}
	}
	return t, true, sc.Err()
}

// outcome is outcome.json: the state of the last update, as reported.
type outcome struct {
	State   string    `json:"state"`
	Version string    `json:"version,omitempty"`
	From    string    `json:"from,omitempty"`
	Code    string    `json:"code,omitempty"`
	Reason  string    `json:"reason,omitempty"`
	At      time.Time `json:"at,omitzero"`
}

func (s slots) readOutcome() (outcome, error) {
	var o outcome
	b, err := os.ReadFile(s.path(outcomeName))
	if errors.Is(err, fs.ErrNotExist) {
		return o, nil
	}
	if err != nil {
		return o, err
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return outcome{}, fmt.Errorf("%s rusak: %w", s.path(outcomeName), err)
	}
	if o.Reason == "" {
		o.Reason = rollbackReasons[o.Code]
	}
	return o, nil
}

func (s slots) writeOutcome(o outcome) error {
	b, err := json.Marshal(o)
	if err != nil {
		return err
	}
	return release.WriteFile(s.path(outcomeName), append(b, '\n'), 0o640)
}

// report is o as headquarters gets it.
func (o outcome) report() wire.UpdateReport {
	return wire.UpdateReport{State: o.State, Version: o.Version, From: o.From, Code: o.Code, Reason: o.Reason, At: o.At}
}

// staged is the verified release in slot, if one is there.
func (s slots) staged(slot string, keys []release.PublicKey) (*release.Manifest, bool) {
	raw, err1 := os.ReadFile(s.path(slot, manifestName))
	sig, err2 := os.ReadFile(s.path(slot, signatureName))
	if err1 != nil || err2 != nil {
		return nil, false
	}
	m, err := release.Verify(keys, raw, sig)
	if err != nil {
		return nil, false
	}
	return m, true
}

// bootClock is the kernel's boot_id and the seconds since boot, as the script reads
// them (/proc/sys/kernel/random/boot_id, /proc/uptime).
func bootClock() (boot string, uptime int, err error) {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return "", 0, err
	}
	u, err := os.ReadFile("/proc/uptime")
	if err != nil {
		return "", 0, err
	}
	secs, _, _ := strings.Cut(string(u), ".")
	n, err := strconv.Atoi(strings.TrimSpace(secs))
	if err != nil {
		return "", 0, fmt.Errorf("/proc/uptime tidak terbaca: %q", u)
	}
	return strings.TrimSpace(string(b)), n, nil
}
