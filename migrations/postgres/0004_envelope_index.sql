-- PostgreSQL twin of ../0004_envelope_index.sql.
DROP INDEX calendar_objects_range;
CREATE INDEX calendar_objects_envelope ON calendar_objects(calendar_id, last_end, first_start);
