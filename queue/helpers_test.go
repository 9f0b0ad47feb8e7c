package queue

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

const testConfig = `
[office]
id = "mpp-uji"
name = "MPP Uji"
timezone = "%s"
admin_token = "admin"

[[service]]
code = "A"
name = "Perizinan"
wait_standard = "15m"
service_standard = "10m"

[[service]]
code = "B"
name = "Kependudukan"
wait_standard = "30m"
service_standard = "20m"
daily_quota = 3

[[counter]]
id = "1"
name = "Loket 1"
services = ["A", "B"]
token = "t1"

[[counter]]
id = "2"
name = "Loket 2"
services = ["B"]
token = "t2"
`

// newTestQueue opens a queue on a fresh store in a temp dir, in tz, at the
// given wall time.
func newTestQueue(t testing.TB, tz string, at time.Time) (*Queue, *FakeClock, string) {
	t.Helper()
	cfg, err := ParseConfig("uji.toml", []byte(fmt.Sprintf(testConfig, tz)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "antri.db")
	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := NewFakeClock(at)
	return New(cfg, st, clk), clk, path
}

// do applies a command that must succeed.
func do(t testing.TB, q *Queue, cmd Command) *Ticket {
	t.Helper()
	tk, err := q.Do(ctx, cmd)
	if err != nil {
		t.Fatalf("%T%+v: %v", cmd, cmd, err)
	}
	return tk
}

func wantKind(t testing.TB, err error, kind ErrorKind) {
	t.Helper()
	if KindOf(err) != kind {
		t.Fatalf("want refusal %q, got %v", kind, err)
	}
}

var ctx = context.Background()
