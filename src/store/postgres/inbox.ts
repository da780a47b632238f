import type pg from 'pg';
import { StorePreconditionFailed, type InboxItem, type NewDelivery } from '../types.js';
import { changed, one, rows, transaction, type Queryable } from './db.js';

interface InboxRow {
  user_id: number; uri: string; uid: string; method: InboxItem['method']; data: string; etag: string; size: number; created_at: number;
}

const toItem = (r: InboxRow): InboxItem => ({
  userId: r.user_id, uri: r.uri, uid: r.uid, method: r.method, data: r.data, etag: r.etag, size: r.size, createdAt: r.created_at,
});

/** The schedule inboxes (RFC 6638 §2.2). */
export function inboxQueries(pool: pg.Pool, now: () => number) {
  return {
    /** Called inside the write's transaction. */
    deliver: async (db: Queryable, deliveries: NewDelivery[]) => {
      const at = now();
      for (const d of deliveries) {
        await changed(db, `INSERT INTO schedule_inbox (user_id, uri, uid, method, data, etag, size, created_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [d.userId, d.uri, d.uid, d.method, d.data, d.etag, Buffer.byteLength(d.data), at]);
      }
    },
    list: async (userId: number) =>
      (await rows<InboxRow>(pool, 'SELECT * FROM schedule_inbox WHERE user_id = $1 ORDER BY created_at, uri', [userId])).map(toItem),
    get: async (userId: number, uri: string) => {
      const r = await one<InboxRow>(pool, 'SELECT * FROM schedule_inbox WHERE user_id = $1 AND uri = $2', [userId, uri]);
      return r ? toItem(r) : null;
    },
    remove: (userId: number, uri: string, ifEtag?: string) => transaction(pool, async (db) => {
      const r = await one<InboxRow>(db, 'SELECT * FROM schedule_inbox WHERE user_id = $1 AND uri = $2 FOR UPDATE', [userId, uri]);
      if (!r) return false;
      if (ifEtag !== undefined && r.etag !== ifEtag) throw new StorePreconditionFailed();
      await changed(db, 'DELETE FROM schedule_inbox WHERE user_id = $1 AND uri = $2', [userId, uri]);
      return true;
    }),
  };
}
