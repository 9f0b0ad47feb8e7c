package main

import "net/http"

func (s *server) monthly(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotImplemented, "laporan belum tersedia")
}

func (s *server) page(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotImplemented, "halaman belum tersedia")
}
