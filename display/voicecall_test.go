package display

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/antri-id/antri/display/voice"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/httpjson"
	"github.com/antri-id/antri/queue/queuetest"
)

// get fetches a path of the office: status, body and content type.
func (o *office) get(path string) (int, []byte, string) {
	o.t.Helper()
	resp, err := http.Get(o.url(path))
	if err != nil {
		o.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header.Get("Content-Type")
}

// The answer names the clips in play order: the built-in phrase and number clips, the
// words of the service's name synthesised once, the counter. The burst form is the number
// and the counter only.
func TestVoiceCallNamesTheClips(t *testing.T) {
	synth := &voice.FakeSynth{}
	o := newOfficeOf(t, queuetest.Office(t, "pages"), synth)
	var v VoiceCall
	if code := o.call("GET", "/api/voice/A-012/1", "", nil, &v); code != 200 {
		t.Fatalf("GET /api/voice/A-012/1 = %d", code)
	}
	want := "/voice/chime.ogg /voice/nomor-antrean.ogg /voice/a.ogg /voice/dua.ogg /voice/belas.ogg /voice/perizinan.wav /voice/berusaha.wav " +
		"/voice/silakan-menuju-loket.ogg /voice/satu.ogg"
	if got := strings.Join(v.Clips, " "); got != want {
		t.Errorf("clips = %s\nwant %s", got, want)
	}
	if got := strings.Join(v.Burst, " "); got != "/voice/a.ogg /voice/dua.ogg /voice/belas.ogg /voice/silakan-menuju-loket.ogg /voice/satu.ogg" {
		t.Errorf("burst = %s", got)
	}
	if v.Phrase != "Nomor antrean, A, dua belas, perizinan berusaha, silakan menuju loket satu" {
		t.Errorf("phrase = %q", v.Phrase)
	}
	o.call("GET", "/api/voice/A-013/1", "", nil, &v)
	if said := synth.Said(); !slices.Equal(said, []string{"perizinan", "berusaha"}) {
		t.Errorf("synthesised %v, want each word of the name once", said)
	}
	if code, b, ct := o.get("/voice/perizinan.wav"); code != 200 || ct != "audio/wav" || !bytes.HasPrefix(b, []byte("RIFF")) {
		t.Errorf("/voice/perizinan.wav = %d %s (%d bytes)", code, ct, len(b))
	}
	var e httpjson.ErrorBody
	if code := o.call("GET", "/api/voice/A-012/9", "", nil, &e); code != 404 || !strings.Contains(e.Error, "loket") {
		t.Errorf("unknown counter: %d %q, want 404 naming the counter", code, e.Error)
	}
	if code := o.call("GET", "/api/voice/A-99999/1", "", nil, &e); code != 400 {
		t.Errorf("unspeakable number: %d, want 400", code)
	}
}

// An office's own recording in <data>/voice/ replaces the built-in clip of the same
// name; other clips stay built in, and nothing but the clips of the office's calls is
// served.
func TestVoiceClipsPreferTheOfficeRecording(t *testing.T) {
	o := newOfficeOf(t, queuetest.Office(t, "pages"), &voice.FakeSynth{})
	dir := filepath.Join(o.data, "voice")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	own := []byte("OggS rekaman kantor")
	os.WriteFile(filepath.Join(dir, "dua.ogg"), own, 0o644)
	os.WriteFile(filepath.Join(dir, "rahasia.ogg"), own, 0o644)
	os.WriteFile(filepath.Join(dir, "berusaha.ogg"), own, 0o644)

	if code, b, ct := o.get("/voice/dua.ogg"); code != 200 || !bytes.Equal(b, own) || ct != "audio/ogg" {
		t.Errorf("/voice/dua.ogg = %d %s %q; want the office's recording", code, ct, b)
	}
	builtin, err := os.ReadFile(filepath.Join("web", "voice", "tiga.ogg"))
	if err != nil {
		t.Fatal(err)
	}
	if code, b, _ := o.get("/voice/tiga.ogg"); code != 200 || !bytes.Equal(b, builtin) {
		t.Errorf("/voice/tiga.ogg = %d (%d bytes); want the built-in clip", code, len(b))
	}
	var v VoiceCall
	o.call("GET", "/api/voice/A-001/1", "", nil, &v)
	if !slices.Contains(v.Clips, "/voice/berusaha.ogg") || !slices.Contains(v.Clips, "/voice/perizinan.wav") {
		t.Errorf("clips %v: want the office's berusaha.ogg and a synthesised perizinan.wav", v.Clips)
	}
	for _, p := range []string{"/voice/rahasia.ogg", "/voice/..%2Fantri.db", "/voice/dua.mp3", "/voice/kata.wav"} {
		if code, _, _ := o.get(p); code != 404 {
			t.Errorf("%s = %d, want 404", p, code)
		}
	}
}

// The MPP's every counter and every service, called through the API with the appliance's
// real synthesiser: no word of a name is spelled (no single-letter clip but the ticket's
// prefix and letters written alone, as "Loket 14A"), and every clip plays from the daemon.
func TestVoiceSaysEveryNameOfTheMPP(t *testing.T) {
	queuetest.NeedTool(t, "espeak-ng", "apt-get install -y espeak-ng")
	cfg := queuetest.Office(t, "mpp40")
	o := newOfficeOf(t, cfg, nil) // espeak-ng, as antrid finds it
	served := map[string]bool{}
	check := func(number string, k queue.CounterConfig) {
		var v VoiceCall
		if code := o.call("GET", "/api/voice/"+number+"/"+k.ID, "", nil, &v); code != 200 {
			t.Fatalf("GET /api/voice/%s/%s = %d", number, k.ID, code)
		}
		prefix := strings.ToLower(strings.TrimRight(strings.Split(number, "-")[0], "0123456789"))
		allowed := map[string]bool{}
		for _, r := range prefix {
			allowed[string(r)] = true
		}
		for _, w := range queue.SpokenWords(k.Name) {
			if len(w) == 1 {
				allowed[strings.ToLower(w)] = true
			}
		}
		for _, c := range v.Clips {
			name := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(c, "/voice/"), ".ogg"), ".wav")
			if len(name) == 1 && !allowed[name] {
				t.Errorf("%s to %s (%q): the letter clip %s in %v", number, k.Name, v.Phrase, c, v.Clips)
			}
			if !served[c] {
				served[c] = true
				if code, b, ct := o.get(c); code != 200 || len(b) < 100 || !strings.HasPrefix(ct, "audio/") {
					t.Errorf("%s: %d %s, %d bytes", c, code, ct, len(b))
				}
			}
		}
	}
	one, _ := cfg.Counter("1")
	for _, s := range cfg.Services {
		check(s.Code+"-001", one)
	}
	for _, k := range cfg.Counters {
		check("A-012", k)
	}
	if entries, _ := os.ReadDir(filepath.Join(o.data, "voice-synth")); len(entries) < 50 {
		t.Errorf("%d words synthesised into <data>/voice-synth, want every word of the names", len(entries))
	}
}

