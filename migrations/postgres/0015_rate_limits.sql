-- PostgreSQL twin of ../0015_rate_limits.sql.
CREATE TABLE rate_limits (
  key      TEXT PRIMARY KEY,
  tokens   DOUBLE PRECISION NOT NULL,
  at       BIGINT NOT NULL,
  granted  INTEGER NOT NULL
);
CREATE INDEX rate_limits_at ON rate_limits(at);
