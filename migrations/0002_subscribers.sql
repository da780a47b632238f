-- Calcast schema, version 2: subscribers, the raw sync log and its daily rollups (DESIGN.md §4).
-- Times are unix milliseconds; days are UTC calendar days as 'YYYY-MM-DD'.

CREATE TABLE subscribers (
  id            TEXT PRIMARY KEY,
  calendar_id   TEXT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  kind          TEXT NOT NULL CHECK (kind IN ('personal','anonymous')),
  token_hash    TEXT UNIQUE,              -- personal: sha256 of the URL token; the token is never stored
  client_key    TEXT,                     -- anonymous: src/subscribers/anonymous-key.ts
  client        TEXT NOT NULL DEFAULT 'unknown',
  name          TEXT,
  email         TEXT,
  country       TEXT,                     -- from the subscribe-page click, never from a poll
  city          TEXT,
  user_agent    TEXT,                     -- the latest one seen
  blocked       INTEGER NOT NULL DEFAULT 0,
  deleted       INTEGER NOT NULL DEFAULT 0, -- personal URLs are kept so they answer "Calendar disabled"
  created_at    INTEGER NOT NULL,
  first_sync_at INTEGER,
  last_sync_at  INTEGER,
  sync_count    INTEGER NOT NULL DEFAULT 0,
  CHECK ((kind = 'personal') = (token_hash IS NOT NULL)),
  CHECK ((kind = 'anonymous') = (client_key IS NOT NULL)),
  UNIQUE (calendar_id, client_key)
);
-- Listing and the active count: WHERE calendar_id = ? [AND last_sync_at >= ?] ORDER BY last_sync_at.
-- (The token lookup uses the UNIQUE index on token_hash.)
CREATE INDEX subscribers_last_sync ON subscribers(calendar_id, last_sync_at);

-- Raw polls, pruned after CALCAST_SYNC_LOG_DAYS. Deleting an anonymous subscriber forgets
-- its rows (and their IPs) with it.
CREATE TABLE sync_log (
  id            INTEGER PRIMARY KEY,
  calendar_id   TEXT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  subscriber_id TEXT REFERENCES subscribers(id) ON DELETE CASCADE,
  at            INTEGER NOT NULL,
  surface       TEXT NOT NULL CHECK (surface IN ('feed','caldav')),
  method        TEXT NOT NULL,
  status        INTEGER NOT NULL,
  bytes         INTEGER NOT NULL,
  client        TEXT NOT NULL,
  user_agent    TEXT,
  ip            TEXT
);
CREATE INDEX sync_log_at ON sync_log(at);                              -- pruning
CREATE INDEX sync_log_subscriber ON sync_log(subscriber_id, at);       -- cascades, per-subscriber history

-- Daily rollups, kept after the raw rows are pruned. Summing `subscribers` over clients gives
-- the distinct subscribers of the day: each is counted once, on its first sync of that day.
CREATE TABLE sync_daily (
  calendar_id     TEXT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  day             TEXT NOT NULL,
  client          TEXT NOT NULL,
  syncs           INTEGER NOT NULL DEFAULT 0,
  subscribers     INTEGER NOT NULL DEFAULT 0,
  new_subscribers INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (calendar_id, day, client)
) WITHOUT ROWID;
