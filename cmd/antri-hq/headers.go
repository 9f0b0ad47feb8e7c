package main

import "net/http"

// contentSecurity is every answer's Content-Security-Policy: the comparison
// page loads its own stylesheet and nothing else, runs no script, submits
// its month form only to antri-hq, and may not be framed (clickjacking).
// The JSON answers carry it too: opened in a browser, they run nothing.
const contentSecurity = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// secured sets the security headers on every answer, refusals and 404s
// included: nothing is framed, sniffed into another type, cached (reports
// are the offices' figures; the page is behind the admin token) or told
// where it was opened from.
func secured(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", contentSecurity)
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Cache-Control", "no-store")
		hd.Set("Referrer-Policy", "no-referrer")
		h.ServeHTTP(w, r)
	})
}
