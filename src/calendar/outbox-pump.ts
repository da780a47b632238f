import { StoreUnavailable, type OutboxEvent, type Store } from '../store/types.js';
import { outageLog } from '../util/outage-log.js';

export type OutboxConsumer = (event: OutboxEvent) => void;

const BATCH = 500;
const DAY_MS = 86_400_000;
const logOutage = outageLog();

/**
 * Feeds committed outbox events to this process's consumers, in commit order, each once.
 * A local write kicks it at once; a timer catches writes other processes (other instances,
 * the CLI) committed to the same database. It starts at the newest event: a process that
 * just started holds no cached state for older ones.
 */
export function createOutboxPump(store: Store, opts: { intervalMs?: number; keepMs?: number } = {}) {
  const consumers: OutboxConsumer[] = [];
  const intervalMs = opts.intervalMs ?? 1_000;
  const keepMs = opts.keepMs ?? DAY_MS;
  let seq: number | null = null;
  let draining: Promise<void> | null = null;
  let again = false;
  let lastPrune = 0;

  const drainOnce = async () => {
    seq ??= await store.lastOutboxSeq();
    for (;;) {
      const events = await store.outboxAfter(seq, BATCH);
      for (const event of events) {
        for (const consume of consumers) {
          try {
            consume(event);
          } catch (err) {
            // One consumer's bug must not stop the others or replay the event forever.
            console.error('[calcast] outbox consumer failed:', err);
          }
        }
        seq = event.seq;
      }
      if (events.length < BATCH) break;
    }
    const now = Date.now();
    if (now - lastPrune > keepMs / 24) {
      lastPrune = now;
      await store.pruneOutbox(now - keepMs);
    }
  };

  /** Runs a drain, or asks the running one to go round again: nothing committed is skipped. */
  const kick = (): Promise<void> => {
    if (draining) {
      again = true;
      return draining;
    }
    draining = (async () => {
      do {
        again = false;
        await drainOnce();
      } while (again);
    })().catch((err: unknown) => {
      // The timer retries every interval; an outage is one line per 10 s, not a trace a second.
      if (err instanceof StoreUnavailable) logOutage(`[calcast] outbox pump: ${err.message}`);
      else console.error('[calcast] outbox pump failed:', err);
    }).finally(() => { draining = null; });
    return draining;
  };

  const timer = setInterval(() => void kick(), intervalMs);
  timer.unref();
  void kick();

  return {
    /** Resolves once everything committed so far has reached the consumers. */
    kick,
    subscribe: (consumer: OutboxConsumer) => void consumers.push(consumer),
    /** Stops the timer and waits for a drain under way, so the store can close after it. */
    stop: async () => {
      clearInterval(timer);
      await draining;
    },
  };
}
export type OutboxPump = ReturnType<typeof createOutboxPump>;
