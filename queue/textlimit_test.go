package queue

import (
	"strings"
	"testing"
	"time"
)

func TestFreeTextLimits(t *testing.T) {
	q, _, _ := newTestQueue(t, "Asia/Jakarta", jakartaNoon)
	do(t, q, Issue{Service: "A"})
	do(t, q, Call{Counter: "1"})
	do(t, q, &ReceiveComplaint{Topic: "Waktu tunggu", Text: "Lama sekali"})
	long := strings.Repeat("x", 60<<10)
	for _, cmd := range []Command{
		Transfer{Counter: "1", Service: "B", Note: long},
		Transfer{Counter: "1", Service: "B", Unit: strings.Repeat("u", MaxNameRunes+1)},
		Transfer{Counter: "1", Service: "B", Note: "a\x00b"},
		Transfer{Counter: "1", Service: "B", Note: "\xff"},
		ReviseStandard{Service: "A", Wait: time.Minute, ServiceTime: time.Minute, Reason: long},
		ReviseStandard{Service: "A", Wait: time.Minute, ServiceTime: time.Minute, Reason: "SK baru", Components: &Components{Fee: long}},
		ReviseStandard{Service: "A", Wait: time.Minute, ServiceTime: time.Minute, Reason: "SK baru", Components: &Components{Requirements: make([]string, MaxListEntries+1)}},
		&ReceiveComplaint{Topic: "Waktu tunggu", Text: long},
		UpdateComplaint{ID: 1, Status: ComplaintRecorded, Note: long},
		SetRunningText{Text: long},
	} {
		_, err := q.Do(ctx, cmd)
		wantKind(t, err, KindInvalid)
		if !strings.Contains(err.Error(), "panjang") && !strings.Contains(err.Error(), "kendali") && !strings.Contains(err.Error(), "UTF-8") && !strings.Contains(err.Error(), "banyak") {
			t.Errorf("%T: refusal does not say what is wrong: %v", cmd, err)
		}
	}
	// Within the limits, with line breaks, all is kept.
	note := strings.Repeat("é", MaxNoteRunes-1) + "\n"
	tk := do(t, q, Transfer{Counter: "1", Service: "B", Note: note, Unit: "Disdukcapil"})
	if tk.Referral != note {
		t.Errorf("referral note not kept whole: %d runes", len([]rune(tk.Referral)))
	}
}
