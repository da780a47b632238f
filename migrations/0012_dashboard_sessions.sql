-- Dashboard sessions: only the SHA-256 of the cookie's secret is kept, so a copy of the
-- database lets no one log in. Rows past expires_at are refused and pruned.
CREATE TABLE dashboard_sessions (
  id          TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX dashboard_sessions_user ON dashboard_sessions(user_id);

-- Failed logins counted per key ("user:<name>" or "ip:<address>") in fixed windows; in the
-- database so every instance behind a load balancer counts the same failures.
CREATE TABLE login_failures (
  key           TEXT PRIMARY KEY,
  window_start  INTEGER NOT NULL,
  failures      INTEGER NOT NULL
);
