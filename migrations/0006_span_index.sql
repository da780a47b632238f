-- One covering index for the two text-free scans: CalDAV time-range candidates
-- (`last_end >= :from AND first_start <= :to`, with each candidate's head) and a Depth 1
-- PROPFIND's member list. It replaces the envelope and heads indexes, so writes keep the
-- same number of indexes while neither scan reads the rows holding the calendar texts.
DROP INDEX calendar_objects_envelope;
DROP INDEX calendar_objects_heads;
CREATE INDEX calendar_objects_span ON calendar_objects(
  calendar_id, last_end, first_start, recurring, component_type, uri, etag, size, updated_at
);
