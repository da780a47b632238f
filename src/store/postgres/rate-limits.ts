import type pg from 'pg';
import { PRUNE_RATE_LIMITS, TAKE_RATE_TOKEN, takeParams, toRateToken } from '../sqlite/rate-limits.js';
import { changed, named, one } from './db.js';

/** Rate-limit buckets: the upsert's row lock orders instances taking from one bucket at once. */
export function rateLimitQueries(pool: pg.Pool) {
  return {
    take: async (key: string, perMinute: number, now: number) => {
      const { text, values } = named(TAKE_RATE_TOKEN, takeParams(key, perMinute, now));
      return toRateToken((await one<{ tokens: number; granted: number }>(pool, text, values))!);
    },
    prune: (before: number) => {
      const { text, values } = named(PRUNE_RATE_LIMITS, { before });
      return changed(pool, text, values);
    },
  };
}
