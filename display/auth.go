package display

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
)

// Who a token is: one place for every route and the websocket.
//
// A token is the admin's ([office] admin_token), a counter's ([[counter]] token), a
// kiosk's ([kiosk] tokens), or that of a device the admin paired (queue.PairDevice): a
// counter's PC or tablet, or a kiosk tablet. The config's tokens are compared in
// constant time; a device token is looked up by its SHA-256, so a revoked device is
// refused from the request after the revocation on.

// tokenScope is the scope of a token; ok is false for an unknown token.
func (s *Server) tokenScope(ctx context.Context, token string) (sc scope, ok bool) {
	if token == "" {
		return scope{}, false
	}
	eq := func(want string) bool {
		return want != "" && subtle.ConstantTimeCompare([]byte(token), []byte(want)) == 1
	}
	cfg := s.q.Config()
	if eq(cfg.Office.AdminToken) {
		return scope{admin: true}, true
	}
	for _, k := range cfg.Counters {
		if eq(k.Token) {
			return scope{counter: k.ID}, true
		}
	}
	for _, t := range cfg.Kiosk.Tokens {
		if eq(t) {
			return scope{kiosk: true}, true
		}
	}
	d, found, err := s.q.DeviceByToken(ctx, token)
	if err != nil {
		s.log.Warn("perangkat tidak bisa diperiksa; permintaannya ditolak", "err", err)
		return scope{}, false
	}
	if !found {
		return scope{}, false
	}
	if d.Counter != "" {
		return scope{counter: d.Counter, device: d.ID}, true
	}
	return scope{kiosk: true, device: d.ID}, true
}

// bearer is the request's Authorization: Bearer token, "" without one.
func bearer(r *http.Request) string {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return tok
}

// requestScope is the scope of the request's token.
func (s *Server) requestScope(r *http.Request) (scope, bool) {
	return s.tokenScope(r.Context(), bearer(r))
}

// actsFor reports whether the request may act for counter id: its token is that
// counter's (a config token or a device paired for it) or the admin's.
func (s *Server) actsFor(r *http.Request, id string) bool {
	sc, ok := s.requestScope(r)
	return ok && (sc.admin || sc.counter == id)
}

// IsAdmin reports whether the request carries the admin token.
func (s *Server) IsAdmin(r *http.Request) bool {
	want := s.q.Config().Office.AdminToken
	got := bearer(r)
	return want != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
