import { DateTime } from 'luxon';
import { eventPublicId } from '../../entries/links.js';
import { zoneOf } from '../../ical/zone-cache.js';
import { paletteNumber } from './palette.js';
import { unix } from './unix.js';

/** The native JSON view of an event (entries/present.ts), as far as the products show it. */
export interface NativeEvent {
  id: string;
  calendar_id: string;
  title: string;
  description: string | null;
  location: string | null;
  start: string | null;
  end: string | null;
  timezone: string;
  all_day: boolean;
  rrule: string | null;
  reminders: number[];
  organizer: { name: string; email: string } | null;
  transparency: 'busy' | 'free';
  color: string | null;
  sequence: number;
  custom_data: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
  event_url: string;
}

interface Moment { date: string; time: string; ampm: string; unix: number }
interface Shown { e: NativeEvent; start: Moment; end: Moment }

/** How a product writes times in its replies. */
export interface ReplyTimes {
  /** `*_time` on a 12-hour clock (next to `*_ampm`) or a 24-hour one. */
  clock: '12h' | '24h';
  /** `*_unix` as the real instant, or as the event's wall time read as if it were UTC. */
  unix: 'instant' | 'wall';
}

/**
 * One end of the event as both products show it: MM/DD/YYYY, the clock, AM or PM, unix seconds,
 * all in the event's zone. The `wall` unix time is that wall time read as if it were UTC, as
 * CalendarX's replies have it (15:00 in Los Angeles on 04/21/2017 is 1492786800, 15:00 UTC):
 * scripts that format it with a UTC clock show the event's own time.
 */
function moment(dt: DateTime | null, dialect: ReplyTimes): Moment {
  if (!dt) return { date: '', time: '', ampm: '', unix: 0 };
  const instant = dialect.unix === 'wall' ? dt.setZone('UTC', { keepLocalTime: true }) : dt;
  return {
    date: dt.toFormat('MM/dd/yyyy'),
    time: dt.toFormat(dialect.clock === '12h' ? 'hh:mm:ss' : 'HH:mm:ss'),
    ampm: dt.toFormat('a', { locale: 'en-US' }),
    unix: Math.floor(instant.toSeconds()),
  };
}

/** Every field either product shows of an event; a dialect's key lists pick and order them. */
const FIELDS = {
  id: ({ e }: Shown) => e.id,
  calendar: ({ e }: Shown) => e.calendar_id,
  unique: ({ e }: Shown) => eventPublicId(e.calendar_id, e.id),
  title: ({ e }: Shown) => e.title,
  eventname: ({ e }: Shown) => e.title,
  description: ({ e }: Shown) => e.description ?? '',
  location: ({ e }: Shown) => e.location ?? '',
  organizer: ({ e }: Shown) => e.organizer?.name ?? '',
  organizer_email: ({ e }: Shown) => e.organizer?.email ?? '',
  date_start: ({ start }: Shown) => start.date,
  date_start_time: ({ start }: Shown) => start.time,
  date_start_ampm: ({ start }: Shown) => start.ampm,
  date_start_unix: ({ start }: Shown) => start.unix,
  date_end: ({ end }: Shown) => end.date,
  date_end_time: ({ end }: Shown) => end.time,
  date_end_ampm: ({ end }: Shown) => end.ampm,
  date_end_unix: ({ end }: Shown) => end.unix,
  all_day_event: ({ e }: Shown) => String(e.all_day),
  date_format: () => 'MM/DD/YYYY',
  timezone: ({ e }: Shown) => e.timezone,
  reminder: ({ e }: Shown) => (e.reminders.length ? String(e.reminders[0]) : ''),
  rrule: ({ e }: Shown) => e.rrule ?? '',
  template_id: () => '',
  color: ({ e }: Shown) => paletteNumber(e.color),
  color_id: ({ e }: Shown) => paletteNumber(e.color),
  transp: ({ e }: Shown) => e.transparency,
  custom_data: ({ e }: Shown) => (e.custom_data ? JSON.stringify(e.custom_data) : ''),
  // Calcast has no link shortener: both links are the event's own page.
  link_short: ({ e }: Shown) => e.event_url,
  link_long: ({ e }: Shown) => e.event_url,
  date_create: ({ e }: Shown) => unix(Date.parse(e.created_at)),
  date_modified: ({ e }: Shown) => unix(Date.parse(e.updated_at)),
  // How often the event was saved again: its SEQUENCE (RFC 5545 §3.8.7.4).
  updated_times: ({ e }: Shown) => String(e.sequence),
};

export type EventKey = keyof typeof FIELDS;

/**
 * The event as the dialect shows it, with `keys` in their order. An all-day event's end is its
 * last day (the native end is the day after, RFC 5545 §3.6.1), at 00:00 as its start is.
 */
export function eventJson(e: NativeEvent, dialect: ReplyTimes, keys: readonly EventKey[]): Record<string, unknown> {
  const at = (iso: string | null) => (iso ? DateTime.fromISO(iso, { zone: zoneOf(e.timezone) }) : null);
  const end = at(e.end);
  const shown: Shown = { e, start: moment(at(e.start), dialect), end: moment(end && e.all_day ? end.minus({ days: 1 }) : end, dialect) };
  return Object.fromEntries(keys.map((key) => [key, FIELDS[key](shown)]));
}
