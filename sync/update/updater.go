// Package update is the office's updater (docs/FLEET.md): on its regular check with
// headquarters it reports how its last update went and learns the release it should
// run; it verifies the release (package sync/release), downloads it into the slot
// the running binary is not in, switches to it outside opening hours by renaming a
// symbolic link, and exits so that systemd starts the new binary. The new binary is on
// trial until it has been healthy for a while; if it is not — it crashes, hangs or
// cannot start — deploy/antri-update.sh switches back without it.
package update

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/antri-id/antri/sync/release"
	"github.com/antri-id/antri/sync/wire"
)

// Options configure an Updater. Dir, Version, Keys, Client, Health and Restart are
// required.
type Options struct {
	Dir        string // the update folder (slots.go)
	PackageBin string // the Debian package's binary, the first slot (default /usr/bin/antrid)
	Executable string // this program's file (default os.Executable)
	Version    string // the running version
	Schema     int    // the newest migration this program knows (default: its own)

	Keys   []release.PublicKey // [update] public_keys
	Client *Client

	CheckEvery   time.Duration // how often to check with headquarters (default 10m)
	HealthWindow time.Duration // how long a new version has to confirm it is healthy (default 5m)
	ConfirmAfter time.Duration // how long it must be healthy to confirm (default HealthWindow/5, at most 1m)
	MaxStarts    int           // starts of a new version before the script switches back (default 3)

	// ApplyNow restarts into an installed release at once instead of waiting for a
	// quiet moment.
	ApplyNow bool
	// Quiet reports whether a restart now disturbs no one (the office closed, no one
	// waiting or at a counter); nil: always.
	Quiet func(context.Context) bool
	// Health reports each /healthz part and whether it is ok, as the running program
	// answers its own /healthz (the HTTP server included).
	Health func(context.Context) (map[string]bool, error)
	// Restart ends the program so that its service manager starts `current` again:
	// antrid stops as on SIGTERM, and systemd (Restart=always) starts it.
	Restart func()
	// Changed, when set, is called after the update's outcome changed (the report
	// headquarters gets): antrid sends its health at once and the admin page reloads.
	Changed func()

	Logger *slog.Logger
	Now    func() time.Time
}

// Updater is the office's updater. Run it on a goroutine of its own.
type Updater struct {
	o      Options
	s      slots
	office release.Office
	wake   chan struct{}

	// switching is held by whatever may write the slots or start a trial (consider,
	// maybeApply, packageIsNewer): a check's finding about a release must never
	// overwrite the "trial" of a switch the admin started meanwhile, nor a switch
	// take a slot a download is writing.
	switching sync.Mutex

	mu         sync.Mutex
	trial      *trialFile // this program is on trial
	lastCheck  time.Time
	lastErr    string
	desired    string
	note       string
	waiting    string          // why an installed release has not been started yet
	refused    map[string]bool // offers (manifest and signature) refused after a download
	restarting bool
}

// New checks the options and builds the updater.
func New(o Options) (*Updater, error) {
	if o.Dir == "" || o.Version == "" || len(o.Keys) == 0 || o.Client == nil || o.Health == nil || o.Restart == nil {
		return nil, errNoUpdates
	}
	if o.PackageBin == "" {
		o.PackageBin = "/usr/bin/antrid"
	}
	if o.Executable == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		o.Executable = exe
	}
	if o.CheckEvery <= 0 {
		o.CheckEvery = 10 * time.Minute
	}
	if o.HealthWindow <= 0 {
		o.HealthWindow = 5 * time.Minute
	}
	if o.ConfirmAfter <= 0 {
		o.ConfirmAfter = min(o.HealthWindow/5, time.Minute)
	}
	if o.MaxStarts <= 0 {
		o.MaxStarts = 3
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	info := release.Running(o.Version)
	if o.Schema == 0 {
		o.Schema = info.Schema
	}
	if err := os.MkdirAll(o.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("membuat folder pembaruan %s: %w", o.Dir, err)
	}
	return &Updater{o: o, s: slots{dir: o.Dir}, wake: make(chan struct{}, 1), refused: map[string]bool{},
		office: release.Office{Version: o.Version, OS: info.OS, Arch: info.Arch, Schema: o.Schema}}, nil
}

// Report is the office's update state as headquarters gets it.
func (u *Updater) Report() wire.UpdateReport {
	o, err := u.s.readOutcome()
	if err != nil {
		u.o.Logger.Error("membaca hasil pembaruan", "err", err)
	}
	r := o.report()
	r.Running, r.OS, r.Arch = u.o.Version, u.office.OS, u.office.Arch
	return r
}

