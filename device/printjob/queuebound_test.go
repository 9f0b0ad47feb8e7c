package printjob_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/printjob"
	"github.com/antri-id/antri/queue"
)

// stuckPort is a printer that hangs on its first status question until released, as a
// network printer that accepts the connection and then answers nothing.
type stuckPort struct {
	release chan struct{}
	mu      sync.Mutex
	jobs    int
}

func (p *stuckPort) Status(ctx context.Context) (escpos.Status, error) {
	select {
	case <-p.release:
		return escpos.Status{Known: true}, nil
	case <-ctx.Done():
		return escpos.Status{}, ctx.Err()
	}
}

func (p *stuckPort) Write(b []byte) (int, error) {
	p.mu.Lock()
	p.jobs++
	p.mu.Unlock()
	return len(b), nil
}

func (p *stuckPort) Close() error { return nil }

func TestPrintQueueIsBounded(t *testing.T) {
	q, cfg := newQueue(t)
	port := &stuckPort{release: make(chan struct{})}
	s := printjob.New(q, port, printjob.Layout{Config: cfg, Paper: escpos.Paper80, BaseURL: "http://antri.local"},
		printjob.Options{Logger: quiet, PollEvery: time.Hour, MaxPending: 3})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	waitSubscribed(t, s, q)

	// One job hangs at the printer (Run's first status poll holds it first), three wait,
	// the rest find the queue full.
	var issued []*queue.Ticket
	for range 10 {
		issued = append(issued, issue(t, q, false))
	}
	var st printjob.QueueState
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		st = s.Queue()
		fails, _ := q.PrintFailures(context.Background(), "")
		if st.Pending == 3 && int(st.Dropped) == len(fails) && st.Dropped >= 6 {
			for _, f := range fails {
				if !strings.Contains(f.Problem, "antrean cetak penuh") {
					t.Errorf("%s failed with %q", f.Ticket.Number, f.Problem)
				}
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue %+v, %d failures listed; want 3 pending and every dropped ticket listed for reprint", st, len(fails))
		}
	}
	if h := s.Health(); h.OK || !strings.Contains(h.Problem, "antrean cetak penuh") {
		t.Errorf("health with a full queue: %+v", h)
	}
	if err := s.Reprint(context.Background(), issued[0]); !errors.Is(err, printjob.ErrQueueFull) {
		t.Errorf("reprint into a full queue: %v", err)
	}
	// Every ticket is in the database whatever the printer did.
	for _, tk := range issued {
		if got, err := q.TicketByNumber(context.Background(), tk.Number, ""); err != nil || got.Stage != queue.StageIssued {
			t.Fatalf("%s: %+v %v", tk.Number, got, err)
		}
	}

	// The printer answers again: the queue drains and the health is well.
	close(port.release)
	for deadline := time.Now().Add(10 * time.Second); s.Queue().Pending > 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("queue did not drain: %+v", s.Queue())
		}
	}
	s.Poll(context.Background())
	if h := s.Health(); !h.OK {
		t.Errorf("health after draining: %+v", h)
	}
}
