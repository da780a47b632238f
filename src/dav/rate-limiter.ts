/** The verdict for one request: allowed, or refused until `retryAfter` seconds have passed. */
export type RateVerdict = { ok: true } | { ok: false; retryAfter: number };

/**
 * Requests per key per minute. Kept behind this interface so a store-backed limiter (shared by
 * several processes) can replace the in-memory one.
 */
export interface RateLimiter {
  take(key: string, nowMs: number): RateVerdict;
}

/** Past this many tracked networks, full buckets (idle networks) are dropped. */
const SWEEP_AT = 10_000;

/**
 * A token bucket per key in process memory: a burst of one minute's allowance, refilled
 * continuously at `perMinute` tokens a minute.
 */
export function memoryRateLimiter(perMinute: number): RateLimiter {
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const level = (b: { tokens: number; at: number }, now: number) => Math.min(perMinute, b.tokens + (now - b.at) * perMs);
  const sweep = (now: number) => {
    for (const [key, b] of buckets) if (level(b, now) >= perMinute) buckets.delete(key);
  };
  return {
    take(key, now) {
      const b = buckets.get(key) ?? { tokens: perMinute, at: now };
      const tokens = level(b, now);
      if (tokens < 1) {
        buckets.set(key, { tokens, at: now });
        return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
      }
      buckets.set(key, { tokens: tokens - 1, at: now });
      if (buckets.size > SWEEP_AT) sweep(now);
      return { ok: true };
    },
  };
}
