package queuetest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

const office = `
[office]
id = "mpp-uji"
name = "MPP Uji"
admin_token = "admin"

[[service]]
code = "A"
name = "Perizinan"
wait_standard = "15m"
service_standard = "10m"

[[counter]]
id = "1"
name = "Loket 1"
services = ["A"]
token = "t1"
`

func TestOpenGivesAWorkingOfficeOnAFakeClock(t *testing.T) {
	q, clk := queuetest.Open(t, office, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	tk, _ := q.Do(context.Background(), queue.Issue{Service: "A"})
	clk.Advance(5 * time.Minute)
	called, _ := q.Do(context.Background(), queue.Call{Counter: "1"})
	if got := fmt.Sprint(tk.Number, " ", called.Stage, " ", called.CalledAt.Sub(tk.IssuedAt)); got != "A-001 called 5m0s" {
		t.Fatal(got)
	}
}
