import type { Config } from '../config.js';
import type { Store } from '../store/types.js';
import type { Clock } from '../util/clock.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export interface Pruner {
  stop(): void;
  /** Prunes now; resolves to the number of raw log rows deleted. */
  runOnce(): Promise<number>;
}

/**
 * Deletes raw sync_log rows older than CALCAST_SYNC_LOG_DAYS (and idle rate-limit buckets), every `everyMs` and once shortly
 * after start (a server restarted more often than hourly would otherwise never prune). The
 * daily rollups stay. The window is never shorter than the active window, so "active" and the
 * per-subscriber history always have the rows they need.
 */
export function startPruning(
  store: Store,
  clock: Clock,
  config: Pick<Config, 'syncLogDays' | 'activeDays'>,
  options: { everyMs?: number; firstRunMs?: number; log?: (message: string, error?: unknown) => void } = {},
): Pruner {
  const { everyMs = 3_600_000, firstRunMs = 60_000, log = (m: string, e?: unknown) => console.error(m, e ?? '') } = options;
  const days = Math.max(config.syncLogDays, config.activeDays);
  const runOnce = async () => {
    // Rate-limit buckets idle for a minute are full again: dropping them changes no answer.
    await store.pruneRateLimits(clock.now() - MINUTE_MS);
    return store.pruneSyncLog(clock.now() - days * DAY_MS);
  };
  const tick = () => {
    runOnce().catch((err: unknown) => log('sync log: pruning failed', err));
  };
  // Neither timer keeps the process alive.
  const first = setTimeout(tick, firstRunMs);
  first.unref();
  const every = setInterval(tick, everyMs);
  every.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(every);
    },
    runOnce,
  };
}
