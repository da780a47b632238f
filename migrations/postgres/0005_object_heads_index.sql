-- PostgreSQL twin of ../0005_object_heads_index.sql.
CREATE INDEX calendar_objects_heads ON calendar_objects(calendar_id, pk, uri, etag, size, component_type, updated_at);
