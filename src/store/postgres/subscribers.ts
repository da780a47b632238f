import type { NewPersonalSubscriber, Subscriber, SubscriberPatch, SubscriberQuery, SubscriberSummary } from '../types.js';
import { COLUMNS, ORDER_SQL, PATCH_COLUMNS, STATUS_WHERE, toSubscriber, type SubscriberRow } from '../sqlite/subscribers.js';
import { randomId } from '../../util/ids.js';
import { changed, named, one, rows, type Queryable } from './db.js';

export function subscriberQueries(db: Queryable, now: () => number) {
  const get = async (calendarId: string, id: string) => {
    const r = await one<SubscriberRow>(db, `SELECT ${COLUMNS} FROM subscribers WHERE calendar_id = $1 AND id = $2 AND deleted = 0`, [calendarId, id]);
    return r ? toSubscriber(r) : null;
  };
  const summarize = async (calendarId: string, since: number): Promise<SubscriberSummary> => {
    const r = (await one<{ total: number; blocked: number; active: number }>(db,
      `SELECT count(*) AS total, coalesce(sum(blocked), 0) AS blocked,
              count(*) FILTER (WHERE blocked = 0 AND last_sync_at >= $2) AS active
         FROM subscribers WHERE calendar_id = $1 AND deleted = 0`, [calendarId, since]))!;
    return { total: r.total, active: r.active, inactive: r.total - r.active - r.blocked, blocked: r.blocked };
  };

  return {
    createPersonal: async (s: NewPersonalSubscriber): Promise<Subscriber> => toSubscriber((await one<SubscriberRow>(db,
      `INSERT INTO subscribers (id, calendar_id, kind, token_hash, client, name, email, country, city, user_agent, created_at)
       VALUES ($1, $2, 'personal', $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [randomId(), s.calendarId, s.tokenHash, s.client, s.name, s.email, s.country, s.city, s.userAgent, now()]))!),
    byToken: async (calendarId: string, tokenHash: string) => {
      const r = await one<SubscriberRow>(db, `SELECT ${COLUMNS} FROM subscribers WHERE calendar_id = $1 AND token_hash = $2`, [calendarId, tokenHash]);
      return r ? toSubscriber(r) : null;
    },
    get,
    update: async (calendarId: string, id: string, patch: SubscriberPatch) => {
      const sets: string[] = [];
      const values: unknown[] = [];
      for (const [field, column] of Object.entries(PATCH_COLUMNS)) {
        const value = patch[field as keyof typeof PATCH_COLUMNS];
        if (value === undefined) continue;
        values.push(typeof value === 'boolean' ? Number(value) : value);
        sets.push(`${column} = $${values.length}`);
      }
      if (sets.length > 0) {
        const n = values.length;
        await changed(db, `UPDATE subscribers SET ${sets.join(', ')} WHERE calendar_id = $${n + 1} AND id = $${n + 2} AND deleted = 0`,
          [...values, calendarId, id]);
      }
      return get(calendarId, id);
    },
    /** Anonymous: removed. Personal: only what its feed needs is kept (token hash, deleted flag). */
    remove: async (calendarId: string, id: string) =>
      (await changed(db, "DELETE FROM subscribers WHERE calendar_id = $1 AND id = $2 AND kind = 'anonymous'", [calendarId, id])) > 0 ||
      (await changed(db,
        `UPDATE subscribers SET deleted = 1, name = NULL, email = NULL, country = NULL, city = NULL
          WHERE calendar_id = $1 AND id = $2 AND kind = 'personal' AND deleted = 0`, [calendarId, id])) > 0,
    list: async (q: SubscriberQuery) => {
      const summary = await summarize(q.calendarId, q.activeSince);
      if (q.limit <= 0) return { subscribers: [], next: null, summary };
      const o = ORDER_SQL[q.order];
      const cursor = q.after ? `AND (${o.key} ${o.after} @sort OR (${o.key} = @sort AND id ${o.after} @id))` : '';
      const { text, values } = named(
        `SELECT ${COLUMNS}, ${o.key} AS sort_key FROM subscribers
          WHERE calendar_id = @calendar_id AND deleted = 0 AND ${STATUS_WHERE[q.status]} ${cursor}
          ORDER BY sort_key ${o.dir}, id ${o.dir} LIMIT @limit`,
        { calendar_id: q.calendarId, since: q.activeSince, limit: q.limit + 1, ...(q.after ? { sort: q.after.sort, id: q.after.id } : {}) },
      );
      const found = await rows<SubscriberRow & { sort_key: number }>(db, text, values);
      const page = found.slice(0, q.limit);
      const last = page[page.length - 1];
      const next = found.length > q.limit && last ? { sort: last.sort_key, id: last.id } : null;
      return { subscribers: page.map(toSubscriber), next, summary };
    },
  };
}
