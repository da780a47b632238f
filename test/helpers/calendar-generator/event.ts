import {
  addDays, addMinutes, dateTimeProperty, escapeText, formatDate, formatWall, wall,
} from './content-lines.js';
import type { Random } from './random.js';
import { pickRule } from './recurrence.js';
import { CATEGORIES, FIRST_NAMES, LAST_NAMES, PARTSTATS, PLACES, SENTENCES, TOPICS, TOPIC_SUFFIXES } from './vocabulary.js';
import { ZONE_WEIGHTS } from './zones.js';

export type EventKind = 'timed' | 'allday' | 'allday-yearly' | 'recurring';

export interface GeneratedEvent {
  /** The UID's local part, also the event's file name (without `.ics`). */
  name: string;
  kind: EventKind;
  /** The TZID its VEVENTs use, or null for UTC and all-day events. */
  tzid: string | null;
  /** The master VEVENT, then its RECURRENCE-ID override if any, as content lines. */
  vevents: string[][];
}

export const UID_DOMAIN = 'bench.invalid';
const DTSTAMP = '20250101T000000Z';
const DURATIONS = [15, 30, 30, 45, 60, 60, 60, 90, 120, 180];

function person(rng: Random): { name: string; mail: string } {
  const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
  // Addresses stay ASCII: mailto: URIs with non-ASCII break clients that do not decode them.
  const local = name.toLowerCase().replace(' ', '.').replace(/[^a-z0-9.]/g, 'x');
  return { name, mail: `${local}@example.com` };
}

/** 50-500 characters of sentences, some separated by newlines. */
function description(rng: Random): string {
  const target = rng.int(50, 500);
  let text = '';
  while ([...text].length < target) text += (text ? (rng.next() < 0.2 ? '\n' : ' ') : '') + rng.pick(SENTENCES);
  return [...text].slice(0, target).join('').trimEnd();
}

const durationValue = (minutes: number) => (minutes % 60 ? `PT${minutes}M` : `PT${minutes / 60}H`);

/** The properties every VEVENT of the master carries, whatever its kind. */
function commonProperties(rng: Random, uid: string, summary: string): string[] {
  const organizer = person(rng);
  const lines = [
    `UID:${uid}`, `DTSTAMP:${DTSTAMP}`, 'CREATED:20240101T120000Z',
    `LAST-MODIFIED:${formatWall(addMinutes(wall(2024, 6, 1), rng.int(0, 199_999)))}Z`,
    `SEQUENCE:${rng.pick([0, 0, 0, 1, 2])}`,
    `SUMMARY:${escapeText(summary)}`, `DESCRIPTION:${escapeText(description(rng))}`,
  ];
  const place = rng.pick(PLACES);
  if (place) lines.push(`LOCATION:${escapeText(place)}`);
  lines.push(`ORGANIZER;CN="${organizer.name}":mailto:${organizer.mail}`);
  if (rng.next() < 0.4) {
    for (let i = rng.int(1, 5); i > 0; i--) {
      const a = person(rng);
      lines.push(`ATTENDEE;CN="${a.name}";ROLE=REQ-PARTICIPANT;PARTSTAT=${rng.pick(PARTSTATS)};RSVP=TRUE:mailto:${a.mail}`);
    }
  }
  if (rng.next() < 0.3) lines.push(`CATEGORIES:${rng.sample(CATEGORIES, rng.int(1, 2)).map(escapeText).join(',')}`);
  if (rng.next() < 0.15) lines.push(`URL:https://meet.example.com/r/${rng.hex32()}`);
  lines.push(`CLASS:${rng.weighted([['PUBLIC', 8], ['PRIVATE', 1], ['CONFIDENTIAL', 1]])}`);
  lines.push(`STATUS:${rng.weighted([['CONFIRMED', 6], ['TENTATIVE', 1]])}`);
  return lines;
}

/**
 * Event `index` of the set: drawn from its own RNG, so any N-event set is a prefix of a larger
 * one with the same seed. Spread over `days` days from `first`.
 */
