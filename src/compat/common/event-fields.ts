import { DateTime } from 'luxon';
import { z } from 'zod';
import { parseInput } from '../../api/validate.js';
import { customDataText } from '../../entries/schemas.js';
import { invalid } from '../../errors.js';
import { parseDateInput } from '../../ical/date-input.js';
import type { EventDialect, EventExtra } from './event-dialect.js';
import { paletteColor } from './palette.js';
import type { RawParams } from './params.js';

/**
 * The event parameters of AddEvent and CalendarX as native event fields. On a save only the
 * parameters given are returned, so it changes what it names; an empty parameter stands for its
 * default (none, or the dialect's). Dates, times, zones, the organizer and every limit are left
 * to the native rules (entries/schemas.ts, entries/event.ts): `renamed` with `eventParamNames`
 * turns the native field names of their refusals into the product's.
 */

const BOOLEAN: Record<string, boolean> = { '': false, true: true, false: false, 1: true, 0: false };
// AddEvent: "Accepts transparent or opaque"; its replies say busy/free, which are taken too.
const TRANSP: Record<string, 'busy' | 'free'> = { transparent: 'free', free: 'free', opaque: 'busy', busy: 'busy' };
// AddEvent: "Requires valid JSON. Max length of JSON string is 500 characters."
const customData = z.object({ custom_data: customDataText(500) });

const SHARED_NAMES: Record<string, string> = {
  start: 'start_date', end: 'end_date', all_day: 'all_day_event', reminders: 'reminder',
  'organizer.name': 'organizer', 'organizer.email': 'organizer_email',
};

/** Native event fields by the parameter each came from, for naming refusals. */
export function eventParamNames(dialect: EventDialect): Record<string, string> {
  return { ...SHARED_NAMES, color: dialect.colorParam, ...(dialect.extras.includes('transp') ? { transparency: 'transp' } : {}) };
}

function reminders(raw: string): number[] {
  if (!/^\s*\d+\s*$/.test(raw)) throw invalid('reminder', 'reminder must be a whole number of minutes, e.g. "15"');
  return [Number(raw)];
}

function transparency(raw: string): 'busy' | 'free' {
  const value = TRANSP[raw.trim().toLowerCase()];
  if (!value) throw invalid('transp', 'transp must be transparent or opaque');
  return value;
}

/** Both or neither ("If you fill out organizer you must also include the organizer_email field"): one alone is the native rule's to refuse. */
function organizer(params: RawParams): Record<string, string> | null {
  const name = params.organizer?.trim() ?? '';
  const email = params.organizer_email?.trim() ?? '';
  if (name === '' && email === '') return null;
  return { ...(name !== '' ? { name } : {}), ...(email !== '' ? { email } : {}) };
}

/**
 * The products' all-day end date is the event's last day; the native end, like DTEND (RFC 5545
 * §3.6.1), is the day after. A text the native rules cannot read is passed on for them to refuse.
 */
function exclusiveEnd(text: string): string {
  const d = parseDateInput(text);
  if (!d || d.kind === 'instant') return text;
  return DateTime.fromObject({ year: d.year, month: d.month, day: d.day }, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
}

const EXTRAS: Record<EventExtra, [param: string, field: string, read: (raw: string) => unknown]> = {
  rrule: ['rrule', 'rrule', (v) => v],
  transp: ['transp', 'transparency', transparency],
  custom_data: ['custom_data', 'custom_data', (v) => parseInput(customData, { custom_data: v }).custom_data],
};

/**
 * The native fields the parameters give. A create gets the dialect's defaults for what it
 * leaves out; `storedAllDay` is the saved event's all-day flag, which a save's end date is read
 * against when the save does not say.
 */
export function eventFields(params: RawParams, dialect: EventDialect, mode: 'create' | 'save', storedAllDay = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const defaults: Record<string, unknown> = dialect.defaults;
  const set = (param: string, field: string, read: (raw: string) => unknown) => {
    const raw = params[param];
    if (raw !== undefined) out[field] = raw.trim() === '' ? (defaults[field] ?? null) : read(raw);
  };
  set('title', 'title', (v) => v);
  // "Use \n for line breaks": scripts send the two characters as well as a real newline.
  set('description', 'description', (v) => v.replace(/\\n/g, '\n'));
  set('location', 'location', (v) => v);
  set('timezone', 'timezone', (v) => v.trim());
  set('reminder', 'reminders', reminders);
  set(dialect.colorParam, 'color', (v) => paletteColor(dialect.colorParam, v));
  for (const extra of dialect.extras) set(...EXTRAS[extra]);
  if (params.organizer !== undefined || params.organizer_email !== undefined) out.organizer = organizer(params);
  if (params.all_day_event !== undefined) {
    const allDay = BOOLEAN[params.all_day_event.trim().toLowerCase()];
    if (allDay === undefined) throw invalid('all_day_event', 'all_day_event must be "true" or "false"');
    out.all_day = allDay;
  }
  set('start_date', 'start', (v) => v.trim());
  if (params.start_date !== undefined || params.end_date !== undefined) {
    // "If end_date isn't defined, end_date becomes start_date plus 1 hour": the native default.
    const end = params.end_date?.trim() || null;
    out.end = end !== null && ((out.all_day as boolean | undefined) ?? storedAllDay) ? exclusiveEnd(end) : end;
  }
  if (mode === 'save') return out;
  // A create's nulls mean "absent", which the native rules read as their own defaults.
  return Object.fromEntries(Object.entries({ ...defaults, ...out }).filter(([, v]) => v !== null));
}
