package display

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

func reportServer(t *testing.T) (*httptest.Server, *queue.FakeClock) {
	t.Helper()
	cfg := queuetest.Office(t, "reports")
	ts, _, _, clk := serveOffice(t, cfg, time.Date(2024, 3, 5, 9, 0, 0, 0, cfg.Location))
	return ts, clk
}

// call sends a request and returns the status and body.
func call(t *testing.T, ts *httptest.Server, method, path, token, body string) (int, string, http.Header) {
	t.Helper()
	code, b, h := queuetest.Send(t, method, ts.URL+path, token, strings.NewReader(body))
	return code, string(b), h
}

func TestReportRoutes(t *testing.T) {
	ts, clk := reportServer(t)
	steps := []struct {
		method, path, token, body string
		code                      int
		contains                  string
	}{
		{"POST", "/api/tickets", "", `{"service":"A"}`, 201, `"A-001"`},
		{"POST", "/api/counters/1/call", "t1", ``, 200, `"called"`},
		{"POST", "/api/tickets/A-001/feedback", "", `{"score":4}`, 409, `belum selesai`},
		{"POST", "/api/counters/1/finish", "t1", `{"outcome":"done"}`, 200, `"finished"`},
		{"POST", "/api/tickets/a-001/feedback", "", `{"score":4}`, 201, `"A-001"`},
		{"POST", "/api/tickets/A-001/feedback", "", `{"score":3}`, 409, `sudah dinilai`},
		{"POST", "/api/surveys", "", `{"answers":[4,4,4,4,4,4,4,4]}`, 400, `9 jawaban`},
		{"POST", "/api/surveys", "", `{"answers":[4,4,4,4,4,4,4,4,0]}`, 400, `unsur 9`},
		{"POST", "/api/surveys", "", `{"answers":[4,4,4,4,4,4,4,4,4]}`, 201, `"id":1`},
		{"POST", "/api/complaints", "", `{"channel":"kiosk","topic":"Antrian","text":"Terlalu lama","ticket":"A-001"}`, 201, `"id":1`},
		{"POST", "/api/complaints", "", `{"topic":"x"}`, 400, `isi pengaduan`},
		{"PATCH", "/api/complaints/1", "", `{"status":"recorded"}`, 401, `token admin`},
		{"PATCH", "/api/complaints/1", "t1", `{"status":"recorded"}`, 401, `token admin`},
		{"PATCH", "/api/complaints/1", "admin", `{"status":"closed","note":"loket ditambah"}`, 200, `"closed_at":"2024-03-05T09:00:00+07:00"`},
		{"GET", "/api/complaints", "admin", ``, 200, `"resolution":"loket ditambah"`},
		{"GET", "/api/complaints/1/receipt", "admin", ``, 200, `TANDA TERIMA PENGADUAN`},
		{"GET", "/api/complaints", "", ``, 401, `token admin`},
		{"GET", "/api/services/A/standards", "", ``, 200, `"reason":"konfigurasi kantor"`},
		{"POST", "/api/services/A/standards", "t1", `{"wait_standard":"5m","service_standard":"5m","reason":"SK"}`, 401, `token admin`},
		{"POST", "/api/services/A/standards", "admin", `{"wait_standard":"5m","service_standard":"4m","reason":"SK 3/2024"}`, 201, `"wait_standard_s":300`},
		{"GET", "/api/services/A/standards", "", ``, 200, `"in_force":{"id":1`},
		{"GET", "/api/services", "", ``, 200, `"service_standard_s":240`},
		{"GET", "/api/services/Z/standards", "", ``, 404, `tidak ada`},
		{"GET", "/api/breaches", "", ``, 401, `token`},
		{"GET", "/api/breaches", "t1", ``, 200, `[]`},
		{"GET", "/api/reports/monthly?month=2024-03", "", ``, 401, `token admin`},
		{"GET", "/api/reports/monthly?month=2024-3", "admin", ``, 400, `YYYY-MM`},
		{"GET", "/api/reports/monthly?month=2024-03", "admin", ``, 200, `"satisfaction":{"responses":1,"mean":4,"satisfied_pct":100}`},
		{"GET", "/survey", "", ``, 200, `Penanganan pengaduan, saran dan masukan`},
	}
	for _, s := range steps {
		code, body, _ := call(t, ts, s.method, s.path, s.token, s.body)
		if code != s.code || !strings.Contains(body, s.contains) {
			t.Errorf("%s %s: %d %s\nwant %d containing %s", s.method, s.path, code, body, s.code, s.contains)
		}
	}
	code, body, _ := call(t, ts, "GET", "/api/reports/monthly?month=2024-03", "admin", "")
	var rep map[string]any
	if code != 200 || json.Unmarshal([]byte(body), &rep) != nil {
		t.Fatalf("report: %d %s", code, body)
	}
	for _, k := range []string{"office", "month", "overall", "services", "complaints", "satisfaction", "skm"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("report JSON lacks %q", k)
		}
	}
	if c := rep["complaints"].(map[string]any); c["received"] != 1.0 || c["closed"] != 1.0 || c["closed_within_standard_pct"] != 100.0 {
		t.Errorf("complaints %v", c)
	}
	code, body, h := call(t, ts, "GET", "/api/reports/monthly.xlsx?month=2024-03", "admin", "")
	if code != 200 || !strings.HasPrefix(body, "PK") || !strings.Contains(h.Get("Content-Type"), "spreadsheetml") {
		t.Errorf("xlsx: %d %q %s", code, h.Get("Content-Type"), body[:min(len(body), 40)])
	}
	code, body, _ = call(t, ts, "GET", "/api/reports/monthly.csv?month=2024-03", "admin", "")
	if code != 200 || !strings.HasPrefix(body, "\ufeffkantor;") || !strings.Contains(body, "mpp-uji;2024-03;antrian;semua;Semua layanan;issued;Tiket terbit;1") {
		t.Errorf("csv: %d %s", code, body)
	}
	// A waiting ticket past its standard (now 5m after the revision) is listed.
	call(t, ts, "POST", "/api/tickets", "", `{"service":"A"}`)
	clk.Advance(6 * time.Minute)
	if code, body, _ := call(t, ts, "GET", "/api/breaches", "admin", ""); code != 200 || !strings.Contains(body, `"kind":"wait","ticket_id":2,"number":"A-002"`) {
		t.Errorf("breaches: %d %s", code, body)
	}
}
