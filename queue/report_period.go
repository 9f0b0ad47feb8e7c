package queue

import (
	"strconv"
	"strings"
	"time"
)

// PeriodKind is the length of a report's period.
type PeriodKind string

// The periods a report covers: the monthly report of DOMAIN.md, the quarterly
// (triwulan) evaluation of the SOP cycle, the yearly one, and a single day
// (the admin's pictures of today).
const (
	PeriodDay     PeriodKind = "day"     // "2026-11-05"
	PeriodMonth   PeriodKind = "month"   // "2026-11"
	PeriodQuarter PeriodKind = "quarter" // "2026-Q4": October to December
	PeriodYear    PeriodKind = "year"    // "2026"
)

// Period is the stretch of local time a report covers: [Start, End) in the
// office's time zone. Key is how it is written in the report JSON, addresses
// and file names.
type Period struct {
	Kind       PeriodKind
	Key        string
	Start, End time.Time
}

// ParsePeriod reads a period of kind from its key, in time zone loc. The
// refusal says how to write it.
func ParsePeriod(kind PeriodKind, key string, loc *time.Location) (Period, error) {
	if loc == nil {
		loc = time.UTC
	}
	p := Period{Kind: kind, Key: key}
	switch kind {
	case PeriodDay:
		t, err := time.ParseInLocation("2006-01-02", key, loc)
		if err != nil {
			return p, refuse(KindInvalid, "tanggal %q tidak valid; tulis YYYY-MM-DD, contoh \"2026-11-05\"", key)
		}
		p.Start, p.End = t, t.AddDate(0, 0, 1)
	case PeriodMonth:
		t, err := time.ParseInLocation("2006-01", key, loc)
		if err != nil {
			return p, refuse(KindInvalid, "bulan %q tidak valid; tulis YYYY-MM, contoh \"2024-03\"", key)
		}
		p.Start, p.End = t, t.AddDate(0, 1, 0)
	case PeriodQuarter:
		y, q, ok := strings.Cut(key, "-Q")
		n, err := strconv.Atoi(q)
		t, err2 := time.ParseInLocation("2006", y, loc)
		if !ok || err != nil || err2 != nil || n < 1 || n > 4 || len(q) != 1 {
			return p, refuse(KindInvalid, "triwulan %q tidak valid; tulis YYYY-QN, contoh \"2026-Q4\" (Oktober–Desember)", key)
		}
		p.Start = t.AddDate(0, 3*(n-1), 0)
		p.End = p.Start.AddDate(0, 3, 0)
	case PeriodYear:
		t, err := time.ParseInLocation("2006", key, loc)
		if err != nil {
			return p, refuse(KindInvalid, "tahun %q tidak valid; tulis YYYY, contoh \"2026\"", key)
		}
		p.Start, p.End = t, t.AddDate(1, 0, 0)
	default:
		return p, refuse(KindInvalid, "periode %q tidak dikenal; pakai day, month, quarter atau year", kind)
	}
	return p, nil
}

// PeriodOf is the period of kind that holds t, in t's location.
func PeriodOf(kind PeriodKind, t time.Time) Period {
	var key string
	switch kind {
	case PeriodDay:
		key = t.Format("2006-01-02")
	case PeriodQuarter:
		key = t.Format("2006") + "-Q" + strconv.Itoa((int(t.Month())+2)/3)
	case PeriodYear:
		key = t.Format("2006")
	default:
		kind, key = PeriodMonth, t.Format("2006-01")
	}
	p, _ := ParsePeriod(kind, key, t.Location())
	return p
}

// Contains reports whether wall time t is in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

// Months are the months of the period, YYYY-MM, in order (a day's is its month).
func (p Period) Months() []string {
	var out []string
	for t := time.Date(p.Start.Year(), p.Start.Month(), 1, 0, 0, 0, 0, p.Start.Location()); t.Before(p.End); t = t.AddDate(0, 1, 0) {
		out = append(out, t.Format("2006-01"))
	}
	return out
}
