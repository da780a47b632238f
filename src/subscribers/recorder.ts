import type { Store, SyncEvent } from '../store/types.js';

export interface SyncRecorder {
  /** Queues one sync; synchronous and O(1), so the poll path never waits for the database. */
  record(event: SyncEvent): void;
  /** Writes everything queued so far; resolves once it is written (or the write failed and was logged). */
  flush(): Promise<void>;
  /** Stops the timer and flushes; later records are ignored. Call after the server stops, before closing the store. */
  close(): Promise<void>;
  /** Events recorded and not yet written (queued, or in a write under way). */
  pending(): number;
}

export interface RecorderOptions {
  /** How long a sync may wait before it is written: batching turns N polls into one transaction. */
  flushMs?: number;
  /** Events per transaction; a full batch is written at once rather than on the timer. */
  maxBatch?: number;
  /** Bound on unwritten events while the store is slow; beyond it new events are dropped and counted. */
  maxQueued?: number;
  log?: (message: string, error?: unknown) => void;
}

/**
 * A write-behind buffer for the sync log. A feed answer costs one array push; a timer (or a
 * full batch) hands the queue to `store.recordSyncs`: one transaction per batch.
 * Writes run one after another, in order. A failed write is logged once, its events are
 * dropped (the log is statistics, not a ledger), and nothing is thrown at the feed.
 */
export function createSyncRecorder(store: Store, options: RecorderOptions = {}): SyncRecorder {
  const { flushMs = 250, maxBatch = 500, log = (m: string, e?: unknown) => console.error(m, e ?? '') } = options;
  const maxQueued = options.maxQueued ?? maxBatch * 100;
  let queue: SyncEvent[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;
  let failing = false;
  let dropped = 0;
  let inFlight = 0; // handed to a write that has not finished

  // The queue is handed over at maxBatch events, so one write is one transaction of at most maxBatch.
  const write = async (events: SyncEvent[]) => {
    try {
      await store.recordSyncs(events);
      if (failing) log(`sync log: writing again after ${dropped} dropped syncs`);
      failing = false;
      dropped = 0;
    } catch (err) {
      // Log the first failure of a run, not one line per batch: a full disk would flood the log.
      if (!failing) log('sync log: write failed; dropping syncs until it recovers', err);
      failing = true;
      dropped += events.length;
    } finally {
      inFlight -= events.length;
    }
  };

  const flush = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const events = queue;
    queue = [];
    inFlight += events.length;
    // Chained so that batches land in arrival order even with an asynchronous store.
    writing = writing.then(() => (events.length > 0 ? write(events) : undefined));
    return writing;
  };

  return {
    record(event) {
      if (closed) return;
      if (queue.length + inFlight >= maxQueued) {
        // The store is not keeping up: shed load rather than grow without bound.
        if (!failing) log(`sync log: ${maxQueued} syncs queued; dropping syncs until writes catch up`);
        failing = true;
        dropped++;
        return;
      }
      queue.push(event);
      if (queue.length >= maxBatch) {
        void flush();
      } else if (!timer) {
        timer = setTimeout(() => void flush(), flushMs);
        // A pending sync must not keep the process alive; close() writes it on shutdown.
        timer.unref();
      }
    },
    flush,
    async close() {
      closed = true;
      await flush();
    },
    pending: () => queue.length + inFlight,
  };
}
