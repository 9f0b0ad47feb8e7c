package display

import (
	"context"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// reportOfficeConfig is the office of the report pages' tests: three
// services of three agencies, one counter each, and the signature block of
// the printable report.
const reportOfficeConfig = `
[office]
id = "mpp-kota-contoh"
name = "Mal Pelayanan Publik Kota Contoh"
address = "Jl. Merdeka No. 1, Kota Contoh"
city = "Kota Contoh"
head_title = "Kepala Dinas Penanaman Modal dan PTSP Kota Contoh"
head_name = "Dra. Siti Rahmawati, M.Si."
head_nip = "19700101 199503 2 001"
admin_token = "rahasia-admin-laporan"
complaint_standard = "120h"

[[service]]
code = "A"
name = "Perizinan Berusaha (NIB)"
unit = "DPMPTSP"
wait_standard = "15m"
service_standard = "10m"

[[service]]
code = "B"
name = "Administrasi Kependudukan"
unit = "Disdukcapil"
wait_standard = "20m"
service_standard = "12m"

[[service]]
code = "C"
name = "Pajak Daerah"
unit = "Bapenda"
wait_standard = "10m"
service_standard = "8m"

[[counter]]
id = "1"
name = "Loket 1 DPMPTSP"
services = ["A"]
token = "token-loket-satu-01"

[[counter]]
id = "2"
name = "Loket 2 Disdukcapil"
services = ["B"]
token = "token-loket-dua-002"

[[counter]]
id = "3"
name = "Loket 3 Bapenda"
services = ["C"]
token = "token-loket-tiga-03"
`

// novemberOffice is the report office with November 2026 behind it: 12
// tickets a counter a working day with officers at counters 1 and 2, five
// SKM responses a day, a complaint every Wednesday (closed the next
// morning), and service A's service standard cut from 10 to 8 minutes from
// Monday 16 November, after which its service is a quarter faster. Its clock stands at 1 December 00:30.
func novemberOffice(t testing.TB) (*queue.Queue, *queue.FakeClock) {
	t.Helper()
	cfg := queuetest.Config(t, reportOfficeConfig)
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
