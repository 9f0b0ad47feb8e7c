package update

import (
	"net/http"

	"github.com/antri-id/antri/queue/httpjson"
)

// Routes adds the updater's admin routes to mux; antrid's server requires the admin
// token for every route under /api/admin/.
//
//	GET  /api/admin/update        Status
//	POST /api/admin/update/check  check with headquarters now (202)
//	POST /api/admin/update/apply  restart into the installed release now, open or not (202; 409 when none waits)
func (u *Updater) Routes(mux httpjson.Mux) {
	mux.HandleFunc("GET /api/admin/update", func(w http.ResponseWriter, r *http.Request) {
		httpjson.Write(w, http.StatusOK, u.Status())
	})
	mux.HandleFunc("POST /api/admin/update/check", func(w http.ResponseWriter, r *http.Request) {
		u.Check()
		httpjson.Write(w, http.StatusAccepted, map[string]string{"status": "memeriksa pembaruan ke headquarters sekarang"})
	})
	mux.HandleFunc("POST /api/admin/update/apply", func(w http.ResponseWriter, r *http.Request) {
		if err := u.Apply(r.Context()); err != nil {
			httpjson.Error(w, http.StatusConflict, err.Error())
			return
		}
		st := u.Status()
		httpjson.Write(w, http.StatusAccepted, map[string]string{
			"status": "antrid dimulai ulang dengan versi " + st.Update.Version + "; halaman tersambung lagi dalam beberapa detik"})
	})
}
