package queue_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// ticketCodeRE is a code as issued: 10 characters of Crockford's base 32, lower case.
var ticketCodeRE = regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{10}$`)

func TestEveryTicketHasASecretCode(t *testing.T) {
	q, _ := queuetest.Open(t, "office", jakartaNoon)
	seen := map[string]bool{}
	for range 50 {
		tk := do(t, q, queue.Issue{Service: "A"})
		if !ticketCodeRE.MatchString(tk.Code) {
			t.Fatalf("%s has code %q", tk.Number, tk.Code)
		}
		if seen[tk.Code] {
			t.Fatalf("code %q given twice", tk.Code)
		}
		seen[tk.Code] = true
	}
	tk := do(t, q, queue.Issue{Service: "B"})
	stored, err := q.TicketByNumber(ctx, tk.Number, "")
	if err != nil || stored.Code != tk.Code {
		t.Fatalf("code not stored: %q vs %q (%v)", stored.Code, tk.Code, err)
	}
	if want := "/t/B-001?d=" + tk.Day + "&k=" + tk.Code; tk.Link() != want {
		t.Errorf("link %q, want %q", tk.Link(), want)
	}
	// Never in JSON: events go to every display and to headquarters.
	b, _ := json.Marshal(tk)
	if strings.Contains(string(b), tk.Code) {
		t.Errorf("the code leaks into the ticket's JSON: %s", b)
	}
	for _, ev := range allEvents(t, q) {
		if b, _ := json.Marshal(ev); strings.Contains(string(b), tk.Code) {
			t.Errorf("the code is in event %d: %s", ev.Seq, b)
		}
	}
}

func TestFeedbackFromAPhoneNeedsTheCode(t *testing.T) {
	q, _ := queuetest.Open(t, "office", jakartaNoon)
	tk := do(t, q, queue.Issue{Service: "A"}, queue.Call{Counter: "1"}, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	for _, code := range []string{"", "0000000000", strings.ToUpper(tk.Code), tk.Code + "x"} {
		_, err := q.Do(ctx, queue.Feedback{Number: "A-001", Score: 1, Code: code, Untrusted: true})
		wantKind(t, err, queue.KindForbidden)
	}
	if got := do(t, q, queue.Feedback{Number: "A-001", Score: 4, Code: tk.Code, Untrusted: true}); got.Number != "A-001" {
		t.Fatal(got.Number)
	}
	var n, score int
	q.Store().Reader().QueryRow(`SELECT count(*), max(score) FROM feedback`).Scan(&n, &score)
	if n != 1 || score != 4 {
		t.Fatalf("%d feedback rows, score %d; want the one with the right code", n, score)
	}
}

func TestFeedbackOnATicketWithoutCode(t *testing.T) {
	q, _ := queuetest.Open(t, "office", jakartaNoon)
	do(t, q, queue.Issue{Service: "A"}, queue.Call{Counter: "1"}, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	// As a ticket issued before migration 0006, through a second connection to the file.
	db, err := queue.OpenSQLite(q.Store().Path())
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.W.Exec(`UPDATE tickets SET code = ''`)
	db.W.Close()
	db.R.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, err = q.Do(ctx, queue.Feedback{Number: "A-001", Score: 1, Code: "", Untrusted: true})
	wantKind(t, err, queue.KindForbidden)
	do(t, q, queue.Feedback{Number: "A-001", Score: 3}) // the kiosk or a counter still can
}
