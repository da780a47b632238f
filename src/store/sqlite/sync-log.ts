import type { DailyStats, SyncEvent } from '../types.js';
import type { Db } from './db.js';
import { randomId } from '../../util/ids.js';

const DAY_MS = 86_400_000;

/** The UTC day of a unix-ms instant, as stored in sync_daily.day. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Every day from `from` to `to` inclusive (both 'YYYY-MM-DD'); empty when from > to. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += DAY_MS) days.push(utcDay(t));
  return days;
}

// Rows deleted per statement when pruning; between chunks the event loop gets a turn, so a
// large backlog never stalls the feeds (better-sqlite3 blocks while a statement runs).
const PRUNE_CHUNK = 5_000;

interface SyncState {
  id: string;
  first_sync_at: number | null;
  last_sync_at: number | null;
  client: string;
  user_agent: string | null;
  /** Syncs of this batch not yet written to the subscriber row. */
  pending: number;
}

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

  /**
   * The last row polled before `before`, found by bisecting the primary key: rows are appended
   * in poll order (one recorder chain per process, batches in arrival order), so `at` ascends
   * with `id`, and the log needs no index on `at` that every poll would pay to maintain. A
   * clock stepped back moves the cut by at most that step.
   */
  const lastBefore = (before: number): number | null => {
    let lo = firstId.get() as number | null;
    let hi = lastId.get() as number | null;
    if (lo === null || hi === null) return null;
    const first = rowFrom.get(lo) as { id: number; at: number };
    if (first.at >= before) return null;
    while (lo < hi) {
      const mid: number = lo + Math.ceil((hi - lo) / 2);
      const row = rowFrom.get(mid) as { id: number; at: number };
      if (row.at < before) lo = row.id;
      else hi = mid - 1;
    }
    return lo;
  };

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
   * per poll. The rules are applied event by event, in memory, as if written one at a time.
   */
  const recordMany = db.transaction((events: SyncEvent[]) => {
    // A calendar deleted between the poll and the flush must not fail the whole batch on its
    // foreign key: its events are dropped.
    const known = new Map<string, boolean>();
    const states = new Map<string, SyncState | null>();
    const rollups = new Map<string, { calendar_id: string; day: string; client: string; syncs: number; first_today: number; new: number }>();
    const days = new Map<number, string>();
    const dayOf = (ms: number) => {
      const n = Math.floor(ms / DAY_MS);
      let d = days.get(n);
      if (d === undefined) days.set(n, (d = utcDay(ms)));
      return d;
    };
    for (const e of events) {
      let exists = known.get(e.calendarId);
      if (exists === undefined) known.set(e.calendarId, (exists = calendarExists.get(e.calendarId) !== undefined));
      if (!exists) continue;
      const key = `${e.calendarId}\0${'id' in e.subscriber ? e.subscriber.id : `k:${e.subscriber.anonymousKey}`}`;
      let s = states.get(key);
      if (s === undefined) states.set(key, (s = resolve(e)));
      const day = dayOf(e.at);
      // Counted once per day: on its first sync of the day (a late event from an earlier day
      // than the last sync is not counted again).
      const firstToday = s !== null && (s.last_sync_at === null || (e.at > s.last_sync_at && dayOf(s.last_sync_at) !== day));
      const isNew = s !== null && s.first_sync_at === null;
      if (s) {
        // The client class follows what the subscriber runs, but an unrecognised agent does not
        // overwrite a known class (say, the app chosen on the subscribe page); a late event
        // (older than the last sync) rewinds nothing.
        if (e.at >= (s.last_sync_at ?? 0)) {
          if (e.client !== 'unknown') s.client = e.client;
          s.user_agent = e.userAgent ?? s.user_agent;
        }
        s.first_sync_at = Math.min(s.first_sync_at ?? e.at, e.at);
        s.last_sync_at = Math.max(s.last_sync_at ?? e.at, e.at);
        s.pending++;
      }
      log.run(e.calendarId, s?.id ?? null, e.at, e.surface, e.method, e.status, e.bytes, e.client, e.userAgent, e.ip);
      const rollupKey = `${e.calendarId}\0${day}\0${e.client}`;
      const r = rollups.get(rollupKey) ?? { calendar_id: e.calendarId, day, client: e.client, syncs: 0, first_today: 0, new: 0 };
      r.syncs++;
      r.first_today += Number(firstToday);
      r.new += Number(isNew);
      rollups.set(rollupKey, r);
    }
    for (const s of states.values()) {
      if (s && s.pending > 0) {
        touch.run({ id: s.id, n: s.pending, first: s.first_sync_at, last: s.last_sync_at, client: s.client, user_agent: s.user_agent });
      }
    }
    for (const r of rollups.values()) rollup.run(r);
  });

  return {
    record: (events: SyncEvent[]) => {
      if (events.length > 0) recordMany(events);
    },
    daily: (calendarId: string, fromDay: string, toDay: string): DailyStats[] => {
      const rows = daily.all(calendarId, fromDay, toDay) as { day: string; syncs: number; subscribers: number; new_subscribers: number }[];
      const found = new Map(rows.map((r) => [r.day, r]));
      return daysBetween(fromDay, toDay).map((day) => {
        const r = found.get(day);
        return { day, syncs: r?.syncs ?? 0, activeSubscribers: r?.subscribers ?? 0, newSubscribers: r?.new_subscribers ?? 0 };
      });
    },
    byClient: (calendarId: string, fromDay: string, toDay: string): Record<string, number> => {
      const rows = byClient.all(calendarId, fromDay, toDay) as { client: string; syncs: number }[];
      return Object.fromEntries(rows.map((r) => [r.client, r.syncs]));
    },
    prune: async (before: number): Promise<number> => {
      const cut = lastBefore(before);
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
