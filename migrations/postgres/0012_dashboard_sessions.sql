-- PostgreSQL twin of ../0012_dashboard_sessions.sql.
CREATE TABLE dashboard_sessions (
  id          TEXT PRIMARY KEY,
  user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL
);
CREATE INDEX dashboard_sessions_user ON dashboard_sessions(user_id);

CREATE TABLE login_failures (
  key           TEXT PRIMARY KEY,
  window_start  BIGINT NOT NULL,
  failures      INTEGER NOT NULL
);
