import type { DateTime } from 'luxon';
import { parseDateInput, toZonedDateTime } from '../../ical/date-input.js';
import { canonicalTimezone } from '../../ical/timezones.js';

/**
 * A create-calendar request, read by the product's own rules: every field but `all-day-event`
 * is mandatory; a zone written into a date-time is ignored in favour of `event-timezone`; an
 * all-day event runs from 00:00 UTC of the start date to 23:59 UTC of the end date.
 */
export interface CreateCalendarRequest {
  title: string;
  description: string;
  location: string;
  timezone: string;
  allDay: boolean;
  /** Wall times in `timezone` (for an all-day event: its dates at 00:00). */
  start: DateTime;
  end: DateTime;
}

/** A refused request: the product's failure envelope, with a code per field and rule. */
export class CreateCalendarFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/**
 * The stable error codes. The product documents only E1703; the others continue its
 * numbering, one per field, so a script can tell what to fix.
 */
export const FAILURES = {
  body: ['E1700', 'The request body must be a JSON object.'],
  action: ['E1701', 'action must be "createcalendar".'],
  apiKey: ['E1702', 'x-api-key is missing or not a valid API key.'],
  title: ['E1703', 'Title cannot be empty for iCalendar.'],
  description: ['E1704', 'event-description is required and must be a string.'],
  location: ['E1705', 'event-location is required and must be a string.'],
  start: ['E1706', 'event-start-datetime is required and must be an ISO 8601 date or date-time.'],
  end: ['E1707', 'event-end-datetime is required and must be an ISO 8601 date or date-time.'],
  timezone: ['E1708', 'event-timezone is required and must be a tz database time zone name.'],
  order: ['E1709', 'event-end-datetime must not be before event-start-datetime.'],
  allDay: ['E1710', 'all-day-event must be true or false.'],
  mediaType: ['E1711', 'The request body must be JSON (Content-Type: application/json).'],
  tooLarge: ['E1712', 'The request body is too large.'],
} as const satisfies Record<string, readonly [string, string]>;

export const fail = (key: keyof typeof FAILURES, status = 400, detail?: string) =>
  new CreateCalendarFailure(status, FAILURES[key][0], detail ? `${FAILURES[key][1]} ${detail}` : FAILURES[key][1]);

function requiredText(body: Record<string, unknown>, name: string, key: keyof typeof FAILURES, nonEmpty = false): string {
  const v = body[name];
  if (typeof v !== 'string' || (nonEmpty && v.trim() === '')) throw fail(key);
  return v;
}

function wallTime(body: Record<string, unknown>, name: string, key: 'start' | 'end', zone: string): DateTime {
  const v = body[name];
  const input = typeof v === 'string' ? parseDateInput(v, 'ignore') : null;
  if (!input || input.kind === 'instant') throw fail(key, 400, typeof v === 'string' ? `Got "${v}".` : undefined);
  return toZonedDateTime(input, zone);
}

export function readRequest(body: unknown): CreateCalendarRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw fail('body');
  const b = body as Record<string, unknown>;
  if (typeof b.action !== 'string' || b.action.toLowerCase() !== 'createcalendar') throw fail('action');
  const title = requiredText(b, 'event-title', 'title', true).trim();
  const description = requiredText(b, 'event-description', 'description');
  const location = requiredText(b, 'event-location', 'location');
  const zoneName = b['event-timezone'];
  const timezone = typeof zoneName === 'string' ? canonicalTimezone(zoneName) : null;
  if (!timezone) throw fail('timezone', 400, typeof zoneName === 'string' ? `Got "${zoneName}".` : undefined);
  const allDayValue = b['all-day-event'] ?? false;
  if (typeof allDayValue !== 'boolean') throw fail('allDay');
  let start = wallTime(b, 'event-start-datetime', 'start', timezone);
  let end = wallTime(b, 'event-end-datetime', 'end', timezone);
  if (allDayValue) {
    start = start.startOf('day');
    end = end.startOf('day');
  }
  if (end < start) throw fail('order');
  return { title, description, location, timezone, allDay: allDayValue, start, end };
}
