package display

import (
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
)

// The admin page's clock: the status needs the admin token, the clock is set only while
// no time server keeps it, and setting it makes the time known.
func TestAdminClock(t *testing.T) {
	ts, q, clk := newAPI(t)
	if a := apiCall(t, ts, "GET", "/api/admin/clock", "", ""); a.code != 401 {
		t.Fatalf("clock status without the admin token: %d", a.code)
	}
	if a := apiCall(t, ts, "POST", "/api/admin/clock", "t1", `{"time":"2026-11-02T10:00:00+07:00"}`); a.code != 401 {
		t.Fatalf("a counter token set the clock: %d", a.code)
	}
	a := apiCall(t, ts, "GET", "/api/admin/clock", "admin", "")
	if a.code != 200 || a.body["synchronized"] != true || a.body["known"] != true || a.body["settable"] != false {
		t.Fatalf("synchronised clock: %s", a.raw)
	}
	if a := apiCall(t, ts, "POST", "/api/admin/clock", "admin", `{"time":"2026-11-02T10:00:00+07:00"}`); a.code != 409 {
		t.Fatalf("setting a synchronised clock: %s", a.raw)
	}

	// A Pi restarted without a time server, its clock 14 hours behind.
	clk.Reboot("boot-2")
	clk.SetSynchronized(false)
	clk.Step(-14 * time.Hour)
	a = apiCall(t, ts, "GET", "/api/admin/clock", "admin", "")
	if a.body["known"] != false || a.body["settable"] != true || !strings.Contains(a.body["problem"].(string), "belum pasti") {
		t.Fatalf("unknown clock: %s", a.raw)
	}
	if a := apiCall(t, ts, "POST", "/api/admin/clock", "admin", `{"time":"kemarin"}`); a.code != 400 {
		t.Fatalf("a time that is not RFC 3339: %s", a.raw)
	}
	a = apiCall(t, ts, "POST", "/api/admin/clock", "admin", `{"time":"2026-11-03T08:05:00+07:00"}`)
	if a.code != 200 || a.body["known"] != true || a.body["source"] != queue.SourceAdmin || a.body["office_day"] != "2026-11-03" {
		t.Fatalf("after setting the clock: %s", a.raw)
	}
	if got := clk.Now().Wall.In(q.Config().Location).Format("2006-01-02 15:04"); got != "2026-11-03 08:05" {
		t.Fatalf("the clock was set to %s", got)
	}
}