// Check makes the updater check with headquarters now.
func (u *Updater) Check() {
	select {
	case u.wake <- struct{}{}:
	default:
	}
}

// Run checks with headquarters until ctx ends: at once, then every CheckEvery (every
// minute while an installed release waits for a quiet moment). On a trial it also
// watches its own health and confirms it.
func (u *Updater) Run(ctx context.Context) error {
	u.reconcile()
	u.mu.Lock()
	onTrial := u.trial != nil
	u.mu.Unlock()
	if !onTrial && u.packageIsNewer(ctx) {
		return nil // restarting into it
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	if onTrial {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u.confirmWhenHealthy(ctx)
		}()
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-u.wake:
		case <-t.C:
		}
		u.step(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait := u.o.CheckEvery
		if o, _ := u.s.readOutcome(); o.State == wire.UpdateInstalled {
			wait = min(wait, time.Minute)
		}
		t.Reset(wait)
	}
}

// reconcile reads what an earlier run and the script left.
func (u *Updater) reconcile() {
	// A confirmation cut short after it claimed the trial.
	if _, err := os.Stat(u.s.path(trialName + ".confirmed")); err == nil {
		t, _, _ := u.s.readTrialNamed(trialName + ".confirmed")
		u.finishConfirm(t)
	}
	t, ok, err := u.s.readTrial()
	if err != nil {
		u.o.Logger.Error("membaca berkas uji coba pembaruan", "err", err)
		return
	}
	if !ok {
		return
	}
	switch {
	case t.Version == u.o.Version:
		u.mu.Lock()
		u.trial = &t
		u.mu.Unlock()
		u.o.Logger.Info("versi ini sedang diuji coba; dikonfirmasi setelah sehat", "version", t.Version, "from", t.From, "confirm_after", u.o.ConfirmAfter)
	case !isLink(u.s.path(currentLink)) || resolve(u.s.path(currentLink)) == resolve(u.s.path(fallbackLink)):
		// The switch was cut off after the trial was written but before `current`
		// moved: nothing was tried. Undo the trial; the release is installed still.
		u.o.Logger.Warn("peralihan pembaruan terputus sebelum selesai; dicoba lagi nanti", "version", t.Version)
		for _, n := range []string{trialName, clockName, attemptsName, fallbackLink} {
			os.Remove(u.s.path(n))
		}
		u.setOutcome(outcome{State: wire.UpdateInstalled, Version: t.Version, From: u.o.Version})
	}
}

// packageIsNewer switches to the Debian package's binary, on trial, when a newer
// package was installed by hand while a release from headquarters runs: what the
// technician installed is what should run. It reports whether it did.
func (u *Updater) packageIsNewer(ctx context.Context) bool {
	pkg := resolve(u.o.PackageBin)
	if pkg == "" || pkg == resolve(u.o.Executable) {
		return false
	}
	info, err := release.AskBinary(ctx, pkg)
	if err != nil || release.Compare(release.ParseVersion(info.Version), release.ParseVersion(u.o.Version)) <= 0 {
		return false
	}
	if last, _ := u.s.readOutcome(); last.State == wire.UpdateRolledBack && last.Version == info.Version {
		return false // it was tried and failed: the slot runs on
	}
	u.switching.Lock()
	defer u.switching.Unlock()
	m := release.Manifest{Format: release.Format1, Product: info.Product, Version: info.Version, OS: info.OS, Arch: info.Arch,
		Size: 1, SHA256: strings.Repeat("0", 64), Schema: info.Schema, Migrations: info.Migrations}
	if err := m.Check(u.office); err != nil {
		u.refuse(info.Version, err)
		return false
	}
	u.o.Logger.Warn("paket Debian yang lebih baru terpasang; beralih ke sana", "package", pkg, "version", info.Version)
	return u.startTrial(ctx, pkg, info.Version) == nil
}

// step is one check with headquarters and what follows from its answer.
func (u *Updater) step(ctx context.Context) {
	ans, err := u.o.Client.Check(ctx, u.Report())
	u.mu.Lock()
	u.lastCheck = u.o.Now()
	if err != nil {
		u.lastErr = err.Error()
	} else {
		u.lastErr, u.desired, u.note = "", ans.Desired, ans.Note
	}
	u.mu.Unlock()
	if err != nil {
		if ctx.Err() == nil {
			u.o.Logger.Warn("pemeriksaan pembaruan ke headquarters gagal; dicoba lagi nanti", "err", err)
		}
		return
	}
	if ans.Release != nil {
		u.consider(ctx, ans.Release)
	}
	u.maybeApply(ctx, false)
}

