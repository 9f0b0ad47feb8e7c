package queue_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/antri-id/antri/queue"
)

// Headquarters computes an office's monthly report from the events it
// received, exactly as the office does from its own outbox.
func ExampleNewReport() {
	loc := time.FixedZone("WIB", 7*3600)
	b, _ := queue.NewReport("mpp-contoh", "2024-03", loc)
	at := time.Date(2024, 3, 5, 9, 0, 0, 0, loc)
	tk := queue.Ticket{ID: 1, Number: "A-001", Service: "A", Segment: 1, WaitStandardS: 600, ServiceStandardS: 300}
	b.Add(queue.Event{Seq: 1, Type: queue.EventIssued, At: at, Ticket: &tk})
	b.Add(queue.Event{Seq: 2, Type: queue.EventCalled, At: at.Add(12 * time.Minute), Ticket: &tk})
	b.Add(queue.Event{Seq: 3, Type: queue.EventFinished, At: at.Add(16 * time.Minute), Ticket: &tk,
		Data: json.RawMessage(`{"outcome":"done"}`)})
	rep := b.Report()
	o := rep.Overall
	fmt.Println(o.Issued, o.Done, *o.WaitMeanS, *o.ServiceMeanS, *o.OnTimePct, *o.WaitOnTimePct, *o.ServiceOnTimePct)
	// Output: 1 1 720 240 0 0 100
}
