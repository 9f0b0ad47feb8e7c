package display

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/antri-id/antri/display/voice"
	"github.com/antri-id/antri/queue/httpjson"
)

// voiceLibrary is the office's voice: where each clip of a call is (package voice), and
// which clips may be served — the built-in ones and the words of the office's names,
// nothing a request could make up.
type voiceLibrary struct {
	*voice.Library
	allowed  map[string]bool
	mu       sync.Mutex
	warned   map[string]bool // words already logged as spelled
	prepared bool            // PrepareVoice has finished (guarded by mu)
}

func newVoiceLibrary(o Options) *voiceLibrary {
	l := &voice.Library{Builtin: mustSub(Web, "voice"), Synth: o.Synth}
	if o.DataDir != "" {
		l.Recordings = filepath.Join(o.DataDir, "voice")
		l.Cache = filepath.Join(o.DataDir, "voice-synth")
	}
	if l.Synth == nil {
		if e, err := voice.FindEspeak(); err == nil {
			l.Synth = e
		}
	}
	v := &voiceLibrary{Library: l, allowed: map[string]bool{}, warned: map[string]bool{}}
	for _, t := range voice.OfficeTokens(o.Queue.Config()) {
		v.allowed[t] = true
	}
	return v
}

// PrepareVoice synthesises, once, every word of the office's names that has no clip
// (display/voice), so that no call waits for espeak-ng. antrid runs it in the background
// at start; it returns when every word has a clip or ctx ends, and logs the words that
// will be spelled instead. From its start /healthz has a "voice" part (voiceHealth).
func (s *Server) PrepareVoice(ctx context.Context) {
	s.SetCheck("voice", s.voiceHealth)
	err := s.voice.Prepare(ctx, voice.OfficeTokens(s.q.Config()))
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		s.log.Warn("suara panggilan: sebagian kata nama loket/layanan akan dieja huruf demi huruf", "err", err)
	}
	s.voice.mu.Lock()
	s.voice.prepared = true
	s.voice.mu.Unlock()
}

// voiceHealth is the "voice" part of /healthz: whether every word the office's calls say
// has a sound — the office's recording, built in, or synthesised — so that no name is
// spelled letter by letter on the TVs ("M E J A …", issue 11). A TV announcing names
// badly is found on the admin page and at headquarters, not by citizens. While antrid
// still synthesises the words at start it is well, and says how many are left; a word
// without sound afterwards (no espeak-ng, or it failed) is a fault that names the words
// and what to do. A recording dropped into <data>/voice/ mends it at the next check.
func (s *Server) voiceHealth(context.Context) Health {
	tokens := voice.OfficeTokens(s.q.Config())
	var missing []string
	synthesised, recorded := 0, 0
	for _, t := range tokens {
		c, ok := s.voice.Find(t)
		switch {
		case !ok:
			missing = append(missing, t)
		case c.Source == "sintesis":
			synthesised++
		case c.Source == "rekaman":
			recorded++
		}
	}
	s.voice.mu.Lock()
	prepared := s.voice.prepared
	s.voice.mu.Unlock()
	switch {
	case len(missing) == 0:
		return Health{OK: true, Detail: fmt.Sprintf("semua %d klip panggilan ada: %d kata disintesis, %d rekaman kantor", len(tokens), synthesised, recorded)}
	case !prepared && s.voice.Synth != nil && s.voice.Cache != "":
		return Health{OK: true, Detail: fmt.Sprintf("menyiapkan suara nama loket dan layanan: %d kata lagi", len(missing))}
	}
	shown := missing
	if len(shown) > 5 {
		shown = shown[:5]
	}
	words := strings.Join(shown, ", ")
	if len(missing) > len(shown) {
		words += ", …"
	}
	why := "espeak-ng tidak terpasang: pasang paket espeak-ng (apt-get install espeak-ng) lalu jalankan ulang antrid"
	if s.voice.Synth != nil && s.voice.Cache != "" {
		why = "espeak-ng gagal membuatnya (lihat log antrid)"
	}
	return Health{Error: fmt.Sprintf("%d kata nama loket/layanan diucapkan huruf demi huruf (%s); %s, atau taruh rekaman KATA.ogg di folder voice/ data antrid", len(missing), words, why)}
}

