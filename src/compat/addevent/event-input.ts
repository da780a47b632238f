import { DateTime } from 'luxon';
import { z } from 'zod';
import { parseInput } from '../../api/validate.js';
import { customDataText } from '../../entries/schemas.js';
import { invalid } from '../../errors.js';
import { parseDateInput } from '../../ical/date-input.js';
import { paletteColor } from '../common/palette.js';
import type { RawParams } from '../common/params.js';
import { DEFAULT_ZONE } from './deps.js';

/** Native event fields by the AddEvent parameter each came from, for naming refusals. */
export const EVENT_NAMES: Record<string, string> = {
  'organizer.email': 'organizer_email', 'organizer.name': 'organizer', organizer: 'organizer',
  start: 'start_date', end: 'end_date', all_day: 'all_day_event', reminders: 'reminder', transparency: 'transp',
  title: 'title', description: 'description', location: 'location', timezone: 'timezone', rrule: 'rrule',
  color: 'color', custom_data: 'custom_data',
};

const has = (params: RawParams, name: string) => Object.hasOwn(params, name);
const BOOLEAN: Record<string, boolean> = { true: true, false: false, 1: true, 0: false };
// "Accepts transparent or opaque"; the replies say busy/free, which are taken too.
const TRANSP: Record<string, 'busy' | 'free'> = { transparent: 'free', free: 'free', opaque: 'busy', busy: 'busy' };
const customData = z.object({ custom_data: customDataText(500) });

function allDayOf(raw: string): boolean {
  const v = BOOLEAN[raw.trim().toLowerCase()];
  if (v === undefined) throw invalid('all_day_event', 'all_day_event must be true or false');
  return v;
}

/**
 * AddEvent's all-day end date is the last day of the event; the native end (like DTEND, RFC
 * 5545 §3.6.1) is the day after. A text the native rules cannot read is passed on for them to refuse.
 */
function exclusiveEnd(text: string): string {
  const d = parseDateInput(text);
  if (!d || d.kind === 'instant') return text;
  return DateTime.fromObject({ year: d.year, month: d.month, day: d.day }, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
}

/** Both or neither: "If you fill out organizer you must also include the organizer_email field." */
function organizerOf(params: RawParams): Record<string, string> | null {
  const name = params.organizer ?? '';
  const email = params.organizer_email ?? '';
  if (name === '' && email === '') return null;
  return { ...(name !== '' ? { name } : {}), ...(email !== '' ? { email } : {}) };
}

/**
 * The native event fields the parameters give. On create every field is set, with AddEvent's
 * defaults (zone America/Los_Angeles, "free"); on save only those given change, and a new
 * start without an end gets the default end again (start plus one hour).
 * `storedAllDay` is the saved event's all-day flag, which an end date is read against.
 */
export function nativeEventFields(params: RawParams, mode: 'create' | 'save', storedAllDay = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const text = (name: string, to = name) => {
    if (has(params, name)) out[to] = params[name] === '' ? null : params[name];
  };
  text('title');
  text('description');
  text('location');
  text('rrule');
  if (has(params, 'organizer') || has(params, 'organizer_email')) out.organizer = organizerOf(params);
  if (has(params, 'timezone') && params.timezone !== '') out.timezone = params.timezone;
  else if (mode === 'create') out.timezone = DEFAULT_ZONE;
  const allDay = has(params, 'all_day_event') && params.all_day_event !== '' ? allDayOf(params.all_day_event!) : undefined;
  if (allDay !== undefined) out.all_day = allDay;
  if (has(params, 'start_date')) out.start = params.start_date;
  if (has(params, 'end_date') && params.end_date !== '') {
    out.end = (allDay ?? storedAllDay) ? exclusiveEnd(params.end_date!) : params.end_date;
  } else if (has(params, 'start_date') || has(params, 'end_date')) out.end = null;
  if (has(params, 'reminder')) {
    const raw = params.reminder!.trim();
    if (raw !== '' && !/^\d+$/.test(raw)) throw invalid('reminder', 'reminder must be a number of minutes before the start, e.g. 15');
    out.reminders = raw === '' ? null : [Number(raw)];
  }
  if (has(params, 'color')) out.color = paletteColor('color', params.color!);
  if (has(params, 'transp')) {
    const raw = params.transp!.trim().toLowerCase();
    // "If the transp value doesn't contain any data, the event is free."
    const value = raw === '' ? 'free' : TRANSP[raw];
    if (!value) throw invalid('transp', 'transp must be transparent or opaque');
    out.transparency = value;
  } else if (mode === 'create') out.transparency = 'free';
  if (has(params, 'custom_data')) out.custom_data = params.custom_data === '' ? null : parseInput(customData, params).custom_data;
  return out;
}

/** A create's native input: the fields, without the nulls that mean "absent". */
export function createInput(params: RawParams): Record<string, unknown> {
  return Object.fromEntries(Object.entries(nativeEventFields(params, 'create')).filter(([, v]) => v !== null));
}
