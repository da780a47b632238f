import { DateTime } from 'luxon';
import { eventPublicId } from '../../entries/links.js';
import { zoneOf } from '../../ical/zone-cache.js';
import { paletteNumber } from '../common/palette.js';
import { unix } from './deps.js';

/** The native JSON view of an event (entries/present.ts), as far as AddEvent shows it. */
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

/** A native time in the event's zone: ISO with an offset, or an all-day date at midnight there. */
const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone: zoneOf(zone) });

/** One end of the event in AddEvent's fields: MM/DD/YYYY, a 12-hour clock, AM/PM, unix seconds. */
function moment(iso: string | null, zone: string, lastDay: boolean) {
  if (!iso) return { date: '', time: '', ampm: '', unix: 0 };
  const dt = at(iso, zone);
  // An all-day event's native end is the day after its last; AddEvent names the last day.
  const shown = lastDay ? dt.minus({ days: 1 }) : dt;
  return { date: shown.toFormat('MM/dd/yyyy'), time: dt.toFormat('hh:mm:ss'), ampm: dt.toFormat('a', { locale: 'en-US' }), unix: Math.floor(dt.toSeconds()) };
}

function common(e: NativeEvent) {
  const start = moment(e.start, e.timezone, false);
  const end = moment(e.end, e.timezone, e.all_day);
  return {
    start, end,
    organizer: e.organizer?.name ?? '', organizer_email: e.organizer?.email ?? '',
    all_day_event: String(e.all_day), date_format: 'MM/DD/YYYY', timezone: e.timezone,
    reminder: e.reminders.length ? String(e.reminders[0]) : '', rrule: e.rrule ?? '', template_id: '',
    color: paletteNumber(e.color), transp: e.transparency, custom_data: e.custom_data ? JSON.stringify(e.custom_data) : '',
    // Calcast has no link shortener: both links are the event's own page.
    link_short: e.event_url, link_long: e.event_url,
    date_create: unix(e.created_at), date_modified: unix(e.updated_at),
    // How often the event was rescheduled: its SEQUENCE (RFC 5545 §3.8.7.4).
    updated_times: String(e.sequence),
  };
}

/** An event as the lists show it, in the seed's key order. */
export function listedEvent(e: NativeEvent) {
  const c = common(e);
  return {
    id: e.id, unique: eventPublicId(e.calendar_id, e.id), title: e.title, eventname: e.title,
    description: e.description ?? '', location: e.location ?? '', organizer: c.organizer, organizer_email: c.organizer_email,
    date_start: c.start.date, date_start_time: c.start.time, date_start_ampm: c.start.ampm, date_start_unix: c.start.unix,
    date_end: c.end.date, date_end_time: c.end.time, date_end_ampm: c.end.ampm, date_end_unix: c.end.unix,
    all_day_event: c.all_day_event, date_format: c.date_format, timezone: c.timezone, reminder: c.reminder, rrule: c.rrule,
    template_id: c.template_id, color: c.color, transp: c.transp, custom_data: c.custom_data,
    link_short: c.link_short, link_long: c.link_long, date_create: c.date_create, date_modified: c.date_modified,
    updated_times: c.updated_times,
  };
}

/** An event as create and save answer it: the seed's other key order, with `calendar` and no unix times. */
export function savedEvent(e: NativeEvent) {
  const c = common(e);
  return {
    id: e.id, calendar: e.calendar_id, unique: eventPublicId(e.calendar_id, e.id), title: e.title,
    description: e.description ?? '', location: e.location ?? '', organizer: c.organizer, organizer_email: c.organizer_email,
    date_start: c.start.date, date_start_time: c.start.time, date_start_ampm: c.start.ampm,
    date_end: c.end.date, date_end_time: c.end.time, date_end_ampm: c.end.ampm,
    all_day_event: c.all_day_event, date_format: c.date_format, timezone: c.timezone, reminder: c.reminder, rrule: c.rrule,
    template_id: c.template_id, color: c.color, transp: c.transp, custom_data: c.custom_data,
    updated_times: c.updated_times, link_short: c.link_short, link_long: c.link_long,
    date_create: c.date_create, date_modified: c.date_modified,
  };
}
