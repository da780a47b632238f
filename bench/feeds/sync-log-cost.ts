import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { SyncEvent } from '../../src/store/types.js';
import { systemClock } from '../../src/util/clock.js';
import { APPLE } from './setup.js';

/** The store's batched write per sync (batches of 500), in µs, on the bench's own database. */
export async function perSyncWriteUs(databaseFile: string, calendarId: string): Promise<number> {
  const store = createSqliteStore(databaseFile, systemClock);
  try {
    const batch: SyncEvent[] = Array.from({ length: 500 }, (_, i) => ({
      calendarId, at: Date.now(), surface: 'feed', method: 'GET', status: 304, bytes: 0, client: 'apple_ios',
      userAgent: APPLE, ip: `10.0.${i % 200}.1`, subscriber: { anonymousKey: `bench-${i % 50}` },
    }));
    await store.recordSyncs(batch); // warm
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) await store.recordSyncs(batch);
    return ((performance.now() - t0) / (20 * batch.length)) * 1000;
  } finally {
    await store.close();
  }
}
