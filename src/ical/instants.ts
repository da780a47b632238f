import ICAL from 'ical.js';
import { canonicalTimezone } from './timezones.js';
import { zoneOf } from './zone-cache.js';

// Wall-clock → instant conversion for iCalendar values, independent of ical.js's global
// TimezoneService (which silently turns unregistered TZIDs into floating times).
//
// A "wall" is a local date-time written as seconds since 1970-01-01T00:00 with its fields read
// as if they were UTC: plain arithmetic on walls is calendar arithmetic with no DST, which is
// exactly how RFC 5545 §3.3.10 steps recurrences ("in local time").

/** How a value is anchored (RFC 5545 §3.3.5): UTC ('Z' suffix), a TZID, or floating. */
export type Anchor = { kind: 'utc' } | { kind: 'floating' } | { kind: 'tzid'; tzid: string };
/** One DATE or DATE-TIME value as written. */
export interface TimeValue { wall: number; isDate: boolean; anchor: Anchor }
/** Converts a wall in an anchor's zone to unix seconds. */
export type Resolve = (anchor: Anchor, wall: number) => number;

export const DAY = 86_400;
export const FLOATING: Anchor = { kind: 'floating' };
const UTC: Anchor = { kind: 'utc' };

/** Wall seconds of an ical.js Time's fields (Date.UTC maps years 0–99 to 19xx, hence the fallback). */
export function wallOf(t: ICAL.Time): number {
  if (t.year >= 100) return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) / 1000;
  const d = new Date(0);
  d.setUTCFullYear(t.year, t.month - 1, t.day);
  d.setUTCHours(t.hour, t.minute, t.second, 0);
  return d.getTime() / 1000;
}

/** A zone-less ical.js Time for a wall: what the RecurIterator and ICAL.Timezone consume. */
export function wallToTime(wall: number, isDate: boolean): ICAL.Time {
  const d = new Date(wall * 1000);
  return ICAL.Time.fromData({
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: isDate ? 0 : d.getUTCHours(), minute: isDate ? 0 : d.getUTCMinutes(),
    second: isDate ? 0 : d.getUTCSeconds(), isDate,
  });
}

/** Start of the wall's day. */
export function dayOf(wall: number): number {
  return Math.floor(wall / DAY) * DAY;
}

/**
 * Reads one value. The TZID parameter is read from the property itself, never from ical.js's
 * zone. DATE values are always floating (RFC 5545 §3.3.4: TZID does not apply to them).
 * `fallback` anchors values without TZID and 'Z': floating for DTSTART/DTEND/DUE, but EXDATE,
 * RDATE and RECURRENCE-ID inherit the master DTSTART's zone — sloppy clients omit the TZID there
 * and they always mean the event's own zone.
 */
export function readTime(t: ICAL.Time, tzid: unknown, fallback: Anchor = FLOATING): TimeValue {
  const wall = wallOf(t);
  if (t.isDate) return { wall, isDate: true, anchor: FLOATING };
  if (typeof tzid === 'string' && tzid !== '') return { wall, isDate: false, anchor: { kind: 'tzid', tzid } };
  const utc = t.zone === ICAL.Timezone.utcTimezone || t.zone?.tzid === 'UTC';
  return { wall, isDate: false, anchor: utc ? UTC : fallback };
}

/** The first value of a DATE/DATE-TIME property, or null when absent or not a time. */
export function readProp(comp: ICAL.Component, name: string, fallback: Anchor = FLOATING): TimeValue | null {
  const prop = comp.getFirstProperty(name);
  const value = prop?.getFirstValue();
  if (!prop || !(value instanceof ICAL.Time)) return null;
  return readTime(value, prop.getParameter('tzid'), fallback);
}

/** iCalendar text of a value (RFC 5545 §3.3.4/§3.3.5): '20240102', '20240102T090000', '…Z'. */
export function formatValue(wall: number, isDate: boolean, utc: boolean): string {
  const iso = new Date(wall * 1000).toISOString(); // ±YYYYYY only outside years 0–9999
  const date = iso.slice(0, 10).replace(/-/g, '');
  if (isDate) return date;
  return `${date}T${iso.slice(11, 19).replace(/:/g, '')}${utc ? 'Z' : ''}`;
}

const canonicalCache = new Map<string, string | null>();
function canonical(name: string): string | null {
  let hit = canonicalCache.get(name);
  if (hit === undefined) {
    const found = canonicalTimezone(name);
    hit = found !== null && (found === 'UTC' || zoneOf(found).isValid) ? found : null;
    if (canonicalCache.size > 5000) canonicalCache.clear();
    canonicalCache.set(name, hit);
  }
  return hit;
}

const ianaCache = new Map<string, (wall: number) => number>();
/**
 * IANA conversion with RFC 5545 §3.3.5 semantics at DST transitions: a repeated local time
 * means its first occurrence; a skipped one is read with the offset before the gap.
 */
function ianaConverter(name: string): (wall: number) => number {
  const cached = ianaCache.get(name);
  if (cached) return cached;
  const zone = zoneOf(name);
  const fn = (wall: number): number => {
    const ms = wall * 1000;
    const before = zone.offset(ms - DAY * 1000); // minutes; the zone's offset a day earlier…
    const after = zone.offset(ms + DAY * 1000); // …and a day later
    if (before === after) return Math.round(wall - before * 60);
    for (const o of [before, after]) {
      if (zone.offset(ms - o * 60_000) === o) return Math.round(wall - o * 60);
    }
    return Math.round(wall - before * 60); // in the gap
  };
  ianaCache.set(name, fn);
  return fn;
}

/** Offsets from an embedded VTIMEZONE (ical.js picks standard time for repeated local times). */
function embeddedConverter(vtimezone: ICAL.Component): (wall: number) => number {
  const tz = new ICAL.Timezone(vtimezone);
  return (wall) => wall - tz.utcOffset(wallToTime(wall, false));
}

/**
 * A resolver for one calendar object. TZID lookup order: `canonicalTimezone` (IANA via luxon),
 * then the object's own VTIMEZONE with that TZID (Thunderbird's `/mozilla.org/…/Europe/Paris`,
 * Outlook's `W. Europe Standard Time`), else UTC. Floating values use `floatingZone`, resolved
 * the same way.
 */
export function makeResolver(vcalendar: ICAL.Component, floatingZone: string): Resolve {
  const local = new Map<string, (wall: number) => number>();
  const zoneFn = (tzid: string): ((wall: number) => number) => {
    let fn = local.get(tzid);
    if (fn) return fn;
    const name = canonical(tzid);
    if (name === 'UTC') fn = (wall) => wall;
    else if (name !== null) fn = ianaConverter(name);
    else {
      const vtz = vcalendar.getAllSubcomponents('vtimezone')
        .find((c) => c.getFirstPropertyValue('tzid') === tzid);
      fn = vtz ? embeddedConverter(vtz) : (wall) => wall;
    }
    local.set(tzid, fn);
    return fn;
  };
  return (anchor, wall) => {
    if (anchor.kind === 'utc') return wall;
    return zoneFn(anchor.kind === 'tzid' ? anchor.tzid : floatingZone)(wall);
  };
}