// mutedSynth is a synthesiser that cannot say some words, as espeak-ng failing would.
type mutedSynth struct {
	voice.FakeSynth
	mute map[string]bool
}

func (m *mutedSynth) Synthesize(ctx context.Context, word string) ([]byte, error) {
	if m.mute[word] {
		return nil, errors.New("espeak-ng: exit status 1")
	}
	return m.FakeSynth.Synthesize(ctx, word)
}

// /healthz has a "voice" part once antrid prepares the office's voice: a word of a name
// that would be spelled letter by letter is a fault that names it and says what to do,
// and a recording of it in <data>/voice/ mends it.
func TestVoiceHealthNamesTheWordsThatWouldBeSpelled(t *testing.T) {
	o := newOfficeOf(t, queuetest.Office(t, "pages"), &mutedSynth{mute: map[string]bool{"berusaha": true}})
	voiceHealth := func() (int, Health, bool) {
		t.Helper()
		var body map[string]json.RawMessage
		code := o.call("GET", "/healthz", "rahasia-admin", nil, &body)
		var h Health
		raw, ok := body["voice"]
		if ok {
			if err := json.Unmarshal(raw, &h); err != nil {
				t.Fatal(err)
			}
		}
		return code, h, ok
	}
	if _, _, ok := voiceHealth(); ok {
		t.Error("a voice part before the voice is prepared")
	}
	o.srv.PrepareVoice(context.Background())
	code, h, _ := voiceHealth()
	if code != http.StatusServiceUnavailable || h.OK || !strings.Contains(h.Error, "1 kata") || !strings.Contains(h.Error, "berusaha") ||
		!strings.Contains(h.Error, "huruf demi huruf") || !strings.Contains(h.Error, "voice/") {
		t.Errorf("with berusaha unsayable: %d %+v", code, h)
	}
	dir := filepath.Join(o.data, "voice")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "berusaha.ogg"), []byte("OggS rekaman kantor"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, h, _ := voiceHealth(); !h.OK || !strings.Contains(fmt.Sprint(h.Detail), "1 rekaman kantor") {
		t.Errorf("with the office's recording of berusaha: %+v", h)
	}
}
