package display

import (
	"fmt"
	"mime"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/antri-id/antri/queue/httpjson"
)

// The policy of DOMAIN.md "Trust and limits", in front of every route (Server.Handler):
//
//   - every answer carries the security headers (securityHeaders);
//   - a path that is not valid UTF-8 is a 400, never a 500;
//   - a state-changing request must come from an allowed Origin (403) and, when it has a
//     body, say application/json (415): a page of another site can then neither submit
//     a form nor send a no-cors fetch here;
//   - an untrusted address (not [kiosk] trusted, no kiosk, counter or admin token) may
//     take a ticket only when [kiosk] phones is true (403 otherwise), and at most
//     phone_tickets_per_hour tickets, surveys and new complaints an hour each (429).
//
// The client is r.RemoteAddr, the TCP peer: X-Forwarded-For and its kind are whatever
// the sender wants them to be, and antrid runs with no proxy in front.

// limitedRoutes are the requests an untrusted address may make only so often, each with
// its own limiter (Server.limits).
var limitedRoutes = map[string]string{
	"POST /api/tickets":    "tickets",
	"POST /api/surveys":    "surveys",
	"POST /api/complaints": "complaints",
}

// limitNames say what was limited, for the 429's message: Indonesian, then English.
var limitNames = map[string][2]string{
	"tickets":    {"pengambilan nomor antrean", "tickets"},
	"surveys":    {"pengisian survei", "surveys"},
	"complaints": {"pengaduan baru", "new complaints"},
}

// securityHeaders are sent with every answer, pages, static files and API alike:
// no framing (clickjacking), no content sniffing, no referrer (a ticket's link carries
// its secret code), nothing loaded from outside the appliance.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurity)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}

// refuse answers a request the policy turns away: JSON under /api/ (DOMAIN.md's error
// body), plain text elsewhere.
func refuse(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		httpjson.Error(w, code, msg)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, msg, code)
}

// stateChanging reports whether a request may change something.
func stateChanging(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// hasBody reports whether a request carries a body (a length, or chunks).
func hasBody(r *http.Request) bool { return r.ContentLength > 0 || r.ContentLength < 0 }

// isJSON reports whether the request says its body is JSON.
func isJSON(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}

// checkRequest applies the rules every request meets before its route; it answers and
// reports false when the request is refused.
func (s *Server) checkRequest(w http.ResponseWriter, r *http.Request) bool {
	if !utf8.ValidString(r.URL.Path) || strings.ContainsRune(r.URL.Path, 0) {
		refuse(w, r, http.StatusBadRequest, "alamat tidak valid / invalid address")
		return false
	}
	if !stateChanging(r.Method) {
		return true
	}
	if !s.originAllowed(r) {
		refuse(w, r, http.StatusForbidden, "permintaan dari halaman situs lain ditolak; buka halaman Antri dari alamat antrid sendiri atau daftarkan alamatnya di [office] origins / cross-site request refused")
		return false
	}
	if hasBody(r) && !isJSON(r) {
		refuse(w, r, http.StatusUnsupportedMediaType, `isi permintaan harus JSON dengan header "Content-Type: application/json" / the body must be JSON, sent with Content-Type: application/json`)
		return false
	}
	return true
}

// clientAddr is the request's TCP peer address.
func clientAddr(r *http.Request) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}, false
	}
	return ap.Addr().Unmap(), true
}

// trustedAddr reports whether the request comes from a [kiosk] trusted address.
func (s *Server) trustedAddr(r *http.Request) bool {
	a, ok := clientAddr(r)
	return ok && s.q.Config().Kiosk.TrustsAddr(a)
}

// trustedClient reports whether the request comes from the office's own devices: a
// trusted address, or the token of a kiosk, a counter, a paired device or the admin.
func (s *Server) trustedClient(r *http.Request) bool {
	if s.trustedAddr(r) {
		return true
	}
	_, ok := s.requestScope(r)
	return ok
}

// serveLimited serves a request of limitedRoutes: trusted clients pass, others are
// refused (tickets while phones are not allowed) or counted. A token is spent only on
// a request that succeeds.
func (s *Server) serveLimited(w http.ResponseWriter, r *http.Request, kind string, next http.Handler) {
	if s.trustedClient(r) {
		next.ServeHTTP(w, r)
		return
	}
	if kind == "tickets" && !s.q.Config().Kiosk.Phones {
		refuse(w, r, http.StatusForbidden, "Maaf, nomor antrean hanya bisa diambil di mesin antrean (kios) kantor ini, tidak lewat ponsel. / Tickets are issued only at this office's kiosk, not by phone.")
		return
	}
	a, ok := clientAddr(r)
	if !ok {
		refuse(w, r, http.StatusForbidden, "alamat pengirim tidak dikenal / unknown client address")
		return
	}
	lim, key := s.limits[kind], clientKey(a)
	took, retry, full := lim.take(key)
	if !took {
		secs := int(retry.Seconds()) + 1
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		name := limitNames[kind]
		msg := fmt.Sprintf("Batas %s dari perangkat ini sudah tercapai (%d per jam). Silakan coba lagi %s, atau datangi mesin antrean atau petugas. / Limit of %s from this device reached (%d an hour); try again in %s.",
			name[0], lim.perHour, inMinutes(retry), name[1], lim.perHour, retry.Round(time.Minute))
		if full {
			msg = "Terlalu banyak perangkat mengirim permintaan saat ini. Silakan coba lagi sebentar lagi, atau datangi mesin antrean atau petugas. / Too many devices at once; try again shortly."
		}
		refuse(w, r, http.StatusTooManyRequests, msg)
		return
	}
	rec := &statusRecorder{ResponseWriter: w}
	next.ServeHTTP(rec, r)
	if rec.status < 200 || rec.status > 299 {
		lim.giveBack(key)
	}
}

// inMinutes says a wait the way a citizen reads it: "dalam 28 menit", "dalam 1 jam".
func inMinutes(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m < 1:
		return "sebentar lagi"
	case m >= 60:
		return "dalam 1 jam"
	}
	return fmt.Sprintf("dalam %d menit", m)
}

// statusRecorder remembers the status a handler answered.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
