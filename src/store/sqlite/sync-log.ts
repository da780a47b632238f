import type { DailyStats, SyncEvent } from '../types.js';
import type { Db } from './db.js';
import { randomId } from '../../util/ids.js';
import { dailyFrom, lastLogRowBefore, planSyncs, subscriberKey, type SyncState } from '../sync-batch.js';

// Rows deleted per statement when pruning; between chunks the event loop gets a turn, so a
// large backlog never stalls the feeds (better-sqlite3 blocks while a statement runs).
const PRUNE_CHUNK = 5_000;

export function syncLogQueries(db: Db) {
  const calendarExists = db.prepare('SELECT 1 FROM calendars WHERE id = ?').pluck();
  const byId = db.prepare('SELECT id, first_sync_at, last_sync_at, client, user_agent FROM subscribers WHERE calendar_id = ? AND id = ?');
  const byKey = db.prepare('SELECT id, first_sync_at, last_sync_at, client, user_agent FROM subscribers WHERE calendar_id = ? AND client_key = ?');
  const createAnonymous = db.prepare(
    `INSERT INTO subscribers (id, calendar_id, kind, client_key, client, user_agent, created_at)
     VALUES (?, ?, 'anonymous', ?, ?, ?, ?)`,
  );
  const touch = db.prepare(
    `UPDATE subscribers SET sync_count = sync_count + @n, first_sync_at = @first, last_sync_at = @last,
        client = @client, user_agent = @user_agent WHERE id = @id`,
  );
  // Positional parameters: a row per poll is the hot write, and binding named ones costs a
  // property lookup per column plus an object per row.
  const log = db.prepare(
    `INSERT INTO sync_log (calendar_id, subscriber_id, at, surface, method, status, bytes, client, user_agent, ip)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const rollup = db.prepare(
    `INSERT INTO sync_daily (calendar_id, day, client, syncs, subscribers, new_subscribers)
     VALUES (@calendar_id, @day, @client, @syncs, @first_today, @new)
     ON CONFLICT (calendar_id, day, client) DO UPDATE SET
       syncs = syncs + excluded.syncs,
       subscribers = subscribers + excluded.subscribers,
       new_subscribers = new_subscribers + excluded.new_subscribers`,
  );
  const daily = db.prepare(
    `SELECT day, sum(syncs) AS syncs, sum(subscribers) AS subscribers, sum(new_subscribers) AS new_subscribers
       FROM sync_daily WHERE calendar_id = ? AND day BETWEEN ? AND ? GROUP BY day`,
  );
  const byClient = db.prepare(
    `SELECT client, sum(syncs) AS syncs FROM sync_daily
      WHERE calendar_id = ? AND day BETWEEN ? AND ? GROUP BY client ORDER BY syncs DESC, client`,
  );
  const firstId = db.prepare('SELECT min(id) FROM sync_log').pluck();
  const lastId = db.prepare('SELECT max(id) FROM sync_log').pluck();
  const rowFrom = db.prepare('SELECT id, at FROM sync_log WHERE id >= ? ORDER BY id LIMIT 1');
  const pruneRange = db.prepare('DELETE FROM sync_log WHERE id >= ? AND id <= ?');

  /** The subscriber an event belongs to, creating an anonymous one on first sight. */
  const resolve = (e: SyncEvent): SyncState | null => {
    if ('id' in e.subscriber) {
      const found = byId.get(e.calendarId, e.subscriber.id) as SyncState | undefined;
      return found ? { ...found, pending: 0 } : null;
    }
    const key = e.subscriber.anonymousKey;
    const found = byKey.get(e.calendarId, key) as SyncState | undefined;
    if (found) return { ...found, pending: 0 };
    const id = randomId();
    createAnonymous.run(id, e.calendarId, key, e.client, e.userAgent, e.at);
    return { id, first_sync_at: null, last_sync_at: null, client: e.client, user_agent: e.userAgent, pending: 0 };
  };

  /**
   * One batch in one transaction. A subscriber polled many times in a batch is read once and
   * written once, and the day's rollups once per day and client; only the raw log gets a row
   * per poll (sync-batch.ts works out what to write).
   */
  const recordMany = db.transaction((events: SyncEvent[]) => {
    // A calendar deleted between the poll and the flush must not fail the whole batch on its
    // foreign key: its events are dropped.
    const calendars = new Set<string>();
    const checked = new Set<string>();
    const states = new Map<string, SyncState | null>();
    for (const e of events) {
      if (!checked.has(e.calendarId)) {
        checked.add(e.calendarId);
        if (calendarExists.get(e.calendarId) !== undefined) calendars.add(e.calendarId);
      }
      const key = subscriberKey(e);
      if (calendars.has(e.calendarId) && !states.has(key)) states.set(key, resolve(e));
    }
    const plan = planSyncs(events, calendars, states);
    for (const { event: e, subscriberId } of plan.logs) {
      log.run(e.calendarId, subscriberId, e.at, e.surface, e.method, e.status, e.bytes, e.client, e.userAgent, e.ip);
    }
    for (const s of plan.touched) {
      touch.run({ id: s.id, n: s.pending, first: s.first_sync_at, last: s.last_sync_at, client: s.client, user_agent: s.user_agent });
    }
    for (const r of plan.rollups) rollup.run(r);
  });

  return {
    record: (events: SyncEvent[]) => {
      if (events.length > 0) recordMany(events);
    },
    daily: (calendarId: string, fromDay: string, toDay: string): DailyStats[] => dailyFrom(
      daily.all(calendarId, fromDay, toDay) as { day: string; syncs: number; subscribers: number; new_subscribers: number }[], fromDay, toDay),
    byClient: (calendarId: string, fromDay: string, toDay: string): Record<string, number> => {
      const rows = byClient.all(calendarId, fromDay, toDay) as { client: string; syncs: number }[];
      return Object.fromEntries(rows.map((r) => [r.client, r.syncs]));
    },
    prune: async (before: number): Promise<number> => {
      const cut = await lastLogRowBefore(before, { first: firstId.get() as number | null, last: lastId.get() as number | null },
        (id) => rowFrom.get(id) as { id: number; at: number });
      if (cut === null) return 0;
      let total = 0;
      for (let from = firstId.get() as number; from <= cut; from += PRUNE_CHUNK) {
        total += pruneRange.run(from, Math.min(from + PRUNE_CHUNK - 1, cut)).changes;
        await new Promise((r) => setImmediate(r));
      }
      return total;
    },
  };
}
