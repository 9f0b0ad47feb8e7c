-- State of the headquarters uploader (sync/), not of the queue: how far
-- headquarters has acknowledged the outbox (the events table), and batches it
-- refused for good. Events are never deleted on acknowledgement: the office's
-- own reports are computed from them.
CREATE TABLE sync_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    acked_seq    INTEGER NOT NULL DEFAULT 0,  -- highest contiguous seq headquarters holds
    last_success TEXT    NOT NULL DEFAULT ''  -- RFC 3339, when headquarters last acknowledged
);
INSERT INTO sync_state (id) VALUES (1);

CREATE TABLE sync_dead_letters (
    id          INTEGER PRIMARY KEY,
    from_seq    INTEGER NOT NULL,
    to_seq      INTEGER NOT NULL,
    status      INTEGER NOT NULL,              -- HTTP status headquarters answered
    reason      TEXT    NOT NULL,
    at          TEXT    NOT NULL,              -- RFC 3339
    resolved_at TEXT    NOT NULL DEFAULT ''    -- set when a later attempt got through
);
