-- Tickets as they are now; their history is in segments and events.
CREATE TABLE tickets (
    id        INTEGER PRIMARY KEY,
    day       TEXT    NOT NULL,           -- local date of issue, YYYY-MM-DD
    number    TEXT    NOT NULL,           -- "A-012"
    service   TEXT    NOT NULL,           -- current service
    priority  INTEGER NOT NULL DEFAULT 0,
    stage     TEXT    NOT NULL,
    counter   TEXT    NOT NULL DEFAULT '',
    segment   INTEGER NOT NULL DEFAULT 1,
    queue_seq INTEGER NOT NULL,           -- event seq of the issue or last transfer: call order
    issued    TEXT    NOT NULL,           -- Instant
    UNIQUE (day, number)
);
CREATE INDEX tickets_live ON tickets (stage, service, priority DESC, queue_seq)
    WHERE stage IN ('issued', 'transferred', 'called', 'started');

-- One wait-and-serve pass of a ticket through one service.
CREATE TABLE segments (
    ticket_id   INTEGER NOT NULL REFERENCES tickets (id),
    idx         INTEGER NOT NULL,
    service     TEXT    NOT NULL,
    counter     TEXT    NOT NULL DEFAULT '',
    queued      TEXT    NOT NULL,
    first_call  TEXT    NOT NULL DEFAULT '',
    last_call   TEXT    NOT NULL DEFAULT '',
    started     TEXT    NOT NULL DEFAULT '',
    ended       TEXT    NOT NULL DEFAULT '',
    calls       INTEGER NOT NULL DEFAULT 0,
    end_stage   TEXT    NOT NULL DEFAULT '',
    outcome     TEXT    NOT NULL DEFAULT '',
    wait_std    INTEGER NOT NULL,          -- nanoseconds, the standard in force at queueing
    service_std INTEGER NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    unit        TEXT    NOT NULL DEFAULT '',
    transfer_to TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (ticket_id, idx)
);

-- The last number given per service and local day, and how many were issued.
CREATE TABLE day_numbers (
    day     TEXT    NOT NULL,
    service TEXT    NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (day, service)
);

-- Every change, in order. The per-office sequence never repeats (AUTOINCREMENT)
-- so headquarters can keep each event exactly once. This table is the outbox.
CREATE TABLE events (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    body TEXT NOT NULL                    -- the Event as JSON, seq included
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Recent finished services of a service, for the estimated wait.
CREATE INDEX segments_finished ON segments (service, ended) WHERE end_stage = 'finished';
