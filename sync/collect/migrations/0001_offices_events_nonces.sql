-- Headquarters' first schema: what antri-hq wrote with CREATE TABLE IF NOT
-- EXISTS before migrations were numbered. A database from then is adopted as
-- version 1 without running this file (migrate.go, adoptUnnumbered).
-- Portable SQL: the same file runs on SQLite and PostgreSQL. Times are unix
-- milliseconds.
CREATE TABLE offices (
	id        TEXT   PRIMARY KEY,
	name      TEXT   NOT NULL DEFAULT '',
	timezone  TEXT   NOT NULL DEFAULT '',
	acked_seq BIGINT NOT NULL DEFAULT 0,   -- highest contiguous seq held
	events    BIGINT NOT NULL DEFAULT 0,   -- events held, after gaps too
	last_seen BIGINT NOT NULL DEFAULT 0
);

-- Each office event once, as the office stored it (body), with what reports
-- select on.
CREATE TABLE events (
	office TEXT   NOT NULL,
	seq    BIGINT NOT NULL,
	at_ms  BIGINT NOT NULL,
	type   TEXT   NOT NULL,
	body   TEXT   NOT NULL,
	PRIMARY KEY (office, seq)
);
CREATE INDEX events_at ON events (office, at_ms);
CREATE INDEX events_type ON events (office, type);

-- Nonces of accepted batches, kept for twice the timestamp window: a batch
-- replayed within the window is refused.
CREATE TABLE nonces (
	office TEXT   NOT NULL,
	nonce  TEXT   NOT NULL,
	at_ms  BIGINT NOT NULL,
	PRIMARY KEY (office, nonce)
);
CREATE INDEX nonces_at ON nonces (at_ms);