func offerKey(r *wire.OfferedRelease) string {
	h := sha256.New()
	h.Write(r.Manifest)
	h.Write([]byte{0})
	h.Write(r.Signature)
	return string(h.Sum(nil))
}

// consider installs the offered release into the other slot, or refuses it.
func (u *Updater) consider(ctx context.Context, rel *wire.OfferedRelease) {
	u.switching.Lock()
	defer u.switching.Unlock()
	u.mu.Lock()
	busy := u.trial != nil || u.restarting
	refusedBefore := u.refused[offerKey(rel)]
	u.mu.Unlock()
	if busy || rel.Version == u.o.Version || refusedBefore {
		return
	}
	last, _ := u.s.readOutcome()
	if last.State == wire.UpdateRolledBack && last.Version == rel.Version {
		return // a version that failed here is not tried again: publish a fixed one
	}
	m, err := release.Verify(u.o.Keys, rel.Manifest, rel.Signature)
	if err == nil && m.Version != rel.Version {
		err = &release.Refusal{Code: release.RefusedManifest, Msg: fmt.Sprintf("headquarters menawarkan %s dengan manifest versi %s", rel.Version, m.Version)}
	}
	if err == nil {
		err = m.Check(u.office)
	}
	if err != nil {
		u.refuse(rel.Version, err)
		return
	}
	slot := u.s.other(resolve(u.o.Executable))
	if staged, ok := u.s.staged(slot, u.o.Keys); ok && staged.Version == m.Version && staged.SHA256 == m.SHA256 {
		if last.State != wire.UpdateInstalled || last.Version != m.Version {
			u.setOutcome(outcome{State: wire.UpdateInstalled, Version: m.Version, From: u.o.Version})
		}
		return
	}
	if err := u.install(ctx, slot, m, rel); err != nil {
		var r *release.Refusal
		if errors.As(err, &r) {
			u.mu.Lock()
			u.refused[offerKey(rel)] = true
			u.mu.Unlock()
			u.refuse(rel.Version, err)
			return
		}
		if ctx.Err() == nil {
			u.mu.Lock()
			u.lastErr = err.Error()
			u.mu.Unlock()
			u.o.Logger.Warn("memasang pembaruan tertunda; dilanjutkan pada pemeriksaan berikutnya", "version", m.Version, "err", err)
		}
		return
	}
	u.o.Logger.Info("pembaruan terpasang di slot; menunggu saat antrid boleh dimulai ulang", "version", m.Version, "slot", slot)
	u.setOutcome(outcome{State: wire.UpdateInstalled, Version: m.Version, From: u.o.Version})
}

