package display

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The quarterly, yearly and daily reports beside the monthly one: the same
// JSON under its own key, the same files, the CSV in both forms, the
// letterhead of the printable page, and a survey that names its service.
func TestReportPeriodRoutes(t *testing.T) {
	ts, clk := reportServer(t) // 5 March 2024, 09:00
	for _, s := range []struct{ method, path, token, body string }{
		{"POST", "/api/tickets", "", `{"service":"A"}`},
		{"POST", "/api/counters/1/call", "t1", ``},
		{"POST", "/api/counters/1/finish", "t1", `{"outcome":"done"}`},
		{"POST", "/api/surveys", "", `{"answers":[4,4,4,4,4,4,4,4,4],"service":"a","profile":{"gender":"P","age":41,"education":"S1","occupation":"PNS"}}`},
	} {
		if code, body, _ := call(t, ts, s.method, s.path, s.token, s.body); code >= 300 {
			t.Fatalf("%s %s: %d %s", s.method, s.path, code, body)
		}
	}
	clk.Advance(time.Minute)
	steps := []struct {
		path, token string
		code        int
		contains    string
	}{
		{"/api/reports/quarterly?quarter=2024-Q1", "", 401, `token admin`},
		{"/api/reports/quarterly?quarter=2024-Q1", "admin", 200, `{"office":"mpp-uji","quarter":"2024-Q1","overall":{"issued":1,`},
		{"/api/reports/quarterly", "admin", 200, `"quarter":"2024-Q1"`}, // the current quarter
		{"/api/reports/quarterly?quarter=2024-Q5", "admin", 400, `YYYY-QN`},
		{"/api/reports/yearly?year=2024", "admin", 200, `{"office":"mpp-uji","year":"2024","overall":{"issued":1,`},
		{"/api/reports/yearly?year=2023", "admin", 200, `"overall":{"issued":0,`},
		{"/api/reports/yearly?year=24", "admin", 400, `YYYY`},
		{"/api/reports/daily?day=2024-03-05", "admin", 200, `{"office":"mpp-uji","day":"2024-03-05","overall":{"issued":1,`},
		{"/api/reports/daily", "admin", 200, `"by_hour":[{"hour":0,`},
		{"/api/reports/monthly?month=2024-03", "admin", 200, `"services":{"A":{"issued":1,"done":1,`},
		{"/api/reports/letterhead", "", 401, `token admin`},
		{"/api/reports/letterhead", "admin", 200, `"services":{"A":"Perizinan","B":"Kependudukan"}`},
	}
	for _, s := range steps {
		code, body, _ := call(t, ts, "GET", s.path, s.token, "")
		if code != s.code || !strings.Contains(body, s.contains) {
			t.Errorf("GET %s: %d %.300s\nwant %d containing %s", s.path, code, body, s.code, s.contains)
		}
	}
	_, body, _ := call(t, ts, "GET", "/api/reports/monthly?month=2024-03", "admin", "")
	var rep struct {
		SKM struct {
			Services map[string]struct {
				Responses int      `json:"responses"`
				IKM       *float64 `json:"ikm"`
			} `json:"services"`
			Profile struct {
				Gender map[string]int `json:"gender"`
				Age    map[string]int `json:"age"`
			} `json:"profile"`
		} `json:"skm"`
	}
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatal(err)
	}
	if a := rep.SKM.Services["A"]; a.Responses != 1 || a.IKM == nil || *a.IKM != 100 || rep.SKM.Profile.Gender["P"] != 1 || rep.SKM.Profile.Age["40-49"] != 1 {
		t.Errorf("the survey naming service A: %+v", rep.SKM)
	}
	code, body, h := call(t, ts, "GET", "/api/reports/quarterly.xlsx?quarter=2024-Q1", "admin", "")
	if code != 200 || !strings.HasPrefix(body, "PK") || h.Get("Content-Disposition") != `attachment; filename="laporan-mpp-uji-2024-Q1.xlsx"` {
		t.Errorf("quarterly xlsx: %d %q", code, h.Get("Content-Disposition"))
	}
	code, body, _ = call(t, ts, "GET", "/api/reports/yearly.csv?year=2024", "admin", "")
	if code != 200 || !strings.HasPrefix(body, "\ufeffkantor;periode;") || !strings.Contains(body, "\nmpp-uji;2024;antrian;semua;Semua layanan;issued;Tiket terbit;1\n") {
		t.Errorf("yearly csv: %d %.200q", code, body)
	}
	code, body, _ = call(t, ts, "GET", "/api/reports/monthly.csv?month=2024-03&plain=1", "admin", "")
	if code != 200 || !strings.HasPrefix(body, "kantor,periode,") || !strings.Contains(body, "mpp-uji,2024-03,antrian,semua,Semua layanan,issued,Tiket terbit,1") {
		t.Errorf("plain csv: %d %.200q", code, body)
	}
	code, body, h = call(t, ts, "GET", "/admin/laporan?month=2024-03", "", "")
	if code != 200 || !strings.Contains(body, `<script src="/static/laporan.js">`) || !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("/admin/laporan: %d %q", code, h.Get("Content-Security-Policy"))
	}
	if code, body, _ := call(t, ts, "POST", "/api/surveys", "", `{"answers":[4,4,4,4,4,4,4,4,4],"profile":{"gender":"X"}}`); code != 400 || !strings.Contains(body, "jenis kelamin") {
		t.Errorf("a survey with a wrong gender: %d %s", code, body)
	}
}
