-- Request rate limits as token buckets, one row per key (a client network on the public DAV
-- view): in the database, so instances behind one load balancer share each client's allowance.
-- A bucket idle for a minute is full again, so old rows are pruned without changing any answer.
CREATE TABLE rate_limits (
  key      TEXT PRIMARY KEY,
  tokens   REAL NOT NULL,
  at       INTEGER NOT NULL,
  granted  INTEGER NOT NULL
);
CREATE INDEX rate_limits_at ON rate_limits(at);
