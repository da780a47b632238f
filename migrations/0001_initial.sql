-- Calcast schema, version 1. Times are unix milliseconds unless the column says seconds.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,            -- scrypt, see src/util/secrets.ts
  created_at    INTEGER NOT NULL
);

CREATE TABLE api_tokens (
  id           TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,      -- sha256 of the token; the token itself is never stored
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE calendars (
  id            TEXT PRIMARY KEY,
  owner_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  slug          TEXT NOT NULL,            -- the collection name under /dav/
  feed_key      TEXT NOT NULL UNIQUE,     -- >= 128 random bits, the public feed URL
  title         TEXT NOT NULL,
  description   TEXT,
  timezone      TEXT NOT NULL,
  color         TEXT,
  weekday_begin TEXT,
  custom_data   TEXT,                     -- JSON object, never published
  published     INTEGER NOT NULL DEFAULT 1,
  components    TEXT NOT NULL DEFAULT 'VEVENT,VTODO,VJOURNAL',
  sync_token    INTEGER NOT NULL DEFAULT 0,
  settings      TEXT NOT NULL DEFAULT '{}',
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  UNIQUE (owner_id, slug)
);

CREATE TABLE calendar_objects (
  pk             INTEGER PRIMARY KEY,
  calendar_id    TEXT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  id             TEXT NOT NULL,           -- the JSON API id (client idempotency key or random)
  uri            TEXT NOT NULL,           -- the CalDAV member name
  uid            TEXT NOT NULL,
  component_type TEXT NOT NULL CHECK (component_type IN ('VEVENT','VTODO','VJOURNAL','VAVAILABILITY')),
  data           TEXT NOT NULL,           -- the iCalendar text: the single source of truth
  etag           TEXT NOT NULL,
  size           INTEGER NOT NULL,
  start_at       INTEGER NOT NULL,        -- seconds: master start (sort key)
  end_at         INTEGER NOT NULL,        -- seconds: master end
  first_start    INTEGER NOT NULL,        -- seconds: earliest start of any instance
  last_end       INTEGER NOT NULL,        -- seconds: latest end of any instance (sentinel if unbounded)
  recurring      INTEGER NOT NULL,
  sequence       INTEGER NOT NULL DEFAULT 0,
  status         TEXT,
  search_text    TEXT NOT NULL DEFAULT '', -- lower-cased title, description, location for `q`
  custom_data    TEXT,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  UNIQUE (calendar_id, uri),
  UNIQUE (calendar_id, uid),
  UNIQUE (calendar_id, id)
);
CREATE INDEX calendar_objects_start ON calendar_objects(calendar_id, component_type, start_at, pk);
CREATE INDEX calendar_objects_range ON calendar_objects(calendar_id, first_start, last_end);

CREATE TABLE calendar_changes (
  id          INTEGER PRIMARY KEY,
  calendar_id TEXT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  sync_token  INTEGER NOT NULL,
  uri         TEXT NOT NULL,
  operation   TEXT NOT NULL CHECK (operation IN ('create','update','delete')),
  changed_at  INTEGER NOT NULL
);
CREATE INDEX calendar_changes_token ON calendar_changes(calendar_id, sync_token);