// VoiceCall is the answer of GET /api/voice/{number}/{counter}: what the display plays
// when a ticket is called.
type VoiceCall struct {
	Number  string   `json:"number"`
	Counter string   `json:"counter"`
	Phrase  string   `json:"phrase"` // e.g. "Nomor antrean, A, dua belas, silakan menuju loket tiga"
	Clips   []string `json:"clips"`  // addresses of the clips in order, chime first
	// Burst is said instead while other calls wait to be announced: the number and the
	// counter once, no chime, so that a burst of calls is heard within seconds.
	Burst []string `json:"burst"`
}

// voiceCall tells the display which clips announce a call, so that the rules of
// Indonesian number words and of saying names live in one place (package voice) and not
// again in JS.
func (s *Server) voiceCall(w http.ResponseWriter, r *http.Request) {
	number, id := r.PathValue("number"), r.PathValue("counter")
	cfg := s.q.Config()
	k, ok := cfg.Counter(id)
	if !ok {
		httpjson.Error(w, http.StatusNotFound, "loket \""+id+"\" tidak ada")
		return
	}
	a, err := voice.Announce(voice.RequestFor(cfg, number, k))
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	out := VoiceCall{Number: number, Counter: k.ID, Phrase: a.Phrase}
	out.Clips = s.voiceURLs(r.Context(), a.Clips)
	out.Burst = s.voiceURLs(r.Context(), a.Burst)
	httpjson.Write(w, http.StatusOK, out)
}

// voiceURLs gives the addresses of the clips that say tokens, synthesising a word the
// first time it is needed; a word that cannot be is spelled, and logged once.
func (s *Server) voiceURLs(ctx context.Context, tokens []string) []string {
	clips, err := s.voice.Clips(ctx, tokens)
	if err != nil {
		s.voice.mu.Lock()
		if !s.voice.warned[err.Error()] {
			s.voice.warned[err.Error()] = true
			s.log.Warn("suara panggilan: kata tanpa klip dieja huruf demi huruf", "err", err)
		}
		s.voice.mu.Unlock()
	}
	urls := make([]string, 0, len(clips))
	for _, c := range clips {
		urls = append(urls, "/voice/"+c.Token+c.Ext)
	}
	return urls
}

// voiceClip serves /voice/NAME.ogg (or .wav): the office's recording in <data>/voice/
// when there is one, else the built-in clip, else the word synthesised on this
// appliance. Only the clips of the office's calls are served.
func (s *Server) voiceClip(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("clip")
	name := strings.TrimSuffix(strings.TrimSuffix(file, voice.Ext), voice.WavExt)
	if name == file || !s.voice.allowed[name] {
		httpjson.Error(w, http.StatusNotFound, "klip suara tidak dikenal: "+file+"; nama klip ada di display/voice/README.md")
		return
	}
	c, ok := s.voice.Find(name)
	if !ok {
		httpjson.Error(w, http.StatusNotFound, "klip "+file+" belum ada; taruh rekaman di <data>/voice/ atau pasang espeak-ng")
		return
	}
	f, err := s.voice.Open(c)
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, err.Error())
		return
	}
	defer f.Close()
	ctype := "audio/ogg"
	if c.Ext == voice.WavExt {
		ctype = "audio/wav"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "max-age=300") // a replaced recording is heard within minutes
	if rs, ok := f.(io.ReadSeeker); ok {
		http.ServeContent(w, r, c.Token+c.Ext, modTime(f), rs)
		return
	}
	io.Copy(w, f)
}

func modTime(f fs.File) (t time.Time) {
	if st, err := f.Stat(); err == nil {
		return st.ModTime()
	}
	return t
}
