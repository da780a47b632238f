-- "Add to calendar" clicks on an event's page, counted per app, as AddEvent reports them.
-- Counts, not a log: the page is public and a click carries nothing worth keeping.
CREATE TABLE event_adds (
  calendar_id TEXT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  object_id   TEXT NOT NULL,
  app         TEXT NOT NULL,
  count       INTEGER NOT NULL,
  last_at     INTEGER NOT NULL,
  PRIMARY KEY (calendar_id, object_id, app)
) WITHOUT ROWID;
