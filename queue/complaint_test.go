package queue_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

func TestComplaintIndicators(t *testing.T) {
	// Complaint standard 48h. Feb 2024 has 29 days.
	q, c := queuetest.Open(t, "reports", wib(2024, 2, 27, 10, 0, 0))
	ctx := context.Background()
	receive := func(topic string) int64 {
		cp, err := q.ReceiveComplaint(ctx, queue.ReceiveComplaint{Channel: "kiosk", Topic: topic, Text: "Antrian terlalu lama", Ticket: "a-012", Unit: "DPMPTSP"})
		if err != nil {
			t.Fatal(err)
		}
		return cp.ID
	}
	c4 := receive("C4") // 27 Feb 10:00
	do(t, q, queue.UpdateComplaint{ID: c4, Status: queue.ComplaintRecorded})
	c.Advance(4 * 24 * time.Hour) // 2 Mar 10:00: 96h > 48h
	do(t, q, queue.UpdateComplaint{ID: c4, Status: queue.ComplaintClosed, Note: "sudah dijelaskan"})
	c.Advance(3 * 24 * time.Hour) // 5 Mar 10:00
	c2 := receive("C2")
	c.Advance(5 * 24 * time.Hour) // 10 Mar: 120h > 48h
	do(t, q, queue.UpdateComplaint{ID: c2, Status: queue.ComplaintFollowedUp, Note: "diteruskan ke unit"},
		queue.UpdateComplaint{ID: c2, Status: queue.ComplaintClosed, Resolution: "loket ditambah"})
	c.Advance(10 * 24 * time.Hour) // 20 Mar
	receive("C3")                  // never closed
	c.Advance(10 * 24 * time.Hour) // 30 Mar 10:00
	c1 := receive("C1")
	c.Advance(47 * time.Hour) // 1 Apr 09:00: 47h ≤ 48h
	do(t, q, queue.UpdateComplaint{ID: c1, Status: queue.ComplaintClosed, Resolution: "selesai"})

	for _, tc := range []struct {
		month                  string
		received, closed, open int
		withinPct              *float64
	}{
		{"2024-02", 1, 0, 1, nil},    // C4 received, open at the end of February
		{"2024-03", 3, 2, 2, f(0)},   // C1 C2 C3 received; C4 and C2 closed late; C1 and C3 open at the end
		{"2024-04", 0, 1, 1, f(100)}, // C1 closed within 47h; C3 still open
	} {
		rep, err := q.MonthlyReport(ctx, tc.month)
		if err != nil {
			t.Fatal(err)
		}
		got := rep.Complaints
		if got.Received != tc.received || got.Closed != tc.closed || got.Open != tc.open || !sameFloat(got.ClosedWithinStandardPct, tc.withinPct) {
			t.Errorf("%s complaints = %d/%d/%d %v, want %d/%d/%d %v", tc.month, got.Received, got.Closed, got.Open,
				fmtF(got.ClosedWithinStandardPct), tc.received, tc.closed, tc.open, fmtF(tc.withinPct))
		}
	}

	cp, err := q.Complaint(ctx, c2)
	if err != nil {
		t.Fatal(err)
	}
	if cp.Status != queue.ComplaintClosed || cp.Resolution != "loket ditambah" || len(cp.Steps) != 3 || cp.Ticket != "A-012" || cp.StandardS != 48*3600 {
		t.Errorf("complaint %d = %+v", c2, cp)
	}
	if _, err := q.Do(ctx, queue.UpdateComplaint{ID: c2, Status: queue.ComplaintFollowedUp}); queue.KindOf(err) != queue.KindConflict {
		t.Errorf("update after close: %v, want conflict", err)
	}
	if _, err := q.Do(ctx, queue.UpdateComplaint{ID: 999, Status: queue.ComplaintRecorded}); queue.KindOf(err) != queue.KindNotFound {
		t.Errorf("unknown complaint: %v, want not found", err)
	}
	if _, err := q.Do(ctx, queue.UpdateComplaint{ID: c4, Status: "dibuang"}); queue.KindOf(err) != queue.KindInvalid {
		t.Errorf("bad status: %v, want invalid", err)
	}
	list, _ := q.Complaints(ctx, "open")
	if len(list) != 1 || list[0].Topic != "C3" {
		t.Errorf("open complaints = %+v, want C3 only", list)
	}
	lines, err := q.ComplaintReceipt(ctx, c1)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(lines, " ") // wrapped lines joined
	for _, want := range []string{"TANDA TERIMA PENGADUAN", "Nomor pengaduan: " + itoa(c1), "Diterima: 30 Maret 2024 pukul 10.00", "Batas selesai: 1 April 2024 pukul 10.00", "A-012"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
	for _, l := range lines {
		if len([]rune(l)) > 32 {
			t.Errorf("receipt line wider than 58 mm paper (32): %q", l)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSubmitSurveyStoresAndRefuses(t *testing.T) {
	q, _ := queuetest.Open(t, "reports", wib(2024, 3, 5, 9, 0, 0))
	ctx := context.Background()
	s := &queue.SubmitSurvey{Answers: [9]int{4, 4, 3, 3, 4, 4, 4, 3, 4}}
	do(t, q, s)
	if s.ID != 1 {
		t.Errorf("survey id = %d, want 1", s.ID)
	}
	if _, err := q.Do(ctx, &queue.SubmitSurvey{Answers: [9]int{4, 4, 3, 3, 5, 4, 4, 3, 4}}); queue.KindOf(err) != queue.KindInvalid || !strings.Contains(err.Error(), "unsur 5") {
		t.Errorf("answer 5: %v, want invalid naming unsur 5", err)
	}
	var n int
	q.Store().Reader().QueryRow(`SELECT count(*) FROM surveys`).Scan(&n)
	if n != 1 {
		t.Errorf("%d survey rows, want 1", n)
	}
	rep, _ := q.MonthlyReport(ctx, "2024-03")
	// NRR = the answers themselves; Σ = 33; IKM = 33/9 × 25 = 91.67: A.
	if rep.SKM.Responses != 1 || !sameFloat(rep.SKM.IKM, f(33.0*25/9)) || *rep.SKM.Grade != "A" {
		t.Errorf("skm = %+v", rep.SKM)
	}
}

func TestStandardRevisions(t *testing.T) {
	q, c := queuetest.Open(t, "reports", wib(2024, 3, 10, 9, 0, 0))
	ctx := context.Background()
	if _, err := q.Do(ctx, queue.ReviseStandard{Service: "A", Wait: time.Minute, ServiceTime: time.Minute}); queue.KindOf(err) != queue.KindInvalid {
		t.Errorf("no reason: %v, want invalid", err)
	}
	if _, err := q.Do(ctx, queue.ReviseStandard{Service: "A", Wait: time.Minute, ServiceTime: time.Minute, Reason: "x", Effective: wib(2024, 3, 9, 0, 0, 0)}); queue.KindOf(err) != queue.KindInvalid {
		t.Errorf("past effective time: %v, want invalid", err)
	}
	// Effective at 12:00; components left as they are.
	do(t, q, queue.ReviseStandard{Service: "A", Wait: 7 * time.Minute, ServiceTime: 4 * time.Minute, Reason: "SK 1/2024", Effective: wib(2024, 3, 10, 12, 0, 0)})
	fee := queue.Components{Requirements: []string{"KTP-el", "NPWP"}, Fee: "Rp0"}
	do(t, q, queue.ReviseStandard{Service: "A", Wait: 8 * time.Minute, ServiceTime: 6 * time.Minute, Reason: "SK 2/2024", Effective: wib(2024, 3, 20, 8, 0, 0), Components: &fee})
	before := do(t, q, queue.Issue{Service: "A"}) // 09:00: config
	c.Advance(3 * time.Hour)
	after := do(t, q, queue.Issue{Service: "A"}) // 12:00: first revision
	if before.WaitStandardS != 600 || before.ServiceStandardS != 300 || after.WaitStandardS != 420 || after.ServiceStandardS != 240 {
		t.Errorf("ticket standards %d/%d then %d/%d, want 600/300 then 420/240", before.WaitStandardS, before.ServiceStandardS, after.WaitStandardS, after.ServiceStandardS)
	}
	revs, err := q.Revisions(ctx, "A")
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 3 || revs[0].ID != 0 || revs[1].Reason != "SK 1/2024" || revs[1].Components.Fee != "Gratis" || revs[2].Components.Fee != "Rp0" {
		t.Errorf("revisions = %+v", revs)
	}
	svcs, _ := q.Services(ctx)
	if svcs[0].WaitStandardS != 420 || svcs[0].RevisionID != revs[1].ID {
		t.Errorf("services now = %+v, want revision %d in force", svcs[0], revs[1].ID)
	}
	c.Advance(11 * 24 * time.Hour)
	svcs, _ = q.Services(ctx)
	if svcs[0].WaitStandardS != 480 || svcs[0].Fee != "Rp0" || len(svcs[0].Requirements) != 2 {
		t.Errorf("services after 20 Mar = %+v", svcs[0])
	}
	var n int
	q.Store().Reader().QueryRow(`SELECT count(*) FROM events WHERE type = 'standard_revised'`).Scan(&n)
	if n != 2 {
		t.Errorf("%d standard_revised events, want 2", n)
	}
}
