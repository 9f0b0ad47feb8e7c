package voice

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"
)

// WavExt is the extension of a synthesised word: PCM in a WAV file, which Chromium plays
// and which needs no encoder on the appliance.
const WavExt = ".wav"

// Clip is where one token's sound is, as found by a Library.
type Clip struct {
	Token string
	// Ext is ".ogg" or ".wav": how the file is served.
	Ext string
	// Source says where the sound comes from: "rekaman" (the office's own recording),
	// "bawaan" (built into antrid), "sintesis" (synthesised on this appliance) or "eja"
	// (no clip: the word spelled with letter clips, as a last resort).
	Source string
	path   string // in Builtin for "bawaan", on disk otherwise
}

// Library finds the sound of every clip token, in this order: the office's recording in
// Recordings (NAME.ogg or NAME.wav), the built-in clip (NAME.ogg in Builtin), the word
// synthesised before (NAME.wav in Cache), and else it synthesises the word once with
// Synth and keeps it in Cache. An office may so replace any clip, word or sound, by
// dropping a recording in Recordings, without restarting anything.
//
// Cache is on the SD card: a word is written once, to a temporary file renamed into place,
// so a power cut never leaves half a clip, and never rewritten.
type Library struct {
	Recordings string      // the office's recordings: <data>/voice
	Builtin    fs.FS       // the default clips, NAME.ogg
	Cache      string      // synthesised words: <data>/voice-synth ("": synthesise nothing)
	Synth      Synthesizer // nil: a word with no clip is spelled
	mu         sync.Mutex  // one synthesis at a time; guards failed
	failed     map[string]time.Time
}

// Synthesizer says a word: it returns the sound as a WAV file (16-bit PCM, mono).
type Synthesizer interface {
	Synthesize(ctx context.Context, word string) ([]byte, error)
}

// tokenRE is what a clip token may be: the phrase clips' names, and the words of names.
var tokenRE = regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)

// aliases are the older names of built-in clips that an office's recordings may still
// carry: the first clip set said "antrian" where KBBI has "antrean".
var aliases = map[string]string{ClipNomorAntrean: "nomor-antrian"}

// retryFailed is how long a word whose synthesis failed is spelled before trying again.
const retryFailed = 10 * time.Minute

// Find returns where token's sound is without synthesising anything; ok is false when it
// has none yet.
func (l *Library) Find(token string) (c Clip, ok bool) {
	if !tokenRE.MatchString(token) {
		return Clip{}, false
	}
	names := []string{token}
	if a, ok := aliases[token]; ok {
		names = append(names, a)
	}
	if l.Recordings != "" {
		for _, name := range names {
			for _, ext := range []string{Ext, WavExt} {
				p := filepath.Join(l.Recordings, name+ext)
				if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
					return Clip{Token: token, Ext: ext, Source: "rekaman", path: p}, true
				}
			}
		}
	}
	if l.Builtin != nil {
		if _, err := fs.Stat(l.Builtin, token+Ext); err == nil {
			return Clip{Token: token, Ext: Ext, Source: "bawaan", path: token + Ext}, true
		}
	}
	if l.Cache != "" {
		p := filepath.Join(l.Cache, token+WavExt)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return Clip{Token: token, Ext: WavExt, Source: "sintesis", path: p}, true
		}
	}
	return Clip{}, false
}

// Clips returns the clips that say tokens, in order: each token's own clip, synthesised
// now when it is a word with none yet; a word that cannot be synthesised (no espeak-ng,
// or it failed) is spelled with the letter clips, and the error says why.
func (l *Library) Clips(ctx context.Context, tokens []string) ([]Clip, error) {
	var out []Clip
	var errs []error
	for _, t := range tokens {
		c, err := l.clip(ctx, t)
		if err == nil {
			out = append(out, c)
			continue
		}
		errs = append(errs, err)
		for _, r := range t {
			if r >= 'a' && r <= 'z' {
				if c, ok := l.Find(string(r)); ok {
					c.Source = "eja"
					out = append(out, c)
				}
			}
		}
	}
	return out, errors.Join(errs...)
}

func (l *Library) clip(ctx context.Context, token string) (Clip, error) {
	if c, ok := l.Find(token); ok {
		return c, nil
	}
	if !tokenRE.MatchString(token) {
		return Clip{}, fmt.Errorf("voice: %q is not a clip name", token)
	}
	if l.Synth == nil || l.Cache == "" {
		return Clip{}, fmt.Errorf("voice: no clip for %q and no espeak-ng to say it (apt-get install espeak-ng, or record %s.ogg in the data folder's voice/)", token, token)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if c, ok := l.Find(token); ok { // synthesised while this call waited
		return c, nil
	}
	if at, ok := l.failed[token]; ok && time.Since(at) < retryFailed {
		return Clip{}, fmt.Errorf("voice: %q could not be synthesised a moment ago; spelled for now", token)
	}
	if err := l.synthesise(ctx, token); err != nil {
		if l.failed == nil {
			l.failed = map[string]time.Time{}
		}
		l.failed[token] = time.Now()
		return Clip{}, err
	}
	delete(l.failed, token)
	c, _ := l.Find(token)
	return c, nil
}

// synthesise says token with Synth, trims it and writes it into Cache once.
func (l *Library) synthesise(ctx context.Context, token string) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	raw, err := l.Synth.Synthesize(ctx, token)
	if err != nil {
		return fmt.Errorf("voice: synthesising %q: %w", token, err)
	}
	wav, err := TrimWAV(raw, 80*time.Millisecond)
	if err != nil {
		return fmt.Errorf("voice: synthesising %q: %w", token, err)
	}
	if err := os.MkdirAll(l.Cache, 0o755); err != nil {
		return fmt.Errorf("voice: %w", err)
	}
	return writeOnce(filepath.Join(l.Cache, token+WavExt), wav)
}

// writeOnce writes data to path through a temporary file that is synced and renamed, so
// the file is whole or absent after a power cut.
func writeOnce(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*"+WavExt)
	if err != nil {
		return fmt.Errorf("voice: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("voice: writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("voice: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("voice: writing %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("voice: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Open returns the sound of a clip.
func (l *Library) Open(c Clip) (fs.File, error) {
	if c.Source == "bawaan" {
		return l.Builtin.Open(c.path)
	}
	return os.Open(c.path)
}

// Prepare makes sure every word of tokens has a clip, synthesising those missing one
// after the other, so that the first call of the day is not the one that waits for
// espeak-ng. It returns the words that have none (they will be spelled), with why.
func (l *Library) Prepare(ctx context.Context, tokens []string) error {
	var errs []error
	for _, t := range tokens {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if _, err := l.clip(ctx, t); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
