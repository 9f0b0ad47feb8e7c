-- The SKM response may name the service used and the respondent's profile
-- (DOMAIN.md "MPP scale"): the report's SKM per service and respondents'
-- profile. Empty text and age 0 mean "not said".
ALTER TABLE surveys ADD COLUMN service    TEXT    NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN gender     TEXT    NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN age        INTEGER NOT NULL DEFAULT 0;
ALTER TABLE surveys ADD COLUMN education  TEXT    NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN occupation TEXT    NOT NULL DEFAULT '';
