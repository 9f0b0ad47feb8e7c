package queue

import (
	"context"
	"time"
)

// standardsAt returns the wait and service standards of a service in force at
// instant at. A ticket is judged by the standard in force when it was issued.
func (q *Queue) standardsAt(ctx context.Context, db querier, service string, at Instant) (wait, svc time.Duration, err error) {
	s, _ := q.cfg.Service(service)
	return s.Wait, s.Service, nil
}

func (t *txn) standardsAt(service string, at Instant) (wait, svc time.Duration, err error) {
	return t.q.standardsAt(t.ctx, t.tx, service, at)
}

// ServiceInfo is a service's published Standar Pelayanan: its six components
// and the two queue standards in force now.
type ServiceInfo struct {
	Code             string   `json:"code"`
	Name             string   `json:"name"`
	Unit             string   `json:"unit,omitempty"`
	Requirements     []string `json:"requirements"`
	Procedure        []string `json:"procedure"`
	CompletionTime   string   `json:"completion_time"`
	Fee              string   `json:"fee"`
	Product          string   `json:"product"`
	Complaints       string   `json:"complaints"`
	WaitStandardS    int64    `json:"wait_standard_s"`
	ServiceStandardS int64    `json:"service_standard_s"`
	DailyQuota       int      `json:"daily_quota,omitempty"`
}

// Services lists every service's published standard as in force now.
func (q *Queue) Services(ctx context.Context) ([]ServiceInfo, error) {
	now := q.clock.Now()
	var out []ServiceInfo
	for _, s := range q.cfg.Services {
		wait, svc, err := q.standardsAt(ctx, q.store.r, s.Code, now)
		if err != nil {
			return nil, err
		}
		out = append(out, ServiceInfo{Code: s.Code, Name: s.Name, Unit: s.Unit, Requirements: nonNil(s.Requirements),
			Procedure: nonNil(s.Procedure), CompletionTime: s.CompletionTime, Fee: s.Fee, Product: s.Product,
			Complaints: s.Complaints, WaitStandardS: int64(wait / time.Second), ServiceStandardS: int64(svc / time.Second),
			DailyQuota: s.DailyQuota})
	}
	return out, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
