import ICAL from 'ical.js';

/** iCalendar text that cannot be read; `reason` says why (used for valid-calendar-data). */
export class CalendarParseError extends Error {}

/** Parses one VCALENDAR. ical.js throws plain errors on malformed text; we name them. */
export function parseCalendar(text: string): ICAL.Component {
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch (err) {
    throw new CalendarParseError(`unreadable iCalendar: ${(err as Error).message}`);
  }
  // ICAL.parse answers an array of components when the text holds several.
  if (!Array.isArray(jcal) || typeof jcal[0] !== 'string') {
    throw new CalendarParseError('expected exactly one VCALENDAR');
  }
  const root = new ICAL.Component(jcal as never);
  if (root.name !== 'vcalendar') throw new CalendarParseError(`expected VCALENDAR, got ${root.name.toUpperCase()}`);
  return root;
}
