package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/sync/collect"
)

// errNoOffice is an office headquarters holds no events of.
var errNoOffice = errors.New("kantor belum pernah mengirim data")

// report computes an office's report of a period from the events
// headquarters holds, with the office's own ReportBuilder (package queue):
// once synced it equals the office's GET /api/reports/… field by field.
func (s *server) report(ctx context.Context, office string, kind queue.PeriodKind, key string) (*queue.Report, collect.Office, error) {
	o, ok, err := s.store.Office(ctx, office)
	if err != nil {
		return nil, o, err
	}
	if !ok {
		return nil, o, errNoOffice
	}
	loc, err := time.LoadLocation(o.Timezone)
	if err != nil {
		return nil, o, fmt.Errorf("zona waktu kantor %q: %w", o.Timezone, err)
	}
	p, err := queue.ParsePeriod(kind, key, loc)
	if err != nil {
		return nil, o, err
	}
	b := queue.NewPeriodReport(office, p)
	// In sequence order: every event from where the builder needs them on
	// (a segment queued in the period can end after it; a revision early in
	// the period is compared with as long a stretch before it), and the
	// complaints and revisions of any time (a complaint still open, a
	// revision recorded long before it took effect). Older ticket events
	// cannot change the period, so years of history are not read for it.
	err = s.store.EventsSince(ctx, office, b.ReadFrom(), b.AnyTimeEvents(), func(e collect.Event) error {
		var ev queue.Event
		if err := json.Unmarshal(e.Body, &ev); err != nil {
			return fmt.Errorf("event %d kantor %s rusak: %w", e.Seq, office, err)
		}
		b.Add(ev)
		return nil
	})
	if err != nil {
		return nil, o, err
	}
	return b.Report(), o, nil
}
