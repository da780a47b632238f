import type pg from 'pg';
import type { SyncEvent } from '../types.js';
import { dailyFrom, lastLogRowBefore, planSyncs, subscriberKey, type SyncState } from '../sync-batch.js';
import { randomId } from '../../util/ids.js';
import { changed, one, rows, transaction, type Queryable } from './db.js';

const PRUNE_CHUNK = 5_000;
const STATE = 'id, first_sync_at, last_sync_at, client, user_agent';

/**
 * Reads the subscribers a batch touches, creating the anonymous ones seen for the first time
 * (ON CONFLICT: another instance may create the same one at the same moment).
 */
async function statesOf(db: Queryable, events: SyncEvent[], calendars: Set<string>): Promise<Map<string, SyncState | null>> {
  const states = new Map<string, SyncState | null>();
  const personal = new Map<string, SyncEvent>();
  const anonymous = new Map<string, SyncEvent>();
  for (const e of events) {
    if (!calendars.has(e.calendarId)) continue;
    const key = subscriberKey(e);
    if (!personal.has(key) && !anonymous.has(key)) ('id' in e.subscriber ? personal : anonymous).set(key, e);
    states.set(key, null);
  }
  const keyed = (r: SyncState & { calendar_id: string }, key: string) => states.set(`${r.calendar_id}\0${key}`, {
    id: r.id, first_sync_at: r.first_sync_at, last_sync_at: r.last_sync_at, client: r.client, user_agent: r.user_agent, pending: 0,
  });
  if (personal.size > 0) {
    const found = await rows<SyncState & { calendar_id: string }>(db,
      `SELECT calendar_id, ${STATE} FROM subscribers WHERE id = ANY($1)`, [[...personal.values()].map((e) => (e.subscriber as { id: string }).id)]);
    for (const r of found) if (personal.has(`${r.calendar_id}\0${r.id}`)) keyed(r, r.id);
  }
  if (anonymous.size > 0) {
    const first = [...anonymous.values()];
    const key = (e: SyncEvent) => (e.subscriber as { anonymousKey: string }).anonymousKey;
    await changed(db,
      `INSERT INTO subscribers (id, calendar_id, kind, client_key, client, user_agent, created_at)
       SELECT id, calendar_id, 'anonymous', client_key, client, user_agent, created_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
           AS v(id, calendar_id, client_key, client, user_agent, created_at)
       ON CONFLICT (calendar_id, client_key) DO NOTHING`,
      [first.map(() => randomId()), first.map((e) => e.calendarId), first.map(key), first.map((e) => e.client),
        first.map((e) => e.userAgent), first.map((e) => e.at)]);
    const found = await rows<SyncState & { calendar_id: string; client_key: string }>(db,
      `SELECT s.calendar_id, s.client_key, ${STATE.split(', ').map((c) => `s.${c}`).join(', ')} FROM subscribers s
         JOIN unnest($1::text[], $2::text[]) AS v(calendar_id, client_key) ON s.calendar_id = v.calendar_id AND s.client_key = v.client_key`,
      [first.map((e) => e.calendarId), first.map(key)]);
    for (const r of found) keyed(r, `k:${r.client_key}`);
  }
  return states;
}

