import type { NewOutboxEvent, OutboxEvent } from '../types.js';
import type { Db } from './db.js';

export interface OutboxRow {
  seq: number; calendar_id: string; object_uri: string | null; operation: OutboxEvent['operation'];
  old_sequence: number | null; new_sequence: number | null; old_etag: string | null; new_etag: string | null;
  sync_token: number | null; created_at: number;
}

export const toEvent = (r: OutboxRow): OutboxEvent => ({
  seq: r.seq, calendarId: r.calendar_id, objectUri: r.object_uri, operation: r.operation,
  oldSequence: r.old_sequence, newSequence: r.new_sequence, oldEtag: r.old_etag, newEtag: r.new_etag,
  syncToken: r.sync_token, at: r.created_at,
});

export function outboxQueries(db: Db, now: () => number) {
  const insert = db.prepare(
    `INSERT INTO outbox (calendar_id, object_uri, operation, old_sequence, new_sequence, old_etag, new_etag, sync_token, created_at)
     VALUES (@calendarId, @objectUri, @operation, @oldSequence, @newSequence, @oldEtag, @newEtag, @syncToken, @at)`,
  );
  const after = db.prepare('SELECT * FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?');
  const last = db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM outbox');
  // seq and created_at grow together: the first row at or after the cut-off bounds the delete,
  // found by reading from the oldest end (only rows about to go), and the delete runs on the
  // primary key. No index on created_at, which every write would pay for.
  const prune = db.prepare(
    `DELETE FROM outbox WHERE seq < coalesce(
       (SELECT seq FROM outbox WHERE created_at >= ? ORDER BY seq LIMIT 1), (SELECT max(seq) + 1 FROM outbox))`,
  );
  return {
    /** Called inside the write's transaction. */
    append: (e: NewOutboxEvent) => void insert.run({
      objectUri: null, oldSequence: null, newSequence: null, oldEtag: null, newEtag: null, syncToken: null, ...e, at: now(),
    }),
    after: (seq: number, limit: number) => (after.all(seq, limit) as OutboxRow[]).map(toEvent),
    last: () => (last.get() as { seq: number }).seq,
    prune: (before: number) => prune.run(before).changes,
  };
}
