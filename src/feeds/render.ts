import ICAL from 'ical.js';
import { foldLine } from '../ical/serialize.js';
import { vtimezone } from '../ical/timezones.js';
import { PRODID } from '../ical/prodid.js';
import type { Calendar } from '../store/types.js';
import { filterEvent, normaliseTimeLine, splitObject, tzidOf } from './blocks.js';
import { calendarColors } from './colors.js';
import type { FeedSettings } from './settings.js';

const CRLF = '\r\n';

const escapeText = (value: string) => ICAL.design.icalendar.value.text!.toICAL!(value.replace(/\r\n?/g, '\n')) as string;

/** The feed's calendar properties (DESIGN.md §5.2), TEXT values escaped (RFC 5545 §3.3.11). */
function header(title: string, description: string | null, zone: string, color: string | null, refreshMinutes: number): string {
  const ttl = ICAL.Duration.fromSeconds(refreshMinutes * 60).toString();
  const colors = color ? calendarColors(color) : null;
  const lines = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODID}`, 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(title)}`, `NAME:${escapeText(title)}`,
    ...(description ? [`X-WR-CALDESC:${escapeText(description)}`, `DESCRIPTION:${escapeText(description)}`] : []),
    `X-WR-TIMEZONE:${zone}`,
    // RFC 7986 §5.7 for clients that know it; X-PUBLISHED-TTL for Outlook and older Apple.
    `REFRESH-INTERVAL;VALUE=DURATION:${ttl}`, `X-PUBLISHED-TTL:${ttl}`,
    ...(colors ? [`COLOR:${colors.name}`, `X-APPLE-CALENDAR-COLOR:${colors.hex}`] : []),
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}

export interface FeedInput {
  calendar: Pick<Calendar, 'title' | 'description' | 'timezone' | 'color'>;
  settings: FeedSettings;
  /** Stored object texts, in the order they are published (start, then id); the caller picks them. */
  objects: string[];
}

/**
 * The feed: one VCALENDAR, METHOD:PUBLISH, a VTIMEZONE for every TZID in it, then the
 * objects' components. Deterministic for the same input, so the bytes (and ETag) only change on writes.
 */
export function renderFeed(input: FeedInput): string {
  const { calendar, settings } = input;
  const zone = calendar.timezone;
  const used = new Set<string>();
  const custom = new Map<string, string[]>();
  const body: string[] = [];
  for (const text of input.objects) {
    const { timezones, entries } = splitObject(text);
    for (const entry of entries) {
      for (const raw of filterEvent(entry, { reminders: settings.includeReminders, attendees: settings.includeAttendees })) {
        const line = normaliseTimeLine(raw, zone);
        const tzid = tzidOf(line);
        if (tzid) {
          used.add(tzid);
          const own = timezones.get(tzid);
          if (own && !custom.has(tzid)) custom.set(tzid, own);
        }
        body.push(foldLine(line));
      }
    }
  }
  const zones: string[] = [];
  for (const tzid of [...used].sort()) {
    const block = vtimezone(tzid);
    if (block) zones.push(block);
    else if (custom.has(tzid)) zones.push(custom.get(tzid)!.map(foldLine).join(CRLF));
  }
  return header(calendar.title, calendar.description, zone, calendar.color, settings.refreshMinutes)
    + zones.map((z) => z + CRLF).join('')
    + (body.length ? body.join(CRLF) + CRLF : '')
    + 'END:VCALENDAR' + CRLF;
}

/**
 * What a blocked or deleted personal URL serves: an empty calendar named "Calendar
 * disabled". Clients then remove the events; a 4xx would leave them stale (AddEvent's
 * behaviour, DESIGN.md §4).
 */
export function renderDisabledFeed(refreshMinutes: number): string {
  return header('Calendar disabled', 'This subscription has been disabled by the calendar owner.', 'UTC', null, refreshMinutes)
    + 'END:VCALENDAR' + CRLF;
}
