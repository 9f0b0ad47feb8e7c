package main

import (
	"context"
	"strings"
	"testing"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/sync/collect/collecttest"
)

func TestPageComparesOfficesSideBySide(t *testing.T) {
	q, st, clk := office(t, officeA)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		q.Do(ctx, queue.Issue{Service: "A"})
		clk.Advance(60_000_000_000)
		q.Do(ctx, queue.Call{Counter: "1"})
		q.Do(ctx, queue.Finish{Counter: "1", Outcome: "done"})
	}
	_, bodies, err := st.RawEventsAfter(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	hq := collecttest.Opener(t, "sqlite")()
	_, hs := startHQ(t, hq)
	if code, b, _ := do(t, newSigned(officeA, secretA, bodies, 1, int64(len(bodies))).request(hs.URL, nil)); code != 200 {
		t.Fatalf("ingest: %d %s", code, b)
	}
	code, b := get(t, hs.URL+"/?month=2025-03", adminTok)
	page := string(b)
	if code != 200 {
		t.Fatalf("page: %d %s", code, page)
	}
	row := page[strings.Index(page, `data-office="`+officeA+`"`):]
	row = row[:strings.Index(row, "</tr>")]
	// 3 issued, 3 done, first-visit completion 100%, the wait of one minute each.
	for _, want := range []string{"<td>3</td><td>3</td><td>0</td><td>0</td>", "<td>1.0 mnt</td>", "<td>100.0%</td>"} {
		if !strings.Contains(row, want) {
			t.Errorf("row of %s lacks %q:\n%s", officeA, want, row)
		}
	}
	if !strings.Contains(page, `data-office="`+officeB+`"`) || !strings.Contains(page, "belum pernah mengirim data") {
		t.Error("the office that never sent is not shown as such")
	}
	if !strings.Contains(page, `class="bar" width="100.0"`) || strings.Contains(page, "http://") || strings.Contains(page, "https://") {
		t.Error("page should draw its bars and load nothing from outside")
	}
}
