-- Quick satisfaction scores (1-4), at most one per ticket segment.
CREATE TABLE feedback (
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    segment   INTEGER NOT NULL,
    score     INTEGER NOT NULL CHECK (score BETWEEN 1 AND 4),
    at        TEXT    NOT NULL,
    PRIMARY KEY (ticket_id, segment)
);
