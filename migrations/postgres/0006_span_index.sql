-- PostgreSQL twin of ../0006_span_index.sql: one covering index for the text-free scans.
DROP INDEX calendar_objects_envelope;
DROP INDEX calendar_objects_heads;
CREATE INDEX calendar_objects_span ON calendar_objects(
  calendar_id, last_end, first_start, recurring, component_type, uri, etag, size, updated_at
);
