-- The last print outcome of each ticket: a ticket whose printing failed stays
-- listed (ok = 0) until a reprint succeeds, so staff can hand it out.
CREATE TABLE prints (
    ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id),
    ok        INTEGER NOT NULL,
    problem   TEXT    NOT NULL DEFAULT '', -- why the last attempt failed, in Indonesian
    attempts  INTEGER NOT NULL,            -- prints tried, first print and reprints
    at        TEXT    NOT NULL             -- Instant of the last attempt
);
CREATE INDEX prints_failed ON prints (ticket_id) WHERE ok = 0;
