import type { Calendar, Store } from '../store/types.js';
import { hashToken } from '../util/secrets.js';

const SHARED = /^\/feeds\/([A-Za-z0-9_-]{8,64})\.ics$/;
const PERSONAL = /^\/feeds\/([A-Za-z0-9_-]{8,64})\/([A-Za-z0-9_-]{16,64})\.ics$/;

export type FeedTarget =
  | { kind: 'shared'; calendar: Calendar }
  | { kind: 'personal'; calendar: Calendar; subscriberId: string; disabled: boolean };

const MAX_CALENDARS = 10_000;
const MAX_TOKENS = 20_000;

/**
 * SHA-256 of a personal URL token, remembered: a personal URL is polled by one client for
 * years, so the hash is the same every poll. A pure function of the token, so nothing goes
 * stale; emptied when full to stay bounded. The subscriber row itself is still read every poll.
 */
const tokenHashes = new Map<string, string>();
function tokenHashOf(token: string): string {
  let hash = tokenHashes.get(token);
  if (hash === undefined) {
    if (tokenHashes.size >= MAX_TOKENS) tokenHashes.clear();
    hash = hashToken(token);
    tokenHashes.set(token, hash);
  }
  return hash;
}

/**
 * The calendar (and personal subscriber) a feed path names, as the store has them on this
 * poll: another instance may have written, blocked or rotated since (docs/ARCHITECTURE.md,
 * "State held in a process"). Otherwise the plain-text refusal the path earns.
 *
 * A calendar read is a row of JSON columns to parse; every change to a calendar bumps its
 * sync token, so a poll asks the store for the token alone and reuses the calendar it read
 * last time when the token is the same. The subscriber (blocked, deleted) is read every time.
 */
export function createFeedResolver(store: Store) {
  const calendars = new Map<string, Calendar>();

  const calendarOf = async (key: string): Promise<Calendar | null> => {
    const known = calendars.get(key);
    if (known && (await store.getSyncTokenByFeedKey(key)) === known.syncToken) return known;
    const calendar = await store.getCalendarByFeedKey(key);
    if (calendar) {
      if (calendars.size >= MAX_CALENDARS) calendars.clear();
      calendars.set(key, calendar);
    } else {
      calendars.delete(key);
    }
    return calendar;
  };

  return (path: string) => resolveFeed(store, calendarOf, path);
}

async function resolveFeed(
  store: Store, calendarOf: (key: string) => Promise<Calendar | null>, path: string,
): Promise<FeedTarget | { status: number; message: string }> {
  const shared = SHARED.exec(path);
  const personal = shared ? null : PERSONAL.exec(path);
  const key = (shared ?? personal)?.[1];
  if (!key) return { status: 404, message: 'No such feed.' };
  const calendar = await calendarOf(key);
  if (!calendar) {
    return (await store.isRetiredFeedKey(key))
      ? { status: 410, message: 'This feed address was replaced by its owner. Ask them for the new one.' }
      : { status: 404, message: 'No such feed.' };
  }
  if (shared) return calendar.published ? { kind: 'shared', calendar } : { status: 404, message: 'No such feed.' };
  const subscriber = await store.findSubscriberByToken(calendar.id, tokenHashOf(personal![2]!));
  if (!subscriber) return { status: 404, message: 'No such feed.' };
  const disabled = subscriber.blocked || subscriber.deleted || !calendar.published;
  return { kind: 'personal', calendar, subscriberId: subscriber.id, disabled };
}
