-- The names an office's config gives its services and counters (wire.Labels JSON, as
-- the office sent them with its latest batch): headquarters' workbooks and printable
-- reports say "Perizinan Berusaha (NIB)" rather than "Layanan A". '' until the office
-- sends them (antrid before this change does not).
ALTER TABLE offices ADD COLUMN labels TEXT NOT NULL DEFAULT '';
