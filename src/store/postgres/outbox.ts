import type { NewOutboxEvent } from '../types.js';
import { toEvent, type OutboxRow } from '../sqlite/outbox.js';
import { changed, one, rows, type Queryable } from './db.js';

/**
 * Held from a write's outbox append to its commit. A sequence value is taken when a row is
 * inserted, not when it commits, so two writers could commit seq 11 before seq 10, and a
 * consumer that read 11 would skip 10 forever. Under this lock the seq order is the commit
 * order; it is taken last in the transaction, so it is held only for one insert and the commit.
 * Lock and insert are one statement: the row (and its seq) is formed from the CTE's result, so
 * after the lock is granted, and the writer holds the calendar's row lock one round trip less.
 */
const APPEND_LOCK = 0x6f7574626f78;

export function outboxQueries(now: () => number) {
  return {
    /** Called inside the write's transaction, as its last statement. */
    append: async (db: Queryable, e: NewOutboxEvent) => {
      await changed(db,
        `WITH locked AS (SELECT pg_advisory_xact_lock($10))
         INSERT INTO outbox (calendar_id, object_uri, operation, old_sequence, new_sequence, old_etag, new_etag, sync_token, created_at)
         SELECT $1, $2, $3, $4::bigint, $5::bigint, $6, $7, $8::bigint, $9::bigint FROM locked`,
        [e.calendarId, e.objectUri ?? null, e.operation, e.oldSequence ?? null, e.newSequence ?? null, e.oldEtag ?? null,
          e.newEtag ?? null, e.syncToken ?? null, now(), APPEND_LOCK]);
    },
    after: async (db: Queryable, seq: number, limit: number) =>
      (await rows<OutboxRow>(db, 'SELECT * FROM outbox WHERE seq > $1 ORDER BY seq LIMIT $2', [seq, limit])).map(toEvent),
    last: async (db: Queryable) => (await one<{ seq: number }>(db, 'SELECT coalesce(max(seq), 0) AS seq FROM outbox'))!.seq,
    // seq and created_at grow together: the cut is found from the oldest end, the delete runs on the key.
    prune: (db: Queryable, before: number) => changed(db,
      `DELETE FROM outbox WHERE seq < coalesce(
         (SELECT seq FROM outbox WHERE created_at >= $1 ORDER BY seq LIMIT 1), (SELECT max(seq) + 1 FROM outbox))`, [before]),
  };
}
