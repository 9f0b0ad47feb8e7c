package main

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/antri-id/antri/queue/httpjson"
)

// adminToken is the token a request carries in its Authorization header:
// "Bearer <token>" from tools, or HTTP Basic with the token as the password
// from a browser's own sign-in dialog (the comparison page). Never from the
// address: a token in a URL is kept in browser history, proxy logs and
// Referer headers.
func adminToken(r *http.Request) string {
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return tok
	}
	if _, password, ok := r.BasicAuth(); ok {
		return password
	}
	return ""
}

// authorized reports whether the request carries the admin token.
func (s *server) authorized(r *http.Request) bool {
	tok := adminToken(r)
	return tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.AdminToken)) == 1
}

// admin lets h answer only requests that carry the admin token.
func (s *server) admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="antri-hq"`)
			httpjson.Error(w, http.StatusUnauthorized, "butuh header Authorization: Bearer <admin_token> dari konfigurasi antri-hq (token di alamat tidak diterima)")
			return
		}
		h(w, r)
	}
}

// signInPage asks a browser for the admin token with its own dialog (HTTP
// Basic): any user name, the token as the password.
func signInPage(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Basic realm="Antri HQ", charset="UTF-8"`)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	w.Write([]byte(`<!doctype html><html lang="id"><meta charset="utf-8"><title>Antri HQ</title>
<p>Halaman ini butuh token admin. Muat ulang halaman, lalu masuk dengan nama pengguna apa saja
(misalnya <b>admin</b>) dan <b>admin_token</b> dari konfigurasi antri-hq sebagai kata sandi.</p></html>`))
}
