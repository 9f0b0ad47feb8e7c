-- Each office's latest health (wire.Health JSON, as the office sent it with a batch or a
-- heartbeat): GET /api/v1/offices and the page list offices in trouble first. Only the
-- newest is kept; '' until the office sends one (antrid before issue 14 does not).
ALTER TABLE offices ADD COLUMN health TEXT NOT NULL DEFAULT '';
