-- The clock of a Pi without a real-time clock (queue/day.go). One row per boot: the latest
-- reading of that boot known to be right, because a time server kept the clock ('ntp') or
-- the admin set it ('admin'). An instant of the same boot is placed on true time from it
-- through the boot clock (CLOCK_BOOTTIME), whatever the wall clock did since.
CREATE TABLE clock_anchors (
    boot   TEXT    PRIMARY KEY,
    wall   TEXT    NOT NULL,          -- RFC 3339, UTC
    mono   INTEGER NOT NULL,          -- CLOCK_BOOTTIME in nanoseconds
    source TEXT    NOT NULL           -- 'ntp' or 'admin'
);

-- The office day (hari layanan) numbers tickets and is what the day close compares. It
-- was the wall clock's local date; from now on queue/day.go decides it and keeps it here.
-- An existing office starts from the day of its latest ticket.
INSERT INTO meta (key, value)
    SELECT 'office_day', max(day) FROM tickets HAVING max(day) IS NOT NULL;
