package printjob_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/antri-id/antri/device/escpos"
	"github.com/antri-id/antri/device/printjob"
	"github.com/antri-id/antri/queue"
)

// stuckPort is a printer that hangs on every status question until released, as a
// network printer that accepts the connection and then answers nothing.
type stuckPort struct{ release chan struct{} }

func (p *stuckPort) Status(ctx context.Context) (escpos.Status, error) {
	select {
	case <-p.release:
		return escpos.Status{Known: true}, nil
	case <-ctx.Done():
		return escpos.Status{}, ctx.Err()
	}
}

func (p *stuckPort) Write(b []byte) (int, error) { return len(b), nil }
func (p *stuckPort) Close() error                { return nil }

func TestPrintQueueIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, cfg := newQueue(t)
		port := &stuckPort{release: make(chan struct{})}
		s := printjob.New(q, port, printjob.Layout{Config: cfg, Paper: escpos.Paper80, BaseURL: "http://antri.local"},
			printjob.Options{Logger: quiet, PollEvery: time.Hour, MaxPending: 3})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { s.Run(ctx); close(done) }()
		defer func() { cancel(); <-done }()
		synctest.Wait() // subscribed; its first status poll hangs

		// The spooler is stuck in its first status poll: three tickets wait in the
		// queue, the other seven find it full.
		var issued []*queue.Ticket
		for range 10 {
			issued = append(issued, issue(t, q, false))
		}
		synctest.Wait()
		if st := s.Queue(); st.Limit != 3 || st.Pending != 3 || st.Dropped != 7 {
			t.Fatalf("queue %+v; want 3 waiting and 7 dropped", st)
		}
		fails, err := q.PrintFailures(context.Background(), "")
		if err != nil || len(fails) != 7 {
			t.Fatalf("%d failures listed (%v); want the 7 dropped tickets, for reprint", len(fails), err)
		}
		for _, f := range fails {
			if !strings.Contains(f.Problem, "antrean cetak penuh") {
				t.Errorf("%s failed with %q", f.Ticket.Number, f.Problem)
			}
		}
		if h := s.Health(); h.OK || !strings.Contains(h.Problem, "antrean cetak penuh") {
			t.Errorf("health with a full queue: %+v", h)
		}
		if err := s.Reprint(context.Background(), issued[0]); !errors.Is(err, printjob.ErrQueueFull) {
			t.Errorf("reprint into a full queue: %v", err)
		}
		// Every ticket is in the database, whatever the printer did.
		for _, tk := range issued {
			if got, err := q.TicketByNumber(context.Background(), tk.Number, ""); err != nil || got.Stage != queue.StageIssued {
				t.Fatalf("%s: %+v %v", tk.Number, got, err)
			}
		}

		// The poll and then each print give up after their time limits (3 s, 30 s): the
		// queue moves even while the printer never answers.
		time.Sleep(4 * time.Second)
		synctest.Wait()
		if st := s.Queue(); st.Pending != 2 {
			t.Errorf("after the poll's time limit the queue is %+v, want 2 waiting", st)
		}
		time.Sleep(30 * time.Second)
		synctest.Wait()
		if st := s.Queue(); st.Pending != 1 {
			t.Errorf("after a print's time limit the queue is %+v, want 1 waiting", st)
		}

		// The printer answers again: the queue drains and the health is well.
		close(port.release)
		synctest.Wait()
		if st := s.Queue(); st.Pending != 0 {
			t.Fatalf("queue did not drain: %+v", st)
		}
		if h := s.Health(); !h.OK {
			t.Errorf("health after draining: %+v", h)
		}
	})
}
