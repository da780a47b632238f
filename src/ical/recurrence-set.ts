import ICAL from 'ical.js';
import { DAY, dayOf, readProp, readTime, type Anchor, type Resolve, type TimeValue } from './instants.js';

// The pieces of one object's recurrence set (RFC 5545 §3.8.5: DTSTART + RRULE + RDATE − EXDATE,
// minus the instances that RECURRENCE-ID overrides replace, §3.8.4.4), read once per call.

export type Kind = 'VEVENT' | 'VTODO' | 'VJOURNAL';

/** How long an instance lasts (RFC 5545 §3.3.6): nominal days in wall time, then exact seconds. */
export interface Length { days: number; secs: number }
export interface Shape { start: TimeValue; length: Length }
export type Span = { start: number; end: number };

/** DTSTART and duration of a component (RFC 5545 §3.6.1–§3.6.3); 'open' = VTODO without dates
 *  (matches every range, RFC 4791 §9.9), 'none' = no DTSTART (matches no range). */
export function shapeOf(comp: ICAL.Component, kind: Kind, resolve: Resolve): Shape | 'open' | 'none' {
  const start = readProp(comp, 'dtstart');
  const due = kind === 'VTODO' ? readProp(comp, 'due') : null;
  if (!start) {
    if (kind !== 'VTODO') return 'none';
    return due ? { start: due, length: { days: 0, secs: 0 } } : 'open';
  }
  const end = kind === 'VEVENT' ? readProp(comp, 'dtend') : due;
  if (end) {
    if (start.isDate && end.isDate) return { start, length: { days: (end.wall - start.wall) / DAY, secs: 0 } };
    return { start, length: { days: 0, secs: resolve(end.anchor, end.wall) - resolve(start.anchor, start.wall) } };
  }
  const dur = kind === 'VJOURNAL' ? null : comp.getFirstPropertyValue('duration');
  if (dur instanceof ICAL.Duration) {
    const sign = dur.isNegative ? -1 : 1;
    const secs = dur.hours * 3600 + dur.minutes * 60 + dur.seconds;
    return { start, length: { days: sign * (dur.weeks * 7 + dur.days), secs: sign * secs } };
  }
  // No end: an all-day VEVENT/VJOURNAL lasts one day, anything else is a point in time.
  return { start, length: { days: start.isDate && kind !== 'VTODO' ? 1 : 0, secs: 0 } };
}

export function spanAt(shape: Shape, wall: number, resolve: Resolve): Span {
  const start = resolve(shape.start.anchor, wall);
  const { days, secs } = shape.length;
  const base = days ? resolve(shape.start.anchor, wall + days * DAY) : start;
  return { start, end: Math.max(start, base + secs) };
}

/** Identity of an instance for EXDATE and RECURRENCE-ID matching: by instant, or by day when
 *  either side is a DATE (sloppy clients exclude "that day" of a timed series). */
export function keyOf(v: TimeValue, masterIsDate: boolean, resolve: Resolve): string {
  return v.isDate || masterIsDate ? `d${dayOf(v.wall)}` : `i${resolve(v.anchor, v.wall)}`;
}

export interface RDate { value: TimeValue; end: TimeValue | null; length: Length | null }

/** Everything needed to walk the master's instances. */
export interface MasterSet {
  comp: ICAL.Component;
  shape: Shape;
  rules: ICAL.Recur[];
  rdates: RDate[];
  /** EXDATEs and overridden RECURRENCE-IDs: instances the master does not supply. */
  skip: Set<string>;
  /** Accepted span of a master instance starting at a wall, or null when skipped. */
  accept: (wall: number) => Span | null;
}

export function masterSet(comp: ICAL.Component, shape: Shape, overrides: ICAL.Component[], resolve: Resolve): MasterSet {
  const anchor: Anchor = shape.start.anchor;
  const isDate = shape.start.isDate;
  const skip = new Set<string>();
  for (const prop of comp.getAllProperties('exdate')) {
    for (const v of prop.getValues()) {
      if (v instanceof ICAL.Time) skip.add(keyOf(readTime(v, prop.getParameter('tzid'), anchor), isDate, resolve));
    }
  }
  for (const o of overrides) {
    const rid = readProp(o, 'recurrence-id', anchor);
    if (rid) skip.add(keyOf(rid, isDate, resolve));
  }
  const rules = comp.getAllProperties('rrule').map((p) => p.getFirstValue())
    .filter((r): r is ICAL.Recur => r instanceof ICAL.Recur);
  const rdates: RDate[] = [];
  for (const prop of comp.getAllProperties('rdate')) {
    const tzid = prop.getParameter('tzid');
    for (const v of prop.getValues()) {
      if (v instanceof ICAL.Time) rdates.push({ value: readTime(v, tzid, anchor), end: null, length: null });
      else if (v instanceof ICAL.Period) {
        // RFC 5545 §3.8.5.2: a PERIOD carries its own end or duration.
        const dur = v.duration ? { days: 0, secs: v.duration.toSeconds() } : null;
        rdates.push({ value: readTime(v.start, tzid, anchor), end: v.end ? readTime(v.end, tzid, anchor) : null, length: dur });
      }
    }
  }
  const accept = (wall: number): Span | null => {
    const span = spanAt(shape, wall, resolve);
    if (skip.has(`d${dayOf(wall)}`) || (!isDate && skip.has(`i${span.start}`))) return null;
    return span;
  };
  return { comp, shape, rules, rdates, skip, accept };
}

export function rdateSpan(set: MasterSet, r: RDate, resolve: Resolve): Span | null {
  if (set.skip.has(keyOf(r.value, set.shape.start.isDate, resolve))) return null;
  if (r.end) {
    const start = resolve(r.value.anchor, r.value.wall);
    return { start, end: Math.max(start, resolve(r.end.anchor, r.end.wall)) };
  }
  return spanAt({ start: r.value, length: r.length ?? set.shape.length }, r.value.wall, resolve);
}

