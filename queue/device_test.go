package queue_test

import (
	"strings"
	"testing"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// TestDevicesPairedRevokedAndNeverStored: a paired device's token is shown once and
// found by DeviceByToken until it is revoked; neither the store nor any event holds it.
func TestDevicesPairedRevokedAndNeverStored(t *testing.T) {
	q, _ := queuetest.Open(t, "office", jakartaNoon)
	for _, c := range []struct {
		cmd  queue.PairDevice
		kind queue.ErrorKind
	}{
		{queue.PairDevice{Kind: "printer"}, queue.KindInvalid},
		{queue.PairDevice{Kind: queue.DeviceCounter, Counter: "9"}, queue.KindInvalid},
		{queue.PairDevice{Kind: queue.DeviceKiosk, Counter: "1"}, queue.KindInvalid},
		{queue.PairDevice{Kind: queue.DeviceKiosk, Name: strings.Repeat("x", 101)}, queue.KindInvalid},
	} {
		_, err := q.Do(ctx, &c.cmd)
		wantKind(t, err, c.kind)
	}
	if n := len(allEvents(t, q)); n != 0 {
		t.Fatalf("refused pairings stored %d events", n)
	}
	pc := &queue.PairDevice{Kind: queue.DeviceCounter, Counter: "2"}
	do(t, q, pc)
	tab := &queue.PairDevice{Kind: queue.DeviceKiosk, Name: "Tablet lantai 2"}
	do(t, q, tab)
	if len(pc.Token) != 43 || pc.Token == tab.Token || pc.Device.Name != "Perangkat Loket 2" || pc.Device.Counter != "2" {
		t.Fatalf("paired %+v token %q", pc.Device, pc.Token)
	}
	d, ok, err := q.DeviceByToken(ctx, pc.Token)
	if err != nil || !ok || d.ID != pc.Device.ID || d.Kind != queue.DeviceCounter || d.Counter != "2" {
		t.Fatalf("lookup of the counter device: %+v %v %v", d, ok, err)
	}
	for _, wrong := range []string{"", "t2", pc.Token[:42], queue.HashDeviceToken(pc.Token)} {
		if _, ok, _ := q.DeviceByToken(ctx, wrong); ok {
			t.Errorf("token %q accepted", wrong)
		}
	}
	// The store keeps the hash only; the events (headquarters' copy) not even that.
	var rows int
	if err := q.Store().Reader().QueryRow(`SELECT count(*) FROM devices WHERE token_hash = ? OR token_hash = ?`, pc.Token, tab.Token).Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("a token stored as is: %d rows, %v", rows, err)
	}
	for _, ev := range allEvents(t, q) {
		if b := jsonOf(t, ev); strings.Contains(b, pc.Token) || strings.Contains(b, queue.HashDeviceToken(pc.Token)) {
			t.Fatalf("event %s carries the token", b)
		}
	}

	do(t, q, &queue.RevokeDevice{ID: pc.Device.ID})
	if _, ok, _ := q.DeviceByToken(ctx, pc.Token); ok {
		t.Fatal("a revoked device still found")
	}
	if _, ok, _ := q.DeviceByToken(ctx, tab.Token); !ok {
		t.Fatal("revoking one device revoked another")
	}
	_, err = q.Do(ctx, &queue.RevokeDevice{ID: pc.Device.ID})
	wantKind(t, err, queue.KindConflict)
	_, err = q.Do(ctx, &queue.RevokeDevice{ID: 99})
	wantKind(t, err, queue.KindNotFound)
	list, err := q.Devices(ctx)
	if err != nil || len(list) != 2 || list[0].ID != tab.Device.ID || list[1].RevokedAt == nil || list[0].RevokedAt != nil {
		t.Fatalf("devices %s, %v", jsonOf(t, list), err)
	}
	evs := allEvents(t, q)
	if len(evs) != 3 || evs[2].Type != queue.EventDeviceRevoked || evs[2].Counter != "" {
		t.Fatalf("events %s", jsonOf(t, evs))
	}
}
