package button

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/httpjson"
)

// SimPressRequest is the optional body of POST /api/sim/pins/{pin}/press.
type SimPressRequest struct {
	HoldMS int `json:"hold_ms"` // how long the button is held; default 50
}

// Routes adds POST /api/sim/pins/{pin}/press to mux (demo mode): the simulated pin goes
// down and comes back up, through the same watcher and debouncer as a real edge. It
// answers 202 at once with what the button does; the action's result arrives on /ws.
// buttons is the office's [[button]] list, to say what each pin does.
func (s *SimPins) Routes(mux httpjson.Mux, buttons []queue.ButtonConfig) {
	mux.HandleFunc("POST /api/sim/pins/{pin}/press", func(w http.ResponseWriter, r *http.Request) {
		var req SimPressRequest
		if !httpjson.Decode(w, r, &req, true) {
			return
		}
		if req.HoldMS < 0 || req.HoldMS > 60_000 {
			httpjson.Error(w, http.StatusBadRequest, "hold_ms harus 0 sampai 60000")
			return
		}
		pin := r.PathValue("pin")
		err := s.Press(pin, time.Duration(req.HoldMS)*time.Millisecond)
		if errors.Is(err, ErrUnknownPin) {
			httpjson.Error(w, http.StatusNotFound, "pin "+pin+" tidak dipakai tombol mana pun; pin yang ada: "+strings.Join(s.Names(), ", "))
			return
		}
		if err != nil {
			httpjson.Error(w, http.StatusTooManyRequests, err.Error())
			return
		}
		var action string
		for _, b := range buttons {
			if b.Pin == pin {
				action = Describe(b)
			}
		}
		httpjson.Write(w, http.StatusAccepted, map[string]string{"pin": pin, "action": action})
	})
}
