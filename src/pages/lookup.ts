import { parseEventPublicId } from '../entries/links.js';
import type { Calendar, CalendarObject, Store } from '../store/types.js';

/** A page that does not exist, or must not be shown: answered as the friendly 404. */
export class PageNotFound extends Error {}

// Feed keys are base64url; anything else cannot be a key, so it never reaches the store.
const KEY = /^[A-Za-z0-9_-]{1,128}$/;

export async function publishedCalendar(store: Store, key: string): Promise<Calendar> {
  const calendar = KEY.test(key) ? await store.getCalendarByFeedKey(key) : null;
  // Unpublished answers exactly like unknown, so a hidden calendar's existence does not leak.
  if (!calendar || !calendar.published) throw new PageNotFound();
  return calendar;
}

/** The event behind a public event id, when its calendar is published. */
export async function publishedEvent(store: Store, publicId: string): Promise<{ calendar: Calendar; object: CalendarObject }> {
  const ids = parseEventPublicId(publicId);
  const calendar = ids ? await store.getCalendar(ids.calendarId) : null;
  if (!ids || !calendar || !calendar.published) throw new PageNotFound();
  const object = await store.getObject(calendar.id, ids.objectId);
  if (!object || object.componentType !== 'VEVENT') throw new PageNotFound();
  return { calendar, object };
}
