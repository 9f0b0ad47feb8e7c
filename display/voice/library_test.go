package voice_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/antri-id/antri/display/voice"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// newLibrary is a library with two built-in clips (the chime and the letter a), an empty
// recordings folder and a cache synthesised by a fake.
func newLibrary(t *testing.T) (*voice.Library, *voice.FakeSynth) {
	t.Helper()
	dir := t.TempDir()
	synth := &voice.FakeSynth{}
	return &voice.Library{
		Recordings: filepath.Join(dir, "voice"),
		Builtin:    fstest.MapFS{"chime.ogg": {Data: []byte("OggS chime")}, "a.ogg": {Data: []byte("OggS a")}, "b.ogg": {Data: []byte("OggS b")}},
		Cache:      filepath.Join(dir, "voice-synth"),
		Synth:      synth,
	}, synth
}

func sources(cs []voice.Clip) string {
	var s []string
	for _, c := range cs {
		s = append(s, c.Token+c.Ext+":"+c.Source)
	}
	return strings.Join(s, " ")
}

// A word with no clip is synthesised once, trimmed, and kept; an office's recording,
// dropped in later, wins over it at once, as it does over a built-in clip.
func TestLibrarySynthesisesEachWordOnce(t *testing.T) {
	l, synth := newLibrary(t)
	ctx := context.Background()
	cs, err := l.Clips(ctx, []string{"chime", "informasi", "a", "informasi"})
	if err != nil {
		t.Fatal(err)
	}
	if got := sources(cs); got != "chime.ogg:bawaan informasi.wav:sintesis a.ogg:bawaan informasi.wav:sintesis" {
		t.Errorf("clips %s", got)
	}
	if got := synth.Said(); !slices.Equal(got, []string{"informasi"}) {
		t.Errorf("synthesised %v, want informasi once", got)
	}
	data, err := os.ReadFile(filepath.Join(l.Cache, "informasi.wav"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := voice.ParseWAV(data)
	// The fake says 9 letters × 60 ms with 100 ms of silence each side: trimmed to the
	// word and 80 ms of pause.
	if err != nil || p.Duration() < 600*time.Millisecond || p.Duration() > 650*time.Millisecond {
		t.Errorf("cached clip: %v long, %v", p.Duration(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(l.Cache, ".tmp-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// A second library on the same folders (antrid restarted) synthesises nothing.
	again := &voice.Library{Recordings: l.Recordings, Builtin: l.Builtin, Cache: l.Cache, Synth: synth}
	if _, err := again.Clips(ctx, []string{"informasi"}); err != nil || len(synth.Said()) != 1 {
		t.Errorf("after a restart: %v, synthesised %v", err, synth.Said())
	}
	// The office records the word, and its own chime (under the old name of a clip too).
	os.MkdirAll(l.Recordings, 0o755)
	for _, f := range []string{"informasi.ogg", "chime.wav", "nomor-antrian.ogg"} {
		os.WriteFile(filepath.Join(l.Recordings, f), []byte("OggS recorded"), 0o644)
	}
	cs, _ = l.Clips(ctx, []string{"chime", "informasi", "nomor-antrean"})
	if got := sources(cs); got != "chime.wav:rekaman informasi.ogg:rekaman nomor-antrean.ogg:rekaman" {
		t.Errorf("with recordings: %s", got)
	}
	f, err := l.Open(cs[2])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if b, _ := io.ReadAll(f); string(b) != "OggS recorded" {
		t.Errorf("nomor-antrean plays %q, want the office's nomor-antrian.ogg", b)
	}
}

// Without a synthesiser a word is spelled with the letter clips, and the error says why;
// nothing but clip names is ever looked up.
func TestLibraryWithoutSynthesiserSpells(t *testing.T) {
	l, _ := newLibrary(t)
	l.Synth = nil
	cs, err := l.Clips(context.Background(), []string{"ab", "../a", "chime"})
	if err == nil || !strings.Contains(err.Error(), "espeak-ng") {
		t.Errorf("error %v, want one that names espeak-ng", err)
	}
	if got := sources(cs); got != "a.ogg:eja b.ogg:eja a.ogg:eja chime.ogg:bawaan" {
		t.Errorf("clips %s", got)
	}
	if _, ok := l.Find("../chime"); ok {
		t.Error("Find accepted a path")
	}
}

// Espeak, the real synthesiser of the appliance: a word comes back as a WAV that TrimWAV
// accepts, long enough to be a word.
func TestEspeakSaysAWord(t *testing.T) {
	queuetest.NeedTool(t, "espeak-ng", "apt-get install -y espeak-ng")
	e, err := voice.FindEspeak()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := e.Synthesize(context.Background(), "pengaduan")
	if err != nil {
		t.Fatal(err)
	}
	wav, err := voice.TrimWAV(raw, 80*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := voice.ParseWAV(wav)
	if d := p.Duration(); d < 300*time.Millisecond || d > 2*time.Second {
		t.Errorf("\"pengaduan\" lasts %v", d)
	}
	if _, err := e.Synthesize(context.Background(), "a; rm -rf /"); err == nil {
		t.Error("Synthesize accepted a text that is not a word")
	}
}

// Say never breaks a word into letters: the words of every service and counter of the
// MPP fixture are whole words, and a single letter is said only where the name has a
// letter standing alone ("Loket 14A").
func TestSayNoNameOfTheMPPIsSpelled(t *testing.T) {
	cfg := queuetest.Office(t, "mpp40")
	check := func(what, name string) {
		letters := 0
		for _, w := range queue.SpokenWords(name) {
			if len(w) == 1 && w[0] > '9' {
				letters++
			}
		}
		got := 0
		for _, tok := range voice.Say(name) {
			if len(tok) == 1 {
				got++
			}
		}
		if got != letters {
			t.Errorf("%s %q is said %v: %d single-letter clips, the name has %d letters standing alone", what, name, voice.Say(name), got, letters)
		}
	}
	for _, s := range cfg.Services {
		check("service "+s.Code, s.Name)
	}
	for _, k := range cfg.Counters {
		check("counter "+k.ID, k.Name)
	}
	a, err := voice.Announce(voice.RequestFor(cfg, "K-012", mustCounter(t, cfg, "info")))
	if err != nil || a.Phrase != "Nomor antrean, K, dua belas, surat keterangan catatan kepolisian skck, silakan menuju meja informasi dan pengaduan" {
		t.Errorf("K-012 to the information desk: %q, %v", a.Phrase, err)
	}
}

func mustCounter(t *testing.T, cfg *queue.Config, id string) queue.CounterConfig {
	t.Helper()
	k, ok := cfg.Counter(id)
	if !ok {
		t.Fatalf("no counter %s", id)
	}
	return k
}

// The [voice] options: repeat says the words again after the chime, chime only says no
// words, say_service = false leaves the service out; a burst is said short and once.
func TestAnnounceOptions(t *testing.T) {
	no := false
	cfg := queuetest.Office(t, "mpp40", func(c *queue.Config) { c.Voice.Repeat = 2 })
	k := mustCounter(t, cfg, "1")
	a, _ := voice.Announce(voice.RequestFor(cfg, "A-001", k))
	if got := strings.Join(a.Clips, " "); got != "chime nomor-antrean a satu perekaman ktp el silakan-menuju-loket satu nomor-antrean a satu perekaman ktp el silakan-menuju-loket satu" {
		t.Errorf("repeat 2: %s", got)
	}
	if got := strings.Join(a.Burst, " "); got != "a satu silakan-menuju-loket satu" {
		t.Errorf("burst: %s", got)
	}
	cfg = queuetest.Office(t, "mpp40", func(c *queue.Config) { c.Voice.ChimeOnly = true })
	if a, _ := voice.Announce(voice.RequestFor(cfg, "A-001", k)); strings.Join(a.Clips, " ") != "chime" || strings.Join(a.Burst, " ") != "chime" {
		t.Errorf("chime only: %v / %v", a.Clips, a.Burst)
	}
	cfg = queuetest.Office(t, "mpp40", func(c *queue.Config) { c.Voice.SayService = &no; c.Services[0].Spoken = "K T P elektronik" })
	if a, _ := voice.Announce(voice.RequestFor(cfg, "A-001", k)); strings.Contains(a.Phrase, "ktp") || strings.Contains(a.Phrase, "elektronik") {
		t.Errorf("say_service = false: %q", a.Phrase)
	}
	cfg = queuetest.Office(t, "mpp40", func(c *queue.Config) { c.Services[0].Spoken = "K T P elektronik" })
	if a, _ := voice.Announce(voice.RequestFor(cfg, "A-001", k)); !strings.Contains(strings.Join(a.Clips, " "), "a satu k t p elektronik silakan") {
		t.Errorf("spoken \"K T P elektronik\": %v", a.Clips)
	}
	toks := voice.OfficeTokens(queuetest.Office(t, "mpp40"))
	for _, want := range []string{"chime", "refused", "informasi", "pengaduan", "ktp", "skck", "prioritas", "prio"} {
		if !slices.Contains(toks, want) {
			t.Errorf("OfficeTokens lacks %q", want)
		}
	}
}

// BenchmarkPrepareMPP is the first start of an MPP's appliance: every word of the 40
// services' and 40 counters' names synthesised with espeak-ng, trimmed and written to the
// cache (docs/PERFORMANCE.md, "Voice"). Later starts find them all and synthesise nothing.
func BenchmarkPrepareMPP(b *testing.B) {
	queuetest.NeedTool(b, "espeak-ng", "apt-get install -y espeak-ng")
	e, err := voice.FindEspeak()
	if err != nil {
		b.Fatal(err)
	}
	toks := voice.OfficeTokens(queuetest.Office(b, "mpp40"))
	words := 0
	for b.Loop() {
		b.StopTimer()
		l := &voice.Library{Builtin: os.DirFS(filepath.Join("..", "web", "voice")), Cache: b.TempDir(), Synth: e}
		b.StartTimer()
		if err := l.Prepare(context.Background(), toks); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		entries, _ := os.ReadDir(l.Cache)
		words = len(entries)
		b.StartTimer()
	}
	b.ReportMetric(float64(words), "words")
}
