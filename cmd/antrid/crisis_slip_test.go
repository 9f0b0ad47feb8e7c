package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/device/escpos/preview"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestButtonRefusedForCapacityPrintsASlip: at 14:58 in an office closing at 15:00, with
// A's two counters already promised to those waiting, a press of A's ticket button
// (stop_when_unservable) gives no number: the printer gives a slip saying so and when to
// come back. Pressing again at once gives no second slip.
func TestButtonRefusedForCapacityPrintsASlip(t *testing.T) {
	cfg := queuetest.Example(t, func(c *queue.Config) {
		c.UseDemoSecrets()
		c.Office.Open, c.Office.Close = "08:00", "15:00"
		c.Office.OpenAt, c.Office.CloseAt = 8*time.Hour, 15*time.Hour
		c.Services[0].StopWhenUnservable = true
	})
	clk := queue.NewFakeClock(time.Date(2026, 11, 2, 14, 58, 0, 0, cfg.Location))
	d := startDaemonOn(t, true, cfg, clk)
	issued := 0
	for ; issued < 10; issued++ {
		if _, err := d.a.q.Do(context.Background(), queue.Issue{Service: "A"}); queue.ReasonOf(err) == queue.ReasonCapacity {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if issued == 0 || issued == 10 {
		t.Fatalf("%d tickets issued before the capacity refusal", issued)
	}
	for range 2 {
		if code := d.call("POST", "/api/sim/pins/GPIO17/press", "", "", nil); code != http.StatusAccepted {
			t.Fatalf("press GPIO17: %d", code)
		}
	}
	job, _ := d.printed(issued + 1)
	doc, err := preview.Decode(job)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(doc.Text()), " ")
	for _, want := range []string{"NOMOR TIDAK DIBERIKAN", "15.00", "datang kembali besok mulai pukul 08.00"} {
		if !strings.Contains(text, want) {
			t.Errorf("the slip does not say %q:\n%s", want, doc.Text())
		}
	}
	time.Sleep(time.Second)
	if n := d.a.printer.Last(); n != issued+1 {
		t.Errorf("%d jobs printed after two presses, want %d (one slip)", n, issued+1)
	}
}
