-- Incidents (gangguan layanan, issue 15): a surge, the appliance down, numbers handed out
-- by hand, the printer down. Each with its start and, once over, its end (Instants);
-- their events carry them to headquarters and into the monthly report.
-- Only a new table and its index: a program that knows migrations up to 16 still reads and
-- writes the database (an update to it can be switched back).
-- oldest_reader: 16
CREATE TABLE incidents (
    id      INTEGER PRIMARY KEY,
    type    TEXT NOT NULL,              -- surge | outage | manual | printer
    service TEXT NOT NULL DEFAULT '',   -- a surge's service; '' for the office
    started TEXT NOT NULL,              -- Instant
    ended   TEXT NOT NULL DEFAULT '',   -- Instant; '' while it lasts
    note    TEXT NOT NULL DEFAULT '',
    source  TEXT NOT NULL DEFAULT ''    -- "auto" (antrid noticed it) or "admin"
);
CREATE INDEX incidents_open ON incidents (type, service) WHERE ended = '';
