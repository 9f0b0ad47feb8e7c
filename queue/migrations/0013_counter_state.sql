-- What each counter is doing now (issue 11): open, paused with a reason, or closed,
-- and the officer signed in for the shift. A counter without a row is open with
-- nobody signed in. Changed only by the counter commands (queue/counter_status.go,
-- queue/officer.go), each with its event.
CREATE TABLE counter_state (
    counter       TEXT PRIMARY KEY,
    status        TEXT NOT NULL DEFAULT 'open', -- open | paused | closed
    pause_reason  TEXT NOT NULL DEFAULT '',     -- while paused: istirahat, ishoma, rapat, gangguan
    since         TEXT NOT NULL DEFAULT '',     -- Instant of the last change of status
    officer       TEXT NOT NULL DEFAULT '',     -- name of the officer signed in, '' when none
    officer_nip   TEXT NOT NULL DEFAULT '',     -- their NIP (18 digits), '' when not given
    officer_day   TEXT NOT NULL DEFAULT '',     -- local day of the sign-in: a shift ends with its day
    officer_since TEXT NOT NULL DEFAULT ''      -- Instant of the sign-in
);

-- The NIP of the officer who called a segment (segments.officer, migration 0015, has
-- the name).
ALTER TABLE segments ADD COLUMN officer_nip TEXT NOT NULL DEFAULT '';

-- A no-show put back in the queue (requeue) keeps its number and its segment: the
-- segment records when the citizen came back and how often. Its wait stays first
-- call − queued; the call after the return is a later call of the same segment.
ALTER TABLE segments ADD COLUMN returned TEXT NOT NULL DEFAULT '';   -- Instant of the last return
ALTER TABLE segments ADD COLUMN returns INTEGER NOT NULL DEFAULT 0;
