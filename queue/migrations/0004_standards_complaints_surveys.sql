-- Revisions of a service's standards (PermenPAN-RB 15/2014): kept forever.
-- The config values are in force before the first revision of a service.
CREATE TABLE standard_revisions (
    id           INTEGER PRIMARY KEY,
    service      TEXT    NOT NULL,
    wait_ns      INTEGER NOT NULL,
    service_ns   INTEGER NOT NULL,
    components   TEXT    NOT NULL,          -- the six published components, JSON
    reason       TEXT    NOT NULL,
    effective_ns INTEGER NOT NULL,          -- unix nanoseconds: sortable, unlike RFC 3339 text
    recorded     TEXT    NOT NULL           -- Instant the admin made the change
);
CREATE INDEX standard_revisions_at ON standard_revisions (service, effective_ns, id);

-- Complaints (pengaduan): received -> recorded -> followed_up -> closed.
CREATE TABLE complaints (
    id          INTEGER PRIMARY KEY,
    channel     TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    ticket      TEXT    NOT NULL DEFAULT '',
    unit        TEXT    NOT NULL DEFAULT '',
    status      TEXT    NOT NULL,
    received    TEXT    NOT NULL,           -- Instant
    standard_ns INTEGER NOT NULL,           -- the office's complaint standard when received
    closed      TEXT    NOT NULL DEFAULT '',-- Instant
    resolution  TEXT    NOT NULL DEFAULT ''
);

-- Every step of a complaint, timestamped.
CREATE TABLE complaint_steps (
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    at           TEXT    NOT NULL,          -- Instant
    status       TEXT    NOT NULL,
    note         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX complaint_steps_by ON complaint_steps (complaint_id);

-- SKM responses (PermenPAN-RB 14/2017): nine elements, each 1-4.
CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,                       -- Instant
    u1 INTEGER NOT NULL CHECK (u1 BETWEEN 1 AND 4),
    u2 INTEGER NOT NULL CHECK (u2 BETWEEN 1 AND 4),
    u3 INTEGER NOT NULL CHECK (u3 BETWEEN 1 AND 4),
    u4 INTEGER NOT NULL CHECK (u4 BETWEEN 1 AND 4),
    u5 INTEGER NOT NULL CHECK (u5 BETWEEN 1 AND 4),
    u6 INTEGER NOT NULL CHECK (u6 BETWEEN 1 AND 4),
    u7 INTEGER NOT NULL CHECK (u7 BETWEEN 1 AND 4),
    u8 INTEGER NOT NULL CHECK (u8 BETWEEN 1 AND 4),
    u9 INTEGER NOT NULL CHECK (u9 BETWEEN 1 AND 4)
);
