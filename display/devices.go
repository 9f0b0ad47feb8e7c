package display

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/skip2/go-qrcode"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/httpjson"
)

// Paired devices (issue 11): the admin pairs a counter's PC or tablet, or a kiosk
// tablet, from /admin. The device opens its pairing link once (or scans its QR code);
// the page keeps the token in the browser's localStorage, so it stays signed in until
// the admin revokes it.
//
//	GET  /api/admin/devices              every paired device, revoked ones too
//	POST /api/admin/devices              pair one: {"kind":"counter","counter":"1","name":"PC Loket 1"}
//	POST /api/admin/devices/{id}/revoke  revoke one: its requests and its socket are refused at once
//
// Server.Handler requires the admin token on all of them.
func (s *Server) deviceRoutes() {
	s.mux.HandleFunc("GET /api/admin/devices", s.listDevices)
	s.mux.HandleFunc("POST /api/admin/devices", s.pairDevice)
	s.mux.HandleFunc("POST /api/admin/devices/{id}/revoke", s.revokeDevice)
}

// PairRequest is the body of POST /api/admin/devices.
type PairRequest struct {
	Kind    queue.DeviceKind `json:"kind"`    // "counter" or "kiosk"
	Counter string           `json:"counter"` // for a counter device
	Name    string           `json:"name"`    // optional
}

// PairedDevice is the answer of POST /api/admin/devices: the device, and once only its
// token, the link that pairs it and that link as a QR code (a PNG data: URL).
type PairedDevice struct {
	queue.Device
	Token string `json:"token"`
	Link  string `json:"link"` // the page's address with the token after #, never sent to a server
	URL   string `json:"url"`  // Link on this appliance's address, as the QR code carries it
	QR    string `json:"qr"`   // data:image/png;base64,…
}

// pairingLink is the page a device opens once to pair: the token travels after #, which
// a browser never sends to a server, so it stays out of logs and proxies.
func pairingLink(d queue.Device, token string) string {
	if d.Kind == queue.DeviceKiosk {
		return "/kiosk#kiosk-token=" + token
	}
	return "/counter/" + url.PathEscape(d.Counter) + "#counter-token=" + token
}

func (s *Server) listDevices(w http.ResponseWriter, r *http.Request) {
	list, err := s.q.Devices(r.Context())
	s.answer(w, r, http.StatusOK, list, err)
}

func (s *Server) pairDevice(w http.ResponseWriter, r *http.Request) {
	var req PairRequest
	if !httpjson.Decode(w, r, &req, false) {
		return
	}
	cmd := &queue.PairDevice{Kind: req.Kind, Counter: req.Counter, Name: req.Name}
	if _, err := s.q.Do(r.Context(), cmd); err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	out := PairedDevice{Device: cmd.Device, Token: cmd.Token, Link: pairingLink(cmd.Device, cmd.Token)}
	out.URL = s.baseURL(r) + out.Link
	png, err := qrcode.Encode(out.URL, qrcode.Medium, 320)
	if err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	out.QR = "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	w.Header().Set("Cache-Control", "no-store") // the token is shown once
	httpjson.Write(w, http.StatusCreated, out)
}

// baseURL is where devices reach this appliance: [office] base_url, else the address the
// admin's browser used.
func (s *Server) baseURL(r *http.Request) string {
	if b := strings.TrimRight(s.q.Config().Office.BaseURL, "/"); b != "" {
		return b
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) revokeDevice(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		httpjson.Error(w, http.StatusBadRequest, "nomor perangkat harus angka, contoh /api/admin/devices/3/revoke")
		return
	}
	cmd := &queue.RevokeDevice{ID: id}
	if _, err := s.q.Do(r.Context(), cmd); err != nil {
		httpjson.QueueError(w, r, s.log, err)
		return
	}
	httpjson.Write(w, http.StatusOK, cmd.Device)
}
