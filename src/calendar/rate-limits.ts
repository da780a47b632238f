import type { ServiceDeps } from './service-deps.js';

/** The verdict for one request: allowed, or refused until `retryAfter` seconds have passed. */
export type RateVerdict = { ok: true } | { ok: false; retryAfter: number };

/**
 * Per-key request allowances (a burst of one minute's worth, refilled continuously), counted in
 * the store so that every instance behind a load balancer draws on the same bucket.
 */
export function rateLimitCommands({ store, clock }: ServiceDeps) {
  return {
    async takeRequest(key: string, perMinute: number): Promise<RateVerdict> {
      const { granted, tokens } = await store.takeRateToken(key, perMinute, clock.now());
      if (granted) return { ok: true };
      return { ok: false, retryAfter: Math.max(1, Math.ceil(((1 - tokens) * 60) / perMinute)) };
    },
  };
}
