import type { Db } from './db.js';

interface Pending {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes that arrive while the event loop is busy share one SQLite transaction.
 * Each write still runs in its own savepoint (better-sqlite3 nests transactions that way), so
 * one that fails rolls back alone; every caller is answered only after the shared COMMIT, so
 * nothing is acknowledged before it is in the database. Under concurrent API load this saves
 * most of the per-commit cost (~0.1 ms a write here).
 */
export function groupCommit(db: Db) {
  let queue: Pending[] = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      db.transaction(() => {
        for (const p of batch) {
          try {
            outcomes.push({ ok: true, value: p.run() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  };
  /** Wraps a synchronous transactional write so concurrent calls commit together. */
  return <A extends unknown[], R>(write: (...args: A) => R) => (...args: A): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ run: () => write(...args), resolve: resolve as (v: unknown) => void, reject });
    });
}
