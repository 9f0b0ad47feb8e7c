package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/sync/collect/collecttest"
)

// A flood of refused batches writes a line per minute per office and
// reason, not a line per request: headquarters' log cannot be made to fill
// its disk, nor to carry whatever ids an attacker makes up.
func TestRefusalsAreLoggedOncePerIntervalAndReason(t *testing.T) {
	var logged bytes.Buffer
	srv := newServer(testConfig(), collecttest.Opener(t, "sqlite")(), slog.New(slog.NewTextHandler(&logged, nil)), defaultLimits)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	hs := ts.URL
	for i := range 30 {
		do(t, newSigned(officeA, "bukan-rahasia-a", nil, 1, 1).request(hs, []byte{}))
		do(t, newSigned(fmt.Sprintf("palsu-%d-%s", i, strings.Repeat("z", 500)), "rahasia-palsu-x", nil, 1, 1).request(hs, []byte{}))
	}
	lines := strings.Split(strings.TrimSpace(logged.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("60 refusals of two kinds logged %d lines, want 2:\n%s", len(lines), logged.String())
	}
	if strings.Contains(logged.String(), strings.Repeat("z", 100)) {
		t.Fatal("the log quotes a made-up office id at length")
	}

	// After the interval, the next one is logged, with the count left out.
	var q bytes.Buffer
	now := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	ql := &queue.QuietLog{Log: slog.New(slog.NewTextHandler(&q, nil)), Every: time.Minute, Now: func() time.Time { return now }}
	for range 5 {
		ql.Warn("k", "ditolak")
		now = now.Add(10 * time.Second)
	}
	now = now.Add(time.Minute)
	ql.Warn("k", "ditolak")
	if n := strings.Count(q.String(), "\n"); n != 2 || !strings.Contains(q.String(), "serupa_dilewati=4") {
		t.Fatalf("six warnings over two minutes: %d lines, want 2, the second counting 4 left out:\n%s", n, q.String())
	}
}
