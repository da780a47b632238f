-- Feed keys replaced by a rotation keep answering 410 Gone, so subscribers' apps stop polling.
CREATE TABLE retired_feed_keys (
  feed_key    TEXT PRIMARY KEY,
  calendar_id TEXT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  retired_at  INTEGER NOT NULL
);
