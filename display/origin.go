package display

import (
	"net/http"
	"strings"

	"github.com/antri-id/antri/queue"
)

// originAllowed reports whether a request may act from where it comes. A request without
// an Origin header (curl, a tool, the counter buttons' scripts) is judged by its token
// and address alone. A browser always sends Origin on a websocket and on a cross-site
// POST: it must be the host the request was sent to (a page of this appliance, whatever
// name or address the office opens it by) or one listed in [office] origins. Anything
// else — another site's page, a sandboxed frame ("null") — is refused, which closes
// cross-site request forgery and cross-site websocket hijacking.
func (s *Server) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	norm, ok := queue.NormalizeOrigin(origin)
	if !ok {
		return false
	}
	if _, host, _ := strings.Cut(norm, "://"); strings.EqualFold(host, hostWithoutDefaultPort(r)) {
		return true
	}
	for _, o := range s.q.Config().Office.Origins {
		if o == norm {
			return true
		}
	}
	return false
}

// hostWithoutDefaultPort is the request's Host as an origin writes it: lower case,
// without ":80".
func hostWithoutDefaultPort(r *http.Request) string {
	h := strings.ToLower(r.Host)
	if r.TLS == nil {
		return strings.TrimSuffix(h, ":80")
	}
	return strings.TrimSuffix(h, ":443")
}
