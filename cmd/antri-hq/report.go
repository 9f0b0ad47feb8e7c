package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/httpjson"
	"github.com/antri-id/antri/sync/collect"
)

// errNoOffice is an office headquarters holds no events of.
var errNoOffice = errors.New("kantor belum pernah mengirim data")

// report computes an office's monthly report from the events headquarters
// holds, with the office's own ReportBuilder (package queue): once synced it
// equals the office's GET /api/reports/monthly field by field.
func (s *server) report(ctx context.Context, office, month string) (*queue.Report, collect.Office, error) {
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
	b, err := queue.NewReport(office, month, loc)
	if err != nil {
		return nil, o, err
	}
	// In sequence order: every event from the month's start on (a segment
	// queued in the month can end after it, or be expired at a day close
	// long after), and the complaints received before it (still open). Older
	// ticket events cannot change the month, so years of history are not
	// read for it.
	start, _ := b.Bounds()
	anyTime := []string{queue.EventComplaintReceived, queue.EventComplaintUpdated}
	err = s.store.EventsSince(ctx, office, start, anyTime, func(e collect.Event) error {
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

// monthly is GET /api/v1/offices/{office}/reports/monthly?month=YYYY-MM.
// X-Antri-Acked-Seq says how far the office's events are complete.
func (s *server) monthly(w http.ResponseWriter, r *http.Request) {
	office, month := r.PathValue("office"), r.URL.Query().Get("month")
	if month == "" {
		httpjson.Error(w, http.StatusBadRequest, `parameter month wajib, contoh ?month=2025-03`)
		return
	}
	rep, o, err := s.report(r.Context(), office, month)
	var qe *queue.Error
	switch {
	case errors.Is(err, errNoOffice):
		if _, known := s.secrets[office]; known {
			httpjson.Error(w, http.StatusNotFound, fmt.Sprintf("kantor %q terdaftar tetapi belum mengirim data; periksa [hq] url dan secret di kantor", office))
		} else {
			httpjson.Error(w, http.StatusNotFound, fmt.Sprintf("kantor %q tidak dikenal; lihat GET /api/v1/offices", office))
		}
		return
	case errors.As(err, &qe):
		httpjson.Error(w, http.StatusBadRequest, err.Error())
		return
	case err != nil:
		httpjson.Error(w, http.StatusInternalServerError, "menghitung laporan: "+err.Error())
		return
	}
	w.Header().Set("X-Antri-Acked-Seq", strconv.FormatInt(o.AckedSeq, 10))
	httpjson.Write(w, http.StatusOK, rep)
}
