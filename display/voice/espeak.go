package voice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os/exec"
	"strings"
	"sync"
)

// Espeak synthesises words with espeak-ng's Indonesian voice, offline, on the appliance
// (Debian package espeak-ng, a dependency of antri's package), with the settings of the
// built-in clips (gen-clips.sh).
type Espeak struct {
	Path string // the espeak-ng program
}

// FindEspeak returns the espeak-ng on PATH, or an error that says how to install it.
func FindEspeak() (*Espeak, error) {
	p, err := exec.LookPath("espeak-ng")
	if err != nil {
		return nil, errors.New("espeak-ng tidak terpasang: nama tanpa rekaman akan dieja huruf demi huruf (apt-get install espeak-ng)")
	}
	return &Espeak{Path: p}, nil
}

// Synthesize says word and returns espeak-ng's WAV. The word is a clip token (letters and
// dashes only), given as one argument: nothing of it reaches a shell.
func (e *Espeak) Synthesize(ctx context.Context, word string) ([]byte, error) {
	if !tokenRE.MatchString(word) {
		return nil, fmt.Errorf("%q is not a word", word)
	}
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, e.Path, "-v", "id", "-s", "135", "-p", "45", "--stdout", "--", strings.ReplaceAll(word, "-", " "))
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("espeak-ng: %v %s", err, strings.TrimSpace(stderr.String()))
	}
	return out.Bytes(), nil
}

// FakeSynth is a Synthesizer for tests and machines without espeak-ng: a tone whose
// length grows with the word, so that clips differ. It records the words it said.
type FakeSynth struct {
	mu    sync.Mutex
	words []string
}

// Synthesize returns a tone of 60 ms per letter at 16 kHz, with silence around it as a
// real synthesiser leaves.
func (f *FakeSynth) Synthesize(ctx context.Context, word string) ([]byte, error) {
	f.mu.Lock()
	f.words = append(f.words, word)
	f.mu.Unlock()
	const rate = 16000
	p := PCM{Rate: rate, Samples: make([]int16, rate/10)} // 100 ms of silence first
	for i := range len(word) * rate * 6 / 100 {
		p.Samples = append(p.Samples, int16(8000*math.Sin(2*math.Pi*440*float64(i)/rate)))
	}
	p.Samples = append(p.Samples, make([]int16, rate/10)...)
	return p.WAV(), nil
}

// Said returns the words synthesised so far.
func (f *FakeSynth) Said() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.words...)
}
