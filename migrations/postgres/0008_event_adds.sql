-- PostgreSQL twin of ../0008_event_adds.sql.
CREATE TABLE event_adds (
  calendar_id TEXT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  object_id   TEXT NOT NULL,
  app         TEXT COLLATE "C" NOT NULL,
  count       BIGINT NOT NULL,
  last_at     BIGINT NOT NULL,
  PRIMARY KEY (calendar_id, object_id, app)
);
