-- The officer (petugas) who called a segment, as the counter's sign-in names
-- them: the report's per-officer part. Empty until officers sign in.
ALTER TABLE segments ADD COLUMN officer TEXT NOT NULL DEFAULT '';
