package display

import (
	"testing"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestIssueAnswerCarriesThePhonesAddress: the issue answer's url is the QR code's link at
// the address phones open (Options.TicketBase, else [office] base_url), for the kiosk to
// show; without either there is none, rather than the kiosk's own loopback address.
func TestIssueAnswerCarriesThePhonesAddress(t *testing.T) {
	for _, c := range []struct{ base, want string }{{phones + "/", phones}, {"", ""}} {
		o := kioskOffice(t, queuetest.Office(t, "pages", queuetest.AlwaysOpen, func(cfg *queue.Config) { cfg.Office.BaseURL = c.base }))
		var got IssuedTicket
		if code := o.call("POST", "/api/tickets", "", map[string]any{"service": "A"}, &got); code != 201 {
			t.Fatalf("issue: HTTP %d", code)
		}
		if want := c.want + got.Link; c.want != "" && got.URL != want || c.want == "" && got.URL != "" {
			t.Errorf("base_url %q: url %q (link %q)", c.base, got.URL, got.Link)
		}
	}
}
