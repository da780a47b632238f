import type { Calendar, Store } from '../store/types.js';
import { hashToken } from '../util/secrets.js';

const SHARED = /^\/feeds\/([A-Za-z0-9_-]{8,64})\.ics$/;
const PERSONAL = /^\/feeds\/([A-Za-z0-9_-]{8,64})\/([A-Za-z0-9_-]{16,64})\.ics$/;

export type FeedTarget =
  | { kind: 'shared'; calendar: Calendar }
  | { kind: 'personal'; calendar: Calendar; subscriberId: string; disabled: boolean };

/**
 * The calendar (and personal subscriber) a feed path names, read from the store on every
 * poll: another instance may have written, blocked or rotated since (docs/ARCHITECTURE.md,
 * "State held in a process"). Otherwise the plain-text refusal the path earns.
 */
export async function resolveFeed(store: Store, path: string): Promise<FeedTarget | { status: number; message: string }> {
  const shared = SHARED.exec(path);
  const personal = shared ? null : PERSONAL.exec(path);
  const key = (shared ?? personal)?.[1];
  if (!key) return { status: 404, message: 'No such feed.' };
  const calendar = await store.getCalendarByFeedKey(key);
  if (!calendar) {
    return (await store.isRetiredFeedKey(key))
      ? { status: 410, message: 'This feed address was replaced by its owner. Ask them for the new one.' }
      : { status: 404, message: 'No such feed.' };
  }
  if (shared) return calendar.published ? { kind: 'shared', calendar } : { status: 404, message: 'No such feed.' };
  const subscriber = await store.findSubscriberByToken(calendar.id, hashToken(personal![2]!));
  if (!subscriber) return { status: 404, message: 'No such feed.' };
  const disabled = subscriber.blocked || subscriber.deleted || !calendar.published;
  return { kind: 'personal', calendar, subscriberId: subscriber.id, disabled };
}
