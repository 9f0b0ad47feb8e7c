package queue_test

import (
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

func TestFreeTextLimits(t *testing.T) {
	q, _ := queuetest.Open(t, "office", jakartaNoon)
	do(t, q, queue.Issue{Service: "A"}, queue.Call{Counter: "1"}, &queue.ReceiveComplaint{Topic: "Waktu tunggu", Text: "Lama sekali"})
	long := strings.Repeat("x", 60<<10)
	revise := func(reason string, c *queue.Components) queue.ReviseStandard {
		return queue.ReviseStandard{Service: "A", Wait: time.Minute, ServiceTime: time.Minute, Reason: reason, Components: c}
	}
	for _, cmd := range []queue.Command{
		queue.Transfer{Counter: "1", Service: "B", Note: long},
		queue.Transfer{Counter: "1", Service: "B", Unit: strings.Repeat("u", queue.MaxNameRunes+1)},
		queue.Transfer{Counter: "1", Service: "B", Note: "a\x00b"},
		queue.Transfer{Counter: "1", Service: "B", Note: "\xff"},
		revise(long, nil),
		revise("SK baru", &queue.Components{Fee: long}),
		revise("SK baru", &queue.Components{Requirements: make([]string, queue.MaxListEntries+1)}),
		&queue.ReceiveComplaint{Topic: "Waktu tunggu", Text: long},
		queue.UpdateComplaint{ID: 1, Status: queue.ComplaintRecorded, Note: long},
		queue.SetRunningText{Text: long},
	} {
		_, err := q.Do(ctx, cmd)
		wantKind(t, err, queue.KindInvalid)
		if msg := err.Error(); !strings.Contains(msg, "panjang") && !strings.Contains(msg, "kendali") && !strings.Contains(msg, "UTF-8") && !strings.Contains(msg, "banyak") {
			t.Errorf("%T: refusal does not say what is wrong: %v", cmd, err)
		}
	}
	// Within the limits, with line breaks, all is kept.
	note := strings.Repeat("é", queue.MaxNoteRunes-1) + "\n"
	tk := do(t, q, queue.Transfer{Counter: "1", Service: "B", Note: note, Unit: "Disdukcapil"})
	if tk.Referral != note {
		t.Errorf("referral note not kept whole: %d runes", len([]rune(tk.Referral)))
	}
}
