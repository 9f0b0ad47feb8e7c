package display

import (
	"bytes"
	"embed"
	"html"
	"io/fs"
	"net/http"
	"strings"

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
	"GET /display/{zone}":    "display.html", // a [[display]] zone: only its services and counters
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
// {number}, {zone}) from its own address. Every page is told the office's time zone
// (data-tz on its <html>), so its clock and times are the office's whatever the zone
// of the TV or phone showing it (app.js, Antri.time).
func (s *Server) page(file string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cfg := s.q.Config()
		if id := r.PathValue("counter"); id != "" {
			if _, ok := cfg.Counter(id); !ok {
				http.Error(w, "Loket \""+id+"\" tidak ada di konfigurasi kantor ini.", http.StatusNotFound)
				return
			}
		}
		if id := r.PathValue("zone"); id != "" {
			if _, ok := cfg.Display(id); !ok {
				http.Error(w, "Layar zona \""+id+"\" tidak ada di konfigurasi kantor ini ([[display]]); /display menampilkan semua layanan.", http.StatusNotFound)
				return
			}
		}
		body, err := fs.ReadFile(Web, file)
		if err != nil {
			http.Error(w, "halaman "+file+" tidak ada di program ini", http.StatusNotFound)
			return
		}
		body = bytes.Replace(body, []byte("<html "), []byte(`<html data-tz="`+html.EscapeString(cfg.Location.String())+`" `), 1)
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
