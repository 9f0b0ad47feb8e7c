package queue

import "time"

// The estimate's rule (docs/API.md, "A ticket"): a waiting citizen's estimated wait is
// those ahead of them, times what one citizen takes at a counter (perCitizen), shared
// over the counters serving the service; while anyone is ahead it is at least
// minWaitAhead. The live board, the issue answer, the printed ticket, the kiosk, /t/ and
// the displays all show this one number.

// minWaitAhead is the least estimate while anyone is ahead: each of them must still be
// called and walk to a counter. The displays never say "< 1 mnt" to a queue that waits.
const minWaitAhead = time.Minute

// perCitizen is the time an estimate counts for one citizen at a counter: the recent
// mean service time, but never less than a quarter of the service standard, and never
// less than a minute (unless the standard itself is shorter). Officers who press
// Selesai at once (a citizen sent home, a training run, a button tried) make the recent
// mean a few seconds long; counted as it was, four to six waiting showed "perkiraan
// < 1 mnt" on the waiting-room TV.
func perCitizen(recentMean, standard time.Duration) time.Duration {
	floor := max(standard/4, time.Minute)
	if standard > 0 {
		floor = min(floor, standard)
	}
	return max(recentMean, floor)
}
