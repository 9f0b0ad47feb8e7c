-- The latest calls are ordered by the sequence of their event, not by the wall clock,
-- which can step backwards on a Pi without a real-time clock (queue/daycalls.go).
ALTER TABLE segments ADD COLUMN call_seq INTEGER NOT NULL DEFAULT 0; -- seq of the latest called/recalled event

-- The calls of the latest office day take theirs from the events; older calls are never
-- listed as "latest", so they keep 0.
UPDATE segments SET call_seq = m.seq
FROM (SELECT json_extract(body, '$.ticket.id') AS ticket_id, json_extract(body, '$.ticket.segment') AS idx, max(seq) AS seq
      FROM events
      WHERE type IN ('called', 'recalled')
        AND seq >= (SELECT coalesce(min(s.queue_seq), 0) FROM segments s JOIN tickets t ON t.id = s.ticket_id
                    WHERE t.day = (SELECT max(day) FROM tickets))
      GROUP BY 1, 2) AS m
WHERE segments.ticket_id = m.ticket_id AND segments.idx = m.idx;
