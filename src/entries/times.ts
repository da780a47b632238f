import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { invalid } from '../errors.js';
import { parseDateInput, toZonedDateTime } from '../ical/date-input.js';
import { makeResolver, readTime as readTimeValue, type Resolve } from '../ical/instants.js';
import { canonicalTimezone } from '../ical/timezones.js';
import { zoneOf } from '../ical/zone-cache.js';

/** A date or date-time of an entry, as the API reads and writes it. */
export interface EntryTime {
  dt: DateTime; // in the entry's zone
  allDay: boolean;
}

/** Reads an API date field in `zone`; a date-only input is all-day unless `allDay` says otherwise. */
export function readDateField(field: string, text: string, zone: string, allDay?: boolean): EntryTime {
  const input = parseDateInput(text);
  if (!input) throw invalid(field, `${field} is not a readable or possible date (years 0001 to 9999): "${text}"`);
  const isAllDay = allDay ?? input.kind === 'date';
  const dt = toZonedDateTime(input, zone);
  return { dt: isAllDay ? dt.startOf('day') : dt, allDay: isAllDay };
}

/**
 * The iCalendar value for a time: a DATE for all-day, `Z` for UTC (never TZID=UTC, which
 * Outlook mishandles: DESIGN.md §5.3), otherwise wall time with a TZID parameter.
 */
export function icalTime(t: EntryTime): { value: ICAL.Time; tzid: string | null } {
  const { dt } = t;
  if (t.allDay) {
    return { value: ICAL.Time.fromData({ year: dt.year, month: dt.month, day: dt.day, isDate: true }), tzid: null };
  }
  const wall = { year: dt.year, month: dt.month, day: dt.day, hour: dt.hour, minute: dt.minute, second: dt.second, isDate: false };
  if (dt.zoneName === 'UTC') return { value: ICAL.Time.fromData(wall, ICAL.Timezone.utcTimezone), tzid: null };
  return { value: ICAL.Time.fromData(wall), tzid: dt.zoneName };
}

function addTime(component: ICAL.Component, name: string, t: EntryTime): void {
  const { value, tzid } = icalTime(t);
  const prop = component.addPropertyWithValue(name, value);
  if (tzid) prop.setParameter('tzid', tzid);
}

export function setTime(component: ICAL.Component, name: string, t: EntryTime): void {
  component.removeAllProperties(name);
  addTime(component, name, t);
}

/** One property per value (EXDATE), each in the same form as DTSTART (RFC 5545 §3.8.5.1). */
export function setTimes(component: ICAL.Component, name: string, times: EntryTime[]): void {
  component.removeAllProperties(name);
  for (const t of times) addTime(component, name, t);
}

/** Output form: `YYYY-MM-DD` for all-day, else ISO 8601 with the zone's offset. */
export function formatTime(t: EntryTime): string {
  return t.allDay ? t.dt.toISODate()! : t.dt.toISO({ suppressMilliseconds: true })!;
}

/** What reading a time needs: the calendar's zone for floating values, and the object's zone resolver. */
export interface TimeContext {
  zone: string;
  resolve: Resolve;
}

export function timeContext(root: ICAL.Component, zone: string): TimeContext {
  return { zone, resolve: makeResolver(root, zone) };
}

/** Reads DTSTART/DTEND/DUE/…: the value in its own zone (canonical IANA, UTC, or the calendar's for floating). */
export function readTime(component: ICAL.Component, name: string, ctx: TimeContext): EntryTime | null {
  const prop = component.getFirstProperty(name);
  const value = prop?.getFirstValue();
  if (!prop || !(value instanceof ICAL.Time)) return null;
  return timeOf(value, prop.getParameter('tzid'), ctx);
}

function timeOf(value: ICAL.Time, tzid: unknown, ctx: TimeContext): EntryTime {
  const t = readTimeValue(value, tzid);
  if (t.isDate) {
    return { dt: DateTime.fromObject({ year: value.year, month: value.month, day: value.day }, { zone: zoneOf(ctx.zone) }), allDay: true };
  }
  const zone = t.anchor.kind === 'utc' ? 'UTC'
    : t.anchor.kind === 'tzid' ? canonicalTimezone(t.anchor.tzid) ?? ctx.zone : ctx.zone;
  return { dt: DateTime.fromSeconds(ctx.resolve(t.anchor, t.wall), { zone: zoneOf(zone) }), allDay: false };
}

/** Every value of a multi-valued time property (EXDATE, RDATE). */
export function readTimes(component: ICAL.Component, name: string, ctx: TimeContext): EntryTime[] {
  return component.getAllProperties(name).flatMap((p) =>
    p.getValues().filter((v): v is ICAL.Time => v instanceof ICAL.Time).map((v) => timeOf(v, p.getParameter('tzid'), ctx)),
  );
}
