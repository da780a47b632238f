import type ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { parseCalendar } from '../ical/parse.js';
import { zoneOf } from '../ical/zone-cache.js';
import type { Occurrence } from '../ical/occurrence.js';
import type { Calendar, CalendarObject } from '../store/types.js';
import { objectShape } from './describe.js';
import { eventMapping } from './event.js';
import { addToCalendarLinks, eventPublicId } from './links.js';
import type { AnyMapping } from './mappings.js';
import { formatTime, readTime, timeContext, type TimeContext } from './times.js';

/** What presenting an entry needs: links are absolute. */
export interface PresentDeps {
  baseUrl: string;
}

/** The entity tag as the ETag header carries it, so a client can send it back in If-Match. */
export const quotedEtag = (etag: string) => `"${etag}"`;

function eventLinks(deps: PresentDeps, calendar: Calendar, object: CalendarObject, c: ICAL.Component, ctx: TimeContext) {
  const start = readTime(c, 'dtstart', ctx);
  if (!start) return null;
  const end = readTime(c, 'dtend', ctx)?.dt ?? start.dt.plus(start.allDay ? { days: 1 } : { hours: 1 });
  const text = (name: string) => (c.getFirstPropertyValue(name) as string | null) ?? null;
  return {
    ics: `${deps.baseUrl}/feeds/${calendar.feedKey}/events/${encodeURIComponent(object.id)}.ics`,
    ...addToCalendarLinks({
      title: text('summary') ?? '', description: text('description'), location: text('location'),
      start: start.dt.toMillis(), end: end.toMillis(), allDay: start.allDay,
      startDate: start.dt.toISODate()!, endDate: end.toISODate()!, timezone: start.dt.zoneName ?? calendar.timezone,
    }),
  };
}

/**
 * The JSON view of a stored entry. With an occurrence (expand=true) it shows that instance:
 * the override's fields when it has one, and the instance's own start and end.
 */
export function presentEntry(
  deps: PresentDeps, calendar: Calendar, mapping: AnyMapping, object: CalendarObject, occurrence?: Occurrence,
  root: ICAL.Component = parseCalendar(object.data),
): Record<string, unknown> {
  const main = occurrence?.component ?? objectShape(root).main;
  const ctx = timeContext(root, calendar.timezone);
  const view = mapping.present(main, ctx);
  if (occurrence) {
    const zone = String(view.timezone);
    const at = (s: number) => formatTime({ dt: DateTime.fromSeconds(s, { zone: zoneOf(zone) }), allDay: occurrence.allDay });
    Object.assign(view, { start: at(occurrence.start), end: at(occurrence.end) });
  }
  return {
    id: object.id,
    calendar_id: calendar.id,
    uid: object.uid,
    ...(occurrence ? { recurrence_id: occurrence.recurrenceId } : {}),
    ...view,
    sequence: object.sequence,
    etag: quotedEtag(object.etag),
    custom_data: object.customData,
    created_at: new Date(object.createdAt).toISOString(),
    updated_at: new Date(object.updatedAt).toISOString(),
    ...(mapping === eventMapping
      ? { event_url: `${deps.baseUrl}/e/${eventPublicId(calendar.id, object.id)}`, links: eventLinks(deps, calendar, object, main, ctx) }
      : {}),
  };
}
