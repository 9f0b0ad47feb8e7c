package queue

import "time"

// What the storage and clock tests (package queue_test) reach inside the package; see
// export_test.go.

// MarkerSuffix names the file beside a database that says one was created there.
const MarkerSuffix = markerSuffix

// DayQuiet is how long the boot clock must show after a step (day.go).
const DayQuiet = dayQuiet

// WriterExec runs a statement on the store's writer connection, as only the queue's
// writer does: PRAGMA max_page_count, filler rows.
func (s *Store) WriterExec(query string, args ...any) error {
	_, err := s.w.Exec(query, args...)
	return err
}

// WriterInt reads one number on the writer connection (PRAGMA page_count).
func (s *Store) WriterInt(query string) (n int64, err error) {
	err = s.w.QueryRow(query).Scan(&n)
	return n, err
}

// WaitBackgroundCheck waits for a quick_check that outlasted its bound at open; it
// reports false when the check finished within the bound.
func (s *Store) WaitBackgroundCheck() bool {
	if s.check == nil {
		return false
	}
	<-s.check.done
	return true
}

// ProbeNow makes the next Health try a write at once, as if probeEvery had passed.
func (s *Store) ProbeNow() {
	s.health.mu.Lock()
	s.health.probed = time.Time{}
	s.health.mu.Unlock()
}
