package main

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/antri-id/antri/display"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestOwnHealthReadsTheRealHealthz: the updater confirms a version on trial from
// antrid's own /healthz, as display.Server answers it (parts beside "version"); a
// part that is not well must keep the version unconfirmed.
func TestOwnHealthReadsTheRealHealthz(t *testing.T) {
	q, _ := queuetest.Open(t, "office", time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC))
	hub := display.NewHub()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go hub.Run(ctx)
	srv := display.New(display.Options{Queue: q, Hub: hub, DataDir: t.TempDir(), Version: "2.0.0"})
	var printerOut atomic.Bool
	srv.SetCheck("printer", func(context.Context) display.Health { return display.Health{OK: !printerOut.Load()} })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv.Handler()}
	go hs.Serve(ln)
	defer hs.Close()

	parts, err := ownHealth(ctx, ln.Addr().String())
	if err != nil {
		t.Fatalf("ownHealth: %v", err)
	}
	if !parts["database"] || !parts["printer"] {
		t.Errorf("parts %v: want database and printer well", parts)
	}
	if _, ok := parts["version"]; ok {
		t.Errorf("parts %v: version is not a part", parts)
	}

	printerOut.Store(true)
	if parts, err = ownHealth(ctx, ln.Addr().String()); err != nil || parts["printer"] {
		t.Errorf("printer out: parts %v, %v; want printer not well", parts, err)
	}
}
