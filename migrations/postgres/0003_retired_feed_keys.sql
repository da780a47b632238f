-- PostgreSQL twin of ../0003_retired_feed_keys.sql.
CREATE TABLE retired_feed_keys (
  feed_key    TEXT PRIMARY KEY,
  calendar_id TEXT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  retired_at  BIGINT NOT NULL
);
