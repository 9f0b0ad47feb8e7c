package main

import (
	"bytes"
	_ "embed"
	"html/template"
	"net/http"

	"github.com/antri-id/antri/sync/wire"
)

// The updates page: each office's software update, failures first.
//
//go:embed release_page.html
var releasePageHTML string

// updateStates says each UpdateReport state in Indonesian.
var updateStates = map[string]string{
	wire.UpdateInstalled:  "Terpasang, menunggu dijalankan",
	wire.UpdateTrial:      "Sedang diuji",
	wire.UpdateConfirmed:  "Berhasil",
	wire.UpdateRolledBack: "Gagal, dikembalikan",
	wire.UpdateRefused:    "Ditolak",
	"":                    "Belum pernah diperbarui",
}

var releasePageTmpl = template.Must(template.New("updates").Funcs(template.FuncMap{
	"state": func(s string) string {
		if t, ok := updateStates[s]; ok {
			return t
		}
		return s
	},
}).Parse(releasePageHTML))

// page is GET /updates, for the admin (the browser asks for the token).
func (rs *releases) page(w http.ResponseWriter, r *http.Request) {
	if !rs.s.authorized(r) {
		signInPage(w)
		return
	}
	rows, ro, err := rs.updateRows()
	if err != nil {
		http.Error(w, "membaca status pembaruan: "+err.Error(), http.StatusInternalServerError)
		return
	}
	held, err := rs.store.list()
	if err != nil {
		http.Error(w, "membaca rilis: "+err.Error(), http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	err = releasePageTmpl.Execute(&buf, struct {
		Rows     []officeUpdateRow
		Rollouts rollouts
		Releases []releaseSummary
	}{rows, ro, held})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}
