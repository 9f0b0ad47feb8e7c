package queue_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// benchEvents makes the events of n tickets in March 2024: each issued,
// called, started and finished (one in ten recalled, one in twenty a
// no-show), spread over the month, as antrid would have stored them.
func benchEvents(n int) []queue.Event {
	var evs []queue.Event
	seq := int64(0)
	start := wib(2024, 3, 1, 8, 0, 0)
	step := (30 * 24 * time.Hour) / time.Duration(n)
	add := func(typ string, at time.Time, tk queue.Ticket, data any) {
		seq++
		ev := queue.Event{Seq: seq, Office: "mpp-uji", Type: typ, At: at, Boot: "b", MonoNS: int64(at.Sub(start)), Service: tk.Service, Counter: "1"}
		t := tk
		ev.Ticket = &t
		if data != nil {
			ev.Data, _ = json.Marshal(data)
		}
		evs = append(evs, ev)
	}
	perDay := map[string]int{}
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(i) * step)
		day := at.Format("2006-01-02")
		perDay[day]++
		tk := queue.Ticket{ID: int64(i + 1), Number: queue.FormatNumber("A", perDay[day]), Day: day, Service: "A",
			Stage: queue.StageIssued, Segment: 1, IssuedAt: at, QueuedAt: at, WaitStandardS: 600, ServiceStandardS: 300}
		add(queue.EventIssued, at, tk, nil)
		call := at.Add(time.Duration(i%900) * time.Second)
		tk.Stage = queue.StageCalled
		add(queue.EventCalled, call, tk, nil)
		if i%10 == 0 {
			call = call.Add(time.Minute)
			add(queue.EventRecalled, call, tk, nil)
		}
		if i%20 == 1 {
			tk.Stage = queue.StageNoShow
			add(queue.EventNoShow, call.Add(2*time.Minute), tk, nil)
			continue
		}
		tk.Stage = queue.StageStarted
		add(queue.EventStarted, call.Add(30*time.Second), tk, nil)
		tk.Stage = queue.StageFinished
		add(queue.EventFinished, call.Add(time.Duration(60+i%400)*time.Second), tk, queue.FinishData{Outcome: queue.OutcomeDone})
	}
	return evs
}

// BenchmarkReportBuilder100k is the builder alone over 100 000 tickets'
// decoded events: what headquarters spends per report.
func BenchmarkReportBuilder100k(b *testing.B) {
	evs := benchEvents(100_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rb, _ := queue.NewReport("mpp-uji", "2024-03", jakarta)
		for _, ev := range evs {
			rb.Add(ev)
		}
		if rep := rb.Report(); rep.Overall.Issued != 100_000 {
			b.Fatalf("issued %d", rep.Overall.Issued)
		}
	}
}

// BenchmarkMonthlyReport100k is GET /api/reports/monthly over a database
// holding 100 000 tickets of the month: the segments table and the outbox as
// the event path would have written them.
func BenchmarkMonthlyReport100k(b *testing.B) {
	q, _ := queuetest.Open(b, "reports", wib(2024, 4, 1, 9, 0, 0))
	evs := benchEvents(100_000)
	q.Seed(b, evs)
	b.ReportMetric(float64(len(evs)), "events")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := q.MonthlyReport(context.Background(), "2024-03")
		if err != nil {
			b.Fatal(err)
		}
		if rep.Overall.Issued != 100_000 {
			b.Fatalf("issued %d", rep.Overall.Issued)
		}
	}
}
