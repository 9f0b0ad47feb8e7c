package upload

import (
	"net/http"

	"github.com/antri-id/antri/queue/httpjson"
)

// Routes adds the uploader's admin routes to mux; antrid's server requires the admin
// token for every route under /api/admin/.
//
//	GET  /api/admin/sync        Status
//	POST /api/admin/sync/retry  send now, without waiting for the backoff (202)
func (u *Uploader) Routes(mux httpjson.Mux) {
	mux.HandleFunc("GET /api/admin/sync", func(w http.ResponseWriter, r *http.Request) {
		st, err := u.Status(r.Context())
		if err != nil {
			httpjson.Error(w, http.StatusInternalServerError, "membaca status sinkronisasi: "+err.Error())
			return
		}
		httpjson.Write(w, http.StatusOK, st)
	})
	mux.HandleFunc("POST /api/admin/sync/retry", func(w http.ResponseWriter, r *http.Request) {
		u.Retry()
		httpjson.Write(w, http.StatusAccepted, map[string]string{"status": "dikirim ulang sekarang"})
	})
}
