import { StorePreconditionFailed, type InboxItem, type NewDelivery } from '../types.js';
import type { Db } from './db.js';

interface InboxRow {
  user_id: number; uri: string; uid: string; method: InboxItem['method']; data: string; etag: string; size: number; created_at: number;
}

const toItem = (r: InboxRow): InboxItem => ({
  userId: r.user_id, uri: r.uri, uid: r.uid, method: r.method, data: r.data, etag: r.etag, size: r.size, createdAt: r.created_at,
});

/** The schedule inboxes (RFC 6638 §2.2). */
export function inboxQueries(db: Db, now: () => number) {
  const insert = db.prepare(
    `INSERT INTO schedule_inbox (user_id, uri, uid, method, data, etag, size, created_at)
     VALUES (@userId, @uri, @uid, @method, @data, @etag, @size, @at)`,
  );
  const list = db.prepare('SELECT * FROM schedule_inbox WHERE user_id = ? ORDER BY created_at, uri');
  const one = db.prepare('SELECT * FROM schedule_inbox WHERE user_id = ? AND uri = ?');
  const remove = db.prepare('DELETE FROM schedule_inbox WHERE user_id = ? AND uri = ?');
  return {
    /** Called inside the write's transaction. */
    deliver: (deliveries: NewDelivery[]) => {
      const at = now();
      for (const d of deliveries) insert.run({ ...d, size: Buffer.byteLength(d.data), at });
    },
    list: (userId: number) => (list.all(userId) as InboxRow[]).map(toItem),
    get: (userId: number, uri: string) => {
      const r = one.get(userId, uri) as InboxRow | undefined;
      return r ? toItem(r) : null;
    },
    remove: db.transaction((userId: number, uri: string, ifEtag?: string) => {
      const r = one.get(userId, uri) as InboxRow | undefined;
      if (!r) return false;
      if (ifEtag !== undefined && r.etag !== ifEtag) throw new StorePreconditionFailed();
      remove.run(userId, uri);
      return true;
    }),
  };
}
