import type {
  NewPersonalSubscriber, Subscriber, SubscriberKind, SubscriberQuery, SubscriberStatus, SubscriberSummary,
} from '../types.js';
import type { Db } from './db.js';
import { randomId } from '../../util/ids.js';

export interface SubscriberRow {
  id: string; calendar_id: string; kind: SubscriberKind; client: string; name: string | null;
  email: string | null; country: string | null; city: string | null; blocked: number; deleted: number;
  created_at: number; first_sync_at: number | null; last_sync_at: number | null; sync_count: number;
}

export function toSubscriber(r: SubscriberRow): Subscriber {
  return {
    id: r.id, calendarId: r.calendar_id, kind: r.kind, client: r.client, name: r.name, email: r.email,
    country: r.country, city: r.city, blocked: r.blocked === 1, deleted: r.deleted === 1,
    createdAt: r.created_at, firstSyncAt: r.first_sync_at, lastSyncAt: r.last_sync_at, syncCount: r.sync_count,
  };
}

export const COLUMNS = `id, calendar_id, kind, client, name, email, country, city, blocked, deleted, created_at,
  first_sync_at, last_sync_at, sync_count`;

/** Status filters over non-deleted rows; `@since` is the start of the active window. SQL both stores read. */
export const STATUS_WHERE: Record<SubscriberStatus, string> = {
  all: 'TRUE',
  active: 'blocked = 0 AND last_sync_at >= @since',
  inactive: 'blocked = 0 AND (last_sync_at IS NULL OR last_sync_at < @since)',
  blocked: 'blocked = 1',
};

/**
 * Sort keys put never-synced rows last in both orders: they sort as +infinity ascending and
 * as -1 descending. Cursors carry the sort key, so they stay valid only for their own order
 * (the API puts the order in the cursor).
 */
const NEVER_ASC = Number.MAX_SAFE_INTEGER;
export const ORDER_SQL = {
  asc: { key: `COALESCE(last_sync_at, ${NEVER_ASC})`, after: '>', dir: 'ASC' },
  desc: { key: 'COALESCE(last_sync_at, -1)', after: '<', dir: 'DESC' },
} as const;

/** Fields a PATCH may change, and their columns. */
export const PATCH_COLUMNS = { blocked: 'blocked', name: 'name', email: 'email' } as const;

export function subscriberQueries(db: Db, now: () => number) {
  const insert = db.prepare(
    `INSERT INTO subscribers (id, calendar_id, kind, token_hash, client, name, email, country, city, user_agent, created_at)
     VALUES (@id, @calendar_id, 'personal', @token_hash, @client, @name, @email, @country, @city, @user_agent, @now)
     RETURNING ${COLUMNS}`,
  );
  const byToken = db.prepare(`SELECT ${COLUMNS} FROM subscribers WHERE calendar_id = ? AND token_hash = ?`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM subscribers WHERE calendar_id = ? AND id = ? AND deleted = 0`);
  const removeAnonymous = db.prepare("DELETE FROM subscribers WHERE calendar_id = ? AND id = ? AND kind = 'anonymous'");
  // A deleted personal URL keeps only what its feed needs (token hash, deleted flag): the
  // person's details go with it.
  const removePersonal = db.prepare(
    `UPDATE subscribers SET deleted = 1, name = NULL, email = NULL, country = NULL, city = NULL
      WHERE calendar_id = ? AND id = ? AND kind = 'personal' AND deleted = 0`,
  );
  const summary = db.prepare(
    `SELECT count(*) AS total, COALESCE(sum(blocked), 0) AS blocked,
            COALESCE(sum(blocked = 0 AND last_sync_at >= @since), 0) AS active
       FROM subscribers WHERE calendar_id = @calendar_id AND deleted = 0`,
  );
  // One prepared statement per (status, order, has-cursor): a small fixed set.
  const lists = new Map<string, ReturnType<Db['prepare']>>();
  const listStatement = (status: SubscriberStatus, order: 'asc' | 'desc', hasCursor: boolean) => {
    const name = `${status}:${order}:${hasCursor}`;
    let stmt = lists.get(name);
    if (!stmt) {
      const o = ORDER_SQL[order];
      const cursor = hasCursor ? `AND (${o.key} ${o.after} @sort OR (${o.key} = @sort AND id ${o.after} @id))` : '';
      stmt = db.prepare(
        `SELECT ${COLUMNS}, ${o.key} AS sort_key FROM subscribers
          WHERE calendar_id = @calendar_id AND deleted = 0 AND ${STATUS_WHERE[status]} ${cursor}
          ORDER BY sort_key ${o.dir}, id ${o.dir} LIMIT @limit`,
      );
      lists.set(name, stmt);
    }
    return stmt;
  };

  const summarize = (calendarId: string, since: number): SubscriberSummary => {
    const r = summary.get({ calendar_id: calendarId, since }) as { total: number; blocked: number; active: number };
    return { total: r.total, active: r.active, inactive: r.total - r.active - r.blocked, blocked: r.blocked };
  };

  const get = (calendarId: string, id: string) => {
    const r = byId.get(calendarId, id) as SubscriberRow | undefined;
    return r ? toSubscriber(r) : null;
  };

  return {
    createPersonal: (s: NewPersonalSubscriber) =>
      toSubscriber(insert.get({
        id: randomId(), calendar_id: s.calendarId, token_hash: s.tokenHash, client: s.client, name: s.name,
        email: s.email, country: s.country, city: s.city, user_agent: s.userAgent, now: now(),
      }) as SubscriberRow),
    byToken: (calendarId: string, tokenHash: string) => {
      const r = byToken.get(calendarId, tokenHash) as SubscriberRow | undefined;
      return r ? toSubscriber(r) : null;
    },
    get,
    update: (calendarId: string, id: string, patch: Partial<Pick<Subscriber, 'blocked' | 'name' | 'email'>>) => {
      const sets: string[] = [];
      const values: unknown[] = [];
      for (const [field, column] of Object.entries(PATCH_COLUMNS)) {
        const value = patch[field as keyof typeof PATCH_COLUMNS];
        if (value === undefined) continue;
        sets.push(`${column} = ?`);
        values.push(typeof value === 'boolean' ? Number(value) : value);
      }
      if (sets.length > 0) {
        db.prepare(`UPDATE subscribers SET ${sets.join(', ')} WHERE calendar_id = ? AND id = ? AND deleted = 0`)
          .run(...values, calendarId, id);
      }
      return get(calendarId, id);
    },
    remove: (calendarId: string, id: string) =>
      removeAnonymous.run(calendarId, id).changes > 0 || removePersonal.run(calendarId, id).changes > 0,
    /** A page of `q.limit` rows (a limit of 0 answers only the summary) and the position after it. */
    list: (q: SubscriberQuery) => {
      const summaryNow = () => summarize(q.calendarId, q.activeSince);
      if (q.limit <= 0) return { subscribers: [], next: null, summary: summaryNow() };
      const rows = listStatement(q.status, q.order, q.after !== undefined).all({
        calendar_id: q.calendarId, since: q.activeSince, limit: q.limit + 1,
        ...(q.after ? { sort: q.after.sort, id: q.after.id } : {}),
      }) as (SubscriberRow & { sort_key: number })[];
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      const next = rows.length > q.limit && last ? { sort: last.sort_key, id: last.id } : null;
      return { subscribers: page.map(toSubscriber), next, summary: summaryNow() };
    },
  };
}
