// Package printjob prints each issued ticket: it lays the ticket out in
// ESC/POS (Layout) and a Spooler, subscribed to the queue's events, hands
// the job to the printer on its own goroutine, records the outcome through
// the one event path (queue.PrintResult) and watches the printer's real-time
// status for /healthz and for staff.
//
// The ticket is durable before it prints: the issued event is only published
// after its commit. A failed print leaves the ticket in the queue, listed by
// queue.Queue.PrintFailures, and Spooler.Reprint prints it again.
package printjob
