-- Devices the admin paired (issue 11): counter PCs and tablets, kiosk tablets. Each
-- holds a long random token, shown once; only its SHA-256 is kept. A revoked device
-- stays listed.
CREATE TABLE devices (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,               -- counter | kiosk
    counter    TEXT NOT NULL DEFAULT '',    -- the counter a counter device acts for
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,        -- hex SHA-256 of the token
    paired     TEXT NOT NULL,               -- Instant
    revoked    TEXT NOT NULL DEFAULT ''     -- Instant, '' while it may act
);
