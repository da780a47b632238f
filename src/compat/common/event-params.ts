import { DateTime } from 'luxon';
import { HttpError, invalid } from '../../errors.js';
import { parseDateInput } from '../../ical/date-input.js';
import { paletteColor } from './palette.js';
import type { RawParams } from './params.js';

/**
 * The event parameters AddEvent and CalendarX share (title, description, location, organizer
 * and organizer_email, timezone, reminder, start_date, end_date, all_day_event, a numbered
 * colour), as the native event fields they set. Only the parameters present are returned, so a
 * save changes what it names; the native schema and the event mapping check the values.
 */
export interface EventParamOptions {
  /** The colour parameter's name: AddEvent's `color`, CalendarX's `color_id`. */
  colorParam: string;
}

/** "Use \n for line breaks": scripts send the two characters as well as a real newline. */
const lines = (v: string) => v.replace(/\\n/g, '\n');
const orNull = (v: string) => (v.trim() === '' ? null : v);

function flag(params: RawParams, name: string): boolean | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw invalid(name, `${name} must be "true" or "false"`);
}

function reminder(raw: string): number[] | null {
  if (raw.trim() === '') return null;
  if (!/^\s*\d+\s*$/.test(raw)) throw invalid('reminder', 'reminder must be a whole number of minutes, e.g. "15"');
  return [Number(raw)];
}

/** organizer and organizer_email come together; both empty (or absent) removes the organizer. */
function organizer(params: RawParams): { name: string; email: string } | null | undefined {
  const name = params.organizer?.trim();
  const email = params.organizer_email?.trim();
  if (name === undefined && email === undefined) return undefined;
  if (!name && !email) return null;
  if (!email) throw invalid('organizer_email', 'organizer_email is required with organizer');
  if (!name) throw invalid('organizer', 'organizer is required with organizer_email');
  return { name, email };
}

/**
 * The products' end date of an all-day event is its last day; iCalendar's DTEND is the day after
 * (RFC 5545 §3.6.1). An unreadable date is passed on for the native rule to refuse by name.
 */
function exclusiveEnd(raw: string): string {
  const d = parseDateInput(raw, 'ignore');
  if (!d || d.kind === 'instant') return raw;
  return DateTime.fromObject({ year: d.year, month: d.month, day: d.day }, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
}

export function eventParams(params: RawParams, opts: EventParamOptions): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const set = (name: string, value: unknown) => { if (value !== undefined) fields[name] = value; };
  const text = (param: string, convert: (v: string) => unknown) => (params[param] === undefined ? undefined : convert(params[param]!));
  set('title', text('title', (v) => v.trim()));
  set('description', text('description', (v) => orNull(lines(v))));
  set('location', text('location', orNull));
  set('organizer', organizer(params));
  set('timezone', text('timezone', (v) => orNull(v.trim())));
  set('color', text(opts.colorParam, (v) => paletteColor(opts.colorParam, v)));
  set('reminders', text('reminder', reminder));
  const allDay = flag(params, 'all_day_event');
  set('all_day', allDay);
  if (params.start_date !== undefined) {
    set('start', params.start_date.trim());
    // "If end_date isn't defined, end_date becomes start_date plus 1 hour": the native default.
    const end = params.end_date?.trim() || null;
    set('end', end !== null && allDay ? exclusiveEnd(end) : end);
  }
  return fields;
}

/** Native event fields as the products name them, for errors the native rules raise. */
export const EVENT_PARAM_NAMES: Record<string, string> = {
  start: 'start_date', end: 'end_date', all_day: 'all_day_event', reminders: 'reminder',
  organizer: 'organizer', 'organizer.name': 'organizer', 'organizer.email': 'organizer_email',
};

/** An error a native rule raised, naming the product's parameter instead of the native field. */
export function inParamNames(err: unknown, names: Record<string, string>): unknown {
  if (!(err instanceof HttpError) || !err.options.field || !(err.options.field in names)) return err;
  const field = err.options.field;
  const param = names[field]!;
  const message = err.message.startsWith(field) ? param + err.message.slice(field.length) : `${param}: ${err.message}`;
  return new HttpError(err.status, err.code, message, { ...err.options, field: param });
}