// install downloads the release's binary into slot and checks it: its size and
// hash against the manifest, then what it says of itself. A *release.Refusal is
// final for this offer; another error (the link) is tried again on the next check.
func (u *Updater) install(ctx context.Context, slot string, m *release.Manifest, rel *wire.OfferedRelease) error {
	dir := u.s.path(slot)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	// The slot holds another release (or a part of one): the manifest goes first, so
	// a slot is never taken for a release it no longer holds.
	part := filepath.Join(dir, binaryName+partSuffix)
	if old, ok := u.s.staged(slot, u.o.Keys); !ok || old.Version != m.Version {
		for _, n := range []string{manifestName, signatureName, binaryName} {
			if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	// A part of another release is useless: start again. (A part of this one resumes.)
	if b, err := os.ReadFile(filepath.Join(dir, "part-of")); err != nil || string(b) != m.SHA256 {
		os.Remove(part)
		if err := release.WriteFile(filepath.Join(dir, "part-of"), []byte(m.SHA256), 0o640); err != nil {
			return err
		}
	}
	if err := u.o.Client.Download(ctx, rel.Path, part, m.Size); err != nil {
		return err
	}
	size, sum, err := release.HashFile(part)
	if err != nil {
		return err
	}
	if size < m.Size {
		return fmt.Errorf("unduhan %s baru %d dari %d byte; dilanjutkan nanti", m.Version, size, m.Size)
	}
	if err := m.CheckBinary(size, sum); err != nil {
		os.Remove(part)
		return err
	}
	if err := os.Chmod(part, 0o755); err != nil {
		return err
	}
	bin := filepath.Join(dir, binaryName)
	if err := release.Rename(part, bin); err != nil {
		return err
	}
	info, err := release.AskBinary(ctx, bin)
	if err == nil {
		err = m.Matches(info)
	}
	if err != nil {
		os.Remove(bin)
		return &release.Refusal{Code: release.RefusedSelf, Msg: "biner rilis " + m.Version + " tidak sesuai manifestnya: " + err.Error()}
	}
	if err := release.WriteFile(filepath.Join(dir, signatureName), rel.Signature, 0o640); err != nil {
		return err
	}
	return release.WriteFile(filepath.Join(dir, manifestName), rel.Manifest, 0o640)
}

// refuse records that version was not installed and why.
func (u *Updater) refuse(version string, err error) {
	code := release.RefusedManifest
	var r *release.Refusal
	if errors.As(err, &r) {
		code = r.Code
	}
	last, _ := u.s.readOutcome()
	if last.State == wire.UpdateRefused && last.Version == version && last.Code == code {
		return // said already
	}
	u.o.Logger.Warn("pembaruan ditolak", "version", version, "code", code, "reason", err.Error())
	u.setOutcome(outcome{State: wire.UpdateRefused, Version: version, From: u.o.Version, Code: code, Reason: err.Error()})
}

func (u *Updater) setOutcome(o outcome) {
	if o.At.IsZero() {
		o.At = u.o.Now().UTC()
	}
	if err := u.s.writeOutcome(o); err != nil {
		u.o.Logger.Error("menyimpan hasil pembaruan", "err", err)
	}
	u.Check() // tell headquarters now
	if u.o.Changed != nil {
		u.o.Changed()
	}
}

// maybeApply switches to the installed release when the moment is right (or force).
func (u *Updater) maybeApply(ctx context.Context, force bool) error {
	if !force {
		u.switching.Lock()
	} else if !u.lockSwitchingWithin(5 * time.Second) {
		// The admin's button waits for a check, not for a download of minutes.
		return errors.New("pembaruan sedang diunduh atau dipasang; coba lagi sebentar lagi")
	}
	defer u.switching.Unlock()
	u.mu.Lock()
	busy := u.trial != nil || u.restarting
	u.mu.Unlock()
	if busy {
		return errors.New("versi ini sedang diuji coba atau antrid sedang dimulai ulang")
	}
	last, _ := u.s.readOutcome()
	if last.State != wire.UpdateInstalled {
		return errors.New("tidak ada pembaruan yang menunggu dipasang")
	}
	slot := u.s.other(resolve(u.o.Executable))
	m, ok := u.s.staged(slot, u.o.Keys)
	if !ok || m.Version != last.Version {
		return errors.New("slot pembaruan tidak berisi rilis " + last.Version + "; diunduh lagi pada pemeriksaan berikutnya")
	}
	if !force && !u.o.ApplyNow && u.o.Quiet != nil && !u.o.Quiet(ctx) {
		u.mu.Lock()
		u.waiting = "kantor tutup dan tidak ada yang menunggu atau dilayani"
		u.mu.Unlock()
		return nil
	}
	return u.switchTo(ctx, slot, m)
}

// lockSwitchingWithin takes u.switching if it comes free within d.
func (u *Updater) lockSwitchingWithin(d time.Duration) bool {
	for deadline := time.Now().Add(d); !u.switching.TryLock(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

// switchTo puts the release in slot on trial: the fallback, the trial and its clock
// first, then `current` in one rename, then the restart.
func (u *Updater) switchTo(ctx context.Context, slot string, m *release.Manifest) error {
	bin := u.s.path(slot, binaryName)
	size, sum, err := release.HashFile(bin)
	if err == nil {
		err = m.CheckBinary(size, sum) // a card can spoil a file after it was checked
	}
	if err != nil {
		os.Remove(bin)
		u.refuse(m.Version, err)
		return err
	}
	return u.startTrial(ctx, bin, m.Version)
}

// startTrial puts the binary bin, of version, on trial.
func (u *Updater) startTrial(ctx context.Context, bin, version string) error {
	parts := []string{"database"}
	if got, err := u.o.Health(ctx); err == nil {
		for name, ok := range got {
			if ok && name != "database" {
				parts = append(parts, name)
			}
		}
	}
	boot, up, err := bootClock()
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	steps := []func() error{
		func() error { return u.s.link(fallbackLink, resolve(u.o.Executable)) },
		func() error { return removeIfExists(u.s.path(attemptsName)) },
		func() error {
			return release.WriteFile(u.s.path(clockName), fmt.Appendf(nil, "boot=%s\nsince=%d\n", boot, up), 0o640)
		},
		func() error {
			t := trialFile{Version: version, From: u.o.Version, Window: int(u.o.HealthWindow / time.Second),
				MaxStarts: u.o.MaxStarts, Parts: parts}
			return release.WriteFile(u.s.path(trialName), t.encode(), 0o640)
		},
		func() error {
			return u.s.writeOutcome(outcome{State: wire.UpdateTrial, Version: version, From: u.o.Version, At: u.o.Now().UTC()})
		},
		func() error { return u.s.link(currentLink, abs) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("beralih ke pembaruan %s: %w", version, err)
		}
	}
	u.mu.Lock()
	u.restarting = true
	u.mu.Unlock()
	u.o.Logger.Warn("beralih ke versi baru: antrid dimulai ulang", "version", version, "from", u.o.Version, "health_window", u.o.HealthWindow)
	u.o.Restart()
	return nil
}

func isLink(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode()&fs.ModeSymlink != 0
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// confirmWhenHealthy confirms the trial once every part that was healthy before the
// switch (and the database) has been healthy for ConfirmAfter without a break.
func (u *Updater) confirmWhenHealthy(ctx context.Context) {
	u.mu.Lock()
	t := *u.trial
	u.mu.Unlock()
	every := min(max(u.o.ConfirmAfter/6, 500*time.Millisecond), 10*time.Second)
	tick := time.NewTicker(every)
	defer tick.Stop()
	var since time.Time
	lastProblem := ""
	for {
		problem := ""
		got, err := u.o.Health(ctx)
		if err != nil {
			problem = err.Error()
		} else {
			for _, p := range append([]string{"database"}, t.Parts...) {
				if !got[p] {
					problem = "bagian " + p + " tidak sehat"
					break
				}
			}
		}
		switch {
		case problem != "":
			since = time.Time{}
			if problem != lastProblem {
				u.o.Logger.Warn("versi baru belum sehat; belum dikonfirmasi", "version", t.Version, "problem", problem)
			}
		case since.IsZero():
			since = time.Now()
		case time.Since(since) >= u.o.ConfirmAfter:
			u.confirm(t)
			return
		}
		lastProblem = problem
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// confirm ends the trial as a success, unless the script ended it first.
func (u *Updater) confirm(t trialFile) {
	if err := os.Rename(u.s.path(trialName), u.s.path(trialName+".confirmed")); err != nil {
		u.o.Logger.Error("uji coba sudah diakhiri (dibatalkan oleh antri-update); antrid akan dimulai ulang dengan versi sebelumnya", "err", err)
		return
	}
	u.finishConfirm(t)
}

func (u *Updater) finishConfirm(t trialFile) {
	// No longer on trial before the outcome says confirmed: whoever reads both
	// (Status) never sees a confirmed update still on trial.
	u.mu.Lock()
	u.trial = nil
	u.mu.Unlock()
	u.setOutcome(outcome{State: wire.UpdateConfirmed, Version: t.Version, From: t.From})
	for _, n := range []string{trialName + ".confirmed", clockName, attemptsName, fallbackLink} {
		os.Remove(u.s.path(n))
	}
	if err := release.SyncDir(u.s.dir); err != nil {
		u.o.Logger.Error("menyimpan konfirmasi pembaruan", "err", err)
	}
	u.o.Logger.Info("versi baru sehat: pembaruan dikonfirmasi", "version", t.Version, "from", t.From)
}

// Status is the updater's state for the admin (GET /api/admin/update).
type Status struct {
	Running   string            `json:"running"`
	OS        string            `json:"os"`
	Arch      string            `json:"arch"`
	Desired   string            `json:"desired,omitempty"` // what headquarters wants here
	Note      string            `json:"note,omitempty"`    // headquarters' remark (no build for this platform, ...)
	Update    wire.UpdateReport `json:"update"`            // the last update's state
	Trial     bool              `json:"trial"`             // this version is on trial
	Waiting   string            `json:"waiting,omitempty"` // why an installed release has not started yet
	ApplyNow  bool              `json:"apply_now"`         // [update] apply = "now"
	LastCheck time.Time         `json:"last_check,omitzero"`
	LastError string            `json:"last_error,omitempty"`
	Window    string            `json:"health_window"`
}

// Status is the updater's state now.
func (u *Updater) Status() Status {
	rep := u.Report()
	u.mu.Lock()
	defer u.mu.Unlock()
	st := Status{Running: u.o.Version, OS: u.office.OS, Arch: u.office.Arch, Desired: u.desired, Note: u.note,
		Update: rep, Trial: u.trial != nil, ApplyNow: u.o.ApplyNow, LastCheck: u.lastCheck, LastError: u.lastErr,
		Window: u.o.HealthWindow.String()}
	if rep.State == wire.UpdateInstalled {
		st.Waiting = u.waiting
	}
	return st
}

// Apply switches to the installed release now, whatever the hour: the admin's
// button.
func (u *Updater) Apply(ctx context.Context) error { return u.maybeApply(ctx, true) }
