package display

import (
	"net/http"

	"github.com/antri-id/antri/queue/httpjson"
)

// ws serves GET /ws: the live websocket of the pages (docs/API.md, docs/SECURITY.md
// "Websocket scopes"). A page of another site is refused before the upgrade (403), so a
// visitor's browser cannot be made to open it; which view a page gets is in the query,
// and its token, for a counter or admin view, in its first message.
func (s *Server) ws(w http.ResponseWriter, r *http.Request) {
	if !s.originAllowed(r) {
		httpjson.Error(w, http.StatusForbidden, "websocket dari halaman situs lain ditolak (Origin "+r.Header.Get("Origin")+"); buka halaman antrean dari alamat perangkat ini, atau tambahkan asalnya ke [office] origins")
		return
	}
	v, err := parseView(r.URL.Query(), s.q.Config())
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	s.hub.serveWS(w, r, v)
}
