package display

import (
	"context"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// oneServiceACounter is an edit of the example office: each counter calls
// one service of its own (Loket 2 Pajak Daerah, Loket 4 SKCK), as
// queuetest.Month needs.
func oneServiceACounter(c *queue.Config) {
	// The example's first four counters (it has an MPP's twenty, and its zones name them).
	c.Counters, c.Displays = c.Counters[:4], nil
	c.Counters[1].Services, c.Counters[3].Services = []string{"C"}, []string{"D"}
}

// novemberOffice is the example office (deploy/antrid.example.toml, open at
// any hour, one service a counter) with November 2026 behind it: 12
// tickets a counter a working day with officers at counters 1 and 2, five
// SKM responses a day, a complaint every Wednesday (closed the next
// morning), and service A's service standard cut from 10 to 8 minutes from
// Monday 16 November, after which its service is a quarter faster. Its clock stands at 1 December 00:30.
func novemberOffice(t testing.TB) (*queue.Queue, *queue.FakeClock) {
	t.Helper()
	cfg := queuetest.Example(t, queuetest.AlwaysOpen, oneServiceACounter)
	q, clk := queuetest.OpenConfig(t, cfg, time.Date(2026, 11, 1, 7, 0, 0, 0, cfg.Location))
	ctx := context.Background()
	var open []int64
	queuetest.Month(t, q, clk, queuetest.MonthPlan{Month: "2026-11", PerDay: 12, Seed: 2026, Surveys: 5,
		Officers: map[string]string{"1": "Andi Pratama", "2": "Rina Wulandari"},
		ServiceScale: func(day time.Time, counter string) float64 {
			if counter == "1" && day.Day() >= 16 {
				return 0.75 // the revised procedure: documents checked before the counter
			}
			return 1
		},
		Morning: func(day time.Time) {
			for _, id := range open {
				if _, err := q.Do(ctx, queue.UpdateComplaint{ID: id, Status: queue.ComplaintClosed, Note: "Sudah ditindaklanjuti"}); err != nil {
					t.Fatal(err)
				}
			}
			open = nil
			if day.Day() == 13 {
				if _, err := q.Do(ctx, queue.ReviseStandard{Service: "A", Wait: 15 * time.Minute, ServiceTime: 8 * time.Minute,
					Reason: "SK Kepala DPMPTSP No. 45/2026: verifikasi berkas di muka", Effective: time.Date(2026, 11, 16, 8, 0, 0, 0, cfg.Location)}); err != nil {
					t.Fatal(err)
				}
			}
			if day.Weekday() == time.Wednesday {
				c, err := q.ReceiveComplaint(ctx, queue.ReceiveComplaint{Channel: "kiosk", Topic: "Waktu tunggu", Text: "Antre terlalu lama", Ticket: "A-003"})
				if err != nil {
					t.Fatal(err)
				}
				open = append(open, c.ID)
			}
		}})
	return q, clk
}
