package button_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/antri-id/antri/device/button"
	"github.com/antri-id/antri/queue"
)

// TestTicketButtonGivesNoNumberThePrinterCannotPrint: with the paper out, a ticket
// button's press issues nothing (nobody would hold the number: it would be called and
// counted as a no-show) and is refused in words for the citizen; counter buttons go on
// working; with paper back the same button issues again.
func TestTicketButtonGivesNoNumberThePrinterCannotPrint(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := newOffice(t)
		var problem error = errors.New("Kertas habis")
		_, sim := o.start(t, button.Options{TicketsPrintable: func(context.Context) error { return problem }})

		press(t, sim, "GPIO17")
		r := refusal(t, o.next(t))
		if r.Pin != "GPIO17" || r.Action != "ticket" || r.Kind != button.KindPrinter ||
			r.Message != "Maaf, nomor antrean tidak dapat dicetak saat ini (kertas habis). Silakan minta nomor antrean kepada petugas." {
			t.Errorf("refusal %+v", r)
		}
		st, err := o.q.State(context.Background())
		if err != nil || len(st.Waiting) != 0 {
			t.Fatalf("after the refused press %d waiting (%v), want none", len(st.Waiting), err)
		}

		press(t, sim, "GPIO5") // a counter button: its refusal is the queue's, not the printer's
		if r := refusal(t, o.next(t)); r.Kind != queue.KindNotFound {
			t.Errorf("call with nothing waiting refused as %+v", r)
		}

		problem = nil
		time.Sleep(button.DefaultHold + button.DefaultLockout)
		press(t, sim, "GPIO17")
		if ev := o.next(t); ev.Type != queue.EventIssued || ev.Ticket.Number != "A-001" {
			t.Fatalf("with paper back: %s %v, want A-001 issued", ev.Type, ev.Ticket)
		}
	})
}
