package queue

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEveryTicketHasASecretCode(t *testing.T) {
	q, _, _ := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
	seen := map[string]bool{}
	for range 50 {
		tk := do(t, q, Issue{Service: "A"})
		if len(tk.Code) < 8 || strings.Trim(tk.Code, codeAlphabet) != "" {
			t.Fatalf("%s has code %q", tk.Number, tk.Code)
		}
		if seen[tk.Code] {
			t.Fatalf("code %q given twice", tk.Code)
		}
		seen[tk.Code] = true
	}
	tk := do(t, q, Issue{Service: "B"})
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
	var events int
	q.Store().Reader().QueryRow(`SELECT count(*) FROM events WHERE instr(body, ?) > 0`, tk.Code).Scan(&events)
	if events != 0 {
		t.Errorf("the code is in %d stored events", events)
	}
}

func TestFeedbackFromAPhoneNeedsTheCode(t *testing.T) {
	q, _, _ := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
	tk := do(t, q, Issue{Service: "A"})
	do(t, q, Call{Counter: "1"})
	do(t, q, Finish{Counter: "1", Outcome: OutcomeDone})
	for _, code := range []string{"", "0000000000", strings.ToUpper(tk.Code), tk.Code + "x"} {
		_, err := q.Do(ctx, Feedback{Number: "A-001", Score: 1, Code: code, Untrusted: true})
		wantKind(t, err, KindForbidden)
	}
	got := do(t, q, Feedback{Number: "A-001", Score: 4, Code: tk.Code, Untrusted: true})
	if got.Number != "A-001" {
		t.Fatal(got.Number)
	}
	var n, score int
	q.Store().Reader().QueryRow(`SELECT count(*), max(score) FROM feedback`).Scan(&n, &score)
	if n != 1 || score != 4 {
		t.Fatalf("%d feedback rows, score %d; want the one with the right code", n, score)
	}
}

func TestFeedbackOnATicketWithoutCode(t *testing.T) {
	q, _, _ := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
	do(t, q, Issue{Service: "A"})
	do(t, q, Call{Counter: "1"})
	do(t, q, Finish{Counter: "1", Outcome: OutcomeDone})
	// As a ticket issued before migration 0006.
	if _, err := q.Store().w.Exec(`UPDATE tickets SET code = ''`); err != nil {
		t.Fatal(err)
	}
	_, err := q.Do(ctx, Feedback{Number: "A-001", Score: 1, Code: "", Untrusted: true})
	wantKind(t, err, KindForbidden)
	do(t, q, Feedback{Number: "A-001", Score: 3}) // the kiosk or a counter still can
}
