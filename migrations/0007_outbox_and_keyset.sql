-- The outbox: one row per committed write, appended in the write's own transaction, so a
-- consumer (cache invalidation on every instance, later mail) sees every change exactly as it
-- committed, and a crash leaves both the write and its row, or neither. No foreign key: a
-- calendar's deletion is itself an event its consumers must see.
CREATE TABLE outbox (
  seq          INTEGER PRIMARY KEY,
  calendar_id  TEXT NOT NULL,
  object_uri   TEXT,            -- NULL for a change to the calendar itself
  operation    TEXT NOT NULL CHECK (operation IN ('create','update','delete')),
  old_sequence INTEGER,
  new_sequence INTEGER,
  old_etag     TEXT,
  new_etag     TEXT,
  sync_token   INTEGER,         -- the calendar's token after the write; NULL once it is deleted
  created_at   INTEGER NOT NULL
);
CREATE INDEX outbox_created ON outbox(created_at);

-- List pages are keyed by (sort value, public id), so cursors carry no row id.
DROP INDEX calendar_objects_start;
CREATE INDEX calendar_objects_start ON calendar_objects(calendar_id, component_type, start_at, id);
