package display

import (
	"embed"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/antri-id/antri/display/voice"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/httpjson"
)

//go:embed web
var webFS embed.FS

// Web holds the page files (HTML, CSS, JS) and the built-in voice clips, with web/ as
// its root: "display.html", "app.js", "voice/dua.ogg". Everything is in the binary, so
// the pages work on an office LAN with no internet.
var Web fs.FS = mustSub(webFS, "web")

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// pages maps each page route to its file in Web.
var pages = map[string]string{
	"GET /{$}":               "index.html",
	"GET /display":           "display.html",
	"GET /kiosk":             "kiosk.html",
	"GET /counter/{counter}": "counter.html",
	"GET /layanan":           "layanan.html",
	"GET /admin":             "admin.html",
	"GET /t/{number}":        "ticket.html",

	// The small screen above one counter: its number, open / paused (why) / closed.
	"GET /display/counter/{counter}": "counterdisplay.html",
}

// contentSecurity keeps the pages to their own files: no inline script, nothing from
// outside the appliance.
const contentSecurity = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; media-src 'self'; " +
	"style-src 'self'; script-src 'self'; frame-ancestors 'none'"

func (s *Server) pageRoutes() {
	for pattern, file := range pages {
		s.mux.HandleFunc(pattern, s.page(file))
	}
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", staticFiles(http.FileServerFS(Web))))
	s.mux.HandleFunc("GET /voice/{clip}", s.voiceClip)
	s.mux.HandleFunc("GET /api/voice/{number}/{counter}", s.voiceCall)
	s.mux.HandleFunc("POST /api/admin/running-text", s.setRunningText)
	s.mux.HandleFunc("GET /api/admin/session", s.adminSession)
	s.mux.HandleFunc("GET /api/counters/{counter}/session", s.counterSession)
}

// page serves one embedded HTML file. The page reads its parameters ({counter},
// {number}) from its own address.
func (s *Server) page(file string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if id := r.PathValue("counter"); id != "" {
			if _, ok := s.q.Config().Counter(id); !ok {
				http.Error(w, "Loket \""+id+"\" tidak ada di konfigurasi kantor ini.", http.StatusNotFound)
				return
			}
		}
		body, err := fs.ReadFile(Web, file)
		if err != nil {
			http.Error(w, "halaman "+file+" tidak ada di program ini", http.StatusNotFound)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-cache") // a new antrid version must reach every TV
		h.Set("Content-Security-Policy", contentSecurity)
		h.Set("X-Content-Type-Options", "nosniff")
		w.Write(body)
	}
}

// staticFiles marks scripts and styles as revalidated on every load: embedded files
// have no modification time, so without this a TV could run an old app.js after an
// upgrade.
func staticFiles(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings, no index page under /static/
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		h.ServeHTTP(w, r)
	})
}

// voiceTokens are the clip names a call can use; nothing else is served from the
// override folder.
var voiceTokens = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range voice.Tokens() {
		m[t] = true
	}
	return m
}()

// voiceClip serves /voice/NAME.ogg: the office's recording in <data>/voice/ when there
// is one, the built-in espeak-ng clip otherwise. Only known clip names are served.
func (s *Server) voiceClip(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("clip"), voice.Ext)
	if !ok || !voiceTokens[name] {
		httpjson.Error(w, http.StatusNotFound, "klip suara tidak dikenal: "+r.PathValue("clip")+"; nama klip ada di display/voice/README.md")
		return
	}
	w.Header().Set("Content-Type", "audio/ogg")
	w.Header().Set("Cache-Control", "max-age=300") // a replaced recording is heard within minutes
	if s.data != "" {
		path := filepath.Join(s.data, "voice", name+voice.Ext)
		if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
			http.ServeFile(w, r, path)
			return
		}
	}
	data, err := fs.ReadFile(Web, "voice/"+name+voice.Ext)
	if errors.Is(err, fs.ErrNotExist) {
		httpjson.Error(w, http.StatusNotFound, "klip "+name+voice.Ext+" tidak ada; taruh rekaman di <data>/voice/ atau jalankan make voice")
		return
	}
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Write(data)
}

// VoiceCall is the answer of GET /api/voice/{number}/{counter}: what the display plays
// when a ticket is called.
type VoiceCall struct {
	Number  string   `json:"number"`
	Counter string   `json:"counter"`
	Phrase  string   `json:"phrase"` // e.g. "Nomor antrian, A, dua belas, silakan menuju loket tiga"
	Clips   []string `json:"clips"`  // addresses of the clips in order, chime first
}

// voiceCall tells the display which clips announce a call, so that the rules of
// Indonesian number words live in one place (package voice) and not again in JS.
func (s *Server) voiceCall(w http.ResponseWriter, r *http.Request) {
	number, id := r.PathValue("number"), r.PathValue("counter")
	k, ok := s.q.Config().Counter(id)
	if !ok {
		httpjson.Error(w, http.StatusNotFound, "loket \""+id+"\" tidak ada")
		return
	}
	// The counter's name is what the office calls it ("Loket 2B"); its id is the
	// fallback when the name has characters with no clip.
	spoken := k.Name
	clips, err := voice.Call(number, spoken)
	if err != nil {
		spoken = k.ID
		clips, err = voice.Call(number, spoken)
	}
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	out := VoiceCall{Number: number, Counter: k.ID, Phrase: voice.Phrase(number, spoken)}
	for _, c := range clips {
		out.Clips = append(out.Clips, "/voice/"+c+voice.Ext)
	}
	httpjson.Write(w, http.StatusOK, out)
}

// RunningTextRequest is the body of POST /api/admin/running-text; an empty text
// removes the line.
type RunningTextRequest struct {
	Text string `json:"text"`
}

func (s *Server) setRunningText(w http.ResponseWriter, r *http.Request) {
	var req RunningTextRequest
	if !httpjson.Decode(w, r, &req, false) {
		return
	}
	if _, err := s.q.Do(r.Context(), queue.SetRunningText{Text: req.Text}); err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	text, err := s.q.RunningText(r.Context())
	if err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	httpjson.Write(w, http.StatusOK, RunningTextRequest{Text: text})
}

// adminSession answers 200 when the request carries the admin token (Handler checks it
// for every /api/admin/ route): the admin page checks a token with it before unlocking.
func (s *Server) adminSession(w http.ResponseWriter, r *http.Request) {
	httpjson.Write(w, http.StatusOK, map[string]any{"office": s.q.Config().Office.Name, "admin": true})
}

// counterSession answers 200 with the counter when the request carries its token (or
// the admin's): the counter page checks a token with it before unlocking.
func (s *Server) counterSession(w http.ResponseWriter, r *http.Request) {
	k, ok := s.counterFromPath(w, r)
	if !ok {
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"id": k.ID, "name": k.Name, "services": k.Services})
}
