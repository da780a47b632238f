-- A Depth 1 PROPFIND lists every member's name and ETag; this covering index answers it
-- without reading the calendar text stored in the same rows.
CREATE INDEX calendar_objects_heads ON calendar_objects(calendar_id, pk, uri, etag, size, component_type, updated_at);
