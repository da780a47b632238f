import type { DailyStats, Store, Subscriber, SubscriberStatus, SubscriberSummary } from '../store/types.js';
import { activeSince } from './followers.js';

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface CalendarStats {
  days: number;
  from: string;
  to: string;
  /** Every day of [from, to], oldest first, zero-filled. */
  daily: DailyStats[];
  /** Syncs per client class over the range, largest first. */
  byClient: Record<string, number>;
  totals: { syncs: number; newSubscribers: number; subscribers: SubscriberSummary };
}

/**
 * A calendar's figures for the UTC days [today - days + 1, today]: the one computation behind
 * the JSON API's /stats and the dashboard's charts, so both always show the same numbers.
 * They come from the daily rollups, which outlive the pruning of the raw log.
 */
export async function calendarStats(store: Store, calendarId: string, now: number, activeDays: number, days: number): Promise<CalendarStats> {
  const from = utcDay(now - (days - 1) * DAY_MS);
  const to = utcDay(now);
  const [daily, byClient, list] = await Promise.all([
    store.dailyStats(calendarId, from, to),
    store.syncsByClient(calendarId, from, to),
    store.listSubscribers({ calendarId, status: 'all', activeSince: activeSince(now, activeDays), order: 'desc', limit: 0 }),
  ]);
  const sum = (pick: (d: DailyStats) => number) => daily.reduce((n, d) => n + pick(d), 0);
  return {
    days, from, to, daily, byClient,
    totals: { syncs: sum((d) => d.syncs), newSubscribers: sum((d) => d.newSubscribers), subscribers: list.summary },
  };
}

/** Computed status: blocked wins, then activity within CALCAST_ACTIVE_DAYS. */
export function subscriberStatus(s: Subscriber, since: number): Exclude<SubscriberStatus, 'all'> {
  if (s.blocked) return 'blocked';
  return s.lastSyncAt !== null && s.lastSyncAt >= since ? 'active' : 'inactive';
}
