package display

import (
	"context"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/antri-id/antri/display/voice"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/httpjson"
)

// Health is the state of one part of the appliance, as /healthz reports it.
type Health struct {
	OK     bool   `json:"ok"`
	Error  string `json:"error,omitempty"`  // why not, in words a technician can act on
	Detail any    `json:"detail,omitempty"` // extra facts (backlog depth, printer status, ...)
}

// Check reports the health of one part.
type Check func(ctx context.Context) Health

// Server is antrid's HTTP face on the office LAN: the JSON API of DOMAIN.md,
// the websocket, and the pages.
type Server struct {
	ticketBase func() string // Options.TicketBase

	q    *queue.Queue
	hub  *Hub
	mux  *http.ServeMux
	demo bool
	log  *slog.Logger
	data string // Options.DataDir
	// voice finds the clips of calls (pages.go): recordings, built-in, synthesised words.
	voice *voiceLibrary
	ver   string // Options.Version

	mu     sync.Mutex
	checks map[string]Check

	// limits count what each untrusted address did this hour, per limitedRoutes kind.
	limits map[string]*rateLimiter
}

// Options configure a Server.
type Options struct {
	// TicketBase is where a phone on the office network reaches this appliance, e.g.
	// "http://192.168.1.20:8080" (the printed QR code's address): the kiosk shows the
	// ticket's address under it. Asked for each ticket; "" leaves it out. Nil means the
	// config's [office] base_url (antrid passes its own, which finds the LAN address).
	TicketBase func() string

	Queue  *queue.Queue
	Hub    *Hub // started by the caller (Hub.Run)
	Demo   bool
	Logger *slog.Logger
	// DataDir is antrid's -data folder. Voice clips found in DataDir/voice/NAME.ogg
	// replace the built-in ones (an office's own recordings); "" uses the built-in set.
	DataDir string
	// Training, when set, marks a training office (antrid -training): the pages say so
	// and run their clocks at its speed.
	Training *Training
	// Synth says the words of names that have no clip, once each, kept in
	// DataDir/voice-synth/ (display/voice). nil: espeak-ng when it is installed.
	Synth voice.Synthesizer
	// Version is antrid's version, which /healthz reports (DOMAIN.md "Fleet").
	Version string
}

// New builds the server and subscribes its hub to the queue's events.
func New(o Options) *Server {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	s := &Server{q: o.Queue, hub: o.Hub, mux: http.NewServeMux(), demo: o.Demo, log: o.Logger, data: o.DataDir, ver: o.Version, checks: map[string]Check{},
		limits: map[string]*rateLimiter{}}
	for _, kind := range limitedRoutes {
		s.limits[kind] = newRateLimiter(o.Queue.Config().Kiosk.PhoneTicketsPerHour)
	}
	s.SetCheck("database", func(ctx context.Context) Health {
		if err := s.q.Store().Ping(ctx); err != nil {
			return Health{Error: "database tidak menjawab: " + err.Error()}
		}
		return Health{OK: true}
	})
	s.voice = newVoiceLibrary(o)
	feed := newLiveFeed(o.Queue)
	feed.training = o.Training
	s.hub.serve(feed, s.authorize)
	o.Queue.Subscribe(s.hub.Broadcast)
	s.routes()
	s.ticketBase = o.TicketBase
	if base := strings.TrimSuffix(o.Queue.Config().Office.BaseURL, "/"); s.ticketBase == nil && base != "" {
		s.ticketBase = func() string { return base }
	}
	return s
}

// Handler is the server's HTTP handler. The rules every route meets, whichever package
// added it, are kept here, once, so that a new route cannot forget them: the security
// headers, the Origin and content-type checks of state-changing requests, the admin
// token on every route under /api/admin/, and the limits on untrusted addresses
// (policy.go).
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w.Header())
		if !s.checkRequest(w, r) {
			return
		}
		clean := path.Clean(r.URL.Path)
		if strings.HasPrefix(clean+"/", "/api/admin/") && !s.requireAdmin(w, r) {
			return
		}
		if clean == "/ws" {
			// The server's read and write timeouts end slow requests; a websocket lives
			// for hours and keeps its own deadlines (client.go).
			rc := http.NewResponseController(w)
			_ = rc.SetReadDeadline(time.Time{})
			_ = rc.SetWriteDeadline(time.Time{})
		}
		if kind, ok := limitedRoutes[r.Method+" "+clean]; ok {
			s.serveLimited(w, r, kind, s.mux)
			return
		}
		s.mux.ServeHTTP(w, r)
	})
}

// HandleFunc adds a route, for the parts antrid wires in (devices, sync); it makes the
// server an httpjson.Mux.
func (s *Server) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	s.mux.HandleFunc(pattern, h)
}

// SetCheck registers the health check of a part under name. DOMAIN.md fixes
// four names: database, printer, buttons, hq.
func (s *Server) SetCheck(name string, c Check) {
	s.mu.Lock()
	s.checks[name] = c
	s.mu.Unlock()
}

// fixedChecks are always reported, registered or not.
var fixedChecks = []string{"database", "printer", "buttons", "hq"}

// HealthReport runs every check.
func (s *Server) HealthReport(ctx context.Context) (map[string]Health, bool) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	s.mu.Lock()
	checks := make(map[string]Check, len(s.checks))
	for k, v := range s.checks {
		checks[k] = v
	}
	s.mu.Unlock()
	out := map[string]Health{}
	ok := true
	for _, name := range fixedChecks {
		if _, has := checks[name]; !has {
			out[name] = Health{OK: true, Detail: "tidak dipasang"}
		}
	}
	for name, c := range checks {
		h := c(ctx)
		out[name] = h
		ok = ok && h.OK
	}
	return out, ok
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /api/state", s.state)
	s.mux.HandleFunc("GET /api/services", s.services)
	s.mux.HandleFunc("POST /api/tickets", s.issue)
	s.mux.HandleFunc("GET /api/tickets/{number}", s.ticket)
	s.mux.HandleFunc("POST /api/counters/{counter}/{action}", s.counterAction)
	s.mux.HandleFunc("GET /api/counters/{counter}/breaches", s.counterBreaches)
	s.deviceRoutes()
	s.mux.HandleFunc("GET /ws", s.ws)
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		httpjson.Error(w, http.StatusNotFound, "alamat API tidak dikenal: "+r.Method+" "+r.URL.Path+"; lihat docs/API.md")
	})
	s.pageRoutes()
	s.reportRoutes()
	s.clockRoutes()
	s.crisisRoutes()
}

// healthz answers 200 when every part is well, 503 otherwise. Anyone on the network may
// ask, but only the admin token sees why a part is not well and its details (the
// headquarters address, backlog, printer device...): the public answer is ok or not
// per part. The top level holds only parts, so that a field such as "version" can be
// added beside them.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	rep, ok := s.HealthReport(r.Context())
	code := http.StatusOK
	if !ok {
		code = http.StatusServiceUnavailable
	}
	if !s.IsAdmin(r) {
		for name, h := range rep {
			rep[name] = Health{OK: h.OK}
		}
	}
	body := map[string]any{"version": s.ver} // beside the parts: which antrid answers
	for name, h := range rep {
		body[name] = h
	}
	httpjson.Write(w, code, body)
}
