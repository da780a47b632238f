import type { RateToken } from '../types.js';
import type { Db } from './db.js';

// Token-bucket arithmetic in one upsert, written once for both stores (only portable SQL: CASE
// for min/max, CAST to DOUBLE PRECISION, which SQLite reads as REAL). Every SET expression sees
// the row as it was, so `level` is the bucket refilled up to now. A clock that steps back
// (another instance's) refills nothing rather than draining the bucket.
const elapsed = 'CASE WHEN @now > rate_limits.at THEN @now - rate_limits.at ELSE 0 END';
const refilled = `rate_limits.tokens + (${elapsed}) * CAST(@perMs AS DOUBLE PRECISION)`;
const level = `CASE WHEN ${refilled} >= @cap THEN CAST(@cap AS DOUBLE PRECISION) ELSE ${refilled} END`;

export const TAKE_RATE_TOKEN = `
  INSERT INTO rate_limits (key, tokens, at, granted) VALUES (@key, CAST(@cap AS DOUBLE PRECISION) - 1, @now, 1)
  ON CONFLICT (key) DO UPDATE SET
    tokens = ${level} - CASE WHEN ${level} >= 1 THEN 1 ELSE 0 END,
    granted = CASE WHEN ${level} >= 1 THEN 1 ELSE 0 END,
    at = CASE WHEN @now > rate_limits.at THEN @now ELSE rate_limits.at END
  RETURNING tokens, granted`;

export const PRUNE_RATE_LIMITS = 'DELETE FROM rate_limits WHERE at < @before';

/** The parameters of TAKE_RATE_TOKEN: a bucket of one minute's allowance, refilled continuously. */
export const takeParams = (key: string, perMinute: number, now: number) => ({ key, cap: perMinute, perMs: perMinute / 60_000, now });

export const toRateToken = (r: { tokens: number; granted: number }): RateToken => ({ granted: r.granted === 1, tokens: r.tokens });

export function rateLimitQueries(db: Db) {
  const take = db.prepare(TAKE_RATE_TOKEN);
  const prune = db.prepare(PRUNE_RATE_LIMITS);
  return {
    take: (key: string, perMinute: number, now: number) =>
      toRateToken(take.get(takeParams(key, perMinute, now)) as { tokens: number; granted: number }),
    prune: (before: number) => prune.run({ before }).changes,
  };
}
