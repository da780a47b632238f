import { invalid } from '../errors.js';
import { parseDateInput } from '../ical/date-input.js';
import { canonicalTimezone } from '../ical/timezones.js';
import { formatTime, readDateField, type EntryTime } from './times.js';

/** The zone an entry's wall times are in: its own `timezone`, else the calendar's. */
export function entryZone(timezone: string | null | undefined, calendarZone: string): string {
  if (!timezone) return calendarZone;
  const zone = canonicalTimezone(timezone);
  if (!zone) throw invalid('timezone', `unknown time zone "${timezone}": use an IANA name such as Europe/Paris`);
  return zone;
}

/**
 * EXDATEs must have DTSTART's value type (RFC 5545 §3.8.5.1). A date-only exclusion of a
 * timed event means "the instance on that day", so it takes the start's time of day.
 */
export function readExdates(values: string[] | null | undefined, start: EntryTime, zone: string): EntryTime[] {
  return (values ?? []).map((text, i) => {
    const field = `exdates.${i}`;
    if (start.allDay) return readDateField(field, text, zone, true);
    const t = readDateField(field, text, zone, false);
    if (parseDateInput(text)?.kind !== 'date') return t;
    const { hour, minute, second } = start.dt;
    return { dt: t.dt.set({ hour, minute, second }), allDay: false };
  });
}

/** The inverse of readExdates: an exclusion at the start's time of day shows as its date. */
export function formatExdates(exdates: EntryTime[], start: EntryTime): string[] {
  return exdates.map((t) => {
    if (start.allDay) return formatTime({ dt: t.dt, allDay: true });
    const local = t.dt.setZone(start.dt.zone);
    const sameTime = local.hour === start.dt.hour && local.minute === start.dt.minute && local.second === start.dt.second;
    return sameTime ? local.toISODate()! : formatTime(t);
  });
}