export function syncLogQueries(pool: pg.Pool) {
  /**
   * One batch in one transaction, as in the SQLite store (sync-batch.ts plans it). Instances
   * flush their own buffers concurrently, so each batch first takes an advisory lock per
   * calendar it touches, in a fixed order: the subscriber rows it reads cannot change under it,
   * "first sync of the day" is counted once across instances, and the rollups add up.
   */
  const recordMany = (events: SyncEvent[]) => transaction(pool, async (db) => {
    const ids = [...new Set(events.map((e) => e.calendarId))].sort();
    for (const id of ids) await one(db, "SELECT pg_advisory_xact_lock(hashtext('sync_log'), hashtext($1))", [id]);
    // Events of a calendar deleted between the poll and the flush are dropped (foreign keys).
    const calendars = new Set((await rows<{ id: string }>(db, 'SELECT id FROM calendars WHERE id = ANY($1)', [ids])).map((r) => r.id));
    const plan = planSyncs(events, calendars, await statesOf(db, events, calendars));
    if (plan.logs.length > 0) {
      const col = <T>(f: (e: SyncEvent) => T) => plan.logs.map((l) => f(l.event));
      await changed(db,
        `INSERT INTO sync_log (calendar_id, subscriber_id, at, surface, method, status, bytes, client, user_agent, ip)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::text[], $9::text[], $10::text[])`,
        [col((e) => e.calendarId), plan.logs.map((l) => l.subscriberId), col((e) => e.at), col((e) => e.surface), col((e) => e.method),
          col((e) => e.status), col((e) => e.bytes), col((e) => e.client), col((e) => e.userAgent), col((e) => e.ip)]);
    }
    if (plan.touched.length > 0) {
      const t = plan.touched;
      await changed(db,
        `UPDATE subscribers s SET sync_count = s.sync_count + v.n, first_sync_at = v.first, last_sync_at = v.last,
            client = v.client, user_agent = v.user_agent
           FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[]) AS v(id, n, first, last, client, user_agent)
          WHERE s.id = v.id`,
        [t.map((s) => s.id), t.map((s) => s.pending), t.map((s) => s.first_sync_at), t.map((s) => s.last_sync_at),
          t.map((s) => s.client), t.map((s) => s.user_agent)]);
    }
    if (plan.rollups.length > 0) {
      const r = plan.rollups;
      await changed(db,
        `INSERT INTO sync_daily (calendar_id, day, client, syncs, subscribers, new_subscribers)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[])
         ON CONFLICT (calendar_id, day, client) DO UPDATE SET
           syncs = sync_daily.syncs + excluded.syncs,
           subscribers = sync_daily.subscribers + excluded.subscribers,
           new_subscribers = sync_daily.new_subscribers + excluded.new_subscribers`,
        [r.map((x) => x.calendar_id), r.map((x) => x.day), r.map((x) => x.client), r.map((x) => x.syncs), r.map((x) => x.first_today), r.map((x) => x.new)]);
    }
  });

  return {
    record: async (events: SyncEvent[]) => {
      if (events.length > 0) await recordMany(events);
    },
    daily: async (calendarId: string, fromDay: string, toDay: string) => dailyFrom(await rows(pool,
      `SELECT day, sum(syncs) AS syncs, sum(subscribers) AS subscribers, sum(new_subscribers) AS new_subscribers
         FROM sync_daily WHERE calendar_id = $1 AND day BETWEEN $2 AND $3 GROUP BY day`, [calendarId, fromDay, toDay]), fromDay, toDay),
    byClient: async (calendarId: string, fromDay: string, toDay: string): Promise<Record<string, number>> => Object.fromEntries(
      (await rows<{ client: string; syncs: number }>(pool,
        `SELECT client, sum(syncs) AS syncs FROM sync_daily
          WHERE calendar_id = $1 AND day BETWEEN $2 AND $3 GROUP BY client ORDER BY syncs DESC, client`, [calendarId, fromDay, toDay]))
        .map((r) => [r.client, r.syncs])),
    /** Chunks of rows by primary key, each its own statement, so a large backlog holds no long lock. */
    prune: async (before: number): Promise<number> => {
      const bounds = (await one<{ first: number | null; last: number | null }>(pool, 'SELECT min(id) AS first, max(id) AS last FROM sync_log'))!;
      const cut = await lastLogRowBefore(before, bounds, async (id) =>
        (await one<{ id: number; at: number }>(pool, 'SELECT id, at FROM sync_log WHERE id >= $1 ORDER BY id LIMIT 1', [id]))!);
      if (cut === null) return 0;
      let total = 0;
      for (let from = bounds.first!; from <= cut; from += PRUNE_CHUNK) {
        total += await changed(pool, 'DELETE FROM sync_log WHERE id >= $1 AND id <= $2', [from, Math.min(from + PRUNE_CHUNK - 1, cut)]);
      }
      return total;
    },
  };
}
