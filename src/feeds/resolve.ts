import type { Calendar, Store } from '../store/types.js';
import { hashToken } from '../util/secrets.js';

const SHARED = /^\/feeds\/([A-Za-z0-9_-]{8,64})\.ics$/;
const PERSONAL = /^\/feeds\/([A-Za-z0-9_-]{8,64})\/([A-Za-z0-9_-]{16,64})\.ics$/;

export type FeedTarget =
  | { kind: 'shared'; calendar: Calendar }
  | { kind: 'personal'; calendar: Calendar; subscriberId: string; disabled: boolean };

const MAX_CALENDARS = 10_000;
const NOT_FOUND = { status: 404, message: 'No such feed.' };
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
 * sync token, so a poll asks the store for the token alone (with the subscriber's state, for
 * a personal URL: one statement either way) and reuses the calendar it read last time when
 * the token is the same. The feed's version and cached bytes are keyed by that token.
 */
export function createFeedResolver(store: Store) {
  const calendars = new Map<string, Calendar>();

  const load = async (key: string): Promise<Calendar | null> => {
    const calendar = await store.getCalendarByFeedKey(key);
    if (calendar) {
      if (calendars.size >= MAX_CALENDARS) calendars.clear();
      calendars.set(key, calendar);
    } else {
      calendars.delete(key);
    }
    return calendar;
  };
  /** The calendar as of `syncToken`, just read from the store. */
  const calendarAt = (key: string, syncToken: number | null) => {
    const known = calendars.get(key);
    return known && known.syncToken === syncToken ? known : load(key);
  };
  const gone = async (key: string) => ((await store.isRetiredFeedKey(key))
    ? { status: 410, message: 'This feed address was replaced by its owner. Ask them for the new one.' }
    : NOT_FOUND);

  return async (path: string): Promise<FeedTarget | { status: number; message: string }> => {
    const shared = SHARED.exec(path);
    if (shared) {
      const key = shared[1]!;
      // A calendar not seen yet is read whole at once: its token alone would not save a read.
      const calendar = calendars.has(key) ? await calendarAt(key, await store.getSyncTokenByFeedKey(key)) : await load(key);
      if (!calendar) return gone(key);
      return calendar.published ? { kind: 'shared', calendar } : NOT_FOUND;
    }
    const personal = PERSONAL.exec(path);
    if (!personal) return NOT_FOUND;
    const key = personal[1]!;
    const state = await store.getPersonalFeedState(key, tokenHashOf(personal[2]!));
    if (!state) return gone(key);
    if (!state.subscriber) return NOT_FOUND;
    // Null only if the calendar was deleted since the statement above.
    const calendar = await calendarAt(key, state.syncToken);
    if (!calendar) return gone(key);
    const { id, blocked, deleted } = state.subscriber;
    return { kind: 'personal', calendar, subscriberId: id, disabled: blocked || deleted || !calendar.published };
  };
}