export function makeEvent(rng: Random, index: number, first: Date, days: number): GeneratedEvent {
  const name = `evt-${String(index).padStart(6, '0')}-${rng.hex32()}`;
  const uid = `${name}@${UID_DOMAIN}`;
  const roll = rng.next();
  let kind: EventKind = roll < 0.1 ? 'allday' : roll < 0.2 ? 'recurring' : 'timed';
  const zone = rng.weighted(ZONE_WEIGHTS);
  let day = addDays(first, rng.int(0, days - 1));
  let summary = rng.pick(TOPICS);
  if (rng.next() < 0.3) summary += ` — ${rng.pick(TOPIC_SUFFIXES)}`;
  const common = commonProperties(rng, uid, summary);
  const alarm = rng.next() < 0.3
    ? ['BEGIN:VALARM', 'ACTION:DISPLAY', `DESCRIPTION:${escapeText(`Reminder: ${summary}`)}`,
      `TRIGGER:-PT${rng.pick([5, 10, 15, 30, 60])}M`, 'END:VALARM']
    : [];

  if (kind === 'allday') {
    const length = rng.pick([1, 1, 1, 2, 3, 5]);
    const master = ['BEGIN:VEVENT', ...common, `DTSTART;VALUE=DATE:${formatDate(day)}`,
      `DTEND;VALUE=DATE:${formatDate(addDays(day, length))}`, 'TRANSP:TRANSPARENT'];
    if (rng.next() < 0.2) {
      master.push('RRULE:FREQ=YEARLY');
      kind = 'allday-yearly';
    }
    return { name, kind, tzid: null, vevents: [[...master, ...alarm, 'END:VEVENT']] };
  }

  // Up to 21:45 + 3 h: some events run past midnight.
  const minutes = rng.pick(DURATIONS);
  if (kind === 'recurring') day = wall(day.getUTCFullYear(), day.getUTCMonth() + 1, Math.min(day.getUTCDate(), 28));
  let start = addMinutes(day, rng.int(7, 21) * 60 + rng.pick([0, 15, 30, 45]));
  const rule = kind === 'recurring' ? pickRule(rng, start) : null;
  if (rule) start = rule.start;
  const master = ['BEGIN:VEVENT', ...common, dateTimeProperty('DTSTART', [start], zone)];
  master.push(rng.next() < 0.1 ? `DURATION:${durationValue(minutes)}` : dateTimeProperty('DTEND', [addMinutes(start, minutes)], zone));
  const vevents = [master];
  if (rule) {
    master.push(`RRULE:${rule.rrule}`);
    const excluded = rng.sample([1, 2, 3, 4], rng.int(1, 3)).sort((a, b) => a - b);
    const exdates = excluded.map((k) => rule.instance(k));
    // One EXDATE with a list, or one property per date: both are common (§3.8.5.1).
    if (rng.next() < 0.7) master.push(dateTimeProperty('EXDATE', exdates, zone));
    else for (const t of exdates) master.push(dateTimeProperty('EXDATE', [t], zone));
    if (rng.next() < 0.25) {
      const original = rule.instance([1, 2, 3, 4].find((k) => !excluded.includes(k))!);
      // Moved within the day, to the next day, or kept in place with new text.
      const moved = addMinutes(original, rng.pick([60, 60, 24 * 60, 0]));
      vevents.push([
        'BEGIN:VEVENT', `UID:${uid}`, `DTSTAMP:${DTSTAMP}`, dateTimeProperty('RECURRENCE-ID', [original], zone),
        `SUMMARY:${escapeText(`${summary} (moved)`)}`, `LOCATION:${escapeText(rng.pick(PLACES) || 'Zoom')}`,
        dateTimeProperty('DTSTART', [moved], zone), dateTimeProperty('DTEND', [addMinutes(moved, minutes)], zone),
        'SEQUENCE:1', 'END:VEVENT',
      ]);
    }
  }
  master.push(...alarm, 'END:VEVENT');
  return { name, kind, tzid: zone === 'UTC' ? null : zone, vevents };
}
