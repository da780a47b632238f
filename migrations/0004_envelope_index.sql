-- Range queries (CalDAV time-range, feeds) test `first_start <= :to AND last_end >= :from`.
-- Scanning last_end with first_start in the same index answers them without reading rows
-- that do not match (a 10,000-event calendar has ~9,500 non-matching rows for one week).
DROP INDEX calendar_objects_range;
CREATE INDEX calendar_objects_envelope ON calendar_objects(calendar_id, last_end, first_start);
