-- Every ticket's secret code (issue 10): printed inside its QR link
-- (/t/{number}?d=YYYY-MM-DD&k={code}) and returned when it is issued. Feedback from a
-- citizen's phone needs it, so that nobody rates another person's service by guessing
-- "A-007". Tickets issued before this migration have none ('') and take feedback only
-- from a button, a counter or the kiosk.
ALTER TABLE tickets ADD COLUMN code TEXT NOT NULL DEFAULT '';
