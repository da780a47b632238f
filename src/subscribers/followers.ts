import type { Store } from '../store/types.js';

const DAY_MS = 86_400_000;

/** The start of the active window: a subscriber is active when it synced since then. */
export const activeSince = (now: number, activeDays: number) => now - activeDays * DAY_MS;

/** followers_total counts non-deleted subscribers, followers_active the active ones. */
export async function followerCounts(store: Store, calendarId: string, now: number, activeDays: number) {
  const { summary } = await store.listSubscribers({
    calendarId, status: 'all', activeSince: activeSince(now, activeDays), order: 'desc', limit: 0,
  });
  return { followers_active: summary.active, followers_total: summary.total };
}
