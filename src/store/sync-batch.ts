import type { DailyStats, SyncEvent } from './types.js';

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

/** Per-day figures for every day of [from, to], from the rollups' per-day sums (days without polls are zeros). */
export function dailyFrom(rows: { day: string; syncs: number; subscribers: number; new_subscribers: number }[], from: string, to: string): DailyStats[] {
  const found = new Map(rows.map((r) => [r.day, r]));
  return daysBetween(from, to).map((day) => {
    const r = found.get(day);
    return { day, syncs: r?.syncs ?? 0, activeSubscribers: r?.subscribers ?? 0, newSubscribers: r?.new_subscribers ?? 0 };
  });
}

/** A subscriber's sync columns as read at the start of a batch, updated as the batch is applied. */
export interface SyncState {
  id: string;
  first_sync_at: number | null;
  last_sync_at: number | null;
  client: string;
  user_agent: string | null;
  /** Syncs of this batch not yet written to the subscriber row. */
  pending: number;
}

export interface Rollup { calendar_id: string; day: string; client: string; syncs: number; first_today: number; new: number }

/** The subscriber an event belongs to: its calendar and personal id, or its anonymous key. */
export const subscriberKey = (e: SyncEvent) => `${e.calendarId}\0${'id' in e.subscriber ? e.subscriber.id : `k:${e.subscriber.anonymousKey}`}`;

/**
 * What a batch of polls writes, worked out in memory as if the events were applied one at a
 * time: a raw log row per poll (with its subscriber, null when unknown), each subscriber's new
 * sync columns once, and the day's rollups once per day and client. Both stores read the
 * subscriber states first (`states`, by subscriberKey) and write the result in one transaction.
 * Events of calendars not in `calendars` (deleted since the poll) are dropped.
 */
export function planSyncs(events: SyncEvent[], calendars: Set<string>, states: Map<string, SyncState | null>) {
  const logs: { event: SyncEvent; subscriberId: string | null }[] = [];
  const rollups = new Map<string, Rollup>();
  const days = new Map<number, string>();
  const dayOf = (ms: number) => {
    const n = Math.floor(ms / DAY_MS);
    let d = days.get(n);
    if (d === undefined) days.set(n, (d = utcDay(ms)));
    return d;
  };
  for (const e of events) {
    if (!calendars.has(e.calendarId)) continue;
    const s = states.get(subscriberKey(e)) ?? null;
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
    logs.push({ event: e, subscriberId: s?.id ?? null });
    const rollupKey = `${e.calendarId}\0${day}\0${e.client}`;
    const r = rollups.get(rollupKey) ?? { calendar_id: e.calendarId, day, client: e.client, syncs: 0, first_today: 0, new: 0 };
    r.syncs++;
    r.first_today += Number(firstToday);
    r.new += Number(isNew);
    rollups.set(rollupKey, r);
  }
  const touched = [...states.values()].filter((s): s is SyncState => s !== null && s.pending > 0);
  return { logs, touched, rollups: [...rollups.values()] };
}

/**
 * The last raw log row polled before `before`, found by bisecting the primary key: rows are
 * appended in poll order, so `at` ascends with `id`, and the log needs no index on `at` that
 * every poll would pay to maintain. A clock stepped back, or instances whose batches interleave,
 * move the cut by at most that skew (a flush interval). `rowFrom(id)` is the first row at or after id.
 */
export async function lastLogRowBefore(
  before: number, bounds: { first: number | null; last: number | null },
  rowFrom: (id: number) => Promise<{ id: number; at: number }> | { id: number; at: number },
): Promise<number | null> {
  let lo = bounds.first;
  let hi = bounds.last;
  if (lo === null || hi === null) return null;
  if ((await rowFrom(lo)).at >= before) return null;
  while (lo < hi) {
    const mid: number = lo + Math.ceil((hi - lo) / 2);
    const row = await rowFrom(mid);
    if (row.at < before) lo = row.id;
    else hi = mid - 1;
  }
  return lo;
}
